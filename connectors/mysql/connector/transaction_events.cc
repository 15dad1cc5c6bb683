#include "connectors/mysql/connector/transaction_events.h"

#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/record_append.h"

namespace sluice::mysql {

TransactionEvents::TransactionEvents(const Host& host, const ConnectorConfig& config)
    : host_(host), api_(host.api()), config_(config) {}

absl::Status TransactionEvents::EnsureSchemas() {
  if (key_ != nullptr) return absl::OkStatus();
  absl::StatusOr<const sluice_schema*> text = host_.Schema(SchemaOf(SLUICE_TYPE_STRING, false));
  absl::StatusOr<const sluice_schema*> count = host_.Schema(SchemaOf(SLUICE_TYPE_INT64, false));
  absl::StatusOr<const sluice_schema*> optional_count =
      host_.Schema(SchemaOf(SLUICE_TYPE_INT64, true));
  if (!text.ok() || !count.ok() || !optional_count.ok()) {
    return absl::InternalError("building the transaction metadata schemas failed");
  }
  // Names, versions and optionality as Debezium writes them (tests/reference/debezium: 3.6.1's
  // MySQL and 3.0.0's MariaDB connector agree).
  SchemaArgs key =
      SchemaOf(SLUICE_TYPE_STRUCT, false, "io.debezium.connector.common.TransactionMetadataKey", 1);
  key.fields = {{"id", *text}};
  absl::StatusOr<const sluice_schema*> key_schema = host_.Schema(key);
  if (!key_schema.ok()) return key_schema.status();
  SchemaArgs collection = SchemaOf(SLUICE_TYPE_STRUCT, true, "event.collection", 1);
  collection.fields = {{"data_collection", *text}, {"event_count", *count}};
  absl::StatusOr<const sluice_schema*> built = host_.Schema(collection);
  if (!built.ok()) return built.status();
  collection_ = *built;
  SchemaArgs collections = SchemaOf(SLUICE_TYPE_ARRAY, true);
  collections.items = collection_;
  built = host_.Schema(collections);
  if (!built.ok()) return built.status();
  collections_ = *built;
  SchemaArgs value = SchemaOf(SLUICE_TYPE_STRUCT, false,
                              "io.debezium.connector.common.TransactionMetadataValue", 1);
  value.fields = {{"status", *text},
                  {"id", *text},
                  {"event_count", *optional_count},
                  {"data_collections", collections_},
                  {"ts_ms", *count}};
  built = host_.Schema(value);
  if (!built.ok()) return built.status();
  value_ = *built;
  topic_ = absl::StrCat(config_.topic_prefix, ".transaction");
  key_ = *key_schema;
  return absl::OkStatus();
}

absl::Status TransactionEvents::Begin(sluice_batch* batch, const std::string& id, int64_t ts_ms,
                                      const OffsetState& offset) {
  return Boundary(batch, true, id, 0, {}, ts_ms, offset);
}

absl::Status TransactionEvents::End(
    sluice_batch* batch, const std::string& id, int64_t event_count,
    const std::vector<std::pair<std::string, int64_t>>& collections, int64_t ts_ms,
    const OffsetState& offset) {
  return Boundary(batch, false, id, event_count, collections, ts_ms, offset);
}

absl::Status TransactionEvents::Boundary(
    sluice_batch* batch, bool begin, const std::string& id, int64_t event_count,
    const std::vector<std::pair<std::string, int64_t>>& collections, int64_t ts_ms,
    const OffsetState& offset) {
  absl::Status status = EnsureSchemas();
  if (!status.ok()) return status;
  sluice_value* key = api_->struct_new(batch, key_);
  sluice_value* value = api_->struct_new(batch, value_);
  if (key == nullptr || value == nullptr) return absl::InternalError("struct_new refused");
  sluice_datum id_datum = sluice_datum_string(id.data(), id.size());
  api_->struct_set(key, 0, &id_datum);
  sluice_datum datum = begin ? sluice_datum_string("BEGIN", 5) : sluice_datum_string("END", 3);
  api_->struct_set(value, 0, &datum);
  api_->struct_set(value, 1, &id_datum);
  if (!begin) {
    datum = sluice_datum_int(event_count);
    api_->struct_set(value, 2, &datum);
    sluice_value* list = api_->array_new(batch, collections_, collections.size());
    for (const auto& [name, count] : collections) {
      sluice_value* item = api_->struct_new(batch, collection_);
      sluice_datum name_datum = sluice_datum_string(name.data(), name.size());
      api_->struct_set(item, 0, &name_datum);
      sluice_datum count_datum = sluice_datum_int(count);
      api_->struct_set(item, 1, &count_datum);
      sluice_datum item_datum = sluice_datum_value(item);
      api_->array_append(list, &item_datum);
    }
    datum = sluice_datum_value(list);
    api_->struct_set(value, 3, &datum);
  }
  datum = sluice_datum_int(ts_ms);
  api_->struct_set(value, 4, &datum);

  const OutgoingRecord record{
      .topic = topic_, .key_schema = key_, .key = key, .value_schema = value_, .value = value};
  return AppendRecord(api_, batch, config_.topic_prefix, record, offset, "a transaction record");
}

}  // namespace sluice::mysql
