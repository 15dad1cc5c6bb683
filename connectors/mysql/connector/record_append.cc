#include "connectors/mysql/connector/record_append.h"

#include "absl/strings/str_cat.h"

namespace sluice::mysql {

absl::Status AppendRecord(const sluice_host_api* api, sluice_batch* batch,
                          const std::string& server_name, const OutgoingRecord& record,
                          const OffsetState& offset, absl::string_view what) {
  const sluice_scalar_entry partition = SourcePartition(server_name);
  sluice_scalar_entry entries[kMaxOffsetEntries];
  const size_t count = OffsetEntries(offset, entries);

  sluice_record_spec spec{};
  spec.struct_size = sizeof(spec);
  spec.topic = sluice_str{record.topic.data(), record.topic.size()};
  spec.partition = record.kafka_partition;
  if (record.key != nullptr) {
    spec.key_schema = record.key_schema;
    spec.key = sluice_datum_value(record.key);
  } else {
    spec.key = sluice_datum_null();
  }
  if (record.value != nullptr) {
    spec.value_schema = record.value_schema;
    spec.value = sluice_datum_value(record.value);
  } else {
    spec.value = sluice_datum_null();
  }
  spec.timestamp_ms = -1;
  spec.source_timestamp_ms = record.source_timestamp_ms;
  spec.headers = record.header;
  spec.header_count = record.header != nullptr ? 1 : 0;
  spec.source_partition = sluice_scalar_map{&partition, 1};
  spec.source_offset = sluice_scalar_map{entries, count};
  const sluice_status status = api->record_append(batch, &spec);
  if (status != SLUICE_OK) {
    return absl::Status(static_cast<absl::StatusCode>(status),
                        absl::StrCat(what, " was refused by the worker (see its log)"));
  }
  return absl::OkStatus();
}

}  // namespace sluice::mysql
