// Debezium MySQL change events as the connector builds them (FORMATS.md: key struct, envelope
// with before/after/source/op/ts_ms/transaction), for the transform tests, plus the JSON
// converter's rendering of a record's parts to compare with golden strings.
#ifndef SLUICE_TESTS_UNIT_TRANSFORM_CHANGE_EVENTS_H_
#define SLUICE_TESTS_UNIT_TRANSFORM_CHANGE_EVENTS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/convert/json_converter.h"
#include "runtime/data/record.h"
#include "runtime/data/record_batch.h"
#include "runtime/data/schema.h"

namespace sluice::transform::testing {

// One table's schemas. `with_note` adds a nullable `note` column (a schema change).
struct Table {
  explicit Table(std::string topic = "ref.shop.orders", bool with_note = false);
  std::string topic;
  data::SchemaPtr key;       // <topic>.Key {id int64}
  data::SchemaPtr row;       // <topic>.Value {id int64, qty int32 optional default 5, [note]}
  data::SchemaPtr source;    // io.debezium.connector.mysql.Source (a subset, in order)
  data::SchemaPtr txn;       // event.block
  data::SchemaPtr envelope;  // <topic>.Envelope
};

// The values of a row: id, qty (nullopt = SQL NULL), note.
struct Row {
  int64_t id = 1;
  std::optional<int64_t> qty = 7;
  std::string note = "n";
};

class Events {
 public:
  explicit Events(const Table& table) : t_(table) {}
  // op 'c', 'u', 'r' (after set), 'd' (before set), 't' (neither, null key).
  data::SourceRecord Change(char op, const Row& before, const Row& after);
  data::SourceRecord Tombstone(int64_t id);
  // A value that is not an envelope (a schema-change event's shape).
  data::SourceRecord SchemaChange();
  data::RecordBatch& batch() { return batch_; }

 private:
  data::Value RowValue(const Row& row);
  data::Value Key(int64_t id);
  const Table& t_;
  data::RecordBatch batch_;
  data::SchemaPtr ddl_ = nullptr;
};

// The JSON converter's bytes, "<null>" for Kafka's null.
std::string Json(const data::Schema* schema, const data::Value& value, bool schemas = false);

}  // namespace sluice::transform::testing

#endif  // SLUICE_TESTS_UNIT_TRANSFORM_CHANGE_EVENTS_H_
