#include "tests/fault/fault_run.h"

#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/support/eventually.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

// "k=v;k=v" from the environment variable `name`.
std::map<std::string, std::string> SettingsFromEnvironment(const char* name) {
  std::map<std::string, std::string> out;
  const char* value = std::getenv(name);
  if (value == nullptr) return out;
  for (absl::string_view item : absl::StrSplit(value, ';', absl::SkipWhitespace())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    out[kv.first] = kv.second;
  }
  return out;
}

std::string SourceDir() {
  const char* dir = std::getenv("SLUICE_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

}  // namespace

int FaultSize(const char* name, int ci_default) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return ci_default;
  return std::atoi(value);
}

int TransactionsFor(int changes) { return std::max(1, changes / 3); }

FaultRun::FaultRun(const std::string& name, TestServer server, const std::string& bootstrap,
                   WorkloadOptions workload)
    : cdc_(name, /*schemas=*/false, server, bootstrap) {
  cdc_.AddWorkerSettings(SettingsFromEnvironment("SLUICE_FAULT_WORKER_SETTINGS"));
  cdc_.Sql("CREATE TABLE ready (id INT PRIMARY KEY)");
  absl::StatusOr<mysql::Connection> writer = mysql::Connection::Open(cdc_.AdminOptions());
  EXPECT_TRUE(writer.ok()) << writer.status();
  if (!writer.ok()) return;
  workload_ = std::make_unique<Workload>(*std::move(writer), cdc_.db(), "t", workload);
  absl::Status created = workload_->CreateTable();
  EXPECT_TRUE(created.ok()) << created;
}

FaultRun::~FaultRun() {
  if (workload_ != nullptr) workload_->WriteLog(Path("ground_truth.log"));
}

std::string FaultRun::Path(const std::string& file) const {
  return absl::StrCat(cdc_.directory(), "/", file);
}

void FaultRun::Configure(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> config = SettingsFromEnvironment("SLUICE_FAULT_CONNECTOR_SETTINGS");
  for (const auto& [key, value] : extra) config[key] = value;
  cdc_.WriteConnectorConfig(config);
}

std::unique_ptr<Subprocess> FaultRun::StartWorker(const std::string& failpoints) {
  // The child inherits the environment at its start; the test process never reads the variable.
  if (failpoints.empty()) {
    unsetenv("SLUICE_FAILPOINTS");
  } else {
    setenv("SLUICE_FAILPOINTS", failpoints.c_str(), 1);
  }
  std::unique_ptr<Subprocess> worker = cdc_.StartWorker();
  unsetenv("SLUICE_FAILPOINTS");
  EXPECT_TRUE(worker->started());
  return worker;
}

void FaultRun::WaitUntilStreaming(Subprocess* worker) {
  ++ready_;
  cdc_.Sql(absl::StrCat("INSERT INTO ready VALUES (", ready_, ")"));
  const std::vector<ChangeEvent> events =
      cdc_.WaitForEvents(cdc_.Topic("ready"), static_cast<size_t>(ready_), worker);
  ASSERT_GE(events.size(), static_cast<size_t>(ready_)) << cdc_.WorkerLog();
  // And the committed offset is a streaming one: a snapshot resumed after a fault reads the rows
  // as they are then and streams the history after them, which the checker's per-key order of
  // first occurrences does not allow (the row may have been snapshotted, not streamed).
  const bool streaming = Eventually(
      [&] {
        std::optional<std::string> offset = cdc_.CommittedOffset();
        return offset.has_value() && offset->find("\"snapshot\"") == std::string::npos;
      },
      absl::Seconds(60), absl::Milliseconds(200));
  ASSERT_TRUE(streaming) << "the snapshot's end was never committed: "
                         << cdc_.CommittedOffset().value_or("none") << "\n"
                         << cdc_.WorkerLog();
}

std::unique_ptr<Subprocess> FaultRun::StartStreamingWorker() {
  std::unique_ptr<Subprocess> worker = StartWorker();
  WaitUntilStreaming(worker.get());
  return worker;
}

void FaultRun::FinishAndCheck(std::unique_ptr<Subprocess>& worker, const CheckOptions& options) {
  WaitUntilStreaming(worker.get());
  ExpectEveryPromiseHeld(options);
  cdc_.StopWorker(worker);
}

void FaultRun::ExpectOffsetNotAheadOfData() {
  // Nothing writes any more: the offset read now is the last the worker committed, and the data
  // read after it holds at least what was there when the offset was written.
  const std::optional<std::string> offset = cdc_.CommittedOffset();
  absl::StatusOr<std::vector<ConsumedRecord>> records =
      ReadWholeTopic(cdc_.bootstrap(), topic(), absl::Seconds(30));
  if (!records.ok() && absl::IsNotFound(records.status())) records = std::vector<ConsumedRecord>();
  ASSERT_TRUE(records.ok()) << records.status();
  for (const std::string& problem :
       CheckOffsetNotAhead(offset, *records, workload_->Transactions())) {
    ADD_FAILURE() << problem;
  }
}

void FaultRun::KillWorker(std::unique_ptr<Subprocess>& worker) {
  worker->Signal(SIGKILL);
  EXPECT_EQ(worker->Wait(absl::Seconds(10)), 128 + SIGKILL);
  worker.reset();
  ExpectOffsetNotAheadOfData();
}

void FaultRun::ExpectKilledBy(std::unique_ptr<Subprocess>& worker, const std::string& failpoint) {
  std::optional<int> code = worker->Wait(absl::Seconds(120));
  EXPECT_EQ(code, 128 + SIGKILL) << "the failpoint " << failpoint << " never fired; log:\n"
                                 << cdc_.WorkerLog();
  if (!code.has_value()) worker->Signal(SIGKILL);
  worker.reset();
  EXPECT_NE(cdc_.WorkerLog().find(absl::StrCat("failpoint ", failpoint, " fired")),
            std::string::npos);
  ExpectOffsetNotAheadOfData();
}

void FaultRun::ExpectEveryPromiseHeld(const CheckOptions& options) {
  const CheckReport report = CheckTopic(cdc_.bootstrap(), topic(), *workload_, options);
  EXPECT_TRUE(report.ok()) << report.Summary() << "\nground truth: " << Path("ground_truth.log")
                           << "\nworker log: " << cdc_.log_path();
  std::cout << "[ checker  ] " << report.Summary() << "\n";
}

int FaultRun::Service(const std::string& command) {
  const std::string log = Path("services.log");
  const std::string line = absl::StrCat(command, " >>'", log, "' 2>&1");
  const int code = std::system(line.c_str());
  EXPECT_EQ(code, 0) << line << "\n" << ReadFileForMessage(log);
  return code;
}

void FaultRun::CrashServer(int down_seconds) {
  const bool mysql = cdc_.server() == TestServer::kMySqlScratch;
  ASSERT_TRUE(mysql || cdc_.server() == TestServer::kMariaDbScratch) << "scratch servers only";
  Service(mysql ? absl::StrCat("MYSQL_PORT=", MySqlScratchPort(), " '", SourceDir(),
                               "/scripts/services/mysql' crash ", down_seconds)
                : absl::StrCat("MARIADB_PORT=", MariaDbScratchPort(), " MARIADB_TLS=0 '",
                               SourceDir(), "/scripts/services/mariadb' crash ", down_seconds));
  cdc_.ReconnectAdmin();
}

void FaultRun::RestartServer() {
  const bool mysql = cdc_.server() == TestServer::kMySqlScratch;
  ASSERT_TRUE(mysql || cdc_.server() == TestServer::kMariaDbScratch) << "scratch servers only";
  Service(mysql ? absl::StrCat("MYSQL_PORT=", MySqlScratchPort(), " '", SourceDir(),
                               "/scripts/services/mysql' restart")
                : absl::StrCat("MARIADB_PORT=", MariaDbScratchPort(), " MARIADB_TLS=0 '",
                               SourceDir(), "/scripts/services/mariadb' restart"));
  cdc_.ReconnectAdmin();
}

void FaultRun::ReconnectWorkload() {
  absl::Status reconnected = workload_->Reconnect(cdc_.AdminOptions());
  EXPECT_TRUE(reconnected.ok()) << reconnected;
}

void FaultRun::CrashBroker(int down_seconds) {
  ASSERT_EQ(cdc_.bootstrap(), KafkaScratchBootstrap()) << "the scratch broker only";
  Service(absl::StrCat("KAFKA_PORT=", KafkaScratchPort(), " '", SourceDir(),
                       "/scripts/services/kafka' restart ", down_seconds));
}

void FaultRun::RestartBrokerCleanly(int down_seconds) {
  ASSERT_EQ(cdc_.bootstrap(), KafkaScratchBootstrap()) << "the scratch broker only";
  Service(absl::StrCat("KAFKA_PORT=", KafkaScratchPort(), " '", SourceDir(),
                       "/scripts/services/kafka' clean-restart ", down_seconds));
}

}  // namespace sluice::testing
