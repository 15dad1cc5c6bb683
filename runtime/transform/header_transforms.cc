#include "runtime/transform/header_transforms.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/transform/schema_util.h"

namespace sluice::transform {
namespace {

// Drops every record it is applied to: used with a predicate (Kafka's Filter).
class Filter final : public Transformation {
 public:
  absl::Status Apply(data::SourceRecord&, data::RecordBatch&, Verdict& verdict) override {
    verdict = Verdict::kDrop;
    return absl::OkStatus();
  }
};

// Adds header `name` with a literal string value after the record's headers. Kafka parses
// `value.literal` with Values.parseString, so `42` becomes an int8 and `true` a boolean; here the
// value is always a string, which differs only in the header's schema, not in its bytes under
// the JSON header converter for strings that do not parse as numbers or booleans. Numbers and
// booleans are therefore refused at validate.
class InsertHeader final : public Transformation {
 public:
  InsertHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
  absl::Status Apply(data::SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const size_t n = record.headers.size();
    data::Header* h = batch.arena().AllocateArray<data::Header>(n + 1);
    std::copy(record.headers.begin(), record.headers.end(), h);
    h[n] = data::Header{name_, schema_.get(), data::Value::String(value_)};
    record.headers = std::span<const data::Header>(h, n + 1);
    return absl::OkStatus();
  }

 private:
  const std::string name_;
  const std::string value_;
  const data::SchemaPtr schema_ = data::PrimitiveSchema(data::Type::kString);
};

// Removes every header whose key is one of `names`.
class DropHeaders final : public Transformation {
 public:
  explicit DropHeaders(std::vector<std::string> names) : names_(std::move(names)) {}
  absl::Status Apply(data::SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    if (record.headers.empty()) return absl::OkStatus();
    data::Header* h = batch.arena().AllocateArray<data::Header>(record.headers.size());
    size_t n = 0;
    for (const data::Header& header : record.headers) {
      if (std::find(names_.begin(), names_.end(), header.key) == names_.end()) h[n++] = header;
    }
    record.headers = std::span<const data::Header>(h, n);
    return absl::OkStatus();
  }

 private:
  const std::vector<std::string> names_;
};

// HeaderFrom: fields of the key or value copied (or moved) into headers, with their schemas.
class HeaderFrom final : public Transformation {
 public:
  HeaderFrom(bool key, std::string_view class_name, std::vector<std::string> fields,
             std::vector<std::string> headers, bool move, bool replace_null_with_default)
      : key_(key),
        class_name_(class_name),
        fields_(std::move(fields)),
        headers_(std::move(headers)),
        move_(move),
        replace_null_with_default_(replace_null_with_default) {}

  absl::Status Apply(data::SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const data::Schema*& schema = key_ ? record.key_schema : record.value_schema;
    data::Value& value = key_ ? record.key : record.value;
    if (schema == nullptr || value.kind != data::ValueKind::kStruct) {
      return absl::InvalidArgumentError(StrCat(class_name_, ": the ", key_ ? "key" : "value",
                                               " of a record on `", record.topic,
                                               "` is not a struct with a schema"));
    }
    const data::StructValue* in = value.s;
    const Derived* d = derived_.Find({in->schema->id(), 0});
    if (d == nullptr) {
      absl::StatusOr<Derived> made = Derive(*in->schema);
      if (!made.ok()) {
        return absl::InvalidArgumentError(StrCat(class_name_, ": ", made.status().message(),
                                                 " (record on `", record.topic, "`)"));
      }
      d = derived_.Put({in->schema->id(), 0}, *std::move(made));
    }
    const size_t n = record.headers.size();
    data::Header* h = batch.arena().AllocateArray<data::Header>(n + headers_.size());
    std::copy(record.headers.begin(), record.headers.end(), h);
    for (size_t i = 0; i < headers_.size(); ++i) {
      const uint32_t f = d->fields[i];
      h[n + i] = data::Header{headers_[i], in->schema->fields()[f].schema.get(),
                              replace_null_with_default_ ? FieldOrDefault(in, f) : in->fields[f]};
    }
    record.headers = std::span<const data::Header>(h, n + headers_.size());
    if (move_) {
      data::StructValue* out = UncheckedStruct(batch, d->moved.get());
      for (size_t i = 0; i < d->kept.size(); ++i) {
        out->fields[i] = replace_null_with_default_ ? FieldOrDefault(in, d->kept[i]) : in->fields[d->kept[i]];
      }
      value = data::Value::Of(out);
      schema = d->moved.get();
    }
    return absl::OkStatus();
  }

 private:
  struct Derived {
    std::vector<uint32_t> fields;  // per header, its field's index
    data::SchemaPtr moved;         // move: the struct without them
    std::vector<uint32_t> kept;    // move: the fields left, by index
  };
  absl::StatusOr<Derived> Derive(const data::Schema& in) const {
    Derived d;
    for (const std::string& name : fields_) {
      const int32_t i = in.FieldIndex(name);
      if (i < 0) return absl::InvalidArgumentError(StrCat("no field `", name, "` to copy into a header"));
      d.fields.push_back(static_cast<uint32_t>(i));
    }
    if (move_) {
      data::SchemaBuilder b = CopySchemaBasics(in, data::Type::kStruct);
      for (const data::Field& f : in.fields()) {
        if (std::find(fields_.begin(), fields_.end(), f.name) != fields_.end()) continue;
        b.AddField(f.name, f.schema);
        d.kept.push_back(f.index);
      }
      d.moved = *b.Build();
    }
    return d;
  }

  const bool key_;
  const std::string_view class_name_;
  const std::vector<std::string> fields_;
  const std::vector<std::string> headers_;
  const bool move_;
  const bool replace_null_with_default_;
  DerivedCache<Derived> derived_;
};

std::unique_ptr<Transformation> MakeHeaderFrom(TransformOptions& options, bool key,
                                               std::string_view class_name) {
  std::vector<std::string> fields = options.List("fields");
  std::vector<std::string> headers = options.List("headers");
  const std::string operation = options.Enum("operation", "", {"copy", "move"});
  if (fields.empty()) options.Problem("fields", "is required by HeaderFrom: the fields to copy or move");
  if (headers.empty()) options.Problem("headers", "is required by HeaderFrom: a header name per field");
  if (!fields.empty() && !headers.empty() && fields.size() != headers.size()) {
    options.Problem("headers", StrCat("names ", headers.size(), " header(s) for ", fields.size(),
                                      " field(s); give one header per field"));
  }
  if (operation.empty() && !options.failed()) {
    options.Problem("operation", "is required by HeaderFrom: copy or move");
  }
  const bool replace = options.Bool("replace.null.with.default", true);
  if (options.failed()) return nullptr;
  return std::make_unique<HeaderFrom>(key, class_name, std::move(fields), std::move(headers),
                                      operation == "move", replace);
}

bool LooksLikeNumberOrBoolean(const std::string& v) {
  if (v == "true" || v == "false") return true;
  if (v.empty()) return false;
  size_t i = v[0] == '-' || v[0] == '+' ? 1 : 0;
  if (i == v.size()) return false;
  bool digit = false;
  for (; i < v.size(); ++i) {
    if (v[i] >= '0' && v[i] <= '9') {
      digit = true;
    } else if (v[i] != '.' && v[i] != 'e' && v[i] != 'E' && v[i] != '-' && v[i] != '+') {
      return false;
    }
  }
  return digit;
}

}  // namespace

std::unique_ptr<Transformation> MakeHeaderFromKey(TransformOptions& options) {
  return MakeHeaderFrom(options, /*key=*/true, kHeaderFromKeyClass);
}
std::unique_ptr<Transformation> MakeHeaderFromValue(TransformOptions& options) {
  return MakeHeaderFrom(options, /*key=*/false, kHeaderFromValueClass);
}

std::unique_ptr<Transformation> MakeFilter(TransformOptions& options) {
  if (options.failed()) return nullptr;
  return std::make_unique<Filter>();
}

std::unique_ptr<Transformation> MakeInsertHeader(TransformOptions& options) {
  std::string name = options.RequiredString("header", "the name of the header to add");
  std::string value = options.RequiredString("value.literal", "the header's value");
  if (LooksLikeNumberOrBoolean(value)) {
    options.Problem("value.literal",
                    "is a number or boolean, which Kafka Connect would add as a typed header; this "
                    "worker adds string literals only");
  }
  if (options.failed()) return nullptr;
  return std::make_unique<InsertHeader>(std::move(name), std::move(value));
}

std::unique_ptr<Transformation> MakeDropHeaders(TransformOptions& options) {
  std::vector<std::string> names = options.List("headers");
  if (names.empty()) {
    options.Problem("headers", "is required by DropHeaders: the header names to remove, "
                               "comma-separated");
  }
  if (options.failed()) return nullptr;
  return std::make_unique<DropHeaders>(std::move(names));
}

}  // namespace sluice::transform
