#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_CHANGE_EVENTS_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_CHANGE_EVENTS_H_

// Debezium change events of a table version: the records of each operation (c/u/d/r/t),
// tombstones, and primary-key changes with the __debezium.newkey/oldkey headers.
//
// Thread: the task thread (value building is a host call of that thread).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/host.h"
#include "connectors/mysql/connector/offset.h"
#include "connectors/mysql/connector/source_block.h"
#include "connectors/mysql/connector/table_schema.h"
#include "connectors/mysql/connector/value_encoding.h"
#include "sluice/binlog/column_value.h"

namespace sluice::mysql {

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
  // For fields read through GeometryOf: an error when the row does not hold the field at all (a
  // binlog row image that left the column out), rather than reading it as null.
  virtual absl::Status CheckPresent(const TableSchema& /*schema*/, size_t /*field*/) {
    return absl::OkStatus();
  }
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
  absl::Status CheckPresent(const TableSchema& schema, size_t field) override;

 private:
  const std::vector<binlog::ColumnValue>& image_;
};

class ChangeEvents {
 public:
  ChangeEvents(const Host& host, const ConnectorConfig& config, SourceBlock& source);

  // Appends the records of one change. `before`/`after` may be null as the op says.
  // `done` is the offset once this row is emitted; `pending` the offset before it (carried by
  // all but the last record of the row, so a crash between them replays the row).
  absl::Status Change(sluice_batch* batch, const TableSchema& schema, char op, RowSource* before,
                      RowSource* after, const SourcePosition& source, const OffsetState& pending,
                      const OffsetState& done);
  // The number of change events (d and c, or one) a change makes, as Debezium counts them in
  // transaction metadata: an update of a keyed table whose key changed makes two; the c's
  // `transaction` orders are then the d's (source.transaction) plus one.
  static int EventCount(const TableSchema& schema, char op, RowSource* before, RowSource* after);
  // A truncate (`op: t`): no key, no before or after.
  absl::Status Truncate(sluice_batch* batch, const TableSchema& schema,
                        const SourcePosition& source, const OffsetState& done);

 private:
  absl::StatusOr<sluice_value*> BuildStruct(sluice_batch* batch, const TableSchema& schema,
                                            RowSource* row, bool key);
  // A VECTOR's bytes (the datum row sources give for kFloatVector) as its FloatVector array.
  absl::StatusOr<sluice_datum> FloatVectorDatum(sluice_batch* batch, const sluice_schema* schema,
                                                const sluice_datum& bytes,
                                                const std::string& column);
  // `later`: how many events after source.transaction's this one is (its orders plus `later`).
  sluice_value* BuildEnvelope(sluice_batch* batch, const TableSchema& schema, sluice_value* before,
                              sluice_value* after, const SourcePosition& source, char op,
                              int64_t later = 0);
  // `source` gives the record's source time (a binlog event's; none for snapshot rows).
  absl::Status Append(sluice_batch* batch, const TableSchema& schema, sluice_value* key,
                      sluice_value* value, const sluice_header* header, const OffsetState& offset,
                      const SourcePosition& source, bool keyless_record = false);
  // True when both images have the same key (for updates).
  static bool SameKey(const TableSchema& schema, RowSource* a, RowSource* b);

  const sluice_host_api* api_;
  const ConnectorConfig& config_;
  SourceBlock& source_;
  Scratch scratch_;
  std::string policy_text_;  // a hashed value, until struct_set copied it
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_CHANGE_EVENTS_H_
