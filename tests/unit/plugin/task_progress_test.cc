// api->task_progress_report (ABI 1.2), called through the host table as a plugin calls it: a report
// is copied (the plugin's buffers are free again when the call returns) and replaces the last one;
// a malformed one is refused with a code and changes nothing; long strings are cut; a plugin built
// for 1.0 still loads and runs; a plugin built for 1.2 skips the call on an older host's table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "runtime/plugin/host_api.h"
#include "runtime/plugin/host_context.h"
#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_calls.h"
#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

class TaskProgressTest : public ::testing::Test {
 protected:
  LogSink Log() {
    return [this](LogLevel, std::string_view who, std::string_view msg) {
      logs_.push_back(std::string(who) + ": " + std::string(msg));
    };
  }
  sluice_status Report(HostContext& ctx, const sluice_task_progress* p) {
    return HostApi()->task_progress_report(ToC(&ctx), p);
  }

  std::vector<std::string> logs_;
  HostContext task_{HostContext::Kind::kTask, "orders", 0, Log()};
};

TEST_F(TaskProgressTest, TheHostTableOfThisVersionHasTheCall) {
  const sluice_host_api* api = HostApi();
  EXPECT_GE(api->abi_minor, 2u);
  EXPECT_TRUE(SLUICE_HAS_MEMBER(api, sluice_host_api, task_progress_report));
  EXPECT_NE(api->task_progress_report, nullptr);
}

TEST_F(TaskProgressTest, NothingIsKnownBeforeTheFirstReport) {
  EXPECT_FALSE(task_.progress().has_value());
}

TEST_F(TaskProgressTest, AReportIsCopiedSoThePluginsBuffersAreFreeAfterTheCall) {
  std::string table = "inventory.orders";
  std::string position = "mariadb-bin.000003:1234";
  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_SNAPSHOT);
  p.table = sluice_str{table.data(), table.size()};
  p.table_rows_done = 120000;
  p.table_rows_total = 1000000;
  p.tables_done = 1;
  p.tables_total = 5;
  p.position = sluice_str{position.data(), position.size()};
  const absl::Time before = absl::Now();
  ASSERT_EQ(Report(task_, &p), SLUICE_OK);
  // The plugin reuses its buffers at once.
  std::memset(table.data(), 'x', table.size());
  std::memset(position.data(), 'y', position.size());
  p.table_rows_done = 7;

  std::optional<TaskProgress> got = task_.progress();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->phase, TaskPhase::kSnapshot);
  EXPECT_EQ(got->table, "inventory.orders");
  EXPECT_EQ(got->table_rows_done, 120000);
  EXPECT_EQ(got->table_rows_total, 1000000);
  EXPECT_EQ(got->tables_done, 1);
  EXPECT_EQ(got->tables_total, 5);
  EXPECT_EQ(got->lag_ms, -1) << "init leaves what the plugin did not set unknown";
  EXPECT_EQ(got->position, "mariadb-bin.000003:1234");
  EXPECT_GE(got->reported_at, before);
}

TEST_F(TaskProgressTest, ALaterReportReplacesTheEarlierOneEntirely) {
  sluice_task_progress snapshot = sluice_task_progress_init(SLUICE_TASK_PHASE_SNAPSHOT);
  snapshot.table = sluice_str_of("inventory.orders");
  snapshot.table_rows_done = 10;
  ASSERT_EQ(Report(task_, &snapshot), SLUICE_OK);
  sluice_task_progress streaming = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  streaming.lag_ms = 35;
  streaming.position = sluice_str_of("0-1-42");
  ASSERT_EQ(Report(task_, &streaming), SLUICE_OK);
  std::optional<TaskProgress> got = task_.progress();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->phase, TaskPhase::kStreaming);
  EXPECT_EQ(got->table, "");
  EXPECT_EQ(got->table_rows_done, -1);
  EXPECT_EQ(got->lag_ms, 35);
  EXPECT_EQ(got->position, "0-1-42");
}

TEST_F(TaskProgressTest, AnyNegativeCountMeansUnknown) {
  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  p.lag_ms = -250;
  p.tables_total = INT64_MIN;
  ASSERT_EQ(Report(task_, &p), SLUICE_OK);
  EXPECT_EQ(task_.progress()->lag_ms, -1);
  EXPECT_EQ(task_.progress()->tables_total, -1);
}

TEST_F(TaskProgressTest, AStructSmallerThanAbi12sIsRefusedAndChangesNothing) {
  sluice_task_progress good = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  good.lag_ms = 5;
  ASSERT_EQ(Report(task_, &good), SLUICE_OK);

  sluice_task_progress bad = sluice_task_progress_init(SLUICE_TASK_PHASE_IDLE);
  bad.struct_size = offsetof(sluice_task_progress, position);  // lacks the last member
  EXPECT_EQ(Report(task_, &bad), SLUICE_INVALID_ARGUMENT);
  bad.struct_size = 0;
  EXPECT_EQ(Report(task_, &bad), SLUICE_INVALID_ARGUMENT);

  ASSERT_TRUE(task_.progress().has_value());
  EXPECT_EQ(task_.progress()->phase, TaskPhase::kStreaming) << "the good report stays";
  EXPECT_EQ(task_.progress()->lag_ms, 5);
  // The first refusal is logged with the reason; the second is not (one per poll would flood).
  ASSERT_THAT(logs_, SizeIs(1));
  EXPECT_THAT(logs_[0], HasSubstr("connector `orders` task 0"));
  EXPECT_THAT(logs_[0], HasSubstr("struct_size"));
}

TEST_F(TaskProgressTest, ALargerStructFromANewerPluginIsAccepted) {
  // A plugin built for a later minor sends members this host does not know: they are ignored.
  struct Newer {
    sluice_task_progress v11;
    int64_t added_later;
  } newer{};
  newer.v11 = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  newer.v11.struct_size = sizeof(Newer);
  newer.v11.lag_ms = 9;
  newer.added_later = 1;
  EXPECT_EQ(Report(task_, &newer.v11), SLUICE_OK);
  EXPECT_EQ(task_.progress()->lag_ms, 9);
}

TEST_F(TaskProgressTest, Abi16CountersHeadroomAndWarningAreCopied) {
  std::string warning = "binlog purge headroom 12 bytes";
  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  p.events_seen = 7;
  p.committed_transactions = 3;
  p.queue_remaining_capacity = 2040;
  p.snapshot_completed = 1;
  p.snapshot_duration_ms = 1500;
  p.purge_headroom_bytes = 12;
  p.purge_headroom_seconds = 0;
  p.warning = sluice_str{warning.data(), warning.size()};
  ASSERT_EQ(Report(task_, &p), SLUICE_OK);
  warning.assign(warning.size(), 'x');  // the plugin's buffer is its own again
  const TaskProgress got = *task_.progress();
  EXPECT_EQ(got.events_seen, 7);
  EXPECT_EQ(got.committed_transactions, 3);
  EXPECT_EQ(got.queue_remaining_capacity, 2040);
  EXPECT_EQ(got.snapshot_completed, 1);
  EXPECT_EQ(got.snapshot_duration_ms, 1500);
  EXPECT_EQ(got.purge_headroom_bytes, 12);
  EXPECT_EQ(got.purge_headroom_seconds, 0);
  EXPECT_EQ(got.warning, "binlog purge headroom 12 bytes");
}

TEST_F(TaskProgressTest, AnAbi12SizedReportLeavesTheAbi16MembersUnknown) {
  // A plugin built before 1.6: its struct ends at `position`; what lies past it is not read.
  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  p.events_seen = 7;  // beyond the struct_size below: must not be read
  p.purge_headroom_bytes = 12;
  p.struct_size = kTaskProgressV12Size;
  ASSERT_EQ(Report(task_, &p), SLUICE_OK);
  EXPECT_EQ(task_.progress()->events_seen, -1);
  EXPECT_EQ(task_.progress()->purge_headroom_bytes, -1);
  EXPECT_EQ(task_.progress()->warning, "");
}

TEST_F(TaskProgressTest, MalformedReportsAreRefusedWithInvalidArgument) {
  EXPECT_EQ(Report(task_, nullptr), SLUICE_INVALID_ARGUMENT);
  EXPECT_EQ(HostApi()->task_progress_report(nullptr, nullptr), SLUICE_INVALID_ARGUMENT);

  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_SNAPSHOT);
  p.phase = 4;  // not a sluice_task_phase of this version
  EXPECT_EQ(Report(task_, &p), SLUICE_INVALID_ARGUMENT);

  p = sluice_task_progress_init(SLUICE_TASK_PHASE_SNAPSHOT);
  p.table = sluice_str{nullptr, 3};
  EXPECT_EQ(Report(task_, &p), SLUICE_INVALID_ARGUMENT);
  p = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  p.position = sluice_str{nullptr, 1};
  EXPECT_EQ(Report(task_, &p), SLUICE_INVALID_ARGUMENT);

  EXPECT_FALSE(task_.progress().has_value());
}

TEST_F(TaskProgressTest, AConnectorContextCannotReportTaskProgress) {
  HostContext connector(HostContext::Kind::kConnector, "orders", -1, Log());
  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_IDLE);
  EXPECT_EQ(Report(connector, &p), SLUICE_FAILED_PRECONDITION);
  EXPECT_FALSE(connector.progress().has_value());
}

TEST_F(TaskProgressTest, LongStringsAreCutAtACharacterBoundaryAndMarked) {
  // 'é' is two bytes: a cut at the byte limit would fall inside one.
  std::string gtids;
  while (gtids.size() < 3 * SLUICE_TASK_PROGRESS_MAX_TEXT) gtids += "é";
  sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_STREAMING);
  p.position = sluice_str{gtids.data(), gtids.size()};
  ASSERT_EQ(Report(task_, &p), SLUICE_OK);
  const std::string kept = task_.progress()->position;
  EXPECT_LE(kept.size(), static_cast<size_t>(SLUICE_TASK_PROGRESS_MAX_TEXT));
  EXPECT_GT(kept.size(), static_cast<size_t>(SLUICE_TASK_PROGRESS_MAX_TEXT) - 8);
  ASSERT_TRUE(kept.ends_with("..."));
  const std::string body = kept.substr(0, kept.size() - 3);
  EXPECT_EQ(body.size() % 2, 0u) << "no half character";
  EXPECT_EQ(gtids.compare(0, body.size(), body), 0);

  // Exactly at the limit: kept whole.
  std::string exact(SLUICE_TASK_PROGRESS_MAX_TEXT, 'a');
  p.position = sluice_str{exact.data(), exact.size()};
  ASSERT_EQ(Report(task_, &p), SLUICE_OK);
  EXPECT_EQ(task_.progress()->position, exact);
}

TEST_F(TaskProgressTest, ReportsFromAPluginThreadAndReadsFromTheHostDoNotTear) {
  // The ABI allows any thread to report; the herder reads meanwhile. Each report's numbers agree
  // with its strings, so a torn read would show up as a mismatch.
  std::atomic<bool> done{false};
  std::thread reporter([&] {
    for (int i = 0; i < 20000; ++i) {
      const std::string table = "t" + std::to_string(i);
      sluice_task_progress p = sluice_task_progress_init(SLUICE_TASK_PHASE_SNAPSHOT);
      p.table = sluice_str{table.data(), table.size()};
      p.table_rows_done = i;
      (void)Report(task_, &p);
    }
    done = true;
  });
  int reads = 0;
  // At least one read even when a loaded machine lets the reporter finish before this loop runs.
  while (!done || reads == 0) {
    std::optional<TaskProgress> got = task_.progress();
    if (!got) continue;
    ++reads;
    ASSERT_EQ(got->table, "t" + std::to_string(got->table_rows_done));
  }
  reporter.join();
  EXPECT_GT(reads, 0);
}

// A plugin built for ABI 1.0 (descriptor abi_minor 0; it knows nothing of progress) loads and
// runs in this host; its tasks simply have no progress.
TEST_F(TaskProgressTest, APluginBuiltForAbi10LoadsAndRunsWithoutProgress) {
  testing::TempDir dir;
  testing::CopyFile(TEST_PLUGIN_ABI_1_0, dir.File("old.so"));
  absl::StatusOr<std::shared_ptr<const Plugin>> plugin = LoadPlugin(dir.File("old.so"));
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_EQ((*plugin)->descriptor().abi_minor, 0u);
  absl::StatusOr<std::unique_ptr<TaskInstance>> task =
      TaskInstance::Start(*plugin, "old", 0, {}, {}, Log());
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_FALSE((*task)->progress().has_value());
}

// The generator, built against 1.2, meets a host whose table is 1.0's (1.1's is the same): it must
// not touch the member past the table's struct_size. The table handed over here is this host's,
// cut to 1.0's size, with a trap where the new member lies.
int g_trap_calls = 0;
sluice_status Trap(sluice_ctx*, const sluice_task_progress*) {
  ++g_trap_calls;
  return SLUICE_OK;
}

TEST_F(TaskProgressTest, TheGeneratorSkipsTheCallOnAnOlderHostAndMakesItOnThisOne) {
  testing::TempDir dir;
  testing::CopyFile(SLUICE_GENERATOR_PATH, dir.File("generator.so"));
  absl::StatusOr<std::shared_ptr<const Plugin>> plugin = LoadPlugin(dir.File("generator.so"));
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  const sluice_connector_descriptor& d = (*plugin)->descriptor();
  const std::vector<sluice_config_entry> config = {
      {sluice_str_of("topic"), sluice_str_of("t")},
      {sluice_str_of("task.id"), sluice_str_of("0")},
      {sluice_str_of("task.count"), sluice_str_of("1")},
      {sluice_str_of("batch.size"), sluice_str_of("3")}};

  auto run_one_poll = [&](const sluice_host_api* api, HostContext& ctx) {
    void* instance = nullptr;
    ASSERT_EQ(d.on_task_start(api, ToC(&ctx), config.data(), config.size(), &instance), SLUICE_OK);
    data::RecordBatch batch;
    EXPECT_EQ(d.on_task_poll(instance, ToC(&batch), 10), SLUICE_OK);
    EXPECT_EQ(batch.size(), 3u);
    d.on_task_destroy(instance);
  };

  sluice_host_api old_host = *HostApi();
  old_host.struct_size = offsetof(sluice_host_api, task_progress_report);
  old_host.abi_minor = 0;
  old_host.task_progress_report = &Trap;
  HostContext old_ctx(HostContext::Kind::kTask, "gen", 0, Log());
  run_one_poll(&old_host, old_ctx);
  EXPECT_EQ(g_trap_calls, 0) << "the generator read past a 1.0 host's table";

  HostContext new_ctx(HostContext::Kind::kTask, "gen", 0, Log());
  run_one_poll(HostApi(), new_ctx);
  std::optional<TaskProgress> got = new_ctx.progress();
  ASSERT_TRUE(got.has_value()) << "the generator reports on a 1.2 host";
  EXPECT_EQ(got->phase, TaskPhase::kStreaming);
  EXPECT_EQ(got->position, "seq 2");
}

}  // namespace
}  // namespace sluice::plugin
