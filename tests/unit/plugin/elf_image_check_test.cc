// A truncated or damaged plugin is refused with the reason before the dynamic loader sees it, and
// a plugin whose file is cut short after loading cannot bite: what is mapped is a private copy.
#include "runtime/plugin/elf_image_check.h"

#include <fcntl.h>

#include <elf.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include "absl/strings/str_split.h"
#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_image.h"
#include "runtime/plugin/plugin_registry.h"
#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using testing::CopyFile;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

template <typename T>
T Get(const std::string& bytes, size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}
template <typename T>
void Put(std::string& bytes, size_t offset, const T& value) {
  std::memcpy(bytes.data() + offset, &value, sizeof(T));
}

// The offset of the first program header of `type`.
size_t PhdrOffset(const std::string& bytes, uint32_t type) {
  auto eh = Get<Elf64_Ehdr>(bytes, 0);
  for (size_t i = 0; i < eh.e_phnum; ++i) {
    size_t at = eh.e_phoff + i * sizeof(Elf64_Phdr);
    if (Get<Elf64_Phdr>(bytes, at).p_type == type) return at;
  }
  ADD_FAILURE() << "no program header of type " << type;
  return 0;
}

// The generator's bytes with `edit` applied to its first program header of `type`.
std::string GeneratorWithSegment(uint32_t type, const std::function<void(Elf64_Phdr&)>& edit) {
  std::string bytes = ReadFile(SLUICE_GENERATOR_PATH);
  size_t at = PhdrOffset(bytes, type);
  auto p = Get<Elf64_Phdr>(bytes, at);
  edit(p);
  Put(bytes, at, p);
  return bytes;
}

TEST(ElfImageCheck, EveryPluginTheBuildMakesPasses) {
  for (const char* path : {SLUICE_GENERATOR_PATH, SLUICE_MYSQL_PLUGIN_PATH, TEST_PLUGIN_NO_ENTRY,
                           TEST_PLUGIN_ABI_1_0, TEST_PLUGIN_CONSTRUCTOR_MARKER}) {
    EXPECT_TRUE(CheckElfImage(ReadFile(path), path).ok()) << CheckElfImage(ReadFile(path), path);
  }
  // And the connectors load from their private copies.
  TempDir dir;
  CopyFile(SLUICE_MYSQL_PLUGIN_PATH, dir.File("sluice_mysql.so"));
  absl::StatusOr<std::shared_ptr<const Plugin>> mysql = LoadPlugin(dir.File("sluice_mysql.so"));
  ASSERT_TRUE(mysql.ok()) << mysql.status();
  EXPECT_EQ((*mysql)->name(), "mysql");
}

TEST(ElfImageCheck, TheGeneratorLoadsAsEveryLinkerAndLinkOptionLaysItOut) {
  // -z now, -z norelro, stripped, 64 KiB pages, SysV hash, gold: none may be taken for damage.
  TempDir dir;
  int count = 0;
  for (absl::string_view file : absl::StrSplit(TEST_GENERATOR_LAYOUTS, ':', absl::SkipEmpty())) {
    std::string copy = dir.File("layout-" + std::to_string(count++) + ".so");
    CopyFile(std::string(file), copy);
    absl::StatusOr<std::shared_ptr<const Plugin>> p = LoadPlugin(copy);
    ASSERT_TRUE(p.ok()) << file << ": " << p.status();
    EXPECT_EQ((*p)->name(), "generator") << file;
  }
  EXPECT_GE(count, 5);
}

TEST(ElfImageCheck, TheFirst64KiBOfTheMySqlConnectorIsRefusedAsTruncated) {
  // The case: a half-copied sluice_mysql.so killed the worker with SIGBUS.
  std::string bytes = ReadFile(SLUICE_MYSQL_PLUGIN_PATH).substr(0, 64 * 1024);
  absl::Status s = CheckElfImage(bytes, "/plugins/sluice_mysql.so");
  EXPECT_THAT(Message(s), AllOf(HasSubstr("plugin /plugins/sluice_mysql.so refused: truncated"),
                                HasSubstr("the file has 65536 bytes")));
}

TEST(ElfImageCheck, EveryTruncationOfTheGeneratorIsRefusedAndNoneCrashesTheLoader) {
  TempDir dir;
  std::string bytes = ReadFile(SLUICE_GENERATOR_PATH);
  PluginRegistry registry;
  for (size_t length = 0; length < bytes.size(); length += 997) {
    std::string name = "cut-" + std::to_string(length) + ".so";
    WriteFile(dir.File(name), bytes.substr(0, length), 0755);
    absl::StatusOr<std::shared_ptr<const Plugin>> p = registry.LoadFile(dir.File(name));
    ASSERT_FALSE(p.ok()) << name << " loaded";
    EXPECT_THAT(Message(p.status()),
                AllOf(HasSubstr(dir.File(name)),
                      AnyOf(HasSubstr("truncated"), HasSubstr("no ELF header"))));
  }
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("whole.so"));
  EXPECT_TRUE(registry.LoadFile(dir.File("whole.so")).ok());
}

TEST(ElfImageCheck, RefusesALoadSegmentPastTheEndOfTheFile) {
  std::string bytes = GeneratorWithSegment(PT_LOAD, [](Elf64_Phdr& p) {
    p.p_offset = ReadFile(SLUICE_GENERATOR_PATH).size() - 16;
    p.p_filesz = 4096;
  });
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")),
              HasSubstr("truncated: segment 0 (PT_LOAD) ends at byte"));
}

TEST(ElfImageCheck, RefusesASectionHeaderTablePastTheEnd) {
  std::string bytes = ReadFile(SLUICE_GENERATOR_PATH);
  auto eh = Get<Elf64_Ehdr>(bytes, 0);
  eh.e_shoff = bytes.size() - 8;
  Put(bytes, 0, eh);
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")),
              HasSubstr("truncated: the section header table ends at byte"));
}

TEST(ElfImageCheck, RefusesCodeInASegmentThatIsNotExecutable) {
  std::string bytes = ReadFile(SLUICE_GENERATOR_PATH);
  auto eh = Get<Elf64_Ehdr>(bytes, 0);
  for (size_t i = 0; i < eh.e_phnum; ++i) {
    size_t at = eh.e_phoff + i * sizeof(Elf64_Phdr);
    auto p = Get<Elf64_Phdr>(bytes, at);
    if (p.p_type == PT_LOAD) p.p_flags &= ~PF_X;
    Put(bytes, at, p);
  }
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")),
              HasSubstr("code in a segment that is not executable"));
}

TEST(ElfImageCheck, RefusesALoadSegmentThatIsNotReadable) {
  // Found by fuzz_plugin_load: the loader read its symbol tables through a PROT_NONE mapping.
  std::string bytes = GeneratorWithSegment(PT_LOAD, [](Elf64_Phdr& p) { p.p_flags = 0; });
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")),
              HasSubstr("segment 0 (PT_LOAD): not readable"));
}

TEST(ElfImageCheck, RefusesAMovedDynamicSegment) {
  std::string bytes = GeneratorWithSegment(PT_DYNAMIC, [](Elf64_Phdr& p) { p.p_vaddr += 16; });
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")), HasSubstr("damaged ELF file"));
}

TEST(ElfImageCheck, RefusesARelroRangeReachingPastItsSections) {
  std::string bytes = GeneratorWithSegment(PT_GNU_RELRO, [](Elf64_Phdr& p) { p.p_memsz += 4096; });
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")),
              HasSubstr("PT_GNU_RELRO): does not match the sections it protects"));
}

// Found by fuzz_plugin_load: one byte of RELRO's address moved its range onto the code, whose
// page the loader then made read-only, and the first constructor call jumped into it.
TEST(ElfImageCheck, RefusesARelroRangeMovedOntoTheCode) {
  std::string bytes = ReadFile(SLUICE_GENERATOR_PATH);
  auto eh = Get<Elf64_Ehdr>(bytes, 0);
  uint64_t code = 0;
  for (size_t i = 0; i < eh.e_phnum; ++i) {
    auto p = Get<Elf64_Phdr>(bytes, eh.e_phoff + i * sizeof(Elf64_Phdr));
    if (p.p_type == PT_LOAD && (p.p_flags & PF_X) != 0) code = p.p_vaddr;
  }
  ASSERT_NE(code, 0u);
  size_t at = PhdrOffset(bytes, PT_GNU_RELRO);
  auto relro = Get<Elf64_Phdr>(bytes, at);
  relro.p_vaddr = code + 0xc90;
  Put(bytes, at, relro);
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")),
              HasSubstr("PT_GNU_RELRO): does not match the sections it protects"));
}

TEST(ElfImageCheck, RefusesAFrameTableThatIsNotItsSection) {
  // The unwinder would read a garbage table when an exception crosses the plugin.
  std::string bytes = GeneratorWithSegment(PT_GNU_EH_FRAME, [](Elf64_Phdr& p) {
    p.p_vaddr += 8;
    p.p_offset += 8;
  });
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")),
              HasSubstr("PT_GNU_EH_FRAME): does not match its sections"));
}

TEST(ElfImageCheck, RefusesADynamicSectionWithoutItsEnd) {
  std::string bytes = ReadFile(SLUICE_GENERATOR_PATH);
  auto d = Get<Elf64_Phdr>(bytes, PhdrOffset(bytes, PT_DYNAMIC));
  for (size_t at = d.p_offset; at + sizeof(Elf64_Dyn) <= d.p_offset + d.p_filesz;
       at += sizeof(Elf64_Dyn)) {
    auto e = Get<Elf64_Dyn>(bytes, at);
    if (e.d_tag == DT_NULL) e.d_tag = DT_DEBUG;
    Put(bytes, at, e);
  }
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")), HasSubstr("no DT_NULL end"));
}

TEST(ElfImageCheck, RefusesAnInitFunctionOutsideTheCode) {
  std::string bytes = ReadFile(SLUICE_GENERATOR_PATH);
  auto d = Get<Elf64_Phdr>(bytes, PhdrOffset(bytes, PT_DYNAMIC));
  bool found = false;
  for (size_t at = d.p_offset; at + sizeof(Elf64_Dyn) <= d.p_offset + d.p_filesz;
       at += sizeof(Elf64_Dyn)) {
    auto e = Get<Elf64_Dyn>(bytes, at);
    if (e.d_tag != DT_INIT) continue;
    e.d_un.d_ptr = d.p_vaddr;  // the dynamic section itself: loaded, but data
    Put(bytes, at, e);
    found = true;
  }
  ASSERT_TRUE(found) << "the generator has no DT_INIT";
  EXPECT_THAT(Message(CheckElfImage(bytes, "x.so")), HasSubstr("calls outside the plugin's code"));
}

TEST(PrivateCopy, KeepsTheLoadedBytesAndLeavesTheDebugInformation) {
  std::string bytes = ReadFile(SLUICE_MYSQL_PLUGIN_PATH);
  ASSERT_TRUE(CheckElfImage(bytes, "mysql.so").ok());
  std::string loaded = bytes;
  KeepOnlyLoadedBytes(&loaded);
  auto eh = Get<Elf64_Ehdr>(loaded, 0);
  uint64_t end = 0;
  for (size_t i = 0; i < eh.e_phnum; ++i) {
    auto p = Get<Elf64_Phdr>(loaded, eh.e_phoff + i * sizeof(Elf64_Phdr));
    end = std::max<uint64_t>(end, p.p_offset + p.p_filesz);
  }
  EXPECT_EQ(loaded.size(), end);
  EXPECT_LT(loaded.size(), bytes.size());
  EXPECT_EQ(eh.e_shnum, 0);
  EXPECT_EQ(eh.e_shoff, 0u);
  EXPECT_EQ(loaded.substr(sizeof(eh)), bytes.substr(sizeof(eh), loaded.size() - sizeof(eh)));
}

// Reads every file-backed byte of the loaded object that maps `inside`.
int TouchEveryPage(const void* inside) {
  struct Search {
    uintptr_t address;
    int sum = 0;
    bool found = false;
  } search{reinterpret_cast<uintptr_t>(inside)};
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) {
        auto* s = static_cast<Search*>(data);
        bool mine = false;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const auto& p = info->dlpi_phdr[i];
          uintptr_t start = info->dlpi_addr + p.p_vaddr;
          if (p.p_type == PT_LOAD && s->address >= start && s->address < start + p.p_memsz)
            mine = true;
        }
        if (!mine) return 0;
        s->found = true;
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const auto& p = info->dlpi_phdr[i];
          if (p.p_type != PT_LOAD) continue;
          const volatile char* at = reinterpret_cast<const char*>(info->dlpi_addr + p.p_vaddr);
          for (size_t j = 0; j < p.p_filesz; j += 512) s->sum += at[j];
        }
        return 1;
      },
      &search);
  EXPECT_TRUE(search.found);
  return search.sum;
}

TEST(PrivateCopy, APluginWhoseFileIsCutShortAfterLoadingKeepsWorking) {
  // Were the file itself mapped, its pages past the new end would be gone: SIGBUS on first touch.
  TempDir dir;
  CopyFile(SLUICE_GENERATOR_PATH, dir.File("generator.so"));
  absl::StatusOr<std::shared_ptr<const Plugin>> p = LoadPlugin(dir.File("generator.so"));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(truncate(dir.File("generator.so").c_str(), 4096), 0);
  TouchEveryPage(&(*p)->descriptor());
  EXPECT_EQ((*p)->name(), "generator");
  EXPECT_EQ((*p)->path(), dir.File("generator.so"));
}

TEST(PrivateCopy, TheCopyCanNeitherBeWrittenNorResized) {
  absl::StatusOr<UniqueFd> copy = SealedCopy("\x7f" "ELF and the rest", "/plugins/x.so");
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(lseek(copy->get(), 0, SEEK_END), 17);
  EXPECT_LT(pwrite(copy->get(), "x", 1, 0), 0);
  EXPECT_NE(ftruncate(copy->get(), 4), 0);
  EXPECT_NE(ftruncate(copy->get(), 1 << 20), 0);
  EXPECT_NE(fcntl(copy->get(), F_ADD_SEALS, F_SEAL_WRITE), 0) << "the seals are sealed";
  char head[4];
  ASSERT_EQ(pread(copy->get(), head, sizeof(head), 0), 4);
  EXPECT_EQ(std::string(head, 4), "\x7f" "ELF");
}

}  // namespace
}  // namespace sluice::plugin
