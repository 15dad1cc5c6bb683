#include "runtime/plugin/transform_library.h"

#include <cstddef>
#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_join.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/plugin/transform_instance.h"
#include "runtime/transform/transform_registry.h"

namespace sluice::plugin {
namespace {

// The transform ABI 1.0 sizes: a plugin built against 1.0 fills at least this much.
constexpr size_t kDescriptorV1Size =
    offsetof(sluice_transform_descriptor, on_destroy) + sizeof(void (*)(void*));
constexpr size_t kConfigDefV1Size = offsetof(sluice_config_def, doc) + sizeof(const char*);

absl::Status Refuse(const std::string& path, std::string_view reason) {
  return absl::FailedPreconditionError(StrCat("transform plugin ", path, " refused: ", reason));
}

// The problems of one descriptor, each prefixed with what it is (`descriptor 0`, `class X`).
void CheckOne(const sluice_transform_descriptor* d, size_t index, std::vector<std::string>& problems) {
  std::string who = StrCat("descriptor ", index);
  if (d == nullptr) {
    problems.push_back(StrCat(who, " is NULL"));
    return;
  }
  if (d->struct_size < kDescriptorV1Size) {
    problems.push_back(StrCat(who, ": struct_size ", d->struct_size,
                              " is smaller than transform ABI 1.0's ", kDescriptorV1Size));
    return;
  }
  if (d->class_name != nullptr && *d->class_name != '\0') who = StrCat("class `", d->class_name, "`");
  if (d->abi_major != SLUICE_TRANSFORM_ABI_MAJOR) {
    problems.push_back(StrCat(who, ": built for transform ABI major ", d->abi_major,
                              ", this worker has ", SLUICE_TRANSFORM_ABI_MAJOR));
    return;
  }
  if (d->class_name == nullptr || *d->class_name == '\0') problems.push_back(StrCat(who, ": no class_name"));
  if (d->version == nullptr || *d->version == '\0') problems.push_back(StrCat(who, ": no version"));
  std::vector<std::string> missing;
  if (d->on_start == nullptr) missing.push_back("on_start");
  if (d->kind == SLUICE_TRANSFORM_KIND_TRANSFORMATION && d->on_apply == nullptr) missing.push_back("on_apply");
  if (d->kind == SLUICE_TRANSFORM_KIND_PREDICATE && d->on_test == nullptr) missing.push_back("on_test");
  if (d->on_destroy == nullptr) missing.push_back("on_destroy");
  if (d->kind != SLUICE_TRANSFORM_KIND_TRANSFORMATION && d->kind != SLUICE_TRANSFORM_KIND_PREDICATE) {
    problems.push_back(StrCat(who, ": unknown kind ", d->kind, " (1 transformation, 2 predicate)"));
  }
  if (!missing.empty()) {
    problems.push_back(StrCat(who, ": missing required callbacks: ", absl::StrJoin(missing, ", ")));
  }
  if (d->config_def_count == 0) return;
  if (d->config_defs == nullptr) {
    problems.push_back(StrCat(who, ": config_def_count > 0 but config_defs is NULL"));
    return;
  }
  if (d->config_defs->struct_size < kConfigDefV1Size) {
    problems.push_back(StrCat(who, ": config definition struct_size ", d->config_defs->struct_size,
                              " is smaller than ABI 1.0's ", kConfigDefV1Size));
    return;
  }
  for (size_t i = 0; i < d->config_def_count; ++i) {
    const sluice_config_def* c = TransformConfigDefAt(*d, i);
    if (c->name == nullptr || *c->name == '\0') {
      problems.push_back(StrCat(who, ": config definition ", i, " has no name"));
    } else if (std::string_view(c->name).find('<') != std::string_view::npos) {
      problems.push_back(StrCat(who, ": option `", c->name, "` is a family of keys (`<...>`), "
                                     "which transforms cannot declare"));
    } else if (c->type < SLUICE_CONFIG_STRING || c->type > SLUICE_CONFIG_PASSWORD) {
      problems.push_back(StrCat(who, ": option `", c->name, "` has unknown type ", c->type));
    }
  }
}

}  // namespace

bool IsTransformLibrary(const SharedLibrary& library) {
  return library.Symbol(SLUICE_TRANSFORM_ENTRY_SYMBOL) != nullptr;
}

absl::StatusOr<std::shared_ptr<const TransformLibrary>> TransformLibraryFrom(SharedLibrary library) {
  const std::string path = library.path();
  void* entry = library.Symbol(SLUICE_TRANSFORM_ENTRY_SYMBOL);
  if (entry == nullptr) {
    return Refuse(path, "missing entry symbol `sluice_transform_entry` (not a transform library, "
                        "or built without SLUICE_EXPORT)");
  }
  if (library.Symbol(SLUICE_CONNECTOR_ENTRY_SYMBOL) != nullptr) {
    return Refuse(path, "it exports both `sluice_transform_entry` and `sluice_connector_entry`; "
                        "build transforms and connectors as separate libraries");
  }
  size_t count = 0;
  const sluice_transform_descriptor* const* array = reinterpret_cast<sluice_transform_entry_fn>(
      entry)(SLUICE_TRANSFORM_ABI_MAJOR, SLUICE_TRANSFORM_ABI_MINOR, &count);
  if (array == nullptr || count == 0) {
    return Refuse(path, StrCat("its entry declared no transform or predicate for transform ABI ",
                               SLUICE_TRANSFORM_ABI_MAJOR, ".", SLUICE_TRANSFORM_ABI_MINOR,
                               " (it may need a newer worker)"));
  }
  std::vector<std::string> problems;
  std::set<std::string_view> names;
  std::vector<const sluice_transform_descriptor*> descriptors(array, array + count);
  for (size_t i = 0; i < count; ++i) {
    CheckOne(descriptors[i], i, problems);
    if (descriptors[i] != nullptr && descriptors[i]->struct_size >= kDescriptorV1Size &&
        descriptors[i]->class_name != nullptr && !names.insert(descriptors[i]->class_name).second) {
      problems.push_back(StrCat("class `", descriptors[i]->class_name, "` is declared twice"));
    }
  }
  if (!problems.empty()) return Refuse(path, absl::StrJoin(problems, "; "));
  return std::shared_ptr<const TransformLibrary>(
      new TransformLibrary(std::move(library), std::move(descriptors)));
}

absl::Status RegisterTransformLibrary(std::shared_ptr<const TransformLibrary> library, LogSink log) {
  // Every name is checked before any is registered, so a refused library leaves nothing behind.
  for (const sluice_transform_descriptor* d : library->descriptors()) {
    const bool taken = d->kind == SLUICE_TRANSFORM_KIND_TRANSFORMATION
                           ? static_cast<bool>(transform::FindTransformation(d->class_name))
                           : static_cast<bool>(transform::FindPredicate(d->class_name));
    if (taken) {
      return absl::AlreadyExistsError(
          StrCat("transform plugin ", library->path(), " refused: class `", d->class_name,
                 "` is already a ", d->kind == SLUICE_TRANSFORM_KIND_TRANSFORMATION ? "transform" : "predicate",
                 " of this worker (built in, or from another library)"));
    }
  }
  for (const sluice_transform_descriptor* d : library->descriptors()) {
    absl::Status s = d->kind == SLUICE_TRANSFORM_KIND_TRANSFORMATION
                         ? transform::RegisterTransformation(
                               d->class_name, [library, d, log](transform::TransformOptions& o) {
                                 return MakePluginTransformation(library, *d, log, o);
                               })
                         : transform::RegisterPredicate(
                               d->class_name, [library, d, log](transform::TransformOptions& o) {
                                 return MakePluginPredicate(library, *d, log, o);
                               });
    if (!s.ok()) {
      return absl::AlreadyExistsError(StrCat("transform plugin ", library->path(), " refused: ", s.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace sluice::plugin
