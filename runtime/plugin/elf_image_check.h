// The structural check of a plugin's bytes before the dynamic loader sees them.
//
// The loader trusts the headers it reads: a segment that ends past the end of the file is mapped
// anyway, and touching it kills the process with SIGBUS (a half-copied .so did exactly that). This
// check holds every table and every range the loader uses against the size of the image, and the
// program headers against the section headers, so a truncated or damaged file is refused with the
// reason instead. What it cannot judge is whether the code and the relocations inside a
// well-formed file are right: that is what the file's provenance vouches for
// (plugin_file_check.h, docs/security.md).
#ifndef SLUICE_RUNTIME_PLUGIN_ELF_IMAGE_CHECK_H_
#define SLUICE_RUNTIME_PLUGIN_ELF_IMAGE_CHECK_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace sluice::plugin {

// Checks `image`, the whole content of the plugin file `path` (named in messages):
//  - an ELF shared object (ET_DYN) of this process's class, byte order and machine;
//  - the program header table, every segment, the section header table and every section with
//    contents lie inside the image (else "truncated", with the byte where it ends and the size);
//  - PT_LOAD segments are readable and ascend without overlapping and with aligned offsets; every
//    allocated section lies in a PT_LOAD at the same distance in the file as in memory, executable
//    sections in an executable segment and writable ones in a writable one; PT_DYNAMIC is the
//    .dynamic section, ends with DT_NULL, and the tables it points at lie in loaded memory;
//    PT_GNU_RELRO covers only relocated data; PT_NOTE, PT_GNU_PROPERTY, PT_GNU_EH_FRAME and
//    PT_TLS lie in loaded memory and span whole sections (else "damaged").
// Returns OK or FailedPrecondition "plugin <path> refused: <reason>". Pure: reads only `image`.
absl::Status CheckElfImage(std::string_view image, const std::string& path);

// Cuts `image` after the last byte the dynamic loader reads (the end of the last segment, or of the
// program header table) and clears the section header fields, which would then point past the
// end: the private copy keeps what is mapped, not the debug information and symbol tables after it
// (the MySQL connector built RelWithDebInfo is 27 MB on disk, under 1 MB loaded).
// REQUIRES: CheckElfImage(*image) returned OK.
void KeepOnlyLoadedBytes(std::string* image);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_ELF_IMAGE_CHECK_H_
