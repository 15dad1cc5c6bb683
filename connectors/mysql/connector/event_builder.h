#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_EVENT_BUILDER_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_EVENT_BUILDER_H_

// Debezium change events for one table version: the key, value and envelope schemas (built once
// per table version and reused for every row), and the records of each operation (c/u/d/r/t,
// tombstones, primary-key changes with the __debezium.newkey/oldkey headers).
//
// Thread: the task thread (schema and value building are host calls of that thread).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "connectors/mysql/connector/column_def.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/table_structure.h"
#include "connectors/mysql/connector/value_encoding.h"
#include "sluice/binlog/column_value.h"

namespace sluice::mysql {

// A table version as events see it.
struct TableSchema {
  std::string db, table, topic;
  std::vector<ColumnDef> defs;      // the captured columns, in table order
  std::vector<int> source_columns;  // defs[i] is column source_columns[i] of the table / row
  std::vector<int> key_fields;      // indexes into defs, in primary-key order; empty: no key
  const sluice_schema* key = nullptr;
  const sluice_schema* value = nullptr;
  const sluice_schema* envelope = nullptr;
};

// The envelope's `transaction` block (provide.transaction.metadata).
struct TransactionInfo {
  std::string id;
  int64_t total_order = 0;
  int64_t data_collection_order = 0;
};

// Where a record sits in the binlog: the source block's fields and the record's offset.
struct SourcePosition {
  std::string file;                // source.file: the binlog file of this event
  int64_t pos = 0;                 // source.pos: where this event starts
  int32_t row = 0;                 // source.row
  int64_t ts_sec = 0;              // event time, seconds
  int64_t server_id = 0;           // the originating server
  std::string gtid;                // this transaction's GTID, or empty
  const char* snapshot = nullptr;  // source.snapshot: "true", "first", "last", ...; null = "false"
  const TransactionInfo* transaction = nullptr;  // null: the envelope's transaction is null
};

// A Debezium offset (FORMATS.md "Offsets"), owned.
struct OffsetState {
  std::string file;
  int64_t pos = 0;
  std::string gtids;
  int64_t event = 0;
  int64_t row = 0;
  int64_t ts_sec = 0;
  int64_t server_id = 0;
  bool snapshot = false;  // "snapshot": "INITIAL" while a snapshot runs
};

// Converts one row image, column by column, into a value for the host.
class RowSource {
 public:
  virtual ~RowSource() = default;
  // The datum of defs[field] (geometry handled by the builder through GeometryOf).
  virtual absl::StatusOr<sluice_datum> Datum(const TableSchema& schema, size_t field,
                                             Scratch& scratch) = 0;
  // For kGeometry fields: is it null, and its WKB and SRID.
  virtual bool GeometryOf(const TableSchema& schema, size_t field, absl::Span<const uint8_t>* wkb,
                          int32_t* srid) = 0;
};

// A row image from the binlog.
class BinlogRow : public RowSource {
 public:
  explicit BinlogRow(const std::vector<binlog::ColumnValue>& image) : image_(image) {}
  const std::vector<binlog::ColumnValue>& image() const { return image_; }
  absl::StatusOr<sluice_datum> Datum(const TableSchema& schema, size_t field,
                                     Scratch& scratch) override;
  bool GeometryOf(const TableSchema& schema, size_t field, absl::Span<const uint8_t>* wkb,
                  int32_t* srid) override;

 private:
  const std::vector<binlog::ColumnValue>& image_;
};

class EventBuilder {
 public:
  EventBuilder(const Host& host, const ConnectorConfig& config);

  // Call at the start of every poll: what was built into an earlier poll's batch is gone.
  void StartPoll() { last_source_ = LastSource(); }

  // Builds the schemas of one table version. `defs`/`source_columns` as in TableSchema;
  // `key_fields` indexes into defs.
  absl::StatusOr<std::unique_ptr<TableSchema>> BuildTable(const std::string& db,
                                                          const std::string& table,
                                                          std::vector<ColumnDef> defs,
                                                          std::vector<int> source_columns,
                                                          std::vector<int> key_fields);

  // Appends the records of one change. `before`/`after` may be null as the op says.
  // `done` is the offset once this row is emitted; `pending` the offset before it (carried by
  // all but the last record of the row, so a crash between them replays the row).
  absl::Status Change(sluice_batch* batch, const TableSchema& schema, char op, RowSource* before,
                      RowSource* after, const SourcePosition& source, const OffsetState& pending,
                      const OffsetState& done);
  absl::Status Truncate(sluice_batch* batch, const TableSchema& schema,
                        const SourcePosition& source, const OffsetState& done);

  // A heartbeat to __debezium-heartbeat.<topic.prefix>: key {serverName}, value {ts_ms}, carrying
  // `offset` so an idle or fully filtered server still advances the committed position.
  absl::Status Heartbeat(sluice_batch* batch, const OffsetState& offset);

  // A schema change to <topic.prefix> (include.schema.changes): key {databaseName}, value
  // {source, ts_ms, databaseName, schemaName, ddl, tableChanges}. `table` (may be null) is
  // source.table; `changes` the tables the statement changed (table_structure.h).
  absl::Status SchemaChange(sluice_batch* batch, const std::string& db, absl::string_view ddl,
                            const SourcePosition& source, const OffsetState& offset,
                            const std::string* table = nullptr,
                            absl::Span<const TableChange> changes = {});

  // A transaction boundary to <topic.prefix>.transaction: BEGIN (counts null) or END with the
  // number of events per table.
  absl::Status TransactionBoundary(sluice_batch* batch, bool begin, const std::string& id,
                                   int64_t event_count,
                                   const std::vector<std::pair<std::string, int64_t>>& collections,
                                   int64_t ts_ms, const OffsetState& offset);

  // True when both images have the same key (for updates).
  bool SameKey(const TableSchema& schema, RowSource* a, RowSource* b);

 private:
  absl::StatusOr<const sluice_schema*> FieldSchema(const ColumnDef& def, bool force_required);
  absl::StatusOr<sluice_value*> BuildStruct(sluice_batch* batch, const TableSchema& schema,
                                            RowSource* row, bool key);
  sluice_value* BuildSource(sluice_batch* batch, const TableSchema& schema,
                            const SourcePosition& source) {
    return BuildSource(batch, schema.db, &schema.table, source);
  }
  sluice_value* BuildSource(sluice_batch* batch, const std::string& db, const std::string* table,
                            const SourcePosition& source);
  absl::Status EnsureSourceSchema();
  absl::Status EnsureSchemaChangeSchemas();
  sluice_value* BuildTableChange(sluice_batch* batch, const TableChange& change);
  sluice_value* BuildEnvelope(sluice_batch* batch, const TableSchema& schema, sluice_value* before,
                              sluice_value* after, sluice_value* source, char op,
                              const TransactionInfo* transaction);
  // Appends one record under the connector's source partition {"server": topic.prefix} at
  // `offset`; a null key or value is Kafka's null. `what` names the record in a refusal.
  absl::Status AppendRecord(sluice_batch* batch, const std::string& topic, int32_t kafka_partition,
                            const sluice_schema* key_schema, sluice_value* key,
                            const sluice_schema* value_schema, sluice_value* value,
                            const sluice_header* header, const OffsetState& offset,
                            absl::string_view what);
  absl::Status Append(sluice_batch* batch, const TableSchema& schema, sluice_value* key,
                      sluice_value* value, const sluice_header* header, const OffsetState& offset,
                      bool keyless_record = false);

  // The source block built last in this poll. The rows of one binlog event (and of one snapshot
  // chunk) have the same source block but for source.row, so the next one is a copy of it with
  // the row set (api->struct_copy): one call instead of fourteen fields checked and copied.
  struct LastSource {
    sluice_value* value = nullptr;  // null: none in this poll
    const sluice_batch* batch = nullptr;
    std::string db;
    std::string table;  // with has_table
    bool has_table = false;
    std::string file;
    int64_t pos = 0;
    int64_t ts_sec = 0;
    int64_t server_id = 0;
    std::string gtid;
    const char* snapshot = nullptr;

    bool Matches(const sluice_batch* b, const std::string& d, const std::string* t,
                 const SourcePosition& p) const {
      return value != nullptr && batch == b && pos == p.pos && ts_sec == p.ts_sec &&
             server_id == p.server_id && snapshot == p.snapshot && has_table == (t != nullptr) &&
             file == p.file && gtid == p.gtid && db == d && (t == nullptr || table == *t);
    }
  };

  const Host& host_;
  const sluice_host_api* api_;
  const ConnectorConfig& config_;
  const bool can_copy_structs_;  // the host has struct_copy (ABI 1.3)
  LastSource last_source_;
  const sluice_schema* source_schema_ = nullptr;
  const sluice_schema* transaction_schema_ = nullptr;
  const sluice_schema* geometry_[2][2] = {};  // [Geometry, Point][required, optional]
  const sluice_schema* schema_change_key_ = nullptr;
  const sluice_schema* schema_change_value_ = nullptr;
  const sluice_schema* schema_change_array_ = nullptr;
  const sluice_schema* table_change_ = nullptr;  // io.debezium.connector.schema.Change
  const sluice_schema* table_ = nullptr;         // ...schema.Table
  const sluice_schema* table_column_ = nullptr;  // ...schema.Column
  const sluice_schema* table_columns_ = nullptr;
  const sluice_schema* table_names_ = nullptr;  // optional array of strings
  const sluice_schema* txn_key_ = nullptr;
  const sluice_schema* txn_value_ = nullptr;
  const sluice_schema* txn_collection_ = nullptr;
  const sluice_schema* txn_collections_ = nullptr;
  std::string txn_topic_;
  const sluice_schema* heartbeat_key_ = nullptr;
  const sluice_schema* heartbeat_value_ = nullptr;
  std::string heartbeat_topic_;
  Scratch scratch_;
  std::string partition_value_;
};

// The offset as the ABI's flat map; `entries` must have room for 8.
size_t OffsetEntries(const OffsetState& offset, sluice_scalar_entry* entries);
// Reads a committed offset back. InvalidArgument naming what is wrong with it.
absl::StatusOr<OffsetState> ParseOffset(const sluice_scalar_map& map);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_EVENT_BUILDER_H_
