#include "runtime/transform/transform_registry.h"

#include <map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

#include "runtime/transform/cast.h"
#include "runtime/transform/extract_new_record_state.h"
#include "runtime/transform/field_transforms.h"
#include "runtime/transform/header_transforms.h"
#include "runtime/transform/predicates.h"
#include "runtime/transform/routers.h"
#include "runtime/transform/timestamp_converter.h"

namespace sluice::transform {
namespace {

template <typename Make>
struct Entry {
  std::string_view class_name;
  Make make;
};
using TransformationFn = std::unique_ptr<Transformation> (*)(TransformOptions&);
using PredicateFn = std::unique_ptr<Predicate> (*)(TransformOptions&);

constexpr Entry<TransformationFn> kTransformations[] = {
    {kExtractNewRecordStateClass, MakeExtractNewRecordState},
    {kByLogicalTableRouterClass, MakeByLogicalTableRouter},
    {kRegexRouterClass, MakeRegexRouter},
    {kTimestampRouterClass, MakeTimestampRouter},
    {kFilterClass, MakeFilter},
    {kInsertHeaderClass, MakeInsertHeader},
    {kDropHeadersClass, MakeDropHeaders},
    {kHeaderFromKeyClass, MakeHeaderFromKey},
    {kHeaderFromValueClass, MakeHeaderFromValue},
    {kReplaceFieldKeyClass, MakeReplaceFieldKey},
    {kReplaceFieldValueClass, MakeReplaceFieldValue},
    {kExtractFieldKeyClass, MakeExtractFieldKey},
    {kExtractFieldValueClass, MakeExtractFieldValue},
    {kSetSchemaMetadataKeyClass, MakeSetSchemaMetadataKey},
    {kSetSchemaMetadataValueClass, MakeSetSchemaMetadataValue},
    {kInsertFieldKeyClass, MakeInsertFieldKey},
    {kInsertFieldValueClass, MakeInsertFieldValue},
    {kMaskFieldKeyClass, MakeMaskFieldKey},
    {kMaskFieldValueClass, MakeMaskFieldValue},
    {kFlattenKeyClass, MakeFlattenKey},
    {kFlattenValueClass, MakeFlattenValue},
    {kValueToKeyClass, MakeValueToKey},
    {kCastKeyClass, MakeCastKey},
    {kCastValueClass, MakeCastValue},
    {kTimestampConverterKeyClass, MakeTimestampConverterKey},
    {kTimestampConverterValueClass, MakeTimestampConverterValue},
};

constexpr Entry<PredicateFn> kPredicates[] = {
    {kTopicNameMatchesClass, MakeTopicNameMatches},
    {kHasHeaderKeyClass, MakeHasHeaderKey},
    {kRecordIsTombstoneClass, MakeRecordIsTombstone},
};

std::string_view SimpleName(std::string_view class_name) {
  const size_t dot = class_name.rfind('.');
  return dot == std::string_view::npos ? class_name : class_name.substr(dot + 1);
}

template <typename Fn, size_t N>
Fn FindBuiltIn(const Entry<Fn> (&entries)[N], std::string_view class_name) {
  for (const Entry<Fn>& e : entries) {
    if (e.class_name == class_name || SimpleName(e.class_name) == class_name) return e.make;
  }
  return nullptr;
}

// The classes plugins registered, by their full names. Never shrinks.
template <typename Make>
struct Registered {
  absl::Mutex mu;
  std::map<std::string, Make, std::less<>> classes ABSL_GUARDED_BY(mu);
};
Registered<MakeTransformation>& RegisteredTransformations() {
  static auto* r = new Registered<MakeTransformation>;
  return *r;
}
Registered<MakePredicate>& RegisteredPredicates() {
  static auto* r = new Registered<MakePredicate>;
  return *r;
}

template <typename Make, typename Fn, size_t N>
Make Find(const Entry<Fn> (&entries)[N], Registered<Make>& registered,
          std::string_view class_name) {
  if (Fn built_in = FindBuiltIn(entries, class_name)) return Make(built_in);
  absl::MutexLock lock(&registered.mu);
  auto it = registered.classes.find(class_name);
  return it == registered.classes.end() ? Make() : it->second;
}

template <typename Make, typename Fn, size_t N>
absl::Status Register(const Entry<Fn> (&entries)[N], Registered<Make>& registered,
                      std::string class_name, Make make) {
  if (FindBuiltIn(entries, class_name) != nullptr) {
    return absl::AlreadyExistsError(
        absl::StrCat("class `", class_name, "` is a built-in transform or predicate's name"));
  }
  absl::MutexLock lock(&registered.mu);
  if (!registered.classes.emplace(class_name, std::move(make)).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("class `", class_name, "` is already registered by another plugin"));
  }
  return absl::OkStatus();
}

template <typename Make, typename Fn, size_t N>
std::vector<std::string> Names(const Entry<Fn> (&entries)[N], Registered<Make>& registered) {
  std::vector<std::string> names;
  for (const Entry<Fn>& e : entries) names.emplace_back(e.class_name);
  absl::MutexLock lock(&registered.mu);
  for (const auto& [name, make] : registered.classes) names.push_back(name);
  return names;
}

}  // namespace

MakeTransformation FindTransformation(std::string_view class_name) {
  return Find(kTransformations, RegisteredTransformations(), class_name);
}
MakePredicate FindPredicate(std::string_view class_name) {
  return Find(kPredicates, RegisteredPredicates(), class_name);
}
absl::Status RegisterTransformation(std::string class_name, MakeTransformation make) {
  return Register(kTransformations, RegisteredTransformations(), std::move(class_name),
                  std::move(make));
}
absl::Status RegisterPredicate(std::string class_name, MakePredicate make) {
  return Register(kPredicates, RegisteredPredicates(), std::move(class_name), std::move(make));
}
std::vector<std::string> TransformationClasses() {
  return Names(kTransformations, RegisteredTransformations());
}
std::vector<std::string> PredicateClasses() { return Names(kPredicates, RegisteredPredicates()); }

}  // namespace sluice::transform
