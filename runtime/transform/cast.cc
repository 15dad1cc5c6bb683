#include "runtime/transform/cast.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/convert/base64.h"
#include "runtime/convert/java_number_format.h"
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


// Kafka's SUPPORTED_CAST_OUTPUT_TYPES, by the names `spec` takes (any case).
std::optional<Type> TargetType(std::string_view name) {
  static constexpr std::pair<std::string_view, Type> kTargets[] = {
      {"int8", Type::kInt8},       {"int16", Type::kInt16},     {"int32", Type::kInt32},
      {"int64", Type::kInt64},     {"float32", Type::kFloat32}, {"float64", Type::kFloat64},
      {"boolean", Type::kBoolean}, {"string", Type::kString}};
  for (const auto& [n, t] : kTargets) {
    if (absl::EqualsIgnoreCase(ToAbsl(n), ToAbsl(name))) return t;
  }
  return std::nullopt;
}

// Java's upper-case type name, as Kafka's messages spell it.
std::string JavaTypeName(Type t) { return absl::AsciiStrToUpper(ToAbsl(data::TypeName(t))); }

// A source value reduced to what Java's Cast sees: a number (long or double, or a Decimal's
// unscaled value and scale), a boolean, a string, bytes, or a java.util.Date (milliseconds).
struct Source {
  enum Kind { kLong, kDouble, kFloat, kDecimal, kBoolean, kString, kBytes, kDate } kind = kLong;
  int64_t l = 0;           // integers and booleans; a date's encoded number (days, ms)
  int64_t date_ms = 0;     // a date's milliseconds since the epoch, for its text
  double d = 0;
  std::string_view text;  // string, bytes, a Decimal's unscaled bytes
  int32_t scale = 0;
};

int32_t DecimalScale(const Schema& s) {
  for (const auto& [k, v] : s.parameters()) {
    int32_t scale = 0;
    if (k == "scale" && absl::SimpleAtoi(ToAbsl(v), &scale)) return scale;
  }
  return 0;
}

// The unscaled value's magnitude in decimal and its sign (two's complement, big-endian).
std::pair<std::string, bool> UnscaledDigits(std::string_view bytes) {
  std::vector<uint8_t> mag(bytes.begin(), bytes.end());
  const bool negative = !mag.empty() && (mag[0] & 0x80);
  if (negative) {  // two's complement negation
    for (uint8_t& b : mag) b = ~b;
    for (size_t i = mag.size(); i-- > 0;) {
      if (++mag[i] != 0) break;
    }
  }
  std::string digits;
  while (true) {
    bool zero = true;
    unsigned rem = 0;
    for (uint8_t& b : mag) {
      const unsigned cur = rem * 256 + b;
      b = static_cast<uint8_t>(cur / 10);
      rem = cur % 10;
      if (b != 0) zero = false;
    }
    digits.insert(digits.begin(), static_cast<char>('0' + rem));
    if (zero) break;
  }
  return {digits, negative};
}

// BigDecimal.toString: plain when the scale is not negative and the adjusted exponent is at least
// -6, else one digit, the rest after a point, and E with the exponent's sign.
std::string BigDecimalText(std::string_view unscaled, int32_t scale) {
  auto [digits, negative] = UnscaledDigits(unscaled);
  std::string out = negative ? "-" : "";
  const int64_t n = static_cast<int64_t>(digits.size());
  const int64_t adjusted = -static_cast<int64_t>(scale) + (n - 1);
  if (scale == 0) return out + digits;
  if (scale > 0 && adjusted >= -6) {
    if (n > scale) return StrCat(out, digits.substr(0, n - scale), ".", digits.substr(n - scale));
    return StrCat(out, "0.", std::string(scale - n, '0'), digits);
  }
  out += digits[0];
  if (n > 1) out += "." + digits.substr(1);
  return StrCat(out, "E", adjusted > 0 ? "+" : "", adjusted);
}

std::string JavaDoubleText(double v, bool single) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buffer[convert::kJavaNumberBufferSize];
  const size_t n = single ? convert::FormatJavaFloat(static_cast<float>(v), buffer)
                          : convert::FormatJavaDouble(v, buffer);
  return std::string(buffer, n);
}

// Java's d2i / d2l: NaN is 0, out-of-range values saturate.
template <typename Int>
Int SaturatingCast(double d) {
  if (std::isnan(d)) return 0;
  if (d <= static_cast<double>(std::numeric_limits<Int>::min())) return std::numeric_limits<Int>::min();
  if (d >= static_cast<double>(std::numeric_limits<Int>::max())) return std::numeric_limits<Int>::max();
  return static_cast<Int>(d);
}

// Byte.parseByte and friends: an optional sign and decimal digits, nothing else, in range.
absl::StatusOr<int64_t> ParseJavaInteger(std::string_view s, int64_t min, int64_t max) {
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  bool ok = i < s.size();
  for (size_t j = i; j < s.size(); ++j) ok = ok && absl::ascii_isdigit(static_cast<unsigned char>(s[j]));
  int64_t v = 0;
  const std::string_view digits = (!s.empty() && s[0] == '+') ? s.substr(1) : s;
  if (ok && std::from_chars(digits.data(), digits.data() + digits.size(), v).ec == std::errc() &&
      v >= min && v <= max) {
    return v;
  }
  return absl::InvalidArgumentError(StrCat("For input string: \"", s, "\""));
}

// Double.parseDouble / Float.parseFloat of decimal text: whitespace trimmed, NaN, Infinity, an
// optional f/F/d/D suffix. (Java's hexadecimal floating-point literals are not read here.)
absl::StatusOr<double> ParseJavaFloating(std::string_view s, bool single) {
  std::string_view t = ToStd(absl::StripAsciiWhitespace(ToAbsl(s)));
  const std::string_view original = t;
  bool negative = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    negative = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (t == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  if (!t.empty() && std::string_view("fFdD").find(t.back()) != std::string_view::npos) t.remove_suffix(1);
  size_t i = 0, mantissa_digits = 0;
  while (i < t.size() && absl::ascii_isdigit(static_cast<unsigned char>(t[i]))) ++i, ++mantissa_digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && absl::ascii_isdigit(static_cast<unsigned char>(t[i]))) ++i, ++mantissa_digits;
  }
  bool ok = mantissa_digits > 0;
  if (ok && i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    ok = i < t.size();
    while (i < t.size() && absl::ascii_isdigit(static_cast<unsigned char>(t[i]))) ++i;
  }
  if (!ok || i != t.size()) {
    return absl::InvalidArgumentError(StrCat("For input string: \"", original, "\""));
  }
  const std::string text(t);
  const double v = single ? std::strtof(text.c_str(), nullptr) : std::strtod(text.c_str(), nullptr);
  return negative ? -v : v;
}

// Values.dateFormatFor: a time before the first day after the epoch as HH:mm:ss.SSS'Z', a
// midnight as yyyy-MM-dd, anything else as yyyy-MM-dd'T'HH:mm:ss.SSS'Z' (the JVM's zone: UTC).
std::string DateText(int64_t ms) {
  static const std::vector<DatePart> kTime = *ParseDateFormat("HH:mm:ss.SSS'Z'");
  static const std::vector<DatePart> kDate = *ParseDateFormat("yyyy-MM-dd");
  static const std::vector<DatePart> kTimestamp = *ParseDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
  std::string out;
  FormatUtc(ms < kMillisPerDay ? kTime : ms % kMillisPerDay == 0 ? kDate : kTimestamp, ms, out);
  return out;
}

absl::StatusOr<Source> SourceOf(const Schema& schema, const Value& v) {
  Source s;
  s.kind = Source::kLong;
  switch (schema.type()) {
    case Type::kInt8:
    case Type::kInt16:
    case Type::kInt32:
    case Type::kInt64:
      s.l = v.i;
      if (schema.name() == kDateLogicalName || schema.name() == kTimeLogicalName ||
          schema.name() == kTimestampLogicalName) {
        s.kind = Source::kDate;
        s.date_ms = schema.name() == kDateLogicalName ? v.i * kMillisPerDay : v.i;
      }
      return s;
    case Type::kFloat32:
    case Type::kFloat64:
      s.kind = schema.type() == Type::kFloat32 ? Source::kFloat : Source::kDouble;
      s.d = v.f;
      return s;
    case Type::kBoolean:
      s.kind = Source::kBoolean;
      s.l = v.b ? 1 : 0;
      return s;
    case Type::kString:
      s.kind = Source::kString;
      s.text = v.str();
      return s;
    case Type::kBytes:
      s.kind = schema.name() == data::kDecimalLogicalName ? Source::kDecimal : Source::kBytes;
      s.text = v.str();
      s.scale = DecimalScale(schema);
      return s;
    default:
      return absl::InvalidArgumentError(
          StrCat("Cast transformation does not support casting from ", JavaTypeName(schema.type()),
                 "; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, "
                 "STRING, BYTES]"));
  }
}

// BigDecimal.longValue (the integer part's low 64 bits) for unscaled values up to 16 bytes.
absl::StatusOr<int64_t> DecimalLong(const Source& s) {
  if (s.text.size() > 16) {
    return absl::InvalidArgumentError("a Decimal of more than 16 bytes to an integer is not supported here");
  }
  __int128 u = (!s.text.empty() && (s.text[0] & 0x80)) ? -1 : 0;
  for (char c : s.text) u = (u << 8) | static_cast<uint8_t>(c);
  for (int32_t i = 0; i < s.scale && u != 0; ++i) u /= 10;
  for (int32_t i = 0; i > s.scale && u != 0; --i) u *= 10;
  return static_cast<int64_t>(u);
}

// The value `s` cast to `target` as Cast.castValueToType does it: numbers narrowed as Java's
// Number.xxxValue narrows them, booleans as 1/0, strings parsed by Java's parsers, anything to
// string by its toString (bytes in base64, dates per Values.dateFormatFor). Strings are built in
// `scratch`; the caller copies them where they must live.
absl::StatusOr<Value> CastTo(const Source& s, Type target, std::string& scratch) {
  const bool integer_target = data::IsInteger(target);
  if (target == Type::kString) {
    switch (s.kind) {
      case Source::kLong: scratch = absl::StrCat(s.l); break;
      case Source::kDouble: scratch = JavaDoubleText(s.d, false); break;
      case Source::kFloat: scratch = JavaDoubleText(s.d, true); break;
      case Source::kDecimal: scratch = BigDecimalText(s.text, s.scale); break;
      case Source::kBoolean: scratch = s.l ? "true" : "false"; break;
      case Source::kString: scratch = std::string(s.text); break;
      case Source::kBytes: scratch.clear(); convert::AppendBase64(s.text, &scratch); break;
      case Source::kDate: scratch = DateText(s.date_ms); break;
    }
    return Value::String(scratch);
  }
  if (s.kind == Source::kBytes) {
    return absl::InvalidArgumentError("Unexpected type in Cast transformation: class [B");
  }
  if (target == Type::kBoolean) {
    switch (s.kind) {
      case Source::kString:
        return Value::Boolean(absl::EqualsIgnoreCase(ToAbsl(s.text), "true"));
      case Source::kDouble:
      case Source::kFloat:
        return Value::Boolean(SaturatingCast<int64_t>(s.d) != 0);
      case Source::kDecimal: {
        absl::StatusOr<int64_t> l = DecimalLong(s);
        if (!l.ok()) return l.status();
        return Value::Boolean(*l != 0);
      }
      default:
        return Value::Boolean(s.l != 0);
    }
  }
  // A number: first as Java holds it (long or double), then narrowed.
  bool floating = false;
  int64_t l = 0;
  double d = 0;
  switch (s.kind) {
    case Source::kLong:
    case Source::kBoolean:
    case Source::kDate:
      l = s.l;
      break;
    case Source::kDouble:
    case Source::kFloat:
      floating = true;
      d = s.d;
      break;
    case Source::kDecimal:
      if (integer_target) {
        absl::StatusOr<int64_t> v = DecimalLong(s);
        if (!v.ok()) return v.status();
        l = *v;
      } else {
        floating = true;
        const std::string text = BigDecimalText(s.text, s.scale);
        d = target == Type::kFloat32 ? std::strtof(text.c_str(), nullptr) : std::strtod(text.c_str(), nullptr);
      }
      break;
    case Source::kString: {
      if (integer_target) {
        static constexpr std::pair<int64_t, int64_t> kRange[] = {
            {-128, 127}, {-32768, 32767}, {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()},
            {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}};
        const auto [min, max] = kRange[static_cast<int>(target) - static_cast<int>(Type::kInt8)];
        absl::StatusOr<int64_t> v = ParseJavaInteger(s.text, min, max);
        if (!v.ok()) return v.status();
        return Value::Int(*v);
      }
      absl::StatusOr<double> v = ParseJavaFloating(s.text, target == Type::kFloat32);
      if (!v.ok()) return v.status();
      return Value::Float(*v);
    }
    case Source::kBytes:
      break;
  }
  switch (target) {
    case Type::kInt8:
      return Value::Int(static_cast<int8_t>(floating ? SaturatingCast<int32_t>(d) : static_cast<int32_t>(l)));
    case Type::kInt16:
      return Value::Int(static_cast<int16_t>(floating ? SaturatingCast<int32_t>(d) : static_cast<int32_t>(l)));
    case Type::kInt32:
      return Value::Int(floating ? SaturatingCast<int32_t>(d) : static_cast<int32_t>(l));
    case Type::kInt64:
      return Value::Int(floating ? SaturatingCast<int64_t>(d) : l);
    case Type::kFloat32:
      return Value::Float(floating ? static_cast<float>(d) : static_cast<float>(l));
    default:  // kFloat64
      return Value::Float(floating ? d : static_cast<double>(l));
  }
}

// Null stays null; other values cast per `schema` (the value's own schema).
absl::StatusOr<Value> CastValue(const Schema& schema, const Value& v, Type target,
                                std::string& scratch) {
  if (v.is_null()) return v;
  absl::StatusOr<Source> s = SourceOf(schema, v);
  if (!s.ok()) return s.status();
  return CastTo(*s, target, scratch);
}

class Cast final : public Transformation {
 public:
  Cast(Part part, std::string_view class_name, std::optional<Type> whole,
       std::map<std::string, Type> fields, bool replace_null_with_default)
      : part_(part),
        class_name_(class_name),
        whole_(whole),
        fields_(std::move(fields)),
        replace_null_with_default_(replace_null_with_default) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    Value& value = ValueOf(record, part_);
    if (value.is_null()) return absl::OkStatus();  // Kafka's Cast passes a null on untouched
    const Schema* schema = SchemaOf(record, part_);
    if (schema == nullptr) return NotAStruct(class_name_, record, part_);
    absl::StatusOr<const Schema*> derived = DerivedFor(*schema);
    if (!derived.ok()) return Failed(record, derived.status());
    if (whole_.has_value()) {
      absl::StatusOr<Value> cast = CastValue(*schema, value, *whole_, scratch_);
      if (!cast.ok()) return Failed(record, cast.status());
      value = Owned(*cast, batch);
    } else {
      if (value.kind != data::ValueKind::kStruct) return NotAStruct(class_name_, record, part_);
      const StructValue* in = value.s;
      StructValue* out = UncheckedStruct(batch, *derived);
      for (uint32_t i = 0; i < in->schema->fields().size(); ++i) {
        const data::Field& f = in->schema->fields()[i];
        const Value v = replace_null_with_default_ ? FieldOrDefault(in, i) : in->fields[i];
        auto target = fields_.find(f.name);
        if (target == fields_.end()) {
          out->fields[i] = v;
          continue;
        }
        absl::StatusOr<Value> cast = CastValue(*f.schema, v, target->second, scratch_);
        if (!cast.ok()) {
          return Failed(record, absl::InvalidArgumentError(
                                    StrCat("field `", f.name, "`: ", cast.status().message())));
        }
        out->fields[i] = Owned(*cast, batch);
      }
      value = Value::Of(out);
    }
    SchemaOf(record, part_) = *derived;
    return absl::OkStatus();
  }

 private:
  absl::Status Failed(const SourceRecord& record, const absl::Status& cause) const {
    return absl::InvalidArgumentError(StrCat(class_name_, ": cannot cast the ",
                                             part_ == Part::kKey ? "key" : "value",
                                             " of a record on `", record.topic, "`: ", cause.message()));
  }
  static Value Owned(const Value& v, data::RecordBatch& batch) {
    return v.kind == data::ValueKind::kString ? Value::String(batch.Copy(v.str())) : v;
  }

  // A schema of `type` with `source`'s optionality and its default cast (Cast's field schemas
  // and, with `basics`, the whole value's schema with its name, version, doc and parameters).
  absl::StatusOr<SchemaPtr> CastSchema(const Schema& source, Type type, bool basics) {
    data::SchemaBuilder b = basics ? CopySchemaBasics(source, type) : data::SchemaBuilder(type);
    if (source.optional()) b.Optional();
    if (source.has_default()) {
      std::string text;
      absl::StatusOr<Value> d = CastValue(source, source.default_value(), type, text);
      if (!d.ok()) return d.status();
      b.Default(*d);
    }
    return b.Build();
  }

  absl::StatusOr<const Schema*> DerivedFor(const Schema& in) {
    const DerivedCache<SchemaPtr>::Key key{in.id(), 0};
    if (const SchemaPtr* found = cache_.Find(key)) return found->get();
    absl::StatusOr<SchemaPtr> built;
    if (whole_.has_value()) {
      built = CastSchema(in, *whole_, /*basics=*/true);
    } else {
      if (in.type() != Type::kStruct) {
        return absl::InvalidArgumentError(StrCat("Only Struct objects supported for [cast types], found: ",
                                                 data::TypeName(in.type())));
      }
      data::SchemaBuilder b = CopySchemaBasics(in, Type::kStruct);
      for (const data::Field& f : in.fields()) {
        auto target = fields_.find(f.name);
        if (target == fields_.end()) {
          b.AddField(f.name, f.schema);
          continue;
        }
        absl::StatusOr<SchemaPtr> field = CastSchema(*f.schema, target->second, /*basics=*/false);
        if (!field.ok()) return field.status();
        b.AddField(f.name, *field);
      }
      if (in.optional()) b.Optional();
      built = b.Build();  // a struct's default is not carried: no struct schema here has one
    }
    if (!built.ok()) return built.status();
    return cache_.Put(key, *std::move(built))->get();
  }

  const Part part_;
  const std::string_view class_name_;
  const std::optional<Type> whole_;
  const std::map<std::string, Type> fields_;
  const bool replace_null_with_default_;
  DerivedCache<SchemaPtr> cache_;
  std::string scratch_;  // reused: a cast to string allocates only when it outgrows it
};

std::unique_ptr<Transformation> MakeCast(TransformOptions& options, Part part,
                                         std::string_view class_name) {
  const std::vector<std::string> spec = options.List("spec");
  std::optional<Type> whole;
  std::map<std::string, Type> fields;
  constexpr std::string_view kTypes = "int8, int16, int32, int64, float32, float64, boolean or string";
  if (spec.empty()) {
    options.Problem("spec", StrCat("is required by Cast: `field:type,...` or one type for the whole ",
                                   "value (", kTypes, ")"));
  }
  for (const std::string& item : spec) {
    const size_t colon = item.find(':');
    if (colon != std::string::npos && item.find(':', colon + 1) != std::string::npos) {
      options.Problem("spec", StrCat("`", item, "` has more than one `:`; write `field:type`"));
      continue;
    }
    const std::string type_name(absl::StripAsciiWhitespace(
        ToAbsl(colon == std::string::npos ? std::string_view(item) : std::string_view(item).substr(colon + 1))));
    const std::optional<Type> type = TargetType(type_name);
    if (!type.has_value()) {
      options.Problem("spec", StrCat("`", item, "`: Cast does not cast to `", type_name,
                                     "`; the types are ", kTypes));
      continue;
    }
    if (colon == std::string::npos) {
      whole = type;
    } else {
      fields[std::string(absl::StripAsciiWhitespace(ToAbsl(std::string_view(item).substr(0, colon))))] = *type;
    }
  }
  if (whole.has_value() && spec.size() > 1) {
    options.Problem("spec", "names a type for the whole value and other casts; a whole-value cast "
                            "must be the only one (Kafka Connect refuses it too)");
  }
  const bool replace = options.Bool("replace.null.with.default", true);
  if (options.failed()) return nullptr;
  return std::make_unique<Cast>(part, class_name, whole, std::move(fields), replace);
}

}  // namespace

std::unique_ptr<Transformation> MakeCastKey(TransformOptions& o) {
  return MakeCast(o, Part::kKey, kCastKeyClass);
}
std::unique_ptr<Transformation> MakeCastValue(TransformOptions& o) {
  return MakeCast(o, Part::kValue, kCastValueClass);
}

}  // namespace sluice::transform
