// Where a plugin file may come from: the checks on the file's provenance, made BEFORE a byte of it
// is read for loading (loading runs its constructors).
//
// Trusted means owned by root or by this process's effective user, and writable by no one else:
// only such a user could have put the file there or could swap it. That holds for the file, for
// the folder it is named in (which decides where a symlink points and what a name means) and for
// every folder from each of them up to `/`, as sudo checks its plugins.
//
// One exception, for folders ABOVE the plugin's own (never the folder holding the file or the
// link): a world-writable folder with the sticky bit owned by root or by us, such as /tmp. In it
// only an entry's owner may rename or remove the entry, so a trusted folder inside it cannot be
// swapped by anyone else; the folder's own new entries are other users' files, refused by
// ownership.
#ifndef SLUICE_RUNTIME_PLUGIN_PLUGIN_FILE_CHECK_H_
#define SLUICE_RUNTIME_PLUGIN_PLUGIN_FILE_CHECK_H_

#include <string>

#include "absl/status/statusor.h"
#include "runtime/plugin/unique_fd.h"

namespace sluice::plugin {

// Opens the plugin file named `path` for reading after checking:
//  - the folder `path` is in, and every folder above it, trusted (a sticky folder above it
//  allowed);
//  - the file `path` resolves to (through any symlinks), every folder above it trusted, likewise;
//  - the file itself regular, owned by root or by us, not writable by group or others.
// The resolved path is opened component by component without following links, so the file opened
// is the file checked. A FIFO or device is refused without blocking.
// Returns NotFound when the file cannot be resolved or opened, else FailedPrecondition; both
// messages are "plugin <path> refused: <reason>", naming the folder or file at fault and the fix.
absl::StatusOr<UniqueFd> OpenTrustedPluginFile(const std::string& path);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_PLUGIN_FILE_CHECK_H_
