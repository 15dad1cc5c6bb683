#include "runtime/transform/field_transforms.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/transform/schema_util.h"

namespace sluice::transform {
namespace {

using data::Schema;
using data::SchemaPtr;
using data::SourceRecord;
using data::StructValue;
using data::Value;

// ReplaceField: fields filtered (exclude wins over include) and renamed.
class ReplaceField final : public Transformation {
 public:
  ReplaceField(Part part, std::string_view class_name, std::vector<std::string> exclude,
               std::vector<std::string> include, std::map<std::string, std::string> renames,
               bool replace_null_with_default)
      : part_(part),
        class_name_(class_name),
        exclude_(std::move(exclude)),
        include_(std::move(include)),
        renames_(std::move(renames)),
        replace_null_with_default_(replace_null_with_default) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    Value& value = ValueOf(record, part_);
    if (value.is_null()) return absl::OkStatus();
    const Schema* schema = SchemaOf(record, part_);
    if (schema == nullptr || value.kind != data::ValueKind::kStruct) {
      return NotAStruct(class_name_, record, part_);
    }
    const Derived& d = DerivedFor(*value.s->schema);
    StructValue* out = UncheckedStruct(batch, d.schema.get());
    for (size_t i = 0; i < d.sources.size(); ++i) {
      out->fields[i] = replace_null_with_default_ ? FieldOrDefault(value.s, d.sources[i])
                                                  : value.s->fields[d.sources[i]];
    }
    value = Value::Of(out);
    SchemaOf(record, part_) = d.schema.get();
    return absl::OkStatus();
  }

 private:
  struct Derived {
    SchemaPtr schema;
    std::vector<uint32_t> sources;  // per output field, its index in the input
  };
  bool Keep(const std::string& name) const {
    return std::find(exclude_.begin(), exclude_.end(), name) == exclude_.end() &&
           (include_.empty() || std::find(include_.begin(), include_.end(), name) != include_.end());
  }
  const Derived& DerivedFor(const Schema& in) {
    const DerivedCache<Derived>::Key key{in.id(), 0};
    if (const Derived* found = cache_.Find(key)) return *found;
    Derived d;
    data::SchemaBuilder b = CopySchemaBasics(in, data::Type::kStruct);
    for (const data::Field& f : in.fields()) {
      if (!Keep(f.name)) continue;
      auto renamed = renames_.find(f.name);
      b.AddField(renamed == renames_.end() ? f.name : renamed->second, f.schema);
      d.sources.push_back(f.index);
    }
    d.schema = *b.Build();
    return *cache_.Put(key, std::move(d));
  }

  const Part part_;
  const std::string_view class_name_;
  const std::vector<std::string> exclude_;
  const std::vector<std::string> include_;
  const std::map<std::string, std::string> renames_;
  const bool replace_null_with_default_;
  DerivedCache<Derived> cache_;
};

// ExtractField: the key or value replaced by one of its fields (field.syntax.version V1: a plain
// field name).
class ExtractField final : public Transformation {
 public:
  ExtractField(Part part, std::string_view class_name, std::string field, bool replace_null_with_default)
      : part_(part),
        class_name_(class_name),
        field_(std::move(field)),
        replace_null_with_default_(replace_null_with_default) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch&, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const Schema* schema = SchemaOf(record, part_);
    Value& value = ValueOf(record, part_);
    if (schema == nullptr && value.is_null()) return absl::OkStatus();  // a tombstone stays one
    if (schema == nullptr || schema->type() != data::Type::kStruct ||
        (!value.is_null() && value.kind != data::ValueKind::kStruct)) {
      return NotAStruct(class_name_, record, part_);
    }
    const int32_t index = schema->FieldIndex(field_);
    if (index < 0) {
      return absl::InvalidArgumentError(StrCat(class_name_, ": unknown field: ", field_));
    }
    if (!value.is_null()) {
      value = replace_null_with_default_ ? FieldOrDefault(value.s, static_cast<uint32_t>(index))
                                         : value.s->fields[index];
    }
    SchemaOf(record, part_) = schema->fields()[index].schema.get();
    return absl::OkStatus();
  }

 private:
  const Part part_;
  const std::string_view class_name_;
  const std::string field_;
  const bool replace_null_with_default_;
};

// SetSchemaMetadata: the key's or value's schema renamed and/or re-versioned.
class SetSchemaMetadata final : public Transformation {
 public:
  SetSchemaMetadata(Part part, std::string_view class_name, std::optional<std::string> name,
                    std::optional<int32_t> version, bool replace_null_with_default)
      : part_(part),
        class_name_(class_name),
        name_(std::move(name)),
        version_(version),
        replace_null_with_default_(replace_null_with_default) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const Schema* schema = SchemaOf(record, part_);
    Value& value = ValueOf(record, part_);
    if (schema == nullptr && value.is_null()) return absl::OkStatus();
    if (schema == nullptr) {
      return absl::InvalidArgumentError(StrCat(class_name_, ": a record on `", record.topic,
                                               "` has no schema to update"));
    }
    const DerivedCache<SchemaPtr>::Key key{schema->id(), 0};
    const SchemaPtr* derived = cache_.Find(key);
    if (derived == nullptr) {
      absl::StatusOr<SchemaPtr> built = Rebuild(*schema);
      if (!built.ok()) {
        return absl::InvalidArgumentError(StrCat(class_name_, ": ", built.status().message()));
      }
      derived = cache_.Put(key, *std::move(built));
    }
    const Schema* updated = derived->get();
    if (value.kind == data::ValueKind::kStruct) {
      StructValue* out = UncheckedStruct(batch, updated);
      for (uint32_t i = 0; i < updated->fields().size(); ++i) {
        out->fields[i] = replace_null_with_default_ ? FieldOrDefault(value.s, i) : value.s->fields[i];
      }
      value = Value::Of(out);
    }
    SchemaOf(record, part_) = updated;
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<SchemaPtr> Rebuild(const Schema& in) const {
    if (in.type() == data::Type::kArray || in.type() == data::Type::kMap) {
      return absl::UnimplementedError("array and map schemas are not supported here");
    }
    data::SchemaBuilder b(in.type());
    const std::string& name = name_.has_value() ? *name_ : in.name();
    if (!name.empty()) b.Name(name);
    if (version_.has_value()) {
      b.Version(*version_);
    } else if (in.version().has_value()) {
      b.Version(*in.version());
    }
    if (in.doc().has_value()) b.Doc(*in.doc());
    for (const auto& [k, v] : in.parameters()) b.Parameter(k, v);
    b.Optional(in.optional());
    if (in.has_default()) b.Default(in.default_value());
    for (const data::Field& f : in.fields()) b.AddField(f.name, f.schema);
    return b.Build();
  }

  const Part part_;
  const std::string_view class_name_;
  const std::optional<std::string> name_;
  const std::optional<int32_t> version_;
  const bool replace_null_with_default_;
  DerivedCache<SchemaPtr> cache_;
};

// A field InsertField adds: `name` (optional, the default) or `name!` (required).
struct Insertion {
  std::string name;
  bool optional = true;
};
std::optional<Insertion> ParseInsertion(const std::string& spec) {
  if (spec.empty()) return std::nullopt;
  if (spec.back() == '?') return Insertion{spec.substr(0, spec.size() - 1), true};
  if (spec.back() == '!') return Insertion{spec.substr(0, spec.size() - 1), false};
  return Insertion{spec, true};
}

// InsertField: the topic, partition, timestamp and/or a static string appended to the struct.
class InsertField final : public Transformation {
 public:
  InsertField(Part part, std::string_view class_name, std::optional<Insertion> topic,
              std::optional<Insertion> partition, std::optional<Insertion> timestamp,
              std::optional<Insertion> static_field, std::string static_value,
              bool replace_null_with_default)
      : part_(part),
        class_name_(class_name),
        topic_(std::move(topic)),
        partition_(std::move(partition)),
        timestamp_(std::move(timestamp)),
        static_field_(std::move(static_field)),
        static_value_(std::move(static_value)),
        replace_null_with_default_(replace_null_with_default) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    Value& value = ValueOf(record, part_);
    if (value.is_null()) return absl::OkStatus();
    if (SchemaOf(record, part_) == nullptr || value.kind != data::ValueKind::kStruct) {
      return NotAStruct(class_name_, record, part_);
    }
    const Schema& in = *value.s->schema;
    const DerivedCache<SchemaPtr>::Key key{in.id(), 0};
    const SchemaPtr* derived = cache_.Find(key);
    if (derived == nullptr) {
      absl::StatusOr<SchemaPtr> built = Rebuild(in);
      if (!built.ok()) {
        return absl::InvalidArgumentError(StrCat(class_name_, ": ", built.status().message()));
      }
      derived = cache_.Put(key, *std::move(built));
    }
    const Schema* updated = derived->get();
    StructValue* out = UncheckedStruct(batch, updated);
    size_t n = 0;
    for (; n < in.fields().size(); ++n) {
      out->fields[n] = replace_null_with_default_ ? FieldOrDefault(value.s, n) : value.s->fields[n];
    }
    if (topic_) out->fields[n++] = Value::String(record.topic);
    if (partition_) {
      out->fields[n++] = record.partition < 0 ? Value::Null() : Value::Int(record.partition);
    }
    if (timestamp_) {
      out->fields[n++] = record.timestamp_ms < 0 ? Value::Null() : Value::Int(record.timestamp_ms);
    }
    if (static_field_) out->fields[n++] = Value::String(static_value_);
    for (size_t i = 0; i < n; ++i) {
      const Schema& f = *updated->fields()[i].schema;
      if (out->fields[i].is_null() && !f.optional()) {
        return absl::InvalidArgumentError(StrCat(class_name_, ": the required field `",
                                                 updated->fields()[i].name,
                                                 "` has no value for a record on `", record.topic,
                                                 "`"));
      }
    }
    value = Value::Of(out);
    SchemaOf(record, part_) = updated;
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<SchemaPtr> Rebuild(const Schema& in) const {
    data::SchemaBuilder b = CopySchemaBasics(in, data::Type::kStruct);
    for (const data::Field& f : in.fields()) b.AddField(f.name, f.schema);
    if (topic_) b.AddField(topic_->name, data::PrimitiveSchema(data::Type::kString, topic_->optional));
    if (partition_) {
      b.AddField(partition_->name, data::PrimitiveSchema(data::Type::kInt32, partition_->optional));
    }
    if (timestamp_) {
      b.AddField(timestamp_->name, *data::SchemaBuilder(data::Type::kInt64)
                                       .Name("org.apache.kafka.connect.data.Timestamp")
                                       .Version(1)
                                       .Optional(timestamp_->optional)
                                       .Build());
    }
    if (static_field_) {
      b.AddField(static_field_->name,
                 data::PrimitiveSchema(data::Type::kString, static_field_->optional));
    }
    return b.Build();
  }

  const Part part_;
  const std::string_view class_name_;
  const std::optional<Insertion> topic_, partition_, timestamp_, static_field_;
  const std::string static_value_;
  const bool replace_null_with_default_;
  DerivedCache<SchemaPtr> cache_;
};

// MaskField: the named fields' values replaced by their type's empty value (false, 0, "", an
// empty array or map; Decimal 0 at scale 0), or by `replacement` for numbers and strings, as
// Kafka's MaskField does; a null stays null. Kafka fails on what it cannot mask (bytes, structs,
// a Decimal whose scale is not 0, a replacement for a boolean); so does this.
class MaskField final : public Transformation {
 public:
  MaskField(Part part, std::string_view class_name, std::vector<std::string> fields,
            std::optional<std::string> replacement, bool replace_null_with_default)
      : part_(part),
        class_name_(class_name),
        fields_(std::move(fields)),
        replacement_(std::move(replacement)),
        replace_null_with_default_(replace_null_with_default) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    Value& value = ValueOf(record, part_);
    if (SchemaOf(record, part_) == nullptr || value.kind != data::ValueKind::kStruct) {
      return NotAStruct(class_name_, record, part_);
    }
    const Schema& schema = *value.s->schema;
    StructValue* out = UncheckedStruct(batch, &schema);
    for (uint32_t i = 0; i < schema.fields().size(); ++i) {
      const Value v = replace_null_with_default_ ? FieldOrDefault(value.s, i) : value.s->fields[i];
      const data::Field& f = schema.fields()[i];
      if (v.is_null() || std::find(fields_.begin(), fields_.end(), f.name) == fields_.end()) {
        out->fields[i] = v;
        continue;
      }
      absl::StatusOr<Value> masked = Masked(*f.schema, batch);
      if (!masked.ok()) {
        return absl::InvalidArgumentError(StrCat(class_name_, ": cannot mask field `", f.name,
                                                 "` of a record on `", record.topic, "`: ",
                                                 masked.status().message()));
      }
      out->fields[i] = *masked;
    }
    value = Value::Of(out);
    return absl::OkStatus();
  }

 private:
  absl::StatusOr<Value> Masked(const Schema& s, data::RecordBatch& batch) const {
    const bool decimal = s.name() == data::kDecimalLogicalName;
    if (replacement_.has_value()) {
      const std::string& r = *replacement_;
      if (data::IsInteger(s.type())) {
        int64_t x = 0;
        if (!absl::SimpleAtoi(r, &x)) return absl::InvalidArgumentError(StrCat("`", r, "` is not an integer"));
        return Value::Int(x);
      }
      if (s.type() == data::Type::kFloat32 || s.type() == data::Type::kFloat64) {
        double x = 0;
        if (!absl::SimpleAtod(r, &x)) return absl::InvalidArgumentError(StrCat("`", r, "` is not a number"));
        return Value::Float(x);
      }
      if (s.type() == data::Type::kString) return Value::String(r);
      return absl::InvalidArgumentError(StrCat("a custom replacement for ", data::TypeName(s.type()),
                                               decimal ? " (Decimal)" : "", " is not supported"));
    }
    switch (s.type()) {
      case data::Type::kBoolean:
        return Value::Boolean(false);
      case data::Type::kInt8:
      case data::Type::kInt16:
      case data::Type::kInt32:
      case data::Type::kInt64:
        return Value::Int(0);
      case data::Type::kFloat32:
      case data::Type::kFloat64:
        return Value::Float(0);
      case data::Type::kString:
        return Value::String("");
      case data::Type::kArray:
        return Value::Of(batch.NewArray(&s, 0));
      case data::Type::kMap:
        return Value::Of(batch.NewMap(&s, 0));
      case data::Type::kBytes: {
        if (!decimal) return absl::InvalidArgumentError("bytes have no empty value to mask with");
        for (const auto& [k, v] : s.parameters()) {
          if (k == "scale" && v != "0") {
            return absl::InvalidArgumentError(
                StrCat("Decimal zero has scale 0, the field's scale is ", v));
          }
        }
        static constexpr char kZero[1] = {0};  // BigInteger.ZERO, unscaled
        return Value::Bytes(std::string_view(kZero, 1));
      }
      case data::Type::kStruct:
        break;
    }
    return absl::InvalidArgumentError("a struct has no empty value to mask with");
  }

  const Part part_;
  const std::string_view class_name_;
  const std::vector<std::string> fields_;
  const std::optional<std::string> replacement_;
  const bool replace_null_with_default_;
};

// Flatten: nested structs' fields lifted into one struct, named by their path joined with
// `delimiter`; a field is optional when it or any struct above it is. Arrays and maps are not
// supported here (Kafka keeps arrays and refuses maps): such a schema fails the task.
class Flatten final : public Transformation {
 public:
  Flatten(Part part, std::string_view class_name, std::string delimiter)
      : part_(part), class_name_(class_name), delimiter_(std::move(delimiter)) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const Schema*& schema = SchemaOf(record, part_);
    Value& value = ValueOf(record, part_);
    if (schema == nullptr && value.is_null()) return absl::OkStatus();
    if (schema == nullptr || schema->type() != data::Type::kStruct ||
        (!value.is_null() && value.kind != data::ValueKind::kStruct)) {
      return NotAStruct(class_name_, record, part_);
    }
    const Derived* d = cache_.Find({schema->id(), 0});
    if (d == nullptr) {
      Derived made;
      data::SchemaBuilder b = CopySchemaBasics(*schema, data::Type::kStruct);
      std::vector<uint32_t> path;
      if (absl::Status s = Lift(*schema, "", schema->optional(), path, b, made); !s.ok()) {
        return absl::InvalidArgumentError(StrCat(class_name_, ": ", s.message()));
      }
      absl::StatusOr<SchemaPtr> built = b.Build();
      if (!built.ok()) return absl::InvalidArgumentError(StrCat(class_name_, ": ", built.status().message()));
      made.schema = *std::move(built);
      d = cache_.Put({schema->id(), 0}, std::move(made));
    }
    if (!value.is_null()) {
      StructValue* out = UncheckedStruct(batch, d->schema.get());
      for (size_t i = 0; i < d->paths.size(); ++i) {
        const StructValue* s = value.s;
        const std::vector<uint32_t>& path = d->paths[i];
        for (size_t level = 0; level + 1 < path.size() && s != nullptr; ++level) {
          const Value& inner = s->fields[path[level]];
          s = inner.kind == data::ValueKind::kStruct ? inner.s : nullptr;
        }
        out->fields[i] = s == nullptr ? Value::Null() : FieldOrDefault(s, path.back());
      }
      value = Value::Of(out);
    }
    schema = d->schema.get();
    return absl::OkStatus();
  }

 private:
  struct Derived {
    SchemaPtr schema;
    std::vector<std::vector<uint32_t>> paths;  // per output field, its indexes from the top
  };
  absl::Status Lift(const Schema& s, const std::string& prefix, bool optional,
                    std::vector<uint32_t>& path, data::SchemaBuilder& b, Derived& d) const {
    for (const data::Field& f : s.fields()) {
      const std::string name = prefix.empty() ? f.name : StrCat(prefix, delimiter_, f.name);
      const Schema& fs = *f.schema;
      path.push_back(f.index);
      if (fs.type() == data::Type::kStruct) {
        if (absl::Status st = Lift(fs, name, optional || fs.optional(), path, b, d); !st.ok()) return st;
      } else if (fs.type() == data::Type::kArray || fs.type() == data::Type::kMap) {
        return absl::UnimplementedError(StrCat("field `", name, "` is ", data::TypeName(fs.type()),
                                               ", which Flatten does not support here"));
      } else {
        data::SchemaBuilder fb = CopySchemaBasics(fs);
        if (optional || fs.optional()) fb.Optional();
        if (fs.has_default()) fb.Default(fs.default_value());
        b.AddField(name, *fb.Build());
        d.paths.push_back(path);
      }
      path.pop_back();
    }
    return absl::OkStatus();
  }

  const Part part_;
  const std::string_view class_name_;
  const std::string delimiter_;
  DerivedCache<Derived> cache_;
};

// ValueToKey: the key replaced by a struct of some of the value's fields.
class ValueToKey final : public Transformation {
 public:
  ValueToKey(std::vector<std::string> fields, bool replace_null_with_default)
      : fields_(std::move(fields)), replace_null_with_default_(replace_null_with_default) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    if (record.value_schema == nullptr || record.value.kind != data::ValueKind::kStruct) {
      return NotAStruct(kValueToKeyClass, record, Part::kValue);
    }
    const StructValue* v = record.value.s;
    const DerivedCache<Derived>::Key key{v->schema->id(), 0};
    const Derived* d = cache_.Find(key);
    if (d == nullptr) {
      Derived made;
      data::SchemaBuilder b = data::SchemaBuilder::Struct();
      for (const std::string& name : fields_) {
        const int32_t i = v->schema->FieldIndex(name);
        if (i < 0) {
          return absl::InvalidArgumentError(
              StrCat(kValueToKeyClass, ": field does not exist: ", name));
        }
        b.AddField(name, v->schema->fields()[i].schema);
        made.sources.push_back(static_cast<uint32_t>(i));
      }
      made.schema = *b.Build();
      d = cache_.Put(key, std::move(made));
    }
    StructValue* out = UncheckedStruct(batch, d->schema.get());
    for (size_t i = 0; i < d->sources.size(); ++i) {
      out->fields[i] = replace_null_with_default_ ? FieldOrDefault(v, d->sources[i])
                                                  : v->fields[d->sources[i]];
    }
    record.key = Value::Of(out);
    record.key_schema = d->schema.get();
    return absl::OkStatus();
  }

 private:
  struct Derived {
    SchemaPtr schema;
    std::vector<uint32_t> sources;
  };
  const std::vector<std::string> fields_;
  const bool replace_null_with_default_;
  DerivedCache<Derived> cache_;
};

std::unique_ptr<Transformation> MakeReplaceField(TransformOptions& options, Part part,
                                                 std::string_view class_name) {
  std::vector<std::string> exclude = options.List("exclude");
  std::vector<std::string> include = options.List("include");
  std::map<std::string, std::string> renames;
  for (const std::string& mapping : options.List("renames")) {
    std::vector<std::string> parts = absl::StrSplit(mapping, ':');
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      options.Problem("renames", StrCat("has `", mapping,
                                        "`, which is not a rename; write old:new pairs, e.g. "
                                        "`foo:bar,abc:xyz`"));
      continue;
    }
    renames[parts[0]] = parts[1];
  }
  const bool replace = options.Bool("replace.null.with.default", true);
  if (options.failed()) return nullptr;
  return std::make_unique<ReplaceField>(part, class_name, std::move(exclude), std::move(include),
                                        std::move(renames), replace);
}

std::unique_ptr<Transformation> MakeExtractField(TransformOptions& options, Part part,
                                                 std::string_view class_name) {
  std::string field = options.RequiredString("field", "the name of the field to extract");
  const std::string syntax = options.Enum("field.syntax.version", "V1", {"V1", "V2"});
  if (syntax == "V2") {
    options.Problem("field.syntax.version",
                    "V2 (nested field paths) is not supported by this worker; use V1 with a "
                    "top-level field");
  }
  const bool replace = options.Bool("replace.null.with.default", true);
  if (options.failed()) return nullptr;
  return std::make_unique<ExtractField>(part, class_name, std::move(field), replace);
}

std::unique_ptr<Transformation> MakeSetSchemaMetadata(TransformOptions& options, Part part,
                                                      std::string_view class_name) {
  std::optional<std::string> name;
  if (options.Has("schema.name")) name = options.String("schema.name");
  std::optional<int32_t> version;
  if (options.Has("schema.version")) version = options.Int("schema.version", 0, INT32_MIN);
  const bool replace = options.Bool("replace.null.with.default", true);
  if (!name.has_value() && !version.has_value()) {
    options.Problem("schema.name", "or schema.version is required: neither is set");
  }
  if (options.failed()) return nullptr;
  return std::make_unique<SetSchemaMetadata>(part, class_name, std::move(name), version, replace);
}

std::unique_ptr<Transformation> MakeInsertField(TransformOptions& options, Part part,
                                                std::string_view class_name) {
  std::optional<Insertion> topic = ParseInsertion(options.String("topic.field"));
  std::optional<Insertion> partition = ParseInsertion(options.String("partition.field"));
  std::optional<Insertion> timestamp = ParseInsertion(options.String("timestamp.field"));
  std::optional<Insertion> static_field = ParseInsertion(options.String("static.field"));
  const bool has_static_value = options.Has("static.value");
  std::string static_value = options.String("static.value");
  if (!options.String("offset.field").empty()) {
    options.Problem("offset.field", "applies to sink records only (a Kafka offset); a source "
                                    "connector's records have none: remove it");
  }
  if (static_field.has_value() && !has_static_value) {
    options.Problem("static.value", StrCat("is required with static.field `",
                                           static_field->name, "`"));
  }
  const bool replace = options.Bool("replace.null.with.default", true);
  if (!topic && !partition && !timestamp && !static_field && !options.failed()) {
    options.Problem("static.field", "or topic.field, partition.field or timestamp.field is "
                                    "required: no field insertion is configured");
  }
  if (options.failed()) return nullptr;
  return std::make_unique<InsertField>(part, class_name, std::move(topic), std::move(partition),
                                       std::move(timestamp), std::move(static_field),
                                       std::move(static_value), replace);
}

std::unique_ptr<Transformation> MakeMaskField(TransformOptions& options, Part part,
                                              std::string_view class_name) {
  std::vector<std::string> fields = options.List("fields");
  if (fields.empty()) options.Problem("fields", "is required by MaskField: the fields to mask");
  std::optional<std::string> replacement;
  if (options.Has("replacement")) {
    replacement = options.String("replacement");
    if (replacement->empty()) options.Problem("replacement", "must not be empty; remove it to mask with empty values");
  }
  const bool replace = options.Bool("replace.null.with.default", true);
  if (options.failed()) return nullptr;
  return std::make_unique<MaskField>(part, class_name, std::move(fields), std::move(replacement),
                                     replace);
}

}  // namespace

std::unique_ptr<Transformation> MakeFlattenKey(TransformOptions& o) {
  std::string delimiter = o.String("delimiter", ".");
  if (o.failed()) return nullptr;
  return std::make_unique<Flatten>(Part::kKey, kFlattenKeyClass, std::move(delimiter));
}
std::unique_ptr<Transformation> MakeFlattenValue(TransformOptions& o) {
  std::string delimiter = o.String("delimiter", ".");
  if (o.failed()) return nullptr;
  return std::make_unique<Flatten>(Part::kValue, kFlattenValueClass, std::move(delimiter));
}
std::unique_ptr<Transformation> MakeMaskFieldKey(TransformOptions& o) {
  return MakeMaskField(o, Part::kKey, kMaskFieldKeyClass);
}
std::unique_ptr<Transformation> MakeMaskFieldValue(TransformOptions& o) {
  return MakeMaskField(o, Part::kValue, kMaskFieldValueClass);
}
std::unique_ptr<Transformation> MakeReplaceFieldKey(TransformOptions& o) {
  return MakeReplaceField(o, Part::kKey, kReplaceFieldKeyClass);
}
std::unique_ptr<Transformation> MakeReplaceFieldValue(TransformOptions& o) {
  return MakeReplaceField(o, Part::kValue, kReplaceFieldValueClass);
}
std::unique_ptr<Transformation> MakeExtractFieldKey(TransformOptions& o) {
  return MakeExtractField(o, Part::kKey, kExtractFieldKeyClass);
}
std::unique_ptr<Transformation> MakeExtractFieldValue(TransformOptions& o) {
  return MakeExtractField(o, Part::kValue, kExtractFieldValueClass);
}
std::unique_ptr<Transformation> MakeSetSchemaMetadataKey(TransformOptions& o) {
  return MakeSetSchemaMetadata(o, Part::kKey, kSetSchemaMetadataKeyClass);
}
std::unique_ptr<Transformation> MakeSetSchemaMetadataValue(TransformOptions& o) {
  return MakeSetSchemaMetadata(o, Part::kValue, kSetSchemaMetadataValueClass);
}
std::unique_ptr<Transformation> MakeInsertFieldKey(TransformOptions& o) {
  return MakeInsertField(o, Part::kKey, kInsertFieldKeyClass);
}
std::unique_ptr<Transformation> MakeInsertFieldValue(TransformOptions& o) {
  return MakeInsertField(o, Part::kValue, kInsertFieldValueClass);
}
std::unique_ptr<Transformation> MakeValueToKey(TransformOptions& o) {
  std::vector<std::string> fields = o.List("fields");
  if (fields.empty()) o.Problem("fields", "is required by ValueToKey: the value's fields that make the key");
  const bool replace = o.Bool("replace.null.with.default", true);
  if (o.failed()) return nullptr;
  return std::make_unique<ValueToKey>(std::move(fields), replace);
}

}  // namespace sluice::transform
