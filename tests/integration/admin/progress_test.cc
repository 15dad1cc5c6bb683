// What a task reports with api->task_progress_report reaches the operator: GetConnectorStatus and
// Watch carry it, and `sluice connectors status` / `watch` print it as one line per task (watch
// only when it changes), `-o proto` in full. A test plugin reports exactly what its config says;
// the generator reports its own progress.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "rapidjson/document.h"
#include "tests/integration/admin/admin_fixture.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Runs the `sluice` CLI against the fixture's worker (with `prefix` before it, e.g. "timeout 3");
// returns its exit code, stdout and stderr in `out`.
int Cli(const std::string& address, const std::vector<std::string>& args, std::string* out,
        const std::string& prefix = "") {
  const std::string bin = absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice");
  const std::string file = absl::StrCat(::testing::TempDir(), "/cli_out_", ::getpid());
  const std::string command = absl::StrCat(prefix, " ", bin, " --worker ", address, " ",
                                           absl::StrJoin(args, " "), " > ", file, " 2>&1");
  const int rc = std::system(command.c_str());
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

int64_t NowMillis() { return absl::ToUnixMillis(absl::Now()); }

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class ProgressTest : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    StartWorker({{"plugin.path", plugin_dir_ + "," + SLUICE_TEST_PLUGIN_DIR}});
  }

  // Waits until task 0 of `name` reports progress that `done` accepts; returns the last status.
  template <typename Predicate>
  pb::ConnectorStatus WaitForProgress(const std::string& name, Predicate done) {
    pb::ConnectorStatus status;
    EXPECT_TRUE(Eventually(
        [&] {
          status = Status(name);
          return status.tasks_size() == 1 && status.tasks(0).has_progress() &&
                 done(status.tasks(0).progress());
        },
        absl::Seconds(30)))
        << status.DebugString();
    return status;
  }
};

TEST_F(ProgressTest, StatusWatchAndTheCliShowWhatATaskReports) {
  const std::string name = prefix_ + "-p";
  ASSERT_TRUE(Create(name, {{"connector.class", "progress-reporting"},
                            {"progress.phase", "snapshot"},
                            {"progress.table", "inventory.orders"},
                            {"progress.rows.done", "120000"},
                            {"progress.rows.total", "1000000"},
                            {"progress.tables.done", "1"},
                            {"progress.tables.total", "5"},
                            {"progress.position", "mariadb-bin.000003:1234"}})
                  .ok());
  const int64_t started = NowMillis();
  pb::ConnectorStatus status = WaitForProgress(name, [](const pb::TaskProgress&) { return true; });
  ASSERT_TRUE(status.tasks(0).has_progress());
  const pb::TaskProgress& p = status.tasks(0).progress();
  EXPECT_EQ(p.phase(), pb::TASK_PHASE_SNAPSHOT);
  EXPECT_EQ(p.phase_name(), "snapshot");
  EXPECT_EQ(p.table(), "inventory.orders");
  EXPECT_EQ(p.table_rows_done(), 120000);
  EXPECT_EQ(p.table_rows_total(), 1000000);
  EXPECT_EQ(p.tables_done(), 1);
  EXPECT_EQ(p.tables_total(), 5);
  EXPECT_FALSE(p.has_lag_ms()) << "the task did not say: unknown, not 0";
  EXPECT_EQ(p.position(), "mariadb-bin.000003:1234");
  EXPECT_GE(p.reported_at_ms(), started - 1000);
  EXPECT_LE(p.reported_at_ms(), NowMillis() + 1000);
  EXPECT_TRUE(status.snapshot_running()) << "a task in its snapshot phase means a snapshot runs";

  // The CLI: one line per task, instead of the offsets-only "snapshot running".
  std::string out;
  ASSERT_EQ(Cli(Address(), {"connectors", "status", name}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("\ntask 0: snapshot inventory.orders 120000/1000000 rows (12%), "
                             "table 2/5\n"));
  EXPECT_THAT(out, Not(HasSubstr("progress: snapshot running")));

  // -o proto: the message as the proto's JSON mapping (int64 as strings), unknown numbers absent
  // (-o json is Kafka Connect's status, which has no place for progress).
  ASSERT_EQ(Cli(Address(), {"-o", "proto", "connectors", "status", name}, &out), 0) << out;
  rapidjson::Document json;
  json.Parse(out.c_str());
  ASSERT_TRUE(json.IsObject()) << out;
  const rapidjson::Value& progress = json["tasks"][0]["progress"];
  ASSERT_TRUE(progress.IsObject()) << out;
  EXPECT_STREQ(progress["phase"].GetString(), "TASK_PHASE_SNAPSHOT");
  EXPECT_STREQ(progress["table"].GetString(), "inventory.orders");
  EXPECT_STREQ(progress["table_rows_done"].GetString(), "120000");
  EXPECT_STREQ(progress["tables_total"].GetString(), "5");
  EXPECT_FALSE(progress.HasMember("lag_ms")) << out;

  // Watch: each metrics sample carries the task's progress.
  {
    grpc::ClientContext context;
    pb::WatchRequest request;
    request.add_connectors(name);
    std::unique_ptr<grpc::ClientReader<pb::WatchEvent>> reader = stub_->Watch(&context, request);
    pb::WatchEvent event;
    bool seen = false;
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (!seen && absl::Now() < deadline && reader->Read(&event)) {
      if (!event.has_task_metrics() || !event.task_metrics().has_progress()) continue;
      seen = true;
      EXPECT_EQ(event.task_metrics().task(), 0);
      EXPECT_EQ(event.task_metrics().progress().table(), "inventory.orders");
      EXPECT_EQ(event.task_metrics().progress().table_rows_done(), 120000);
    }
    context.TryCancel();
    EXPECT_TRUE(seen) << "no metrics sample with progress in 20 s";
  }

  // `connectors watch` prints the progress line once, not with every metrics sample (one a
  // second), because it does not change.
  Cli(Address(), {"connectors", "watch", name}, &out, "timeout -s INT 3.5");
  EXPECT_GE(Count(out, "records sent"), 2u) << out;
  EXPECT_EQ(Count(out, absl::StrCat(name,
                                    "-0  snapshot inventory.orders 120000/1000000 rows (12%), "
                                    "table 2/5\n")),
            1u)
      << out;

  // Streaming: the new config restarts the task, which then reports lag and position.
  pb::PatchConnectorConfigRequest patch;
  patch.set_name(name);
  (*patch.mutable_set())["progress.phase"] = "streaming";
  (*patch.mutable_set())["progress.lag.ms"] = "35";
  patch.add_remove("progress.table");
  pb::Connector patched;
  ASSERT_TRUE(stub_->PatchConnectorConfig(Ctx().get(), patch, &patched).ok());
  status = WaitForProgress(
      name, [](const pb::TaskProgress& p) { return p.phase() == pb::TASK_PHASE_STREAMING; });
  EXPECT_EQ(status.tasks(0).progress().lag_ms(), 35);
  EXPECT_FALSE(status.snapshot_running());
  ASSERT_EQ(Cli(Address(), {"connectors", "status", name}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("\ntask 0: streaming, lag 35 ms at mariadb-bin.000003:1234\n"));
}

TEST_F(ProgressTest, TheGeneratorReportsStreamingThenIdleAtItsLastRecord) {
  const std::string name = prefix_ + "-g";
  ASSERT_TRUE(
      Create(name, GeneratorConfig(prefix_ + ".data", /*rate=*/200, /*max_records=*/20)).ok());
  pb::ConnectorStatus status = WaitForProgress(
      name, [](const pb::TaskProgress& p) { return p.phase() == pb::TASK_PHASE_IDLE; });
  EXPECT_EQ(status.tasks(0).progress().position(), "seq 19");
  std::string out;
  ASSERT_EQ(Cli(Address(), {"connectors", "status", name}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("\ntask 0: idle at seq 19\n"));
}

// A task that fails keeps its last report: it tells where the task was when it failed.
TEST_F(ProgressTest, AFailedTaskKeepsItsLastReport) {
  const std::string name = prefix_ + "-f";
  std::map<std::string, std::string> config = GeneratorConfig(prefix_ + ".data", /*rate=*/200);
  config["fail.on.poll"] = "5";  // fail.code defaults to INTERNAL: not retried
  ASSERT_TRUE(Create(name, config).ok());
  ASSERT_TRUE(Eventually([&] {
    pb::ConnectorStatus s = Status(name);
    return s.tasks_size() == 1 && s.tasks(0).state_name() == "FAILED";
  }));
  pb::ConnectorStatus status = Status(name);
  ASSERT_TRUE(status.tasks(0).has_progress()) << status.DebugString();
  EXPECT_EQ(status.tasks(0).progress().phase(), pb::TASK_PHASE_STREAMING);
}

// A task that stops has no progress: the report belongs to the running task.
TEST_F(ProgressTest, APausedTaskShowsNoProgress) {
  const std::string name = prefix_ + "-s";
  ASSERT_TRUE(
      Create(name, {{"connector.class", "progress-reporting"}, {"progress.phase", "idle"}}).ok());
  WaitForProgress(name, [](const pb::TaskProgress& p) { return p.phase() == pb::TASK_PHASE_IDLE; });
  pb::ConnectorRef ref;
  ref.set_name(name);
  pb::ConnectorStatus paused;
  ASSERT_TRUE(stub_->PauseConnector(Ctx().get(), ref, &paused).ok());
  ASSERT_TRUE(WaitForState(name, "PAUSED"));
  pb::ConnectorStatus status = Status(name);
  ASSERT_EQ(status.tasks_size(), 1);
  EXPECT_FALSE(status.tasks(0).has_progress()) << status.DebugString();
}

}  // namespace
}  // namespace sluice::testing
