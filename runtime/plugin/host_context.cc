#include "runtime/plugin/host_context.h"

#include <cstdio>

#include "runtime/common/string_view_compat.h"
#include "runtime/plugin/host_api.h"

namespace sluice::plugin {
namespace {

std::string_view View(sluice_str s) {
  return s.len == 0 ? std::string_view() : std::string_view(s.ptr, s.len);
}

std::string Who(std::string_view connector, int task_id) {
  if (task_id < 0) return StrCat("connector `", connector, "`");
  return StrCat("connector `", connector, "` task ", task_id);
}

}  // namespace

HostContext::HostContext(Kind kind, std::string connector_name, int task_id, LogSink log)
    : kind_(kind),
      connector_name_(std::move(connector_name)),
      who_(Who(connector_name_, task_id)),
      log_(log ? std::move(log) : StderrLogSink()),
      progress_(kind == Kind::kTask ? std::make_unique<TaskProgressSlot>() : nullptr) {}

void HostContext::Log(LogLevel level, std::string_view message) const {
  log_(level, who_, message);
}

void HostContext::SetError(sluice_status code, std::string_view message) {
  std::lock_guard<std::mutex> lock(error_mu_);
  error_.emplace(code, std::string(message));
}

absl::Status HostContext::TakeError(sluice_status returned, std::string_view operation) {
  std::optional<std::pair<sluice_status, std::string>> error;
  {
    std::lock_guard<std::mutex> lock(error_mu_);
    error.swap(error_);
  }
  int code = static_cast<int>(returned);
  if (code < 1 || code > 16) code = static_cast<int>(absl::StatusCode::kUnknown);
  std::string message = error.has_value() && !error->second.empty()
                            ? error->second
                            : StrCat("the connector returned status ", static_cast<int>(returned),
                                     " without a message");
  return absl::Status(static_cast<absl::StatusCode>(code),
                      ToAbsl(StrCat(who_, ": ", operation, " failed: ", message)));
}

sluice_status HostContext::RequestReconfiguration() {
  if (kind_ != Kind::kConnector) return SLUICE_FAILED_PRECONDITION;
  if (on_reconfigure_) on_reconfigure_();
  return SLUICE_OK;
}

void HostContext::SetCommittedOffsets(
    std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> committed) {
  committed_.clear();
  committed_.reserve(committed.size());  // no reallocation below: the views must stay put
  for (auto& [partition, offset] : committed) {
    committed_.push_back(CommittedOffset{std::move(partition), std::move(offset), {}});
    CommittedOffset& c = committed_.back();
    c.offset_entries = ScalarEntriesOf(c.offset.fields());
  }
}

sluice_status HostContext::OffsetGet(sluice_scalar_map partition, sluice_scalar_map* out) const {
  if (kind_ != Kind::kTask) return SLUICE_FAILED_PRECONDITION;
  if (out == nullptr || (partition.count > 0 && partition.entries == nullptr)) {
    return SLUICE_INVALID_ARGUMENT;
  }
  const offsets::SourcePartition wanted(OffsetFieldsOf(partition));
  for (const CommittedOffset& c : committed_) {
    if (c.partition == wanted) {
      out->entries = c.offset_entries.data();
      out->count = c.offset_entries.size();
      return SLUICE_OK;
    }
  }
  return SLUICE_NOT_FOUND;
}

absl::StatusOr<const data::Schema*> HostContext::CreateSchema(const sluice_schema_spec& spec) {
  constexpr size_t kSpecV1Size = offsetof(sluice_schema_spec, value_schema) + sizeof(void*);
  if (kind_ != Kind::kTask) {
    return absl::FailedPreconditionError("schema_create is only available to tasks");
  }
  if (spec.struct_size < kSpecV1Size) {
    return absl::InvalidArgumentError(StrCat("schema_create: struct_size ", spec.struct_size,
                                             " is smaller than ABI 1.0's ", kSpecV1Size));
  }
  if (spec.type < SLUICE_TYPE_INT8 || spec.type > SLUICE_TYPE_STRUCT) {
    return absl::InvalidArgumentError(StrCat("schema_create: unknown type ", spec.type));
  }
  auto resolve = [this](const sluice_schema* s,
                        std::string_view what) -> absl::StatusOr<data::SchemaPtr> {
    data::SchemaPtr p = FindSchema(reinterpret_cast<const data::Schema*>(s));
    if (p == nullptr) {
      return absl::InvalidArgumentError(
          StrCat("schema_create: ", what, " is not a schema created by this task"));
    }
    return p;
  };
  data::SchemaBuilder b(static_cast<data::Type>(spec.type));
  b.Optional(spec.optional != 0);
  if (spec.name.len > 0) b.Name(View(spec.name));
  if (spec.has_version != 0) b.Version(spec.version);
  if (spec.doc.len > 0) b.Doc(View(spec.doc));
  for (size_t i = 0; i < spec.parameter_count; ++i) {
    b.Parameter(View(spec.parameters[i].name), View(spec.parameters[i].value));
  }
  if (spec.default_value != nullptr) {
    const sluice_datum& d = *spec.default_value;
    switch (d.kind) {
      case SLUICE_DATUM_NULL:
        break;
      case SLUICE_DATUM_INT:
        b.Default(data::Value::Int(d.u.i));
        break;
      case SLUICE_DATUM_FLOAT:
        b.Default(data::Value::Float(d.u.f));
        break;
      case SLUICE_DATUM_BOOLEAN:
        b.Default(data::Value::Boolean(d.u.b != 0));
        break;
      case SLUICE_DATUM_STRING:
        b.Default(data::Value::String(View(d.u.str)));
        break;
      case SLUICE_DATUM_BYTES:
        b.Default(data::Value::Bytes(
            std::string_view(reinterpret_cast<const char*>(d.u.bytes.ptr), d.u.bytes.len)));
        break;
      default:
        return absl::InvalidArgumentError("schema_create: defaults must be primitives");
    }
  }
  for (size_t i = 0; i < spec.field_count; ++i) {
    const sluice_field_spec& f = spec.fields[i];
    absl::StatusOr<data::SchemaPtr> fs =
        resolve(f.schema, StrCat("the schema of field `", View(f.name), "`"));
    if (!fs.ok()) return fs.status();
    b.AddField(View(f.name), *fs);
  }
  if (spec.key_schema != nullptr) {
    absl::StatusOr<data::SchemaPtr> ks = resolve(spec.key_schema, "key_schema");
    if (!ks.ok()) return ks.status();
    b.KeySchema(*ks);
  }
  if (spec.value_schema != nullptr) {
    absl::StatusOr<data::SchemaPtr> vs = resolve(spec.value_schema, "value_schema");
    if (!vs.ok()) return vs.status();
    b.ValueSchema(*vs);
  }
  absl::StatusOr<data::SchemaPtr> built = b.Build();
  if (!built.ok()) return built.status();
  const data::Schema* raw = built->get();
  schemas_.emplace(raw, *std::move(built));
  return raw;
}

sluice_status HostContext::ReportProgress(const sluice_task_progress* report) {
  if (progress_ == nullptr) return SLUICE_FAILED_PRECONDITION;
  absl::Status status = progress_->Report(report);
  if (status.ok()) return SLUICE_OK;
  if (!progress_refusal_logged_.exchange(true)) {
    Log(LogLevel::kWarn, StrCat(ToStd(status.message()),
                                " (progress report refused; later refusals are not logged)"));
  }
  return static_cast<sluice_status>(status.code());
}

std::optional<TaskProgress> HostContext::progress() const {
  if (progress_ == nullptr) return std::nullopt;
  return progress_->Latest();
}

data::SchemaPtr HostContext::FindSchema(const data::Schema* schema) const {
  auto it = schemas_.find(schema);
  return it == schemas_.end() ? nullptr : it->second;
}

}  // namespace sluice::plugin
