#include "runtime/transform/schema_util.h"

#include "runtime/common/string_view_compat.h"

namespace sluice::transform {

absl::Status NotAStruct(std::string_view class_name, const data::SourceRecord& r, Part p) {
  return absl::InvalidArgumentError(
      StrCat(class_name, ": the ", p == Part::kKey ? "key" : "value", " of a record on `", r.topic,
             "` is not a struct with a schema (schemaless records are not supported)"));
}

data::SchemaBuilder CopySchemaBasics(const data::Schema& source, data::Type type) {
  data::SchemaBuilder builder(type);
  if (!source.name().empty()) builder.Name(source.name());
  if (source.version().has_value()) builder.Version(*source.version());
  if (source.doc().has_value()) builder.Doc(*source.doc());
  for (const auto& [k, v] : source.parameters()) builder.Parameter(k, v);
  return builder;
}

data::SchemaPtr OptionalCopy(const data::Schema& source) {
  data::SchemaBuilder builder = CopySchemaBasics(source);
  switch (source.type()) {
    case data::Type::kStruct:
      for (const data::Field& f : source.fields()) builder.AddField(f.name, f.schema);
      break;
    case data::Type::kArray:
    case data::Type::kMap:
      return nullptr;  // their element schemas are not shared pointers; no envelope field is one
    default:
      break;
  }
  builder.Optional();
  return *builder.Build();
}

}  // namespace sluice::transform
