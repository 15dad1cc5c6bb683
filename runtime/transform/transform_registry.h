// The transforms and predicates this worker has, by the Java class names users write (and their
// simple names, as Kafka Connect accepts: `RegexRouter`). Adding one: a Make function reading its
// options through TransformOptions, a row in transform_registry.cc, a line in docs/transforms.md.
//
// Plugins add theirs at run time (runtime/plugin/transform_library.h registers the classes a
// transform library in plugin.path declares): by their declared class name only.
//
// Thread-safety: every function may be called from any thread.
#ifndef SLUICE_RUNTIME_TRANSFORM_TRANSFORM_REGISTRY_H_
#define SLUICE_RUNTIME_TRANSFORM_TRANSFORM_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

using MakeTransformation = std::function<std::unique_ptr<Transformation>(TransformOptions&)>;
using MakePredicate = std::function<std::unique_ptr<Predicate>(TransformOptions&)>;

// Adds a plugin's class. AlreadyExists when a built-in or registered class (or a built-in's
// simple name) is already called `class_name`. Classes stay registered for the process's life.
absl::Status RegisterTransformation(std::string class_name, MakeTransformation make);
absl::Status RegisterPredicate(std::string class_name, MakePredicate make);

// The factory for `class_name` (full or simple name), or an empty function.
MakeTransformation FindTransformation(std::string_view class_name);
MakePredicate FindPredicate(std::string_view class_name);

// The full class names, for messages and docs.
std::vector<std::string> TransformationClasses();
std::vector<std::string> PredicateClasses();

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_TRANSFORM_REGISTRY_H_
