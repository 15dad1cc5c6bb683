#include "runtime/plugin/elf_image_check.h"

#include <elf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <type_traits>
#include <vector>

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
constexpr bool k64 = sizeof(void*) == 8;
constexpr unsigned char kClass = k64 ? ELFCLASS64 : ELFCLASS32;
constexpr unsigned char kData =
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;

// This process's ELF types: a plugin of the other class is refused before any of them is read.
using Ehdr = std::conditional_t<k64, Elf64_Ehdr, Elf32_Ehdr>;
using Phdr = std::conditional_t<k64, Elf64_Phdr, Elf32_Phdr>;
using Shdr = std::conditional_t<k64, Elf64_Shdr, Elf32_Shdr>;
using Dyn = std::conditional_t<k64, Elf64_Dyn, Elf32_Dyn>;

// A PT_LOAD segment's reach, in memory and in the file.
struct Load {
  uint64_t vaddr, memsz, offset, filesz;
  bool exec, write;
  bool HoldsMemory(uint64_t addr, uint64_t size) const {
    return addr >= vaddr && addr - vaddr <= memsz && size <= memsz - (addr - vaddr);
  }
  // [addr, addr+size) is file-backed by this segment, at `offset` in the file.
  bool HoldsFile(uint64_t addr, uint64_t off, uint64_t size) const {
    return HoldsMemory(addr, size) && addr - vaddr <= filesz && size <= filesz - (addr - vaddr) &&
           off >= this->offset && off - this->offset == addr - vaddr;
  }
};

const char* SegmentName(uint32_t type) {
  switch (type) {
    case PT_LOAD:
      return "PT_LOAD";
    case PT_DYNAMIC:
      return "PT_DYNAMIC";
    case PT_INTERP:
      return "PT_INTERP";
    case PT_NOTE:
      return "PT_NOTE";
    case PT_TLS:
      return "PT_TLS";
    case PT_GNU_EH_FRAME:
      return "PT_GNU_EH_FRAME";
    case PT_GNU_RELRO:
      return "PT_GNU_RELRO";
    case PT_GNU_PROPERTY:
      return "PT_GNU_PROPERTY";
    default:
      return "segment";
  }
}

class Checker {
 public:
  Checker(std::string_view image, const std::string& path) : image_(image), path_(path) {}

  absl::Status Check() {
    if (absl::Status s = CheckHeader(); !s.ok()) return s;
    if (absl::Status s = ReadTables(); !s.ok()) return s;
    if (absl::Status s = CheckSegments(); !s.ok()) return s;
    if (absl::Status s = CheckSections(); !s.ok()) return s;
    return CheckDynamic();
  }

 private:
  absl::Status Refuse(std::string_view reason) const {
    return absl::FailedPreconditionError(StrCat("plugin ", path_, " refused: ", reason));
  }
  absl::Status Truncated(std::string_view what, uint64_t offset, uint64_t size) const {
    // The end may not fit in 64 bits: say where it starts then.
    std::string end = size <= UINT64_MAX - offset ? StrCat("ends at byte ", offset + size)
                                                  : StrCat("starts at byte ", offset);
    return Refuse(StrCat("truncated: ", what, " ", end, ", the file has ", image_.size(),
                         " bytes (an incomplete copy?)"));
  }
  absl::Status Damaged(std::string_view what) const {
    return Refuse(StrCat("damaged ELF file: ", what));
  }
  bool InFile(uint64_t offset, uint64_t size) const {
    return offset <= image_.size() && size <= image_.size() - offset;
  }
  template <typename T>
  T At(uint64_t offset) const {  // REQUIRES: InFile(offset, sizeof(T))
    T value;
    std::memcpy(&value, image_.data() + offset, sizeof(T));
    return value;
  }

  absl::Status CheckHeader() {
    if (image_.size() < SELFMAG || std::memcmp(image_.data(), ELFMAG, SELFMAG) != 0) {
      return Refuse("not a shared object (no ELF header)");
    }
    if (image_.size() < EI_NIDENT) return Refuse("truncated ELF header");
    const auto* ident = reinterpret_cast<const unsigned char*>(image_.data());
    if (ident[EI_CLASS] != kClass) {
      return Refuse(StrCat("wrong architecture: ELF class ", ident[EI_CLASS], ", this worker is ",
                           k64 ? "64" : "32", "-bit"));
    }
    if (ident[EI_DATA] != kData) return Refuse("wrong architecture: byte order");
    if (image_.size() < sizeof(Ehdr)) return Refuse("truncated ELF header");
    eh_ = At<Ehdr>(0);
    if (eh_.e_machine != kMachine) {
      return Refuse(StrCat("wrong architecture: ELF machine ", eh_.e_machine,
                           ", this worker runs on ", kMachineName, " (", kMachine, ")"));
    }
    if (eh_.e_type != ET_DYN) return Refuse("not a shared object (ELF type is not ET_DYN)");
    if (ident[EI_VERSION] != EV_CURRENT || eh_.e_version != EV_CURRENT) {
      return Damaged("unknown ELF version");
    }
    if (eh_.e_ehsize != sizeof(Ehdr)) return Damaged("ELF header size");
    return absl::OkStatus();
  }

  absl::Status ReadTables() {
    if (eh_.e_phentsize != sizeof(Phdr) || eh_.e_phnum == 0 || eh_.e_phnum >= PN_XNUM) {
      return Damaged("program header table (entry size or count)");
    }
    if (!InFile(eh_.e_phoff, uint64_t{eh_.e_phnum} * sizeof(Phdr))) {
      return Truncated("the program header table", eh_.e_phoff,
                       uint64_t{eh_.e_phnum} * sizeof(Phdr));
    }
    for (uint64_t i = 0; i < eh_.e_phnum; ++i) {
      phdrs_.push_back(At<Phdr>(eh_.e_phoff + i * sizeof(Phdr)));
    }
    // Every toolchain writes section headers; they are what the segments are checked against.
    // (A count of 0 with an offset means "more than 65279 sections", which no plugin has.)
    if (eh_.e_shoff == 0 || eh_.e_shnum == 0) return Damaged("no section header table");
    if (eh_.e_shentsize != sizeof(Shdr)) return Damaged("section header entry size");
    if (!InFile(eh_.e_shoff, uint64_t{eh_.e_shnum} * sizeof(Shdr))) {
      return Truncated("the section header table", eh_.e_shoff,
                       uint64_t{eh_.e_shnum} * sizeof(Shdr));
    }
    for (uint64_t i = 0; i < eh_.e_shnum; ++i) {
      shdrs_.push_back(At<Shdr>(eh_.e_shoff + i * sizeof(Shdr)));
    }
    if (eh_.e_shstrndx >= eh_.e_shnum) return Damaged("section name table index");
    return absl::OkStatus();
  }

  absl::Status CheckSegments() {
    for (size_t i = 0; i < phdrs_.size(); ++i) {
      const Phdr& p = phdrs_[i];
      std::string what = StrCat("segment ", i, " (", SegmentName(p.p_type), ")");
      if (p.p_filesz > 0 && !InFile(p.p_offset, p.p_filesz)) {
        return Truncated(what, p.p_offset, p.p_filesz);
      }
      if (p.p_type != PT_LOAD) continue;
      if (p.p_filesz > p.p_memsz) {
        return Damaged(StrCat(what, ": larger in the file than in memory"));
      }
      // The loader reads its tables (symbols, hashes, relocations) through these mappings.
      if ((p.p_flags & PF_R) == 0) return Damaged(StrCat(what, ": not readable"));
      if (p.p_vaddr > UINT64_MAX - p.p_memsz) return Damaged(StrCat(what, ": address overflows"));
      if (p.p_align > 1 && ((p.p_align & (p.p_align - 1)) != 0 || p.p_align > (uint64_t{1} << 30) ||
                            (p.p_vaddr - p.p_offset) % p.p_align != 0)) {
        return Damaged(StrCat(what, ": alignment"));
      }
      if (!loads_.empty() && p.p_vaddr < loads_.back().vaddr + loads_.back().memsz) {
        return Damaged(StrCat(what, ": overlaps or precedes the one before"));
      }
      loads_.push_back({p.p_vaddr, p.p_memsz, p.p_offset, p.p_filesz, (p.p_flags & PF_X) != 0,
                        (p.p_flags & PF_W) != 0});
    }
    if (loads_.empty()) return Damaged("no PT_LOAD segment");
    if (loads_.back().vaddr + loads_.back().memsz - loads_.front().vaddr > (uint64_t{1} << 32)) {
      return Damaged("the segments span more than 4 GiB");
    }
    for (size_t i = 0; i < phdrs_.size(); ++i) {
      const Phdr& p = phdrs_[i];
      std::string what = StrCat("segment ", i, " (", SegmentName(p.p_type), ")");
      switch (p.p_type) {
        case PT_DYNAMIC:
          if (dynamic_.has_value()) return Damaged("two PT_DYNAMIC segments");
          dynamic_ = i;
          [[fallthrough]];
        case PT_NOTE:
        case PT_GNU_EH_FRAME:
        case PT_GNU_PROPERTY:
          if (!FileBacked(p.p_vaddr, p.p_offset, p.p_filesz) || p.p_memsz != p.p_filesz) {
            return Damaged(StrCat(what, ": not inside a loaded segment"));
          }
          // The loader parses notes, the unwinder the frame table: each must be what the linker
          // wrote there, whole sections, not bytes in between.
          if (p.p_filesz > 0 && !SpansSections(p.p_vaddr, p.p_filesz)) {
            return Damaged(StrCat(what, ": does not match its sections"));
          }
          break;
        case PT_TLS:  // only the initialised part (.tdata) occupies loaded memory
          if (p.p_filesz > p.p_memsz || !FileBacked(p.p_vaddr, p.p_offset, p.p_filesz)) {
            return Damaged(StrCat(what, ": not inside a loaded segment"));
          }
          if ((p.p_align & (p.p_align - 1)) != 0 || p.p_align > 4096 ||
              p.p_memsz > (uint64_t{1} << 24) || !SpansSections(p.p_vaddr, p.p_memsz)) {
            return Damaged(StrCat(what, ": does not match its sections"));
          }
          break;
        case PT_GNU_RELRO:
          // The protected pages must be the writable segment's: stretched over the code, the
          // range would take its pages' execute right away before the constructors run.
          if (const Load* load = LoadHolding(p.p_vaddr, p.p_memsz);
              load == nullptr || !load->write || !RelroProtectsOnlyRelocatedData(p)) {
            return Damaged(StrCat(what, ": does not match the sections it protects"));
          }
          break;
        default:
          break;
      }
    }
    if (!dynamic_.has_value()) return Damaged("no PT_DYNAMIC segment");
    return absl::OkStatus();
  }

  absl::Status CheckSections() {
    for (size_t i = 0; i < shdrs_.size(); ++i) {
      const Shdr& s = shdrs_[i];
      if (s.sh_type == SHT_NULL || s.sh_size == 0) continue;
      std::string what = StrCat("section ", i);
      if (s.sh_type != SHT_NOBITS && !InFile(s.sh_offset, s.sh_size)) {
        return Truncated(what, s.sh_offset, s.sh_size);
      }
      if ((s.sh_flags & SHF_ALLOC) == 0) continue;
      if (s.sh_type == SHT_NOBITS && (s.sh_flags & SHF_TLS) != 0) continue;  // .tbss: no memory
      const Load* load = s.sh_type == SHT_NOBITS
                             ? LoadHolding(s.sh_addr, s.sh_size)
                             : LoadHoldingFile(s.sh_addr, s.sh_offset, s.sh_size);
      if (load == nullptr) return Damaged(StrCat(what, ": not where a PT_LOAD segment maps it"));
      if ((s.sh_flags & SHF_EXECINSTR) != 0 && !load->exec) {
        return Damaged(StrCat(what, ": code in a segment that is not executable"));
      }
      if ((s.sh_flags & SHF_WRITE) != 0 && !load->write) {
        return Damaged(StrCat(what, ": writable data in a read-only segment"));
      }
      if (s.sh_type == SHT_DYNAMIC) {
        const Phdr& d = phdrs_[*dynamic_];
        if (d.p_vaddr != s.sh_addr || d.p_offset != s.sh_offset || d.p_filesz != s.sh_size) {
          return Damaged("PT_DYNAMIC is not the .dynamic section");
        }
      }
    }
    return absl::OkStatus();
  }

  // The dynamic array is read by the loader until DT_NULL, and the tables it names are read from
  // memory: each must lie in a loaded segment.
  absl::Status CheckDynamic() {
    const Phdr& d = phdrs_[*dynamic_];
    uint64_t count = d.p_filesz / sizeof(Dyn);
    std::optional<uint64_t> strsz;
    std::vector<uint64_t> names;
    struct Range {
      int64_t addr_tag, size_tag;
      std::optional<uint64_t> addr, size;
    };
    Range ranges[] = {{DT_STRTAB, DT_STRSZ, {}, {}},
                      {DT_RELA, DT_RELASZ, {}, {}},
                      {DT_REL, DT_RELSZ, {}, {}},
                      {DT_JMPREL, DT_PLTRELSZ, {}, {}},
                      {DT_INIT_ARRAY, DT_INIT_ARRAYSZ, {}, {}},
                      {DT_FINI_ARRAY, DT_FINI_ARRAYSZ, {}, {}},
                      {DT_PREINIT_ARRAY, DT_PREINIT_ARRAYSZ, {}, {}},
                      {DT_RELR, DT_RELRSZ, {}, {}}};
    bool terminated = false;
    for (uint64_t i = 0; i < count && !terminated; ++i) {
      Dyn e = At<Dyn>(d.p_offset + i * sizeof(Dyn));
      int64_t tag = e.d_tag;
      uint64_t value = e.d_un.d_val;
      switch (tag) {
        case DT_NULL:
          terminated = true;
          break;
        case DT_NEEDED:
        case DT_SONAME:
        case DT_RPATH:
        case DT_RUNPATH:
          names.push_back(value);
          break;
        case DT_INIT:
        case DT_FINI:  // the loader calls these: they must be code
          if (const Load* load = LoadHolding(value, 1); load == nullptr || !load->exec) {
            return Damaged(StrCat("dynamic entry ", i, " calls outside the plugin's code"));
          }
          break;
        case DT_HASH:
        case DT_GNU_HASH:
        case DT_SYMTAB:
        case DT_VERSYM:
        case DT_VERNEED:
        case DT_VERDEF:
          if (!Loaded(value, 1)) {
            return Damaged(StrCat("dynamic entry ", i, " points outside the image"));
          }
          break;
        default:
          for (Range& r : ranges) {
            if (tag == r.addr_tag) r.addr = value;
            if (tag == r.size_tag) r.size = value;
          }
      }
    }
    if (!terminated) return Damaged("the dynamic section has no DT_NULL end");
    for (const Range& r : ranges) {
      if (r.addr.has_value() && !Loaded(*r.addr, r.size.value_or(0))) {
        return Damaged(StrCat("dynamic table (tag ", r.addr_tag, ") lies outside the image"));
      }
      if (r.addr_tag == DT_STRTAB) strsz = r.size;
    }
    for (uint64_t name : names) {
      if (!strsz.has_value() || name >= *strsz) {
        return Damaged("a library name outside the string table");
      }
    }
    return absl::OkStatus();
  }

  const Load* LoadHolding(uint64_t addr, uint64_t size) const {
    for (const Load& l : loads_) {
      if (l.HoldsMemory(addr, size)) return &l;
    }
    return nullptr;
  }
  const Load* LoadHoldingFile(uint64_t addr, uint64_t offset, uint64_t size) const {
    for (const Load& l : loads_) {
      if (l.HoldsFile(addr, offset, size)) return &l;
    }
    return nullptr;
  }
  bool Loaded(uint64_t addr, uint64_t size) const { return LoadHolding(addr, size) != nullptr; }
  bool FileBacked(uint64_t addr, uint64_t offset, uint64_t size) const {
    return LoadHoldingFile(addr, offset, size) != nullptr;
  }
  // Whether [addr, addr + size) starts where an allocated section starts and ends where one ends.
  bool SpansSections(uint64_t addr, uint64_t size) const {
    bool starts = false, ends = false;
    for (const Shdr& s : shdrs_) {
      if ((s.sh_flags & SHF_ALLOC) == 0) continue;
      starts = starts || s.sh_addr == addr;
      ends = ends || (s.sh_addr + s.sh_size == addr + size);
    }
    return starts && ends;
  }

  // The loader makes the whole pages of [p_vaddr, p_vaddr + p_memsz) read-only once it has
  // relocated them. A range stretched over the plugin's own variables would fault its first write
  // to one, so every writable section on those pages must be of a kind linkers put there.
  bool RelroProtectsOnlyRelocatedData(const Phdr& relro) const {
    const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    const uint64_t from = relro.p_vaddr & ~(page - 1);
    const uint64_t to = (relro.p_vaddr + relro.p_memsz) & ~(page - 1);
    for (size_t i = 0; i < shdrs_.size(); ++i) {
      const Shdr& s = shdrs_[i];
      if ((s.sh_flags & SHF_ALLOC) == 0 || (s.sh_flags & SHF_WRITE) == 0 || s.sh_size == 0) {
        continue;
      }
      if (s.sh_type == SHT_NOBITS && (s.sh_flags & SHF_TLS) != 0) continue;
      if (s.sh_addr >= to || s.sh_addr + s.sh_size <= from) continue;
      std::string_view name = SectionName(i);
      // .got.plt's first three words (the loader's own) sit in RELRO with -z relro without -z now.
      bool relro_kind = name == ".init_array" || name == ".fini_array" ||
                        name == ".preinit_array" || name == ".ctors" || name == ".dtors" ||
                        name == ".jcr" || name == ".dynamic" || name == ".got" ||
                        name == ".got.plt" || name == ".relro_padding" ||
                        name.substr(0, 12) == ".data.rel.ro" || name.substr(0, 6) == ".tdata" ||
                        name.substr(0, 11) == ".init_array" || name.substr(0, 11) == ".fini_array";
      if (!relro_kind) return false;
    }
    return true;
  }
  std::string_view SectionName(size_t i) const {
    const Shdr& names = shdrs_[eh_.e_shstrndx];
    if (names.sh_type == SHT_NOBITS || !InFile(names.sh_offset, names.sh_size) ||
        shdrs_[i].sh_name >= names.sh_size) {
      return {};
    }
    std::string_view table = image_.substr(names.sh_offset, names.sh_size);
    std::string_view rest = table.substr(shdrs_[i].sh_name);
    size_t end = rest.find('\0');
    return end == std::string_view::npos ? std::string_view() : rest.substr(0, end);
  }

  std::string_view image_;
  const std::string& path_;
  Ehdr eh_{};
  std::vector<Phdr> phdrs_;
  std::vector<Shdr> shdrs_;
  std::vector<Load> loads_;
  std::optional<size_t> dynamic_;
};

}  // namespace

absl::Status CheckElfImage(std::string_view image, const std::string& path) {
  return Checker(image, path).Check();
}

void KeepOnlyLoadedBytes(std::string* image) {
  Ehdr eh;
  std::memcpy(&eh, image->data(), sizeof(eh));
  uint64_t end = eh.e_phoff + uint64_t{eh.e_phnum} * sizeof(Phdr);
  for (uint64_t i = 0; i < eh.e_phnum; ++i) {
    Phdr p;
    std::memcpy(&p, image->data() + eh.e_phoff + i * sizeof(Phdr), sizeof(p));
    if (p.p_filesz > 0) end = std::max<uint64_t>(end, p.p_offset + p.p_filesz);
  }
  image->resize(end);
  eh.e_shoff = 0;
  eh.e_shnum = 0;
  eh.e_shstrndx = SHN_UNDEF;
  std::memcpy(image->data(), &eh, sizeof(eh));
}

}  // namespace sluice::plugin
