#include "tests/fault/workload.h"

#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "connectors/mysql/server/binlog_position.h"

namespace sluice::testing {
namespace {

char OutcomeLetter(Outcome outcome) {
  switch (outcome) {
    case Outcome::kCommitted:
      return 'C';
    case Outcome::kRolledBack:
      return 'R';
    case Outcome::kUnknown:
      break;
  }
  return '?';
}

}  // namespace

Workload::Workload(mysql::Connection connection, std::string db, std::string table,
                   WorkloadOptions options)
    : connection_(std::move(connection)),
      db_(std::move(db)),
      table_(std::move(table)),
      options_(options),
      seed_(options.seed != 0 ? options.seed
                              : static_cast<uint32_t>(absl::ToUnixNanos(absl::Now()))),
      random_(seed_) {}

absl::Status Workload::CreateTable() {
  if (absl::Status s = connection_.Execute(absl::StrCat("USE ", db_)); !s.ok()) return s;
  return connection_.Execute(absl::StrCat("CREATE TABLE ", table_,
                                          " (id INT PRIMARY KEY, ver BIGINT NOT NULL, "
                                          "txn BIGINT NOT NULL, pad VARCHAR(",
                                          options_.pad_bytes + 1, "))"));
}

absl::Status Workload::Reconnect(const mysql::ConnectionOptions& options) {
  absl::StatusOr<mysql::Connection> connection = mysql::Connection::Open(options);
  if (!connection.ok()) return connection.status();
  connection_ = std::move(*connection);
  if (absl::Status s = connection_.Execute(absl::StrCat("USE ", db_)); !s.ok()) return s;
  absl::StatusOr<mysql::QueryResult> table =
      connection_.Query(absl::StrCat("SELECT id, ver FROM ", table_));
  if (!table.ok()) return table.status();
  std::map<int, int64_t> actual;
  for (const auto& row : table->rows) actual[std::stoi(*row[0])] = std::stoll(*row[1]);
  if (unknown_rows_.has_value()) {
    absl::MutexLock lock(&mu_);
    WrittenTransaction& last = transactions_.back();
    if (actual == *unknown_rows_) {
      last.outcome = Outcome::kCommitted;
    } else if (actual == rows_) {
      last.outcome = Outcome::kRolledBack;
    }
    unknown_rows_.reset();
  }
  rows_ = std::move(actual);
  return absl::OkStatus();
}

absl::Status Workload::Statement(const std::string& sql) { return connection_.Execute(sql); }

void Workload::RecordEnd(WrittenTransaction& t) {
  absl::StatusOr<mysql::ServerBinlogPosition> end = mysql::ReadServerBinlogPosition(connection_);
  if (!end.ok()) return;
  t.end_file = end->file;
  t.end_pos = end->position;
}

absl::Status Workload::Transaction(int statements, bool rollback) {
  WrittenTransaction t;
  t.id = next_transaction_++;
  t.outcome = rollback ? Outcome::kRolledBack : Outcome::kCommitted;
  std::map<int, int64_t> rows = rows_;  // this transaction's view
  if (absl::Status s = Statement("BEGIN"); !s.ok()) return s;
  std::uniform_int_distribution<int> key_of(1, options_.keys);
  std::uniform_real_distribution<double> unit(0, 1);
  const std::string pad(options_.pad_bytes, 'p');
  for (int i = 0; i < statements; ++i) {
    const int key = key_of(random_);
    const int64_t version = next_version_++;
    auto row = rows.find(key);
    std::string sql;
    if (row == rows.end()) {
      sql = absl::StrCat("INSERT INTO ", table_, " VALUES (", key, ",", version, ",", t.id, ",'",
                         pad, "')");
      t.changes.push_back({key, 'c', version});
      rows[key] = version;
    } else if (unit(random_) < 0.7) {
      sql = absl::StrCat("UPDATE ", table_, " SET ver=", version, ", txn=", t.id,
                         " WHERE id=", key);
      t.changes.push_back({key, 'u', version});
      row->second = version;
    } else {
      sql = absl::StrCat("DELETE FROM ", table_, " WHERE id=", key);
      t.changes.push_back({key, 'd', row->second});
      rows.erase(row);
    }
    if (absl::Status s = Statement(sql); !s.ok()) {
      (void)Statement("ROLLBACK");
      t.outcome = Outcome::kRolledBack;
      Add(std::move(t));
      return s;
    }
  }
  if (rollback) {
    absl::Status s = Statement("ROLLBACK");
    Add(std::move(t));
    return s;
  }
  return Commit(std::move(t), std::move(rows));
}

absl::Status Workload::Commit(WrittenTransaction t, std::map<int, int64_t> after) {
  if (absl::Status s = Statement("COMMIT"); !s.ok()) {
    // The server may have committed before the answer was lost: Reconnect finds out.
    t.outcome = Outcome::kUnknown;
    unknown_rows_ = std::move(after);
    Add(std::move(t));
    return s;
  }
  rows_ = std::move(after);
  RecordEnd(t);
  Add(std::move(t));
  return absl::OkStatus();
}

absl::Status Workload::Run(int count) {
  std::uniform_int_distribution<int> statements(1, options_.max_statements);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < count; ++i) {
    if (absl::Status s = Transaction(statements(random_), unit(random_) < options_.rollback_fraction);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status Workload::RunLargeTransaction(int rows) {
  WrittenTransaction t;
  t.id = next_transaction_++;
  // Versions first..first+rows-1 go to keys 1..rows in order: one INSERT ... ON DUPLICATE KEY
  // UPDATE per 1,000 keys, inside one transaction.
  const int64_t first = next_version_;
  next_version_ += rows;
  std::map<int, int64_t> after = rows_;
  if (absl::Status s = Statement("BEGIN"); !s.ok()) return s;
  const std::string pad(options_.pad_bytes, 'L');
  for (int from = 1; from <= rows; from += 1000) {
    std::string sql = absl::StrCat("INSERT INTO ", table_, " VALUES ");
    for (int key = from; key < from + 1000 && key <= rows; ++key) {
      const int64_t version = first + key - 1;
      absl::StrAppend(&sql, key == from ? "" : ",", "(", key, ",", version, ",", t.id, ",'", pad,
                      "')");
      t.changes.push_back({key, after.contains(key) ? 'u' : 'c', version});
      after[key] = version;
    }
    absl::StrAppend(&sql, " ON DUPLICATE KEY UPDATE ver=VALUES(ver), txn=VALUES(txn)");
    if (absl::Status s = Statement(sql); !s.ok()) {
      (void)Statement("ROLLBACK");
      return s;
    }
  }
  return Commit(std::move(t), std::move(after));
}

void Workload::Add(WrittenTransaction t) {
  absl::MutexLock lock(&mu_);
  transactions_.push_back(std::move(t));
}

std::vector<WrittenTransaction> Workload::Transactions() const {
  absl::MutexLock lock(&mu_);
  return transactions_;
}

int64_t Workload::committed_changes() const {
  int64_t n = 0;
  for (const WrittenTransaction& t : Transactions()) {
    if (t.outcome == Outcome::kCommitted) n += static_cast<int64_t>(t.changes.size());
  }
  return n;
}

std::string Workload::Log() const {
  std::string out = absl::StrCat("# seed ", seed_, "\n# txn outcome op key version end\n");
  for (const WrittenTransaction& t : Transactions()) {
    for (const ChangeId& c : t.changes) {
      absl::StrAppend(&out, t.id, " ", std::string(1, OutcomeLetter(t.outcome)), " ",
                      std::string(1, c.op), " ", c.key, " ", c.version, " ", t.end_file, ":",
                      t.end_pos, "\n");
    }
  }
  return out;
}

void Workload::WriteLog(const std::string& path) const {
  std::ofstream out(path, std::ios::trunc);
  out << Log();
}

WorkloadThread::WorkloadThread(Workload& workload, int transactions, int per_call)
    : workload_(workload) {
  thread_ = std::thread([this, transactions, per_call] {
    for (int done = 0; done < transactions && !stop_.load(); done += per_call) {
      status_ = workload_.Run(std::min(per_call, transactions - done));
      if (!status_.ok()) return;
    }
  });
}

WorkloadThread::~WorkloadThread() {
  Stop();
  if (thread_.joinable()) thread_.join();
}

absl::Status WorkloadThread::Join() {
  if (thread_.joinable()) thread_.join();
  return status_;
}

}  // namespace sluice::testing
