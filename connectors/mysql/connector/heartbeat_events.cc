#include "connectors/mysql/connector/heartbeat_events.h"

#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/clock.h"
#include "connectors/mysql/connector/record_append.h"

namespace sluice::mysql {

HeartbeatEvents::HeartbeatEvents(const Host& host, const ConnectorConfig& config)
    : host_(host), api_(host.api()), config_(config) {}

absl::Status HeartbeatEvents::EnsureSchemas() {
  if (key_ != nullptr) return absl::OkStatus();
  absl::StatusOr<const sluice_schema*> name = host_.Schema(SchemaOf(SLUICE_TYPE_STRING, false));
  if (!name.ok()) return name.status();
  // Version 1 on both, as Debezium writes them (tests/reference/debezium).
  SchemaArgs key =
      SchemaOf(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.common.ServerNameKey", 1);
  key.fields = {{"serverName", *name}};
  absl::StatusOr<const sluice_schema*> key_schema = host_.Schema(key);
  if (!key_schema.ok()) return key_schema.status();
  absl::StatusOr<const sluice_schema*> ts = host_.Schema(SchemaOf(SLUICE_TYPE_INT64, false));
  if (!ts.ok()) return ts.status();
  SchemaArgs value = SchemaOf(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.common.Heartbeat", 1);
  value.fields = {{"ts_ms", *ts}};
  absl::StatusOr<const sluice_schema*> value_schema = host_.Schema(value);
  if (!value_schema.ok()) return value_schema.status();
  value_ = *value_schema;
  topic_ = absl::StrCat("__debezium-heartbeat.", config_.topic_prefix);
  key_ = *key_schema;
  return absl::OkStatus();
}

absl::Status HeartbeatEvents::Heartbeat(sluice_batch* batch, const OffsetState& offset) {
  absl::Status status = EnsureSchemas();
  if (!status.ok()) return status;
  sluice_value* key = api_->struct_new(batch, key_);
  sluice_value* value = api_->struct_new(batch, value_);
  if (key == nullptr || value == nullptr) return absl::InternalError("struct_new refused");
  sluice_datum name = sluice_datum_string(config_.topic_prefix.data(), config_.topic_prefix.size());
  api_->struct_set(key, 0, &name);
  sluice_datum ts = sluice_datum_int(WallClockNanos() / 1000000);
  api_->struct_set(value, 0, &ts);

  const OutgoingRecord record{
      .topic = topic_, .key_schema = key_, .key = key, .value_schema = value_, .value = value};
  return AppendRecord(api_, batch, config_.topic_prefix, record, offset, "a heartbeat record");
}

}  // namespace sluice::mysql
