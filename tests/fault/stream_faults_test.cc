// Faults in what the connector reads (issue 19's fault suite), on MariaDB 10.11's and MySQL 9.7's
// scratch servers: one flipped bit inside a rows event on the wire (a loopback proxy), the
// committed position's binlog purged while the worker was down (killed), and rows over the
// broker's message limit and near the server's packet limit.
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "connectors/mysql/server/binlog_position.h"
#include "rapidjson/document.h"
#include "tests/fault/fault_run.h"
#include "tests/fault/flip_proxy.h"
#include "tests/integration/mysql_connector/server_dialect.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

class StreamFaults : public ::testing::TestWithParam<TestServer> {
 protected:
  void SetUp() override {
    const absl::Status up = CheckServicesReachable(GetParam());
    ASSERT_TRUE(up.ok()) << up;
  }
  unsigned ServerPort() const {
    return GetParam() == TestServer::kMySqlScratch ? MySqlScratchPort() : MariaDbScratchPort();
  }
};

INSTANTIATE_TEST_SUITE_P(Servers, StreamFaults,
                         ::testing::Values(TestServer::kMariaDbScratch, TestServer::kMySqlScratch),
                         ServerParamName);

// The committed offset's (file, pos); ("", 0) when there is none.
std::pair<std::string, int64_t> OffsetPosition(const std::optional<std::string>& offset) {
  if (!offset.has_value()) return {"", 0};
  rapidjson::Document v;
  v.Parse(offset->c_str());
  if (!v.IsObject() || !v.HasMember("file") || !v.HasMember("pos")) return {"", 0};
  return {v["file"].GetString(), v["pos"].GetInt64()};
}

std::pair<std::string, int64_t> ServerPosition(CdcRun& cdc) {
  absl::StatusOr<mysql::ServerBinlogPosition> p = mysql::ReadServerBinlogPosition(cdc.admin());
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::make_pair(p->file, static_cast<int64_t>(p->position))
                : std::make_pair(std::string(), int64_t{0});
}

// One bit of a row's value flipped between server and connector: the rows event's CRC32 does
// not match, the task fails saying so, the committed offset lies before the corrupt event (and
// after what was read before it), and once the proxy is gone the worker resumes and loses nothing.
TEST_P(StreamFaults, AFlippedBitInARowsEventFailsTheTaskAndResumesAfterTheProxyIsGone) {
  FaultRun run("crcflip", GetParam());
  run.cdc().Sql("CREATE TABLE marked (id INT PRIMARY KEY, s VARCHAR(64))");
  const std::string marker = "FLIP-THIS-MARKER-IN-THE-ROWS-EVENT";
  FlipProxy proxy(ServerPort(), marker);
  ASSERT_NE(proxy.port(), 0u);
  // Plaintext, so the proxy sees the bytes (MySQL: caching_sha2_password's RSA exchange).
  const std::map<std::string, std::string> plaintext = {{"database.ssl.mode", "disabled"}};
  std::map<std::string, std::string> through_proxy = plaintext;
  through_proxy["database.port"] = absl::StrCat(proxy.port());
  run.Configure(through_proxy);
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  ASSERT_TRUE(run.workload().Run(300).ok());
  const std::pair<std::string, int64_t> before_marker = ServerPosition(run.cdc());
  // The statement spells the marker in two halves: MariaDB's ANNOTATE_ROWS event carries the
  // statement's text, and the flip belongs in the rows event.
  const size_t half = marker.size() / 2;
  run.cdc().Sql(absl::StrCat("INSERT INTO marked VALUES (1, CONCAT('", marker.substr(0, half),
                             "', '", marker.substr(half), "'))"));
  ASSERT_TRUE(run.workload().Run(100).ok());

  ASSERT_TRUE(run.cdc().WaitForLog("task failed")) << run.cdc().WorkerLog();
  EXPECT_TRUE(proxy.flipped());
  const std::string log = run.cdc().WorkerLog();
  // "WRITE_ROWS_EVENT[_V1] at <file>:<pos>: checksum mismatch: event says 0x..., bytes give 0x..."
  EXPECT_THAT(log, HasSubstr("ROWS_EVENT")) << log;
  EXPECT_THAT(log, HasSubstr("checksum mismatch")) << log;
  run.cdc().StopWorker(worker);
  const std::optional<std::string> offset = run.cdc().CommittedOffset();
  EXPECT_LE(OffsetPosition(offset), before_marker)
      << "the committed offset " << offset.value_or("none") << " is past the corrupt event";
  run.ExpectOffsetNotAheadOfData();
  absl::StatusOr<std::vector<ConsumedRecord>> marked =
      ReadWholeTopic(run.cdc().bootstrap(), run.cdc().Topic("marked"), absl::Seconds(10));
  EXPECT_TRUE(!marked.ok() || marked->empty()) << "the corrupt row was delivered";

  run.Configure(plaintext);  // the proxy is gone: straight to the server
  worker = run.StartWorker();
  EXPECT_EQ(run.cdc().WaitForEvents(run.cdc().Topic("marked"), 1, worker.get()).size(), 1u);
  run.FinishAndCheck(worker);
}

// The worker is killed, the workload goes on, the binlogs are purged past the committed position:
// the restarted task fails naming the position it needed (never starting silently at the
// server's current position); with snapshot.mode=when_needed it snapshots again, after which
// each row of the table has its current version as its key's last record. (Rows deleted in the
// purged binlogs keep their last record: no snapshot can know of a delete it cannot read.)
TEST_P(StreamFaults, ABinlogPurgedWhileTheWorkerWasDownFailsOrSnapshotsAgain) {
  FaultRun run("purge", GetParam());
  run.Configure();
  std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
  ASSERT_TRUE(run.workload().Run(TransactionsFor(FaultSize("SLUICE_FAULT_CHANGES", 1500))).ok());
  absl::SleepFor(absl::Seconds(1));
  run.KillWorker(worker);
  const std::pair<std::string, int64_t> committed = OffsetPosition(run.cdc().CommittedOffset());
  ASSERT_FALSE(committed.first.empty());
  ASSERT_TRUE(run.workload().Run(TransactionsFor(FaultSize("SLUICE_FAULT_CHANGES", 1500))).ok());
  run.cdc().Sql("FLUSH BINARY LOGS");
  absl::SleepFor(absl::Seconds(1));
  run.cdc().Sql("PURGE BINARY LOGS BEFORE NOW()");

  worker = run.StartWorker();
  ASSERT_TRUE(run.cdc().WaitForLog("is no longer on the server")) << run.cdc().WorkerLog();
  EXPECT_THAT(run.cdc().WorkerLog(),
              HasSubstr(absl::StrCat("the committed position ", committed.first, ":",
                                     committed.second)));
  run.cdc().StopWorker(worker);
  EXPECT_EQ(OffsetPosition(run.cdc().CommittedOffset()), committed)
      << "a task that could not resume moved the offset";

  run.Configure({{"snapshot.mode", "when_needed"}});
  worker = run.StartWorker();
  run.WaitUntilStreaming(worker.get());
  // The final state: each key's last record against the table.
  std::map<int, int64_t> table;
  absl::StatusOr<mysql::QueryResult> rows = run.cdc().admin().Query(
      absl::StrCat("SELECT id, ver FROM ", run.cdc().db(), ".t"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  for (const auto& row : rows->rows) table[std::stoi(*row[0])] = std::stoll(*row[1]);
  absl::StatusOr<std::vector<ConsumedRecord>> records =
      ReadWholeTopic(run.cdc().bootstrap(), run.topic(), absl::Seconds(30));
  ASSERT_TRUE(records.ok()) << records.status();
  std::map<int, int64_t> replayed;
  for (const ConsumedRecord& record : *records) {
    if (!record.value.has_value()) continue;
    rapidjson::Document v;
    v.Parse(record.value->c_str());
    const rapidjson::Value& after = v["after"];
    const rapidjson::Value& before = v["before"];
    if (after.IsObject()) {
      replayed[after["id"].GetInt()] = after["ver"].GetInt64();
    } else if (before.IsObject()) {
      replayed.erase(before["id"].GetInt());
    }
  }
  for (const auto& [key, version] : table) {
    EXPECT_EQ(replayed[key], version) << "key " << key << ": the topic's last record is not the row";
  }
  run.cdc().StopWorker(worker);
}

// A row over the broker's max.message.bytes (1.1 MiB), and in a second run one near the server's
// max_allowed_packet (at most 16 MiB here): the task fails naming table, key and size, the
// committed offset stays before the row, and the worker process lives on (no crash).
TEST_P(StreamFaults, RowsOverTheMessageLimitAndNearThePacketLimitFailClearly) {
  int64_t packet = 0;
  for (int round = 0; round < 2; ++round) {
    FaultRun run(round == 0 ? "overlimit" : "nearpacket", GetParam());
    if (round == 0) {
      absl::StatusOr<std::string> limit = run.cdc().admin().GlobalVariable("max_allowed_packet");
      ASSERT_TRUE(limit.ok()) << limit.status();
      packet = std::stoll(*limit);
    }
    const int64_t size =
        round == 0 ? 1153434 : std::min<int64_t>(packet, 16 << 20) - (64 << 10);
    SCOPED_TRACE(absl::StrCat("a row of ", size, " bytes"));
    run.cdc().Sql("CREATE TABLE big (id INT PRIMARY KEY, b LONGBLOB)");
    run.Configure();
    std::unique_ptr<Subprocess> worker = run.StartStreamingWorker();
    ASSERT_TRUE(run.workload().Run(100).ok());
    const std::pair<std::string, int64_t> before_row = ServerPosition(run.cdc());
    run.cdc().Sql(absl::StrCat("INSERT INTO big VALUES (", size, ", REPEAT('x', ", size, "))"));
    ASSERT_TRUE(run.cdc().WaitForLog("task failed")) << run.cdc().WorkerLog();
    const std::string log = run.cdc().WorkerLog();
    EXPECT_THAT(log, HasSubstr(absl::StrCat("topic `", run.cdc().Topic("big"), "`")));
    EXPECT_THAT(log, HasSubstr(absl::StrCat(R"(the record with key {"id":)", size, "}")));
    EXPECT_THAT(log, HasSubstr("bytes of key, value and headers"));
    EXPECT_TRUE(worker->running()) << log;
    run.cdc().StopWorker(worker);
    EXPECT_LE(OffsetPosition(run.cdc().CommittedOffset()), before_row);
    run.ExpectEveryPromiseHeld();  // the workload before the row arrived whole
  }
}

}  // namespace
}  // namespace sluice::testing
