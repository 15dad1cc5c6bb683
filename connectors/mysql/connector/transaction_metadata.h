#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_TRANSACTION_METADATA_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_TRANSACTION_METADATA_H_

// provide.transaction.metadata while streaming: the open transaction's events counted in total and
// per table (each event's `transaction` block), BEGIN before its first event and END, with the
// counts, at its commit. Events a restart skips (emitted before it) are counted but not emitted,
// so the orders stay those of the whole transaction.
//
// END lists the tables in the order Debezium's END lists them: the iteration order of the Java
// HashMap it counts in (JavaHashMapOrder).
//
// Thread: the task thread.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "connectors/mysql/connector/offset.h"
#include "connectors/mysql/connector/source_block.h"
#include "connectors/mysql/connector/transaction_events.h"

namespace sluice::mysql {

class TransactionMetadata {
 public:
  explicit TransactionMetadata(TransactionEvents& events) : events_(events) {}

  // A transaction starts: nothing counted, no BEGIN sent.
  void Reset();
  // Whether the open transaction has had its first event (and BEGIN, unless it was skipped).
  bool begun() const { return begun_; }
  // The transaction's first event: its id; BEGIN is appended at `begin_offset` when it is given
  // (null: the event was emitted before a restart, and so was BEGIN).
  absl::Status Begin(sluice_batch* batch, std::string id, int64_t ts_ms,
                     const OffsetState* begin_offset);
  // Counts `events` events of table `name` ("db.table") and sets the `transaction` block's
  // orders to the first one's. The joined name is Debezium's data collection; two tables that
  // join to one name are never both captured (TableSchemaBuilder::Build refuses the second), so
  // their counts never mix.
  void Count(const std::string& name, int events = 1);
  // The transaction committed: END with the counts when it had an event. Then Reset.
  absl::Status End(sluice_batch* batch, int64_t ts_ms, const OffsetState& offset);

  // The `transaction` block of the last counted event.
  const TransactionInfo* info() const { return &info_; }

 private:
  TransactionEvents& events_;
  bool begun_ = false;
  int64_t events_count_ = 0;
  std::vector<std::pair<std::string, int64_t>> collections_;  // per table, in order met
  // The table capacity of Debezium's per-table HashMap: it grows with the tables of a transaction
  // and, the map being cleared rather than replaced, stays for the task's later transactions.
  size_t capacity_ = 16;
  TransactionInfo info_;
};

// `entries` (keys in insertion order) reordered as a java.util.HashMap iterates them after they
// were put in that order into a map of `*capacity` buckets (16 for a new map; grown at 3/4 full
// as HashMap grows, and updated). Not modelled: the treeified bins of nine or more keys of one
// bucket.
std::vector<std::pair<std::string, int64_t>> JavaHashMapOrder(
    std::vector<std::pair<std::string, int64_t>> entries, size_t* capacity);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_TRANSACTION_METADATA_H_
