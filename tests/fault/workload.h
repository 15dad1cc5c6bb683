#ifndef SLUICE_TESTS_FAULT_WORKLOAD_H_
#define SLUICE_TESTS_FAULT_WORKLOAD_H_

// The fault suite's workload: inserts, updates and deletes over a small key space of one table,
// in multi-statement transactions of which some roll back, written by one connection, and the
// ground truth of what it did. Every change gives its row a version no other change uses (`ver`,
// and the transaction's number in `txn`), so a change event in Kafka names the change it carries:
// an insert or update by its after image's `ver`, a delete by its before image's.
//
// The table: CREATE TABLE <table> (id INT PRIMARY KEY, ver BIGINT NOT NULL, txn BIGINT NOT NULL,
// pad VARCHAR(...)). One writer, so a key's changes commit in version order.
//
// Thread: one thread writes (the test's, or a WorkloadThread's); Transactions() may be read from
// any thread meanwhile.

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::testing {

// A change as its event carries it: the key, the op ('c', 'u', 'd') and the version of the image
// that names it (after for c/u, before for d).
struct ChangeId {
  int key = 0;
  char op = 'c';
  int64_t version = 0;
  auto operator<=>(const ChangeId&) const = default;
};

enum class Outcome {
  kCommitted,
  kRolledBack,
  // The COMMIT's answer was lost (the server died under it): all of it or none of it happened.
  kUnknown,
};

struct WrittenTransaction {
  int64_t id = 0;
  Outcome outcome = Outcome::kCommitted;
  std::vector<ChangeId> changes;
  // The server's binlog position just after the COMMIT (committed transactions only; empty when
  // it could not be read): every change of this transaction lies before it.
  std::string end_file;
  uint64_t end_pos = 0;
};

struct WorkloadOptions {
  int keys = 200;                  // ids 1..keys
  int max_statements = 5;          // per transaction, 1..max
  double rollback_fraction = 0.1;  // transactions that end in ROLLBACK
  int pad_bytes = 40;              // the row's filler
  uint32_t seed = 0;               // 0: from the clock (the seed is in the ground-truth log)
};

class Workload {
 public:
  // Writes to `db`.`table` through `connection`, which the Workload keeps. CreateTable makes
  // the table.
  Workload(mysql::Connection connection, std::string db, std::string table,
           WorkloadOptions options = {});

  absl::Status CreateTable();
  // Runs `count` transactions. A failed statement ends the call with its status; a transaction
  // whose COMMIT failed is kUnknown (the caller may Reconnect and go on).
  absl::Status Run(int count);
  // One transaction that changes `rows` keys (1..rows, inserted or updated), committed: a large
  // source transaction. Keys beyond options.keys are fine.
  absl::Status RunLargeTransaction(int rows);
  // Opens the connection again (after the server restarted) and reads the table back: a
  // transaction whose COMMIT's answer was lost becomes committed or rolled back by what the table
  // holds (kUnknown only if it holds neither), and the next changes start from the table.
  absl::Status Reconnect(const mysql::ConnectionOptions& options);

  // The ground truth so far (a copy: the writer may be adding to it).
  std::vector<WrittenTransaction> Transactions() const;
  int64_t committed_changes() const;
  uint32_t seed() const { return seed_; }
  const std::string& table() const { return table_; }
  // The ground truth as text, one line per change: txn, outcome, op, key, version.
  std::string Log() const;
  // Writes Log() to `path`.
  void WriteLog(const std::string& path) const;

 private:
  absl::Status Statement(const std::string& sql);
  absl::Status Transaction(int statements, bool rollback);
  void RecordEnd(WrittenTransaction& t);
  // COMMITs `t`, whose changes leave the table as `after`, and records it.
  absl::Status Commit(WrittenTransaction t, std::map<int, int64_t> after);

  mysql::Connection connection_;
  std::string db_, table_;
  WorkloadOptions options_;
  uint32_t seed_;
  std::mt19937 random_;
  std::map<int, int64_t> rows_;  // committed state: key -> version
  // The state had the last transaction's lost COMMIT gone through.
  std::optional<std::map<int, int64_t>> unknown_rows_;
  int64_t next_version_ = 1;
  int64_t next_transaction_ = 1;
  mutable absl::Mutex mu_;
  std::vector<WrittenTransaction> transactions_ ABSL_GUARDED_BY(mu_);
  void Add(WrittenTransaction t);
};

// Runs a Workload's transactions on a thread of its own until `transactions` are written or
// Stop() is called, `per_call` at a time; Join() returns the first failure.
class WorkloadThread {
 public:
  WorkloadThread(Workload& workload, int transactions, int per_call = 20);
  ~WorkloadThread();
  void Stop() { stop_.store(true); }
  absl::Status Join();

 private:
  Workload& workload_;
  std::atomic<bool> stop_{false};
  absl::Status status_;
  std::thread thread_;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_FAULT_WORKLOAD_H_
