#include "runtime/transform/schema_util.h"

namespace sluice::transform {

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
