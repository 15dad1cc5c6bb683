// The snapshot under faults, on MariaDB 10.11 and MySQL 9.7 (issues 13 and 19): a worker killed
// (kill -9) while the snapshot runs loses no change made before or after the kill, whether or not
// an offset was committed yet, and under exactly-once duplicates nothing; a snapshot that fails
// while it holds its lock releases it at once, so the user's writes go through while the worker
// lives on.
#include <signal.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

std::string ServerName(const ::testing::TestParamInfo<TestServer>& info) {
  return info.param == TestServer::kMySql ? "MySql97" : "MariaDb";
}

class SnapshotFaults : public ::testing::TestWithParam<TestServer> {
 protected:
  void SetUp() override {
    const bool mysql = GetParam() == TestServer::kMySql;
    ASSERT_TRUE(CheckServiceReachable(mysql ? "mysql" : "mariadb",
                                      mysql ? MySqlPort() : MariaDbPort())
                    .ok());
  }
  bool mysql() const { return GetParam() == TestServer::kMySql; }
};

// Rows 1..count as (id, 0, a 100-byte pad), in multi-row INSERTs.
void InsertRows(CdcRun& run, int count) {
  constexpr int kPerStatement = 500;
  for (int first = 1; first <= count; first += kPerStatement) {
    std::string sql = "INSERT INTO t VALUES ";
    for (int id = first; id < first + kPerStatement && id <= count; ++id) {
      absl::StrAppend(&sql, id == first ? "" : ",", "(", id, ", 0, REPEAT('x', 100))");
    }
    run.Sql(sql);
  }
}

// What the topic says the table holds, replaying every record in order (a delete or tombstone
// removes the key), and what it says happened to each key.
struct Replayed {
  std::map<int, int> state;           // id -> v
  std::map<int, std::vector<std::string>> ops;  // id -> ops in order ("r", "c", "u", "d", "-")
  std::map<int, std::vector<int>> updated_to;   // id -> `v` of each update
  size_t records = 0;
};

Replayed Replay(const std::vector<ConsumedRecord>& records) {
  Replayed out;
  out.records = records.size();
  for (const ConsumedRecord& record : records) {
    rapidjson::Document key;
    key.Parse(record.key.value_or("null").c_str());
    if (!key.IsObject() || !key.HasMember("id")) continue;
    const int id = key["id"].GetInt();
    if (!record.value.has_value()) {
      out.state.erase(id);
      out.ops[id].push_back("-");
      continue;
    }
    rapidjson::Document value;
    value.Parse(record.value->c_str());
    const std::string op = value["op"].GetString();
    out.ops[id].push_back(op);
    if (op == "d") {
      out.state.erase(id);
      continue;
    }
    out.state[id] = value["after"]["v"].GetInt();
    if (op == "u") out.updated_to[id].push_back(value["after"]["v"].GetInt());
  }
  return out;
}

std::map<int, int> TableState(CdcRun& run) {
  std::map<int, int> state;
  absl::StatusOr<mysql::QueryResult> rows =
      run.admin().Query(absl::StrCat("SELECT id, v FROM ", run.db(), ".t"));
  EXPECT_TRUE(rows.ok()) << rows.status();
  if (!rows.ok()) return state;
  for (const auto& row : rows->rows) state[std::stoi(*row[0])] = std::stoi(*row[1]);
  return state;
}

// Waits until `topic` holds at least `count` records.
void WaitForRecords(const std::string& topic, size_t count, CdcRun& run) {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(KafkaBootstrap(), topic, absl::Seconds(10));
    if (read.ok() && read->size() >= count) return;
    absl::SleepFor(absl::Milliseconds(100));
  }
  FAIL() << "fewer than " << count << " records in " << topic << "; log:\n" << run.WorkerLog();
}

// An account of this test's own (short: MySQL allows 32 characters), password `pw`.
std::string CreateAccount(CdcRun& run, bool mysql, bool reload) {
  static int counter = 0;
  const std::string user = absl::StrCat("sf", getpid(), "_", counter++);
  const std::string grants =
      absl::StrCat("SELECT, LOCK TABLES, SHOW DATABASES, REPLICATION SLAVE, ",
                   mysql ? "REPLICATION CLIENT" : "BINLOG MONITOR", reload ? ", RELOAD" : "");
  for (const char* host : {"127.0.0.1", "localhost"}) {
    run.Sql(absl::StrCat("CREATE USER '", user, "'@'", host, "' IDENTIFIED BY 'pw'"));
    run.Sql(absl::StrCat("GRANT ", grants, " ON *.* TO '", user, "'@'", host, "'"));
  }
  return user;
}

void DropAccount(CdcRun& run, const std::string& user) {
  for (const char* host : {"127.0.0.1", "localhost"}) {
    run.Sql(absl::StrCat("DROP USER '", user, "'@'", host, "'"));
  }
}

enum class Fault {
  kKillWorker,     // kill -9 of the worker, then a new one
  kCutConnection,  // the server kills the connector's connections; the task reconnects
};

// A fault while the snapshot runs, with updates and deletes before and after it: afterwards every
// one of them arrives as a change (an update as `u` with its value, a delete as `d` and a
// tombstone) and the topic replays to the table. `flush_ms` long: the fault comes before any
// periodic offset commit (only the snapshot's position was committed, at its start); short: the
// snapshot resumes after its last committed row.
// `exactly_once`: the worker's exactly.once.source.support=enabled and the connector's
// exactly.once.support=required; the topic is then read (read_committed) for duplicates too.
void FaultDuringTheSnapshot(CdcRun& run, bool mysql, int flush_ms, Fault fault,
                            bool exactly_once = false) {
  constexpr int kRows = 3000;
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v INT, pad VARCHAR(100))");
  InsertRows(run, kRows);
  run.AddWorkerSettings({{"offset.flush.interval.ms", absl::StrCat(flush_ms)}});
  std::map<std::string, std::string> config = {{"snapshot.fetch.size", "100"},
                                               {"max.batch.size", "100"},
                                               {"internal.snapshot.chunk.delay.ms", "100"}};
  if (exactly_once) {
    run.AddWorkerSettings({{"exactly.once.source.support", "enabled"}});
    config["exactly.once.support"] = "required";
  }
  // An account of the test's own: cutting connections must not touch other tests' connectors.
  const std::string user = CreateAccount(run, mysql, /*reload=*/true);
  config["database.user"] = user;
  config["database.password"] = "pw";
  run.WriteConnectorConfig(config);
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_NO_FATAL_FAILURE(WaitForRecords(topic, 500, run));

  // While the snapshot runs: changes to rows it emitted and to rows it has not reached.
  std::set<int> deleted;
  std::map<int, int> updated;
  auto change = [&](int first, int step, int value) {
    for (int id = first; id <= kRows; id += step) {
      if (deleted.count(id) != 0) continue;
      if (value < 0) {
        run.Sql(absl::StrCat("DELETE FROM t WHERE id = ", id));
        deleted.insert(id);
        updated.erase(id);
      } else {
        run.Sql(absl::StrCat("UPDATE t SET v = ", value, " WHERE id = ", id));
        updated[id] = value;
      }
    }
  };
  change(5, 97, -1);
  change(7, 89, 100);
  if (fault == Fault::kKillWorker) {
    worker->Signal(SIGKILL);
    ASSERT_EQ(worker->Wait(absl::Seconds(10)), 128 + SIGKILL);
    std::optional<std::string> offset = run.CommittedOffset();
    std::cout << "committed offset at the kill: " << offset.value_or("<none>") << std::endl;
    EXPECT_TRUE(offset.has_value()) << "the snapshot's position is committed before its rows leave";
    EXPECT_NE(offset.value_or("").find("\"snapshot\":\"INITIAL\""), std::string::npos);
  } else {
    absl::StatusOr<mysql::QueryResult> connections = run.admin().Query(absl::StrCat(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '", user,
        "' AND COMMAND NOT LIKE 'Binlog Dump%'"));
    ASSERT_TRUE(connections.ok()) << connections.status();
    ASSERT_FALSE(connections->rows.empty());
    for (const auto& row : connections->rows) {
      (void)run.admin().Execute(absl::StrCat("KILL ", *row[0]));
    }
  }
  // While the worker is down, or the task reconnects.
  change(3, 53, -1);
  change(4, 41, 200);
  run.Sql("INSERT INTO t VALUES (5001, 1, 'new')");

  if (fault == Fault::kKillWorker) {
    config["internal.snapshot.chunk.delay.ms"] = "0";
    run.WriteConnectorConfig(config);
    worker = run.StartWorker();
  }
  run.Sql("UPDATE t SET v = 300 WHERE id = 2");
  updated[2] = 300;

  const std::map<int, int> expected = TableState(run);
  ASSERT_EQ(expected.size(), kRows + 1 - deleted.size());
  Replayed replayed;
  const absl::Time deadline = absl::Now() + absl::Seconds(90);
  while (absl::Now() < deadline) {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(KafkaBootstrap(), topic, absl::Seconds(10));
    if (read.ok()) {
      replayed = Replay(*read);
      if (replayed.state == expected) break;
    }
    absl::SleepFor(absl::Milliseconds(500));
  }
  size_t wrong = 0;
  for (const auto& [id, v] : expected) {
    auto it = replayed.state.find(id);
    if (it == replayed.state.end() || it->second != v) ++wrong;
  }
  size_t alive = 0;
  for (int id : deleted) alive += replayed.state.count(id);
  EXPECT_TRUE(replayed.state == expected)
      << wrong << " keys with another value or missing, " << alive
      << " deleted rows still alive downstream; log:\n"
      << run.WorkerLog();
  // Each delete as a change: `d`, then its tombstone.
  size_t deletes_missing = 0;
  for (int id : deleted) {
    const std::vector<std::string>& ops = replayed.ops[id];
    bool found = false;
    for (size_t i = 0; i + 1 < ops.size(); ++i) found |= ops[i] == "d" && ops[i + 1] == "-";
    if (!found) ++deletes_missing;
  }
  EXPECT_EQ(deletes_missing, 0u) << "of " << deleted.size() << " deletes";
  // Each update as a change carrying its value.
  size_t updates_missing = 0;
  for (const auto& [id, v] : updated) {
    const std::vector<int>& values = replayed.updated_to[id];
    if (std::find(values.begin(), values.end(), v) == values.end()) ++updates_missing;
  }
  EXPECT_EQ(updates_missing, 0u) << "of " << updated.size() << " updates";
  if (exactly_once) {
    // No change twice: one snapshot read (or insert, delete) per row at most, each update's
    // value once (this test never sets a row to one value twice).
    size_t duplicated = 0;
    for (const auto& [id, ops] : replayed.ops) {
      for (const char* op : {"r", "c", "d"}) {
        if (std::count(ops.begin(), ops.end(), op) > 1) ++duplicated;
      }
      const std::vector<int>& values = replayed.updated_to[id];
      if (std::set<int>(values.begin(), values.end()).size() != values.size()) ++duplicated;
    }
    EXPECT_EQ(duplicated, 0u) << "keys with a change seen twice under exactly-once";
  }
  std::cout << (mysql ? "MySQL" : "MariaDB") << ": " << replayed.records << " records for "
            << kRows << " rows and " << deleted.size() + updated.size() + 1 << " changes"
            << std::endl;
  run.StopWorker(worker);
  DropAccount(run, user);
}

TEST_P(SnapshotFaults, KillNineBeforeTheFirstPeriodicCommitLosesNoChange) {
  CdcRun run("sfkill", /*schemas=*/false, GetParam());
  FaultDuringTheSnapshot(run, mysql(), /*flush_ms=*/600000, Fault::kKillWorker);
}

TEST_P(SnapshotFaults, KillNineAfterCommittedChunksResumesTheSnapshotLosingNoChange) {
  CdcRun run("sfresume", /*schemas=*/false, GetParam());
  FaultDuringTheSnapshot(run, mysql(), /*flush_ms=*/200, Fault::kKillWorker);
  EXPECT_NE(run.WorkerLog().find("resuming the interrupted snapshot at `"), std::string::npos)
      << run.WorkerLog();
}

// Exactly-once (issue 19): each poll of the snapshot is one Kafka transaction with the offset
// its rows reached, so a kill -9 mid-snapshot resumes after the last committed poll and a
// read_committed consumer sees no snapshot row, and no change, twice.
TEST_P(SnapshotFaults, UnderExactlyOnceAKillNineMidSnapshotDuplicatesNothing) {
  CdcRun run("sfeos", /*schemas=*/false, GetParam());
  FaultDuringTheSnapshot(run, mysql(), /*flush_ms=*/200, Fault::kKillWorker,
                         /*exactly_once=*/true);
  EXPECT_NE(run.WorkerLog().find("resuming the interrupted snapshot at `"), std::string::npos)
      << run.WorkerLog();
}

// The snapshot's connection cut: the task carries on after the last row it handed over, at the
// same position, instead of starting over at a new one (which skipped the changes made meanwhile
// to rows already sent).
TEST_P(SnapshotFaults, ACutSnapshotConnectionResumesLosingNoChange) {
  CdcRun run("sfcut", /*schemas=*/false, GetParam());
  FaultDuringTheSnapshot(run, mysql(), /*flush_ms=*/600000, Fault::kCutConnection);
  const std::string log = run.WorkerLog();
  EXPECT_NE(log.find("the snapshot will resume"), std::string::npos) << log;
  EXPECT_NE(log.find("resuming the interrupted snapshot at `"), std::string::npos) << log;
}

// A snapshot that fails while it holds its lock — the global read lock, or (without RELOAD) read
// locks on the captured tables — releases it before the task reports FAILED: with the worker
// still running, a write to a captured table goes through at once.
TEST_P(SnapshotFaults, AFailedSnapshotReleasesItsLockAtOnce) {
  for (bool reload : {true, false}) {
    SCOPED_TRACE(reload ? "global read lock" : "table locks");
    CdcRun run(reload ? "sfglobal" : "sftables", /*schemas=*/false, GetParam());
    const std::string user = CreateAccount(run, mysql(), reload);
    run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
    run.Sql("INSERT INTO t VALUES (1, 0)");
    run.WriteConnectorConfig({{"database.user", user},
                              {"database.password", "pw"},
                              {"internal.snapshot.locking.on.mariadb", "true"},
                              {"internal.snapshot.fail.after.lock", "true"}});
    std::unique_ptr<Subprocess> worker = run.StartWorker();
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline &&
           run.WorkerLog().find("the snapshot failed while it held its lock") ==
               std::string::npos) {
      absl::SleepFor(absl::Milliseconds(100));
    }
    const std::string log = run.WorkerLog();
    ASSERT_NE(log.find("the snapshot failed while it held its lock"), std::string::npos) << log;
    EXPECT_NE(log.find(reload ? "snapshot lock: FLUSH TABLES WITH READ LOCK (global)"
                              : absl::StrCat("taking LOCK TABLES `", run.db(), "`.`t` READ")),
              std::string::npos)
        << log;
    ASSERT_TRUE(worker->running()) << "the worker lives on with the task failed";
    // A lock left behind would make these wait; 5 s is far more than an unlocked write takes.
    run.Sql("SET SESSION lock_wait_timeout = 5");
    run.Sql("INSERT INTO t VALUES (2, 0)");
    run.Sql("UPDATE t SET v = 1 WHERE id = 1");
    run.Sql("SET SESSION lock_wait_timeout = 31536000");
    EXPECT_TRUE(worker->running());
    run.StopWorker(worker);
    DropAccount(run, user);
  }
}

INSTANTIATE_TEST_SUITE_P(Servers, SnapshotFaults,
                         ::testing::Values(TestServer::kMariaDb, TestServer::kMySql), ServerName);

}  // namespace
}  // namespace sluice::testing
