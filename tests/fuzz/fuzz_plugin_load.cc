// libFuzzer target: mutated copies of the real generator plugin, fed through plugin.path the way
// the worker loads them (PluginRegistry::LoadPluginPath: provenance, private copy, ELF check,
// dlopen, entry, descriptor). Every input must end in a refusal or a working plugin, never in a
// crash.
//
// An input is a cut and a list of byte edits, applied to the real plugin:
//   byte 0          bit 0 set: cut the file at (bytes 1..4, little endian) modulo its size
//   bytes 5..       (offset: 2 bytes, value: 1 byte) edits; the offset is taken modulo the size of
//                   the headers (ELF header, program header table, section header table, in that
//                   order), so every edit lands on a header field.
// The edits stay in the headers because they are what the checks stand for: the structure the
// dynamic loader trusts before any of the plugin's code runs. Code and relocation bytes are the
// plugin's content; whether they are right is vouched for by who may write the file, not by a
// structural check (docs/security.md).
#include <elf.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/plugin/plugin_registry.h"

namespace {

struct Seed {
  std::string plugin;          // the real plugin's bytes
  std::vector<size_t> header;  // file offsets of every header byte, in the order above
  std::string dir;             // a private plugin folder (0700, ours)
  std::string file;            // the one plugin file in it
};

const Seed& TheSeed() {
  static const Seed* seed = [] {
    auto* s = new Seed;
    std::ifstream in(SLUICE_GENERATOR_PATH, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    s->plugin = bytes.str();
    if (s->plugin.size() < sizeof(Elf64_Ehdr)) abort();
    Elf64_Ehdr eh;
    std::memcpy(&eh, s->plugin.data(), sizeof(eh));
    for (size_t i = 0; i < sizeof(eh); ++i) s->header.push_back(i);
    for (size_t i = 0; i < size_t{eh.e_phnum} * sizeof(Elf64_Phdr); ++i) {
      s->header.push_back(eh.e_phoff + i);
    }
    for (size_t i = 0; i < size_t{eh.e_shnum} * sizeof(Elf64_Shdr); ++i) {
      s->header.push_back(eh.e_shoff + i);
    }
    char tmpl[] = "/tmp/sluice-fuzz-plugin-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) abort();
    chmod(tmpl, 0700);
    s->dir = tmpl;
    s->file = s->dir + "/plugin.so";
    std::atexit([] {  // libFuzzer ends with exit(); the folder goes with the run
      std::error_code ignored;
      std::filesystem::remove_all(TheSeed().dir, ignored);
    });
    return s;
  }();
  return *seed;
}

uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Seed& seed = TheSeed();
  std::string plugin = seed.plugin;
  if (size >= 5 && (data[0] & 1) != 0) plugin.resize(Le32(data + 1) % plugin.size());
  for (size_t at = 5; at + 3 <= size; at += 3) {
    size_t offset = seed.header[(size_t{data[at]} | size_t{data[at + 1]} << 8) % seed.header.size()];
    if (offset < plugin.size()) plugin[offset] = static_cast<char>(data[at + 2]);
  }
  {
    std::ofstream out(seed.file, std::ios::binary | std::ios::trunc);
    out.write(plugin.data(), static_cast<std::streamsize>(plugin.size()));
  }
  chmod(seed.file.c_str(), 0755);
  sluice::plugin::PluginRegistry registry;
  for (const absl::Status& refusal : registry.LoadPluginPath(seed.dir)) {
    // Every refusal names the file.
    if (std::string(refusal.message()).find(seed.file) == std::string::npos) abort();
  }
  for (const auto& loaded : registry.List()) {
    // A plugin that loaded is whole: what the worker reads of it next must work too.
    if (loaded->name().empty() || loaded->config_defs().empty()) abort();
  }
  return 0;
}
