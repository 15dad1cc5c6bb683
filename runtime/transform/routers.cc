#include "runtime/transform/routers.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/transform/java_date_format.h"
#include "runtime/transform/java_regex.h"
#include "runtime/transform/schema_util.h"
#include "runtime/transform/topic_memo.h"

namespace sluice::transform {
namespace {

using data::Schema;
using data::SchemaPtr;
using data::SourceRecord;
using data::StructValue;
using data::Value;

// The new name when `regex` matches the whole of `topic`, else nullopt.
std::optional<std::string> Rename(const JavaRegex& regex, std::string_view replacement,
                                  std::string_view topic) {
  if (!regex.Matches(topic)) return std::nullopt;
  return regex.ReplaceFirst(topic, replacement);
}

// Reads a required regex and its replacement, refusing a replacement that names a group the
// regex lacks (Java would throw at the first record).
std::optional<std::pair<JavaRegex, std::string>> RegexAndReplacement(
    TransformOptions& options, std::string_view regex_option, std::string_view replacement_option,
    bool replacement_required) {
  std::optional<JavaRegex> regex = options.Regex(regex_option, /*required=*/true);
  const std::string replacement =
      replacement_required
          ? options.RequiredString(replacement_option, "the new topic name, `$1` for group 1")
          : options.String(replacement_option);
  if (!regex.has_value()) return std::nullopt;
  if (std::optional<std::string> problem = regex->CheckReplacement(replacement)) {
    options.Problem(replacement_option, StrCat("`", replacement, "` ", *problem));
    return std::nullopt;
  }
  return std::make_pair(*std::move(regex), replacement);
}

class RegexRouter final : public Transformation {
 public:
  RegexRouter(JavaRegex regex, std::string replacement)
      : regex_(std::move(regex)), replacement_(std::move(replacement)) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch&, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const std::optional<std::string>& renamed = topics_.Get(
        record.topic, [this](std::string_view topic) { return Rename(regex_, replacement_, topic); });
    if (renamed.has_value()) record.topic = *renamed;
    return absl::OkStatus();
  }

 private:
  const JavaRegex regex_;
  const std::string replacement_;
  TopicMemo<std::optional<std::string>> topics_;
};

// Debezium's schema.name.adjustment.mode=avro: characters an Avro full name cannot hold become
// `_` (a leading digit is kept after its `_`). One `_` per character, as Java counts UTF-16 units
// for the names topics have (ASCII); a multi-byte UTF-8 sequence is one character here.
std::string AvroName(std::string_view name) {
  std::string out;
  bool first = true;
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: its character was replaced
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (first) {
      if (letter) {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('_');
        if (digit) out.push_back(static_cast<char>(c));
      }
      first = false;
      continue;
    }
    out.push_back(letter || digit || c == '.' ? static_cast<char>(c) : '_');
  }
  return out;
}

class ByLogicalTableRouter final : public Transformation {
 public:
  ByLogicalTableRouter(JavaRegex topic_regex, std::string topic_replacement, bool unique_keys,
                       std::optional<JavaRegex> key_regex, std::string key_replacement,
                       std::string key_field, bool avro_names)
      : topic_regex_(std::move(topic_regex)),
        topic_replacement_(std::move(topic_replacement)),
        unique_keys_(unique_keys),
        key_regex_(std::move(key_regex)),
        key_replacement_(std::move(key_replacement)),
        key_field_(std::move(key_field)),
        avro_names_(avro_names) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    const Route& route = routes_.Get(record.topic, [this](std::string_view topic) {
      Route r;
      r.topic = Rename(topic_regex_, topic_replacement_, topic);
      if (r.topic.has_value() && key_regex_.has_value()) {
        r.identifier = Rename(*key_regex_, key_replacement_, topic).value_or(std::string(topic));
      } else {
        r.identifier = std::string(topic);
      }
      return r;
    });
    // No match, or an empty name (Debezium logs a warning): the record goes on unchanged.
    if (!route.topic.has_value() || route.topic->empty()) return absl::OkStatus();

    if (!record.key.is_null()) {
      if (record.key.kind != data::ValueKind::kStruct) {
        return absl::InvalidArgumentError(StrCat(kByLogicalTableRouterClass, ": the key of a record on `",
                                                 record.topic, "` is not a struct"));
      }
      const StructValue* old_key = record.key.s;
      const Schema* key_schema = KeySchema(*old_key->schema, *route.topic);
      auto* key = batch.NewStruct(key_schema);
      const size_t n = old_key->schema->fields().size();
      std::copy_n(old_key->fields, n, key->fields);
      if (unique_keys_) key->fields[n] = Value::String(route.identifier);
      record.key = Value::Of(key);
      record.key_schema = key_schema;
    } else {
      record.key_schema = nullptr;  // Debezium sends a null key with a null schema
    }

    if (!record.value.is_null() && record.value_schema != nullptr &&
        absl::EndsWith(record.value_schema->name(), ".Envelope") &&
        record.value.kind == data::ValueKind::kStruct) {
      const StructValue* old = record.value.s;
      const Envelope& env = EnvelopeSchema(*old->schema, *route.topic);
      if (env.schema == nullptr) {
        return absl::InvalidArgumentError(StrCat(kByLogicalTableRouterClass, ": the envelope on `",
                                                 record.topic, "` has no `before` field"));
      }
      auto* value = batch.NewStruct(env.schema.get());
      const size_t n = old->schema->fields().size();
      for (size_t i = 0; i < n; ++i) {
        const Value& v = old->fields[i];
        if ((i == env.before || i == env.after) && v.kind == data::ValueKind::kStruct) {
          auto* row = batch.arena().AllocateArray<StructValue>(1);
          *row = *v.s;  // the same field slots under the renamed row schema
          row->schema = env.row.get();
          row->batch = &batch;
          value->fields[i] = Value::Of(row);
        } else {
          value->fields[i] = v;
        }
      }
      record.value = Value::Of(value);
      record.value_schema = env.schema.get();
    }
    record.topic = *route.topic;
    return absl::OkStatus();
  }

 private:
  struct Route {
    std::optional<std::string> topic;
    std::string identifier;  // the key field's value
  };
  struct Envelope {
    SchemaPtr schema;
    SchemaPtr row;
    size_t before = 0;
    size_t after = 0;
  };

  std::string Adjust(std::string name) const { return avro_names_ ? AvroName(name) : name; }

  // Debezium caches by the old schema only: the first topic seen names the new schema.
  const Schema* KeySchema(const Schema& old, const std::string& topic) {
    const DerivedCache<SchemaPtr>::Key key{old.id(), 0};
    if (const SchemaPtr* found = keys_.Find(key)) return found->get();
    data::SchemaBuilder b = CopySchemaBasics(old, data::Type::kStruct);
    b.Name(Adjust(StrCat(topic, ".Key"))).Optional(old.optional());
    for (const data::Field& f : old.fields()) b.AddField(f.name, f.schema);
    if (unique_keys_) b.AddField(key_field_, data::PrimitiveSchema(data::Type::kString));
    absl::StatusOr<SchemaPtr> built = b.Build();
    return keys_.Put(key, built.ok() ? *built : nullptr)->get();
  }

  const Envelope& EnvelopeSchema(const Schema& old, const std::string& topic) {
    const DerivedCache<Envelope>::Key key{old.id(), 0};
    if (const Envelope* found = envelopes_.Find(key)) return *found;
    Envelope env;
    const int32_t before = old.FieldIndex("before");
    const int32_t after = old.FieldIndex("after");
    if (before >= 0) {
      const Schema& row = *old.fields()[before].schema;
      data::SchemaBuilder rb = CopySchemaBasics(row, data::Type::kStruct);
      rb.Name(Adjust(StrCat(topic, ".Value"))).Optional(row.optional());
      for (const data::Field& f : row.fields()) rb.AddField(f.name, f.schema);
      env.row = *rb.Build();
      data::SchemaBuilder eb = CopySchemaBasics(old, data::Type::kStruct);
      eb.Name(Adjust(StrCat(topic, ".Envelope"))).Optional(old.optional());
      for (const data::Field& f : old.fields()) {
        eb.AddField(f.name, f.name == "before" || f.name == "after" ? env.row : f.schema);
      }
      env.schema = *eb.Build();
      env.before = static_cast<size_t>(before);
      env.after = after >= 0 ? static_cast<size_t>(after) : env.before;
    }
    return *envelopes_.Put(key, std::move(env));
  }

  const JavaRegex topic_regex_;
  const std::string topic_replacement_;
  const bool unique_keys_;
  const std::optional<JavaRegex> key_regex_;
  const std::string key_replacement_;
  const std::string key_field_;
  const bool avro_names_;
  TopicMemo<Route> routes_;
  DerivedCache<SchemaPtr> keys_;
  DerivedCache<Envelope> envelopes_;
};

// TimestampRouter: the topic becomes `topic.format` with ${topic} and ${timestamp} (the record's
// timestamp formatted per `timestamp.format`, in UTC). A record without a timestamp fails the
// task, as in Kafka Connect (the MySQL connector's records carry none: the producer stamps them).
class TimestampRouter final : public Transformation {
 public:
  TimestampRouter(std::string topic_format, std::vector<DatePart> date_format)
      : topic_format_(std::move(topic_format)), date_format_(std::move(date_format)) {}

  absl::Status Apply(SourceRecord& record, data::RecordBatch& batch, Verdict& verdict) override {
    verdict = Verdict::kKeep;
    if (record.timestamp_ms < 0) {
      return absl::InvalidArgumentError(StrCat(kTimestampRouterClass,
                                               ": timestamp missing on a record on `", record.topic,
                                               "` (the connector sets none)"));
    }
    stamp_.clear();
    FormatUtc(date_format_, record.timestamp_ms, stamp_);
    topic_.clear();
    for (size_t i = 0; i < topic_format_.size();) {
      if (topic_format_.compare(i, 8, "${topic}") == 0) {
        topic_.append(record.topic);
        i += 8;
      } else if (topic_format_.compare(i, 12, "${timestamp}") == 0) {
        topic_ += stamp_;
        i += 12;
      } else {
        topic_ += topic_format_[i++];
      }
    }
    record.topic = batch.Copy(topic_);
    return absl::OkStatus();
  }

 private:
  const std::string topic_format_;
  const std::vector<DatePart> date_format_;
  std::string stamp_;  // reused buffers: no heap allocation per record once grown
  std::string topic_;
};

}  // namespace

std::unique_ptr<Transformation> MakeTimestampRouter(TransformOptions& options) {
  std::string topic_format = options.String("topic.format", "${topic}-${timestamp}");
  const std::string date_format = options.String("timestamp.format", "yyyyMMdd");
  absl::StatusOr<std::vector<DatePart>> parts = ParseDateFormat(date_format);
  if (!parts.ok()) {
    options.Problem("timestamp.format", StrCat("`", date_format, "` ", parts.status().message()));
  }
  if (options.failed()) return nullptr;
  return std::make_unique<TimestampRouter>(std::move(topic_format), *std::move(parts));
}

std::unique_ptr<Transformation> MakeRegexRouter(TransformOptions& options) {
  auto regex = RegexAndReplacement(options, "regex", "replacement", /*replacement_required=*/true);
  if (options.failed() || !regex.has_value()) return nullptr;
  return std::make_unique<RegexRouter>(std::move(regex->first), std::move(regex->second));
}

std::unique_ptr<Transformation> MakeByLogicalTableRouter(TransformOptions& options) {
  auto topic = RegexAndReplacement(options, "topic.regex", "topic.replacement",
                                   /*replacement_required=*/true);
  const bool unique_keys = options.Bool("key.enforce.uniqueness", true);
  std::optional<std::pair<JavaRegex, std::string>> key;
  if (!options.String("key.field.regex").empty()) {
    key = RegexAndReplacement(options, "key.field.regex", "key.field.replacement",
                              /*replacement_required=*/false);
    if (key.has_value() && key->second.empty()) {
      options.Problem("key.field.replacement",
                      "must be non-empty when key.field.regex is set: it makes the physical "
                      "table identifier, e.g. `$1`");
    }
  } else {
    (void)options.String("key.field.replacement");
  }
  const std::string key_field = options.String("key.field.name", "__dbz__physicalTableIdentifier");
  const std::string adjustment =
      options.Enum("schema.name.adjustment.mode", "none", {"none", "avro", "avro_unicode"});
  if (adjustment == "avro_unicode") {
    options.Problem("schema.name.adjustment.mode",
                    "avro_unicode is not supported by this worker; use none or avro");
  }
  (void)options.Int("logical.table.cache.size", 16, 1);  // caches here hold every table
  if (options.failed() || !topic.has_value()) return nullptr;
  std::optional<JavaRegex> key_regex;
  std::string key_replacement;
  if (key.has_value()) {
    key_regex = std::move(key->first);
    key_replacement = std::move(key->second);
  }
  return std::make_unique<ByLogicalTableRouter>(std::move(topic->first), std::move(topic->second),
                                                unique_keys, std::move(key_regex),
                                                std::move(key_replacement), key_field,
                                                adjustment == "avro");
}

}  // namespace sluice::transform
