// The checks a plugin file passes BEFORE it is dlopen'ed: loading runs its constructors, so a file
// anyone else could have written, or one that cannot be a library for this process, is refused
// without being opened as a library.
#ifndef SLUICE_RUNTIME_PLUGIN_PLUGIN_FILE_CHECK_H_
#define SLUICE_RUNTIME_PLUGIN_PLUGIN_FILE_CHECK_H_

#include <string>

#include "absl/status/status.h"

namespace sluice::plugin {

// Checks the already-open file `fd` (whose name is `path`) and the directory `path` is in:
//  - a regular file starting with the ELF magic, of this process's ELF class, byte order and
//    machine, and of type ET_DYN (a shared object);
//  - the file and its directory owned by the effective user and not writable by group or others.
// Checking the open descriptor, and loading through it (/proc/self/fd/N), means the file checked
// is the file loaded even if the path is swapped in between.
// Returns FailedPrecondition / InvalidArgument whose message names the file and the reason.
absl::Status CheckPluginFile(int fd, const std::string& path);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_PLUGIN_FILE_CHECK_H_
