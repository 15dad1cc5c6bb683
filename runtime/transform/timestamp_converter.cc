#include "runtime/transform/timestamp_converter.h"

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/transform/java_date_format.h"
#include "runtime/transform/schema_util.h"

namespace sluice::transform {
namespace {

using data::Schema;
using data::SchemaPtr;
using data::SourceRecord;
using data::StructValue;
using data::Type;
using data::Value;


// The representations, as `target.type` spells them (case matters, as in Kafka).
enum class Kind { kString, kUnix, kDate, kTime, kTimestamp };

std::optional<Kind> KindNamed(std::string_view name) {
  if (name == "string") return Kind::kString;
  if (name == "unix") return Kind::kUnix;
  if (name == "Date") return Kind::kDate;
  if (name == "Time") return Kind::kTime;
  if (name == "Timestamp") return Kind::kTimestamp;
  return std::nullopt;
}

// TimeUnit's conversions: multiplication saturates, division truncates toward zero.
int64_t SaturatingMultiply(int64_t v, int64_t by) {
  if (v > std::numeric_limits<int64_t>::max() / by) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min() / by) return std::numeric_limits<int64_t>::min();
  return v * by;
}
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0); }

// The four schemas Kafka's translators give a converted timestamp, required and optional.
SchemaPtr TypeSchema(Kind kind, bool optional) {
  auto logical = [](Type type, std::string_view name, bool opt) {
    return *data::SchemaBuilder(type).Name(name).Version(1).Optional(opt).Build();
  };
  static const SchemaPtr kSchemas[2][5] = {
      {data::PrimitiveSchema(Type::kString), data::PrimitiveSchema(Type::kInt64),
       logical(Type::kInt32, kDateLogicalName, false), logical(Type::kInt32, kTimeLogicalName, false),
       logical(Type::kInt64, kTimestampLogicalName, false)},
      {data::PrimitiveSchema(Type::kString, true), data::PrimitiveSchema(Type::kInt64, true),
       logical(Type::kInt32, kDateLogicalName, true), logical(Type::kInt32, kTimeLogicalName, true),
       logical(Type::kInt64, kTimestampLogicalName, true)}};
  return kSchemas[optional ? 1 : 0][static_cast<int>(kind)];
}

class TimestampConverter final : public Transformation {
 public:
  TimestampConverter(Part part, std::string_view class_name, std::string field, Kind target,
                     std::string format, std::optional<std::vector<DatePart>> pattern,
                     int64_t unix_multiplier, int64_t unix_divisor,
                     bool replace_null_with_default)
      : part_(part),
        class_name_(class_name),
        field_(std::move(field)),
        target_(target),
        format_(std::move(format)),
        pattern_(std::move(pattern)),
        unix_multiplier_(unix_multiplier),
        unix_divisor_(unix_divisor),
        replace_null_with_default_(replace_null_with_default) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const Schema* schema = SchemaOf(record, part_);
    Value& value = ValueOf(record, part_);
    if (schema == nullptr) {
      if (value.is_null()) return absl::OkStatus();  // a tombstone stays one
      return NotAStruct(class_name_, record, part_);
    }
    if (field_.empty()) {
      absl::StatusOr<Kind> from = KindOf(*schema);
      if (!from.ok()) return Failed(record, from.status());
      absl::StatusOr<Value> converted = Convert(value, *from, batch);
      if (!converted.ok()) return Failed(record, converted.status());
      value = *converted;
      SchemaOf(record, part_) = TypeSchema(target_, schema->optional()).get();
      return absl::OkStatus();
    }
    if (!value.is_null() && value.kind != data::ValueKind::kStruct) {
      return NotAStruct(class_name_, record, part_);
    }
    if (schema->type() != Type::kStruct) {
      return Failed(record, absl::InvalidArgumentError(
                                StrCat("Cannot list fields on non-struct type ", data::TypeName(schema->type()))));
    }
    const Schema* derived = DerivedFor(*schema);
    if (!value.is_null()) {
      const StructValue* in = value.s;
      StructValue* out = UncheckedStruct(batch, derived);
      for (uint32_t i = 0; i < in->schema->fields().size(); ++i) {
        const data::Field& f = in->schema->fields()[i];
        const Value v = replace_null_with_default_ ? FieldOrDefault(in, i) : in->fields[i];
        if (f.name != field_) {
          out->fields[i] = v;
          continue;
        }
        absl::StatusOr<Kind> from = KindOf(*f.schema);
        absl::StatusOr<Value> converted = from.ok() ? Convert(v, *from, batch) : from.status();
        if (!converted.ok()) {
          return Failed(record, absl::InvalidArgumentError(
                                    StrCat("field `", f.name, "`: ", converted.status().message())));
        }
        if (converted->is_null() && !derived->fields()[i].schema->optional()) {
          return Failed(record, absl::InvalidArgumentError(StrCat(
                                    "Invalid value: null used for required field: \"", f.name, "\"")));
        }
        out->fields[i] = *converted;
      }
      value = Value::Of(out);
    }
    SchemaOf(record, part_) = derived;
    return absl::OkStatus();
  }

 private:
  absl::Status Failed(const SourceRecord& record, const absl::Status& cause) const {
    return absl::InvalidArgumentError(StrCat(class_name_, ": cannot convert the timestamp in the ",
                                             part_ == Part::kKey ? "key" : "value",
                                             " of a record on `", record.topic, "`: ", cause.message()));
  }

  // What a schema says a timestamp is: a logical type by name, else a string (to parse with
  // `format`) or an int64 (Unix time).
  static absl::StatusOr<Kind> KindOf(const Schema& s) {
    if (s.name() == kTimestampLogicalName) return Kind::kTimestamp;
    if (s.name() == kDateLogicalName) return Kind::kDate;
    if (s.name() == kTimeLogicalName) return Kind::kTime;
    if (s.type() == Type::kString) return Kind::kString;
    if (s.type() == Type::kInt64) return Kind::kUnix;
    return absl::InvalidArgumentError(StrCat("a ", data::TypeName(s.type()), " schema",
                                             s.name().empty() ? "" : StrCat(" named ", s.name()),
                                             " does not correspond to a known timestamp type format"));
  }

  absl::StatusOr<Value> Convert(const Value& v, Kind from, data::RecordBatch& batch) {
    if (v.is_null()) return v;
    int64_t ms = 0;
    switch (from) {
      case Kind::kString: {
        if (!pattern_.has_value()) {
          return absl::InvalidArgumentError("a string timestamp needs `format` to be read");
        }
        absl::StatusOr<int64_t> parsed = ParseUtc(*pattern_, v.str());
        if (!parsed.ok()) {
          return absl::InvalidArgumentError(StrCat("Could not parse timestamp: value (", v.str(),
                                                   ") does not match pattern (", format_, ")"));
        }
        ms = *parsed;
        break;
      }
      case Kind::kUnix:
        ms = UnixToMillis(v.i);
        break;
      case Kind::kDate:
        ms = v.i * kMillisPerDay;
        break;
      case Kind::kTime:
      case Kind::kTimestamp:
        ms = v.i;
        break;
    }
    switch (target_) {
      case Kind::kString:
        text_.clear();
        FormatUtc(*pattern_, ms, text_);
        return Value::String(batch.Copy(text_));
      case Kind::kUnix:
        return Value::Int(MillisToUnix(ms));
      case Kind::kDate:
        return Value::Int(FloorDiv(ms, kMillisPerDay));
      case Kind::kTime:
        return Value::Int(ms - FloorDiv(ms, kMillisPerDay) * kMillisPerDay);
      case Kind::kTimestamp:
        return Value::Int(ms);
    }
    return v;
  }

  // unix.precision: seconds multiply by 1000 into milliseconds, micro- and nanoseconds divide.
  int64_t UnixToMillis(int64_t v) const {
    return unix_multiplier_ > 1 ? SaturatingMultiply(v, unix_multiplier_) : v / unix_divisor_;
  }
  int64_t MillisToUnix(int64_t ms) const {
    return unix_multiplier_ > 1 ? ms / unix_multiplier_ : SaturatingMultiply(ms, unix_divisor_);
  }

  const Schema* DerivedFor(const Schema& in) {
    const DerivedCache<SchemaPtr>::Key key{in.id(), 0};
    if (const SchemaPtr* found = cache_.Find(key)) return found->get();
    data::SchemaBuilder b = CopySchemaBasics(in, Type::kStruct);
    for (const data::Field& f : in.fields()) {
      b.AddField(f.name, f.name == field_ ? TypeSchema(target_, f.schema->optional()) : f.schema);
    }
    if (in.optional()) b.Optional();
    return cache_.Put(key, *b.Build())->get();
  }

  const Part part_;
  const std::string_view class_name_;
  const std::string field_;
  const Kind target_;
  const std::string format_;
  const std::optional<std::vector<DatePart>> pattern_;
  // Unix time per millisecond: seconds are 1000 ms (multiplier 1000); milli-, micro- and
  // nanoseconds are 1, 1000 and 1000000 per millisecond (divisor).
  const int64_t unix_multiplier_;
  const int64_t unix_divisor_;
  const bool replace_null_with_default_;
  DerivedCache<SchemaPtr> cache_;
  std::string text_;  // reused: formatting allocates only when it outgrows it
};

std::unique_ptr<Transformation> MakeTimestampConverter(TransformOptions& options, Part part,
                                                       std::string_view class_name) {
  std::string field = options.String("field");
  const std::string target_name =
      options.RequiredString("target.type", "string, unix, Date, Time or Timestamp");
  const std::optional<Kind> target = KindNamed(target_name);
  if (!target_name.empty() && !target.has_value()) {
    options.Problem("target.type", StrCat("`", target_name, "` is not one of string, unix, Date, "
                                          "Time, Timestamp (spelt in this case)"));
  }
  std::string format = options.String("format");
  std::optional<std::vector<DatePart>> pattern;
  if (!format.empty()) {
    absl::StatusOr<std::vector<DatePart>> parts = ParseDateFormat(format);
    if (parts.ok()) {
      pattern = *std::move(parts);
    } else {
      options.Problem("format", StrCat("`", format, "` ", parts.status().message()));
    }
  } else if (target == Kind::kString) {
    options.Problem("format", "is required with target.type string: the SimpleDateFormat pattern "
                              "to write, e.g. yyyy-MM-dd'T'HH:mm:ss.SSS");
  }
  const std::string precision = options.String("unix.precision", "milliseconds");
  int64_t multiplier = 1, divisor = 1;
  if (precision == "seconds") {
    multiplier = 1000;
  } else if (precision == "microseconds") {
    divisor = 1000;
  } else if (precision == "nanoseconds") {
    divisor = 1000000;
  } else if (precision != "milliseconds") {
    options.Problem("unix.precision", StrCat("`", precision, "` is not one of seconds, milliseconds, "
                                             "microseconds, nanoseconds"));
  }
  const bool replace = options.Bool("replace.null.with.default", true);
  if (options.failed()) return nullptr;
  return std::make_unique<TimestampConverter>(part, class_name, std::move(field), *target,
                                              std::move(format), std::move(pattern), multiplier,
                                              divisor, replace);
}

}  // namespace

std::unique_ptr<Transformation> MakeTimestampConverterKey(TransformOptions& o) {
  return MakeTimestampConverter(o, Part::kKey, kTimestampConverterKeyClass);
}
std::unique_ptr<Transformation> MakeTimestampConverterValue(TransformOptions& o) {
  return MakeTimestampConverter(o, Part::kValue, kTimestampConverterValueClass);
}

}  // namespace sluice::transform
