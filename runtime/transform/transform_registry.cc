#include "runtime/transform/transform_registry.h"

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

constexpr Entry<MakeTransformation> kTransformations[] = {
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

constexpr Entry<MakePredicate> kPredicates[] = {
    {kTopicNameMatchesClass, MakeTopicNameMatches},
    {kHasHeaderKeyClass, MakeHasHeaderKey},
    {kRecordIsTombstoneClass, MakeRecordIsTombstone},
};

std::string_view SimpleName(std::string_view class_name) {
  const size_t dot = class_name.rfind('.');
  return dot == std::string_view::npos ? class_name : class_name.substr(dot + 1);
}

template <typename Make, size_t N>
Make Find(const Entry<Make> (&entries)[N], std::string_view class_name) {
  for (const Entry<Make>& e : entries) {
    if (e.class_name == class_name || SimpleName(e.class_name) == class_name) return e.make;
  }
  return nullptr;
}

template <typename Make, size_t N>
std::vector<std::string> Names(const Entry<Make> (&entries)[N]) {
  std::vector<std::string> names;
  for (const Entry<Make>& e : entries) names.emplace_back(e.class_name);
  return names;
}

}  // namespace

MakeTransformation FindTransformation(std::string_view class_name) {
  return Find(kTransformations, class_name);
}
MakePredicate FindPredicate(std::string_view class_name) { return Find(kPredicates, class_name); }
std::vector<std::string> TransformationClasses() { return Names(kTransformations); }
std::vector<std::string> PredicateClasses() { return Names(kPredicates); }

}  // namespace sluice::transform
