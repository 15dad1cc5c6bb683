#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_BLOCK_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_BLOCK_H_

// The `source` block that change events and schema-change events carry (Debezium's
// io.debezium.connector.<mysql|mariadb>.Source): where in the binlog a record comes from. Also the
// schema of the envelope's `transaction` block, which every table's envelope shares.
//
// Thread: the task thread (schema and value building are host calls of that thread).

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "connectors/mysql/connector/config.h"
#include "connectors/mysql/connector/host.h"

namespace sluice::mysql {

// The envelope's `transaction` block (provide.transaction.metadata).
struct TransactionInfo {
  std::string id;
  int64_t total_order = 0;
  int64_t data_collection_order = 0;
};

// Where a record sits in the binlog: the source block's fields.
struct SourcePosition {
  std::string file;                // source.file: the binlog file of this event
  int64_t pos = 0;                 // source.pos: where this event starts
  int32_t row = 0;                 // source.row
  int64_t ts_sec = 0;              // event time, seconds
  int64_t server_id = 0;           // the originating server
  std::string gtid;                // this transaction's GTID, or empty
  int64_t thread = -1;             // source.thread: the BEGIN's thread id (MySQL); -1: null
  const char* snapshot = nullptr;  // source.snapshot: "true", "first", "last", ...; null = "false"
  const TransactionInfo* transaction = nullptr;  // null: the envelope's transaction is null
  const std::string* query = nullptr;  // source.query (include.query), redacted; null = null
};

class SourceBlock {
 public:
  SourceBlock(const Host& host, const ConnectorConfig& config);

  // Builds the source and transaction block schemas, once.
  absl::Status EnsureSchemas();
  // Valid after EnsureSchemas succeeded.
  const sluice_schema* schema() const { return source_schema_; }
  const sluice_schema* transaction_schema() const { return transaction_schema_; }

  // Call at the start of every poll: what was built into an earlier poll's batch is gone.
  void StartPoll() { last_ = Last(); }

  // The source block of a record about `db` (and `table`, which may be null) at `source`, in
  // `batch`; null when the host refused it. Requires EnsureSchemas.
  sluice_value* Build(sluice_batch* batch, const std::string& db, const std::string* table,
                      const SourcePosition& source);

 private:
  // The source block built last in this poll. The rows of one binlog event (and of one snapshot
  // chunk) have the same source block but for source.row, so the next one is a copy of it with
  // the row set (api->struct_copy): one call instead of fourteen fields checked and copied.
  struct Last {
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
    int64_t thread = -1;
    const char* snapshot = nullptr;
    const std::string* query = nullptr;

    bool Matches(const sluice_batch* b, const std::string& d, const std::string* t,
                 const SourcePosition& p) const {
      return value != nullptr && batch == b && pos == p.pos && ts_sec == p.ts_sec &&
             server_id == p.server_id && snapshot == p.snapshot && has_table == (t != nullptr) &&
             thread == p.thread && file == p.file && gtid == p.gtid && db == d &&
             (t == nullptr || table == *t) && query == p.query;
    }
  };

  const Host& host_;
  const sluice_host_api* api_;
  const ConnectorConfig& config_;
  const bool can_copy_structs_;  // the host has struct_copy (ABI 1.3)
  Last last_;
  const sluice_schema* source_schema_ = nullptr;
  const sluice_schema* transaction_schema_ = nullptr;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_SOURCE_BLOCK_H_
