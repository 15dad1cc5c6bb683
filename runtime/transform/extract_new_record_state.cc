#include "runtime/transform/extract_new_record_state.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/transform/schema_util.h"

namespace sluice::transform {
namespace {

using data::Header;
using data::Schema;
using data::SchemaPtr;
using data::SourceRecord;
using data::StructValue;
using data::Value;

constexpr std::string_view kDeletedField = "__deleted";

// What a delete event becomes.
enum class OnDelete {
  kDrop,       // nothing
  kNullValue,  // a null value with the row's schema (Debezium's "tombstone" mode)
  kTombstone,  // a null value without schema ("delete-to-tombstone")
  kRewrite,    // the row before, with __deleted=true
};

// One entry of add.fields / add.headers: `source.ts_ms`, `op`, `table:TABLE`.
struct FieldReference {
  std::string parent;  // the envelope struct holding the field ("source", "transaction"), or ""
  std::string field;
  std::string out_name;  // prefix + field, prefix + parent_field, or prefix + the given name
};

// Debezium's rule for an unqualified name: transaction fields, the envelope's own, or source's.
std::string ParentOf(std::string_view field) {
  if (field == "id" || field == "total_order" || field == "data_collection_order") {
    return "transaction";
  }
  if (field == "op" || field == "ts_ms" || field == "ts_us" || field == "ts_ns") return "";
  if (field == "updateDescription") return "updateDescription";
  return "source";
}

std::optional<FieldReference> ParseReference(std::string_view prefix, std::string_view spec) {
  std::vector<std::string> parts = absl::StrSplit(ToAbsl(spec), ':');
  if (parts.size() > 2 || parts[0].empty()) return std::nullopt;
  std::vector<std::string> path = absl::StrSplit(parts[0], '.');
  FieldReference ref;
  if (path.size() == 1) {
    ref.field = path[0];
    ref.parent = ParentOf(ref.field);
  } else {
    ref.parent = path[0];
    ref.field = path[1];
  }
  if (ref.field.empty()) return std::nullopt;
  if (parts.size() == 2) {
    ref.out_name = StrCat(prefix, parts[1]);
  } else {
    ref.out_name = path.size() == 1 ? StrCat(prefix, ref.field)
                                    : StrCat(prefix, ref.parent, "_", ref.field);
  }
  return ref;
}

// A reference resolved against one envelope schema.
struct ResolvedReference {
  bool present = false;
  int32_t parent = -1;     // the parent struct's index in the envelope, -1 for the envelope itself
  bool in_parent = false;  // found in the parent struct (else in the envelope, Debezium's fallback)
  uint32_t index = 0;
  SchemaPtr schema;  // the field's schema, optional (OptionalCopy)
};

// One envelope schema's layout.
struct Envelope {
  bool valid = false;  // named *.Envelope with before and after
  uint32_t before = 0;
  uint32_t after = 0;
  std::vector<ResolvedReference> fields;   // add.fields, in order
  std::vector<ResolvedReference> headers;  // add.headers, in order
};

// The unwrapped value's schema for one (row schema, envelope schema).
struct Output {
  SchemaPtr schema;  // the row's basics (required) + its fields + [__deleted] + added fields
  bool copy_values = false;  // false: the row's field slots can be shared as they are
  int32_t route = -1;        // route.by.field's index in the row, -1 when not there
  bool route_is_string = false;
};

Value ResolveValue(const StructValue* envelope, const ResolvedReference& r) {
  if (r.parent < 0) return envelope->fields[r.index];
  const Value& parent = envelope->fields[r.parent];
  if (parent.kind != data::ValueKind::kStruct) return Value::Null();
  return r.in_parent ? parent.s->fields[r.index] : envelope->fields[r.index];
}

class ExtractNewRecordState final : public Transformation {
 public:
  ExtractNewRecordState(OnDelete on_delete, bool keep_tombstones, bool rewrite,
                        bool replace_null_with_default, std::string route_by_field,
                        std::vector<FieldReference> fields, std::vector<FieldReference> headers)
      : on_delete_(on_delete),
        keep_tombstones_(keep_tombstones),
        rewrite_(rewrite),
        replace_null_with_default_(replace_null_with_default),
        route_by_field_(std::move(route_by_field)),
        fields_(std::move(fields)),
        headers_(std::move(headers)) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const bool tombstone = record.value.is_null();
    const Envelope* envelope = tombstone ? nullptr : EnvelopeOf(record.value_schema);
    if (!tombstone && envelope == nullptr) return absl::OkStatus();  // not a change event
    if (!headers_.empty()) AddHeaders(record, batch, envelope);
    if (tombstone) {
      if (!keep_tombstones_) verdict = Verdict::kDrop;
      return absl::OkStatus();
    }
    if (record.value.kind != data::ValueKind::kStruct) {
      return absl::InvalidArgumentError(
          StrCat(kExtractNewRecordStateClass, ": the value of a record on `", record.topic,
                 "` is named as an envelope but is not a struct"));
    }
    const StructValue* e = record.value.s;
    const Value& after = e->fields[envelope->after];
    const Value& before = e->fields[envelope->before];
    const Schema* row_schema = e->schema->fields()[envelope->after].schema.get();
    if (after.is_null() && before.is_null()) {  // a truncate: Debezium drops it
      verdict = Verdict::kDrop;
      return absl::OkStatus();
    }
    const bool deleted = after.is_null();
    if (deleted && on_delete_ == OnDelete::kDrop) {
      verdict = Verdict::kDrop;
      return absl::OkStatus();
    }
    const Output& out = OutputFor(*row_schema, *e->schema, *envelope);
    const Value& row = deleted ? before : after;
    if (row.kind != data::ValueKind::kStruct) {
      return absl::InvalidArgumentError(StrCat(kExtractNewRecordStateClass, ": `",
                                               deleted ? "before" : "after", "` of a record on `",
                                               record.topic, "` is not a struct"));
    }
    if (!route_by_field_.empty()) {
      if (absl::Status routed = Route(record, out, row.s); !routed.ok()) return routed;
    }
    if (deleted && on_delete_ != OnDelete::kRewrite) {
      record.value = Value::Null();
      record.value_schema = on_delete_ == OnDelete::kNullValue ? row_schema : nullptr;
      return absl::OkStatus();
    }
    record.value = Value::Of(Unwrapped(batch, out, row.s, e, *envelope, deleted));
    record.value_schema = out.schema.get();
    return absl::OkStatus();
  }

 private:
  const Envelope* EnvelopeOf(const Schema* schema) {
    if (schema == nullptr) return nullptr;
    const DerivedCache<Envelope>::Key key{schema->id(), 0};
    const Envelope* found = envelopes_.Find(key);
    if (found == nullptr) found = envelopes_.Put(key, Resolve(*schema));
    return found->valid ? found : nullptr;
  }

  Envelope Resolve(const Schema& schema) const {
    Envelope env;
    if (schema.type() != data::Type::kStruct || !absl::EndsWith(schema.name(), ".Envelope")) {
      return env;
    }
    const int32_t before = schema.FieldIndex("before");
    const int32_t after = schema.FieldIndex("after");
    if (before < 0 || after < 0) return env;
    env.valid = true;
    env.before = static_cast<uint32_t>(before);
    env.after = static_cast<uint32_t>(after);
    for (const FieldReference& ref : fields_) env.fields.push_back(ResolveReference(schema, ref));
    for (const FieldReference& ref : headers_) env.headers.push_back(ResolveReference(schema, ref));
    return env;
  }

  static ResolvedReference ResolveReference(const Schema& envelope, const FieldReference& ref) {
    ResolvedReference r;
    const Schema* holder = &envelope;
    if (!ref.parent.empty()) {
      r.parent = envelope.FieldIndex(ref.parent);
      if (r.parent < 0) return r;  // Debezium fails here; an absent struct adds nothing
      holder = envelope.fields()[r.parent].schema.get();
    }
    int32_t index = holder->type() == data::Type::kStruct ? holder->FieldIndex(ref.field) : -1;
    const Schema* field_schema = nullptr;
    if (index >= 0) {
      r.in_parent = r.parent >= 0;
      field_schema = holder->fields()[index].schema.get();
    } else {
      index = envelope.FieldIndex(ref.field);  // in case another transform put it there
      if (index < 0) return r;
      field_schema = envelope.fields()[index].schema.get();
    }
    r.index = static_cast<uint32_t>(index);
    r.schema = OptionalCopy(*field_schema);
    r.present = r.schema != nullptr;
    return r;
  }

  const Output& OutputFor(const Schema& row, const Schema& envelope_schema,
                          const Envelope& envelope) {
    const DerivedCache<Output>::Key key{row.id(), envelope_schema.id()};
    if (const Output* found = outputs_.Find(key)) return *found;
    Output out;
    data::SchemaBuilder builder = CopySchemaBasics(row, data::Type::kStruct);
    for (const data::Field& f : row.fields()) builder.AddField(f.name, f.schema);
    if (rewrite_) {
      builder.AddField(kDeletedField, data::PrimitiveSchema(data::Type::kString, true));
    }
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (envelope.fields[i].present) builder.AddField(fields_[i].out_name, envelope.fields[i].schema);
    }
    absl::StatusOr<SchemaPtr> built = builder.Build();
    // A name clash (an added field the row already has) fails in Debezium too; keep the row's.
    out.schema = built.ok() ? *std::move(built) : nullptr;
    if (out.schema == nullptr) {
      data::SchemaBuilder plain = CopySchemaBasics(row, data::Type::kStruct);
      for (const data::Field& f : row.fields()) plain.AddField(f.name, f.schema);
      out.schema = *plain.Build();
    }
    out.copy_values = out.schema->fields().size() != row.fields().size() ||
                      (rewrite_ && replace_null_with_default_);
    if (!route_by_field_.empty()) {
      out.route = row.FieldIndex(route_by_field_);
      out.route_is_string =
          out.route >= 0 && row.fields()[out.route].schema->type() == data::Type::kString;
    }
    return *outputs_.Put(key, std::move(out));
  }

  const StructValue* Unwrapped(data::RecordBatch& batch, const Output& out, const StructValue* row,
                               const StructValue* e, const Envelope& envelope, bool deleted) {
    auto* s = batch.arena().AllocateArray<StructValue>(1);
    s->kind = data::ValueKind::kStruct;
    s->schema = out.schema.get();
    s->batch = &batch;
    const size_t row_fields = row->schema->fields().size();
    if (!out.copy_values) {
      s->fields = row->fields;  // same fields, same order: share the slots
      return s;
    }
    s->fields = batch.arena().AllocateArray<Value>(out.schema->fields().size());
    size_t n = 0;
    for (; n < row_fields; ++n) {
      s->fields[n] = rewrite_ && replace_null_with_default_ ? FieldOrDefault(row, n) : row->fields[n];
    }
    if (rewrite_) s->fields[n++] = Value::String(deleted ? "true" : "false");
    for (size_t i = 0; i < fields_.size() && n < out.schema->fields().size(); ++i) {
      if (envelope.fields[i].present) s->fields[n++] = ResolveValue(e, envelope.fields[i]);
    }
    return s;
  }

  absl::Status Route(SourceRecord& record, const Output& out, const StructValue* row) {
    if (out.route < 0 || !out.route_is_string) {
      return absl::InvalidArgumentError(StrCat(
          kExtractNewRecordStateClass, ": route.by.field `", route_by_field_, "` is ",
          out.route < 0 ? "not a field" : "not a string field", " of `", row->schema->name(),
          "` (record on `", record.topic, "`)"));
    }
    const Value topic = FieldOrDefault(row, static_cast<uint32_t>(out.route));
    if (topic.kind == data::ValueKind::kString &&
        !absl::StripAsciiWhitespace(ToAbsl(topic.str())).empty()) {
      record.topic = topic.str();  // in the batch's arena, like the row
    }
    return absl::OkStatus();
  }

  void AddHeaders(SourceRecord& record, data::RecordBatch& batch, const Envelope* envelope) {
    const size_t old = record.headers.size();
    Header* h = batch.arena().AllocateArray<Header>(old + headers_.size());
    std::copy(record.headers.begin(), record.headers.end(), h);
    size_t n = old;
    for (size_t i = 0; i < headers_.size(); ++i) {
      if (envelope == nullptr) {  // a tombstone: only the operation, as "d"
        if (headers_[i].field == "op" && headers_[i].parent.empty()) {
          h[n++] = Header{headers_[i].out_name, string_schema_.get(), Value::String("d")};
        }
        continue;
      }
      const ResolvedReference& r = envelope->headers[i];
      if (!r.present) continue;
      h[n++] = Header{headers_[i].out_name, r.schema.get(), ResolveValue(record.value.s, r)};
    }
    record.headers = std::span<const Header>(h, n);
  }

  const OnDelete on_delete_;
  const bool keep_tombstones_;
  const bool rewrite_;
  const bool replace_null_with_default_;
  const std::string route_by_field_;
  const std::vector<FieldReference> fields_;
  const std::vector<FieldReference> headers_;
  const SchemaPtr string_schema_ = data::PrimitiveSchema(data::Type::kString, true);
  DerivedCache<Envelope> envelopes_;
  DerivedCache<Output> outputs_;
};

std::vector<FieldReference> References(TransformOptions& options, std::string_view list,
                                       std::string_view prefix_option) {
  const std::string prefix = options.String(prefix_option, "__");
  std::vector<FieldReference> refs;
  for (const std::string& spec : options.List(list)) {
    if (std::optional<FieldReference> ref = ParseReference(prefix, spec)) {
      refs.push_back(*std::move(ref));
    } else {
      options.Problem(list, StrCat("has `", spec,
                                   "`, which is not a field reference; write `field`, "
                                   "`struct.field` or `field:NEW_NAME` (e.g. `source.ts_ms`)"));
    }
  }
  return refs;
}

}  // namespace

std::unique_ptr<Transformation> MakeExtractNewRecordState(TransformOptions& options) {
  const bool has_mode = options.Has("delete.tombstone.handling.mode");
  const std::string mode =
      options.Enum("delete.tombstone.handling.mode", "tombstone",
                   {"drop", "tombstone", "rewrite", "rewrite-with-tombstone", "delete-to-tombstone"});
  // Debezium 2.5 replaced these two by delete.tombstone.handling.mode and 3.1 dropped them; a
  // config written for an older Debezium still means what it meant there.
  const bool has_legacy = options.Has("delete.handling.mode") || options.Has("drop.tombstones");
  const std::string legacy_mode =
      options.Enum("delete.handling.mode", "drop", {"drop", "none", "rewrite"});
  const bool drop_tombstones = options.Bool("drop.tombstones", true);
  if (has_mode && has_legacy) {
    options.Problem(options.Has("delete.handling.mode") ? "delete.handling.mode" : "drop.tombstones",
                    "was replaced by delete.tombstone.handling.mode (Debezium 2.5), which this "
                    "transform also sets; remove it");
  }
  OnDelete on_delete = OnDelete::kNullValue;
  bool keep_tombstones = false;
  bool rewrite = false;
  if (has_legacy && !has_mode) {
    on_delete = legacy_mode == "drop"   ? OnDelete::kDrop
                : legacy_mode == "none" ? OnDelete::kNullValue
                                        : OnDelete::kRewrite;
    keep_tombstones = !drop_tombstones;
    rewrite = legacy_mode == "rewrite";
  } else if (mode == "drop") {
    on_delete = OnDelete::kDrop;
  } else if (mode == "rewrite" || mode == "rewrite-with-tombstone") {
    on_delete = OnDelete::kRewrite;
    rewrite = true;
    keep_tombstones = mode == "rewrite-with-tombstone";
  } else if (mode == "delete-to-tombstone") {
    on_delete = OnDelete::kTombstone;
  }
  const bool replace_null_with_default = options.Bool("replace.null.with.default", true);
  std::string route_by_field = options.String("route.by.field");
  std::vector<FieldReference> fields = References(options, "add.fields", "add.fields.prefix");
  std::vector<FieldReference> headers = References(options, "add.headers", "add.headers.prefix");
  if (!options.String("drop.fields.header.name").empty()) {
    options.Problem("drop.fields.header.name",
                    "is not supported by this worker: no connector or transform here writes the "
                    "header of field names it reads (Debezium's ExtractChangedRecordState); remove "
                    "it");
  }
  (void)options.Bool("drop.fields.from.key", false);  // only with drop.fields.header.name
  (void)options.Bool("drop.fields.keep.schema.compatible", true);
  if (options.failed()) return nullptr;
  return std::make_unique<ExtractNewRecordState>(on_delete, keep_tombstones, rewrite,
                                                 replace_null_with_default,
                                                 std::move(route_by_field), std::move(fields),
                                                 std::move(headers));
}

}  // namespace sluice::transform
