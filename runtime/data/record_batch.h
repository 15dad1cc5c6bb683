// The records one poll of a task produced, and everything they point to.
//
// A RecordBatch owns an Arena; struct/array/map values, strings, headers and offsets are copied
// into it, so building a record does no heap allocation per field. The task runner reuses one
// batch per task: Reset() after the records have been converted and handed to the producer.
//
// Errors are sticky (like a stream's failbit): the first failed build call records a message
// naming the field, later calls still answer, and the task runner checks error() once per poll.
// That lets a connector check return codes per record rather than per field.
//
// Thread-safety: none; one batch is filled and drained by its task's thread.
#ifndef SLUICE_RUNTIME_DATA_RECORD_BATCH_H_
#define SLUICE_RUNTIME_DATA_RECORD_BATCH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "runtime/data/arena.h"
#include "runtime/data/record.h"
#include "runtime/data/schema.h"
#include "runtime/data/value.h"

namespace sluice::data {

// Whether `value` may stand where `schema` is expected (shallow: containers are checked when they
// are filled). On failure returns InvalidArgument; `what` names the place for the message.
absl::Status CheckValue(const Schema& schema, const Value& value, std::string_view what);

class RecordBatch {
 public:
  RecordBatch() = default;
  RecordBatch(const RecordBatch&) = delete;
  RecordBatch& operator=(const RecordBatch&) = delete;

  // Containers, all fields / elements null. Return nullptr (and set error()) when the schema has
  // the wrong type.
  StructValue* NewStruct(const Schema* schema);
  ArrayValue* NewArray(const Schema* schema, size_t capacity_hint);
  MapValue* NewMap(const Schema* schema, size_t capacity_hint);
  // A struct of this batch with `s`'s schema and its fields' current values (shallow: strings and
  // nested containers are shared). Returns nullptr (and sets error()) when `s` is not a struct of
  // this batch.
  StructValue* CopyStruct(const StructValue* s);

  // Fill containers. String and bytes contents must already be in this batch's arena (see
  // CopyString) or outlive the batch. Containers must belong to this batch.
  absl::Status SetField(StructValue* s, uint32_t field_index, const Value& value);
  absl::Status Append(ArrayValue* array, const Value& value);
  absl::Status Put(MapValue* map, const Value& key, const Value& value);

  // Appends a record after checking its key and value against their schemas. `record`'s spans
  // and topic must already point into this batch's arena.
  absl::Status AppendRecord(const SourceRecord& record);

  // Copies into the arena.
  std::string_view Copy(std::string_view bytes) { return arena_.Copy(bytes); }
  Arena& arena() { return arena_; }

  const std::vector<SourceRecord>& records() const { return records_; }
  size_t size() const { return records_.size(); }

  // Connector-defined transaction boundaries (ABI 1.5, api->transaction_commit): a boundary after
  // the records appended so far. transaction_ends() lists, in increasing order and each once, the
  // record counts at which a transaction ends (0 = before this batch's first record).
  void MarkTransactionEnd() {
    if (transaction_ends_.empty() || transaction_ends_.back() != records_.size()) {
      transaction_ends_.push_back(records_.size());
    }
  }
  const std::vector<size_t>& transaction_ends() const { return transaction_ends_; }

  // The first build error since the last Reset, or OK.
  const absl::Status& error() const { return error_; }
  // Marks the batch failed unless it already is; returns `status` for chaining.
  absl::Status Fail(absl::Status status);

  // Drops every record and value; keeps the memory for the next poll.
  void Reset();

  // Bytes of arena in use: what this batch costs while in flight.
  size_t bytes_used() const { return arena_.bytes_used(); }

 private:
  bool Owns(const CompositeValue* v) const { return v != nullptr && v->batch == this; }
  absl::Status CheckOwned(const Value& value, std::string_view what);

  Arena arena_;
  std::vector<SourceRecord> records_;
  std::vector<size_t> transaction_ends_;
  absl::Status error_;
};

}  // namespace sluice::data

#endif  // SLUICE_RUNTIME_DATA_RECORD_BATCH_H_
