#include "runtime/plugin/transform_instance.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/data/record.h"
#include "runtime/data/record_batch.h"

// The host's side of one instance: who it is, where its logs go, and the error slot its running
// callback fills (api->set_error).
struct sluice_transform_ctx {
  std::string who;  // "transform com.example.UppercaseField (transforms.up.)"
  sluice::LogSink log;
  sluice_status error_code = SLUICE_OK;
  std::string error_message;
};

// The record in flight, for the duration of one on_apply / on_test call.
struct sluice_transform_record {
  sluice::data::SourceRecord* record;
  sluice::data::RecordBatch* batch;
  // The key's and value's structs once copied by a first record_field_set (this call's own).
  sluice::data::StructValue* copied[2] = {nullptr, nullptr};
};

namespace sluice::plugin {
namespace {

using data::Schema;
using data::Type;
using data::Value;

std::string_view View(sluice_str s) { return s.ptr == nullptr ? std::string_view() : std::string_view(s.ptr, s.len); }
sluice_str Str(std::string_view s) { return sluice_str{s.data(), s.size()}; }

LogLevel LevelOf(sluice_log_level level) {
  switch (level) {
    case SLUICE_LOG_TRACE: return LogLevel::kTrace;
    case SLUICE_LOG_DEBUG: return LogLevel::kDebug;
    case SLUICE_LOG_INFO: return LogLevel::kInfo;
    case SLUICE_LOG_WARN: return LogLevel::kWarn;
    default: return LogLevel::kError;
  }
}

void Log(sluice_transform_ctx* ctx, sluice_log_level level, sluice_str message) {
  if (ctx != nullptr && ctx->log) ctx->log(LevelOf(level), ctx->who, View(message));
}

void SetError(sluice_transform_ctx* ctx, sluice_status code, sluice_str message) {
  if (ctx == nullptr) return;
  ctx->error_code = code;
  ctx->error_message.assign(View(message));
}

sluice_str RecordTopic(const sluice_transform_record* r) { return Str(r->record->topic); }

sluice_status RecordSetTopic(sluice_transform_record* r, sluice_str topic) {
  if (r->batch == nullptr) return SLUICE_FAILED_PRECONDITION;  // a predicate's record: read-only
  if (topic.len == 0) return SLUICE_INVALID_ARGUMENT;
  r->record->topic = r->batch->Copy(View(topic));
  return SLUICE_OK;
}

const Value& PartValue(const sluice_transform_record* r, uint32_t part) {
  return part == SLUICE_RECORD_KEY ? r->record->key : r->record->value;
}

int32_t RecordIsNull(const sluice_transform_record* r, uint32_t part) {
  return PartValue(r, part).is_null() ? 1 : 0;
}

// A primitive value as a datum (views into the value); UNIMPLEMENTED for containers.
sluice_status ToDatum(const Value& v, sluice_datum* out) {
  *out = sluice_datum{};
  switch (v.kind) {
    case data::ValueKind::kNull: out->kind = SLUICE_DATUM_NULL; return SLUICE_OK;
    case data::ValueKind::kInt: out->kind = SLUICE_DATUM_INT; out->u.i = v.i; return SLUICE_OK;
    case data::ValueKind::kFloat: out->kind = SLUICE_DATUM_FLOAT; out->u.f = v.f; return SLUICE_OK;
    case data::ValueKind::kBoolean: out->kind = SLUICE_DATUM_BOOLEAN; out->u.b = v.b ? 1 : 0; return SLUICE_OK;
    case data::ValueKind::kString: out->kind = SLUICE_DATUM_STRING; out->u.str = Str(v.str()); return SLUICE_OK;
    case data::ValueKind::kBytes:
      out->kind = SLUICE_DATUM_BYTES;
      out->u.bytes = sluice_bytes{reinterpret_cast<const uint8_t*>(v.data), v.size};
      return SLUICE_OK;
    default: return SLUICE_UNIMPLEMENTED;
  }
}

sluice_status RecordHeaderGet(const sluice_transform_record* r, sluice_str key, sluice_datum* out) {
  const data::Header* found = nullptr;
  for (const data::Header& h : r->record->headers) {
    if (h.key == View(key)) found = &h;
  }
  if (found == nullptr) return SLUICE_NOT_FOUND;
  return ToDatum(found->value, out);
}

// The struct `part` holds and the index of field `name` in it.
sluice_status FindField(const sluice_transform_record* r, uint32_t part, sluice_str name,
                        const data::StructValue** s, int32_t* index) {
  const Value& v = PartValue(r, part);
  const Schema* schema = part == SLUICE_RECORD_KEY ? r->record->key_schema : r->record->value_schema;
  if (schema == nullptr || v.kind != data::ValueKind::kStruct) return SLUICE_FAILED_PRECONDITION;
  *s = v.s;
  *index = v.s->schema->FieldIndex(View(name));
  return *index < 0 ? SLUICE_NOT_FOUND : SLUICE_OK;
}

sluice_status RecordFieldGet(const sluice_transform_record* r, uint32_t part, sluice_str name,
                             sluice_datum* out, uint32_t* type) {
  const data::StructValue* s = nullptr;
  int32_t index = -1;
  if (sluice_status st = FindField(r, part, name, &s, &index); st != SLUICE_OK) return st;
  if (type != nullptr) *type = static_cast<uint32_t>(s->schema->fields()[index].schema->type());
  return ToDatum(s->fields[index], out);
}

// `d` as a value of a field of schema `f`, copied into `batch`; nullopt when it does not suit.
std::optional<Value> FromDatum(const sluice_datum& d, const Schema& f, data::RecordBatch& batch) {
  switch (d.kind) {
    case SLUICE_DATUM_NULL:
      if (!f.optional()) return std::nullopt;
      return Value::Null();
    case SLUICE_DATUM_INT: {
      static constexpr int64_t kMax[] = {INT8_MAX, INT16_MAX, INT32_MAX, INT64_MAX};
      if (!data::IsInteger(f.type())) return std::nullopt;
      const int64_t max = kMax[static_cast<int>(f.type()) - static_cast<int>(Type::kInt8)];
      if (d.u.i > max || d.u.i < -max - 1) return std::nullopt;
      return Value::Int(d.u.i);
    }
    case SLUICE_DATUM_FLOAT:
      if (f.type() != Type::kFloat32 && f.type() != Type::kFloat64) return std::nullopt;
      return Value::Float(f.type() == Type::kFloat32 ? static_cast<float>(d.u.f) : d.u.f);
    case SLUICE_DATUM_BOOLEAN:
      if (f.type() != Type::kBoolean) return std::nullopt;
      return Value::Boolean(d.u.b != 0);
    case SLUICE_DATUM_STRING:
      if (f.type() != Type::kString) return std::nullopt;
      return Value::String(batch.Copy(View(d.u.str)));
    case SLUICE_DATUM_BYTES:
      if (f.type() != Type::kBytes) return std::nullopt;
      return Value::Bytes(batch.Copy(std::string_view(reinterpret_cast<const char*>(d.u.bytes.ptr), d.u.bytes.len)));
    default:
      return std::nullopt;
  }
}

sluice_status RecordFieldSet(sluice_transform_record* r, uint32_t part, sluice_str name,
                             const sluice_datum* value) {
  const data::StructValue* s = nullptr;
  int32_t index = -1;
  if (sluice_status st = FindField(r, part, name, &s, &index); st != SLUICE_OK) return st;
  if (value == nullptr) return SLUICE_INVALID_ARGUMENT;
  if (r->batch == nullptr) return SLUICE_FAILED_PRECONDITION;  // a predicate's record: read-only
  std::optional<Value> v = FromDatum(*value, *s->schema->fields()[index].schema, *r->batch);
  if (!v.has_value()) return SLUICE_INVALID_ARGUMENT;
  const int slot = part == SLUICE_RECORD_KEY ? 0 : 1;
  if (r->copied[slot] == nullptr) {
    // The struct may be shared with other records (a connector's reused value): copy it once.
    r->copied[slot] = r->batch->CopyStruct(s);
    if (r->copied[slot] == nullptr) return SLUICE_INTERNAL;
    (part == SLUICE_RECORD_KEY ? r->record->key : r->record->value) = Value::Of(r->copied[slot]);
  }
  r->copied[slot]->fields[index] = *v;
  return SLUICE_OK;
}

constexpr sluice_transform_host_api kApi = {
    sizeof(sluice_transform_host_api), Log, SetError, RecordTopic, RecordSetTopic, RecordIsNull,
    RecordHeaderGet, RecordFieldGet, RecordFieldSet,
};

// One instance of a plugin class, started with its options; destroyed with the adapter.
class Instance {
 public:
  Instance(std::shared_ptr<const TransformLibrary> library, const sluice_transform_descriptor& d,
           std::string who, LogSink log)
      : library_(std::move(library)), d_(d) {
    ctx_.who = std::move(who);
    ctx_.log = std::move(log);
  }
  ~Instance() {
    if (started_) d_.on_destroy(instance_);
  }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  absl::Status Start(const std::vector<std::pair<std::string, std::string>>& options) {
    std::vector<sluice_config_entry> entries;
    for (const auto& [k, v] : options) entries.push_back({Str(k), Str(v)});
    const sluice_status st = Call([&] {
      return d_.on_start(TransformHostApi(), &ctx_, entries.data(), entries.size(), &instance_);
    });
    started_ = instance_ != nullptr;  // destroyed even when start failed after storing one
    if (st == SLUICE_OK && !started_) {
      return absl::InternalError(StrCat(ctx_.who, ": on_start returned OK without an instance"));
    }
    return Failure(st, "on_start");
  }

  // Runs `call` with the error slot cleared.
  template <typename Callback>
  sluice_status Call(Callback call) {
    ctx_.error_code = SLUICE_OK;
    ctx_.error_message.clear();
    return call();
  }
  // OK, or the callback's code with its message (set_error's, else a generic one).
  absl::Status Failure(sluice_status st, std::string_view callback) const {
    if (st == SLUICE_OK) return absl::OkStatus();
    const int code = (st > SLUICE_OK && st <= SLUICE_DATA_LOSS) ? st : SLUICE_UNKNOWN;
    return absl::Status(static_cast<absl::StatusCode>(code),
                        StrCat(ctx_.who, ": ", callback, " failed: ",
                               ctx_.error_message.empty() ? StrCat("code ", static_cast<int>(st))
                                                          : ctx_.error_message));
  }

  const sluice_transform_descriptor& d() const { return d_; }
  void* instance() const { return instance_; }
  void Log(LogLevel level, std::string_view message) const {
    if (ctx_.log) ctx_.log(level, ctx_.who, message);
  }

 private:
  const std::shared_ptr<const TransformLibrary> library_;  // keeps the code mapped
  const sluice_transform_descriptor& d_;
  sluice_transform_ctx ctx_;
  void* instance_ = nullptr;
  bool started_ = false;
};

class PluginTransformation final : public transform::Transformation {
 public:
  explicit PluginTransformation(std::unique_ptr<Instance> instance) : i_(std::move(instance)) {}
  absl::Status Apply(data::SourceRecord& record, data::RecordBatch& batch,
                     transform::Verdict& verdict) override {
    sluice_transform_record handle{&record, &batch};
    uint32_t v = SLUICE_TRANSFORM_KEEP;
    const sluice_status st = i_->Call([&] { return i_->d().on_apply(i_->instance(), &handle, &v); });
    if (absl::Status s = i_->Failure(st, "on_apply"); !s.ok()) return s;
    if (v != SLUICE_TRANSFORM_KEEP && v != SLUICE_TRANSFORM_DROP) {
      return absl::InternalError(StrCat(i_->d().class_name, ": on_apply gave verdict ", v,
                                        " (0 keep, 1 drop)"));
    }
    verdict = v == SLUICE_TRANSFORM_DROP ? transform::Verdict::kDrop : transform::Verdict::kKeep;
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<Instance> i_;
};

class PluginPredicate final : public transform::Predicate {
 public:
  explicit PluginPredicate(std::unique_ptr<Instance> instance) : i_(std::move(instance)) {}
  // A failing on_test fails the record, as a failing on_apply does (the task's errors.tolerance
  // decides). The handle has no batch, so the record functions that write refuse (the ABI hands
  // it over const).
  absl::StatusOr<bool> Test(const data::SourceRecord& record) override {
    sluice_transform_record handle{const_cast<data::SourceRecord*>(&record), nullptr};
    int32_t result = 0;
    const sluice_status st = i_->Call([&] { return i_->d().on_test(i_->instance(), &handle, &result); });
    if (absl::Status s = i_->Failure(st, "on_test"); !s.ok()) return s;
    return result != 0;
  }

 private:
  std::unique_ptr<Instance> i_;
};

// The declared options read from `options`, defaults filled in; nullopt when one is refused.
std::optional<std::vector<std::pair<std::string, std::string>>> ReadOptions(
    const sluice_transform_descriptor& d, transform::TransformOptions& options) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < d.config_def_count; ++i) {
    const sluice_config_def* c = TransformConfigDefAt(d, i);
    const bool given = options.Has(c->name);
    const std::string value = options.String(c->name, c->default_value != nullptr ? c->default_value : "");
    if (c->required && value.empty()) {
      options.Problem(c->name, StrCat("is required by ", d.class_name,
                                      c->doc != nullptr ? StrCat(": ", c->doc) : std::string()));
      continue;
    }
    if (!given && c->default_value == nullptr) continue;
    bool ok = true;
    int32_t i32;
    int64_t i64;
    double dbl;
    switch (c->type) {
      case SLUICE_CONFIG_INT: ok = absl::SimpleAtoi(value, &i32); break;
      case SLUICE_CONFIG_LONG: ok = absl::SimpleAtoi(value, &i64); break;
      case SLUICE_CONFIG_DOUBLE: ok = absl::SimpleAtod(value, &dbl); break;
      case SLUICE_CONFIG_BOOLEAN: options.Bool(c->name, false); break;  // records its own problem
      default: break;
    }
    if (!ok) {
      static constexpr const char* kTypes[] = {"", "string", "int", "long", "double", "boolean", "list", "password"};
      options.Problem(c->name, StrCat("must be a ", kTypes[c->type], ", not `", value, "`"));
    }
    out.emplace_back(c->name, value);
  }
  if (options.failed()) return std::nullopt;
  return out;
}

std::unique_ptr<Instance> Started(std::shared_ptr<const TransformLibrary> library,
                                  const sluice_transform_descriptor& d, const LogSink& log,
                                  transform::TransformOptions& options) {
  std::optional<std::vector<std::pair<std::string, std::string>>> config = ReadOptions(d, options);
  if (!config.has_value()) return nullptr;
  auto instance = std::make_unique<Instance>(
      std::move(library), d, StrCat(d.kind == SLUICE_TRANSFORM_KIND_PREDICATE ? "predicate " : "transform ", d.class_name), log);
  if (absl::Status s = instance->Start(*config); !s.ok()) {
    options.Problem("type", std::string(s.message()));
    return nullptr;
  }
  return instance;
}

}  // namespace

const sluice_config_def* TransformConfigDefAt(const sluice_transform_descriptor& d, size_t i) {
  const auto* base = reinterpret_cast<const unsigned char*>(d.config_defs);
  return reinterpret_cast<const sluice_config_def*>(base + i * d.config_defs->struct_size);
}

const sluice_transform_host_api* TransformHostApi() { return &kApi; }

std::unique_ptr<transform::Transformation> MakePluginTransformation(
    std::shared_ptr<const TransformLibrary> library, const sluice_transform_descriptor& d,
    const LogSink& log, transform::TransformOptions& options) {
  std::unique_ptr<Instance> i = Started(std::move(library), d, log, options);
  if (i == nullptr) return nullptr;
  return std::make_unique<PluginTransformation>(std::move(i));
}

std::unique_ptr<transform::Predicate> MakePluginPredicate(
    std::shared_ptr<const TransformLibrary> library, const sluice_transform_descriptor& d,
    const LogSink& log, transform::TransformOptions& options) {
  std::unique_ptr<Instance> i = Started(std::move(library), d, log, options);
  if (i == nullptr) return nullptr;
  return std::make_unique<PluginPredicate>(std::move(i));
}

}  // namespace sluice::plugin
