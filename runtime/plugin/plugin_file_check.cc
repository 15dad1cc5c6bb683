#include "runtime/plugin/plugin_file_check.h"

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "runtime/common/string_view_compat.h"

namespace sluice::plugin {
namespace {

#if defined(__x86_64__)
constexpr uint16_t kMachine = EM_X86_64;
constexpr const char* kMachineName = "x86-64";
#elif defined(__aarch64__)
constexpr uint16_t kMachine = EM_AARCH64;
constexpr const char* kMachineName = "aarch64";
#else
#error "unsupported architecture: add its ELF machine here"
#endif
constexpr unsigned char kClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
constexpr unsigned char kData =
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;

absl::Status Refuse(const std::string& path, std::string_view reason) {
  return absl::FailedPreconditionError(StrCat("plugin ", path, " refused: ", reason));
}

absl::Status CheckOwnership(const struct stat& st, const std::string& path, std::string_view what) {
  if (st.st_uid != geteuid()) {
    return Refuse(path, StrCat(what, " is owned by uid ", st.st_uid, ", not by this process's uid ",
                               geteuid(), " (chown it)"));
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Refuse(path, StrCat(what, " is writable by group or others (chmod go-w)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckPluginFile(int fd, const std::string& path) {
  struct stat st;
  if (fstat(fd, &st) != 0) return Refuse(path, StrCat("cannot stat: ", std::strerror(errno)));
  if (!S_ISREG(st.st_mode)) return Refuse(path, "not a regular file");
  if (absl::Status s = CheckOwnership(st, path, "the file"); !s.ok()) return s;

  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? std::string(".")
                    : slash == 0               ? std::string("/")
                                               : path.substr(0, slash);
  struct stat dst;
  if (stat(dir.c_str(), &dst) != 0) {
    return Refuse(path, StrCat("cannot stat its directory: ", std::strerror(errno)));
  }
  if (absl::Status s = CheckOwnership(dst, path, StrCat("its directory ", dir)); !s.ok()) return s;

  Elf64_Ehdr header;  // the fields checked sit at the same offsets in Elf32_Ehdr
  ssize_t n = pread(fd, &header, sizeof(header), 0);
  if (n < static_cast<ssize_t>(EI_NIDENT) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    return Refuse(path, "not a shared object (no ELF header)");
  }
  if (n < static_cast<ssize_t>(offsetof(Elf64_Ehdr, e_machine) + sizeof(header.e_machine))) {
    return Refuse(path, "truncated ELF header");
  }
  if (header.e_ident[EI_CLASS] != kClass) {
    return Refuse(path, StrCat("wrong architecture: ELF class ", header.e_ident[EI_CLASS],
                               ", this worker is ", kClass == ELFCLASS64 ? "64" : "32", "-bit"));
  }
  if (header.e_ident[EI_DATA] != kData) return Refuse(path, "wrong architecture: byte order");
  if (header.e_machine != kMachine) {
    return Refuse(path, StrCat("wrong architecture: ELF machine ", header.e_machine,
                               ", this worker runs on ", kMachineName, " (", kMachine, ")"));
  }
  if (header.e_type != ET_DYN) return Refuse(path, "not a shared object (ELF type is not ET_DYN)");
  return absl::OkStatus();
}

}  // namespace sluice::plugin
