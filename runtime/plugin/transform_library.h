// One loaded transform library (sluice/transform.h): its file, its dlopen handle and its checked
// descriptors, and the registration of its classes with the transform chain's registry
// (runtime/transform/transform_registry.h), so `transforms.<alias>.type` finds them by the class
// names they declare.
//
// A TransformLibrary is immutable once loaded and shared (shared_ptr) by every instance made from
// it, so the library stays mapped while any chain uses it; registered classes hold it for the
// process's life (transform libraries, like connectors, are never unloaded).
#ifndef SLUICE_RUNTIME_PLUGIN_TRANSFORM_LIBRARY_H_
#define SLUICE_RUNTIME_PLUGIN_TRANSFORM_LIBRARY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/common/log.h"
#include "runtime/plugin/shared_library.h"
#include "sluice/transform.h"

namespace sluice::plugin {

class TransformLibrary {
 public:
  const std::string& path() const { return library_.path(); }
  // The checked descriptors, in the order the entry returned them.
  const std::vector<const sluice_transform_descriptor*>& descriptors() const { return descriptors_; }

 private:
  friend absl::StatusOr<std::shared_ptr<const TransformLibrary>> TransformLibraryFrom(
      SharedLibrary library);
  TransformLibrary(SharedLibrary library, std::vector<const sluice_transform_descriptor*> d)
      : library_(std::move(library)), descriptors_(std::move(d)) {}

  SharedLibrary library_;
  std::vector<const sluice_transform_descriptor*> descriptors_;
};

// Whether `library` (opened by OpenCheckedLibrary, plugin.h) exports the transform entry.
bool IsTransformLibrary(const SharedLibrary& library);

// Calls the library's entry and checks every descriptor: ABI major, struct sizes, kind, class
// name and version, the callbacks its kind requires (all missing ones named), the config
// definition, class names unique within the library, and no connector entry beside it.
// FailedPrecondition naming the file and the problems.
absl::StatusOr<std::shared_ptr<const TransformLibrary>> TransformLibraryFrom(SharedLibrary library);

// Makes the library's classes available to transform chains. AlreadyExists naming the file and
// the class when one of its class names is taken (a built-in's, or another library's); then none
// of its classes is registered. Logs of its instances (api->log) go to `log`.
absl::Status RegisterTransformLibrary(std::shared_ptr<const TransformLibrary> library, LogSink log);

}  // namespace sluice::plugin

#endif  // SLUICE_RUNTIME_PLUGIN_TRANSFORM_LIBRARY_H_
