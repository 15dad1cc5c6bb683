// The transforms and predicates this worker has, by the Java class names users write (and their
// simple names, as Kafka Connect accepts: `RegexRouter`). Adding one: a Make function reading its
// options through TransformOptions, a row in transform_registry.cc, a line in docs/transforms.md.
#ifndef SLUICE_RUNTIME_TRANSFORM_TRANSFORM_REGISTRY_H_
#define SLUICE_RUNTIME_TRANSFORM_TRANSFORM_REGISTRY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/transform/transform_options.h"
#include "runtime/transform/transformation.h"

namespace sluice::transform {

using MakeTransformation = std::unique_ptr<Transformation> (*)(TransformOptions&);
using MakePredicate = std::unique_ptr<Predicate> (*)(TransformOptions&);

// The factory for `class_name` (full or simple name), or nullptr.
MakeTransformation FindTransformation(std::string_view class_name);
MakePredicate FindPredicate(std::string_view class_name);

// The full class names, for messages and docs.
std::vector<std::string> TransformationClasses();
std::vector<std::string> PredicateClasses();

}  // namespace sluice::transform

#endif  // SLUICE_RUNTIME_TRANSFORM_TRANSFORM_REGISTRY_H_
