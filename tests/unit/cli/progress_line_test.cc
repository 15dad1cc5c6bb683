// A task's progress report as `sluice connectors status` and `watch` print it.
#include "runtime/cli/progress_line.h"

#include "gtest/gtest.h"

namespace sluice::cli {
namespace {

namespace pb = ::sluice::admin::v1;

pb::TaskProgress Snapshot() {
  pb::TaskProgress p;
  p.set_phase(pb::TASK_PHASE_SNAPSHOT);
  p.set_table("inventory.orders");
  p.set_table_rows_done(120000);
  p.set_table_rows_total(1000000);
  p.set_tables_done(1);
  p.set_tables_total(5);
  return p;
}

TEST(ProgressLine, ASnapshotShowsTableRowsPercentAndWhichTable) {
  EXPECT_EQ(ProgressLine(Snapshot()),
            "snapshot inventory.orders 120000/1000000 rows (12%), table 2/5");
}

TEST(ProgressLine, AnEstimateThatIsExceededStopsAtAHundredPercent) {
  pb::TaskProgress p = Snapshot();
  p.set_table_rows_done(1000100);
  EXPECT_EQ(ProgressLine(p), "snapshot inventory.orders 1000100/1000000 rows (100%), table 2/5");
}

TEST(ProgressLine, ATasksWarningEndsTheLine) {
  pb::TaskProgress p;
  p.set_phase(pb::TASK_PHASE_STREAMING);
  p.set_position("mariadb-bin.000003:1234");
  p.set_warning("binlog purge headroom 12 bytes");
  EXPECT_EQ(ProgressLine(p),
            "streaming at mariadb-bin.000003:1234; WARNING: binlog purge headroom 12 bytes");
  pb::TaskProgress s = Snapshot();
  s.set_warning("low");
  EXPECT_EQ(ProgressLine(s), "snapshot inventory.orders 120000/1000000 rows (12%), table 2/5; "
                             "WARNING: low");
}

TEST(ProgressLine, UnknownTotalsAreLeftOut) {
  pb::TaskProgress p = Snapshot();
  p.clear_table_rows_total();
  p.clear_tables_total();
  EXPECT_EQ(ProgressLine(p), "snapshot inventory.orders 120000 rows");
  p.set_table_rows_total(0);  // a server without statistics yet: no percentage of nothing
  EXPECT_EQ(ProgressLine(p), "snapshot inventory.orders 120000 rows");
}

TEST(ProgressLine, BetweenTablesTheTablesDoneAreCounted) {
  pb::TaskProgress p;
  p.set_phase(pb::TASK_PHASE_SNAPSHOT);
  p.set_tables_done(5);
  p.set_tables_total(5);
  EXPECT_EQ(ProgressLine(p), "snapshot, 5/5 tables done");
}

TEST(ProgressLine, StreamingShowsLagAndPosition) {
  pb::TaskProgress p;
  p.set_phase(pb::TASK_PHASE_STREAMING);
  p.set_lag_ms(35);
  p.set_position("mariadb-bin.000003:1234");
  EXPECT_EQ(ProgressLine(p), "streaming, lag 35 ms at mariadb-bin.000003:1234");
  p.clear_lag_ms();
  EXPECT_EQ(ProgressLine(p), "streaming at mariadb-bin.000003:1234");
  p.set_lag_ms(0);
  p.clear_position();
  EXPECT_EQ(ProgressLine(p), "streaming, lag 0 ms");
}

TEST(ProgressLine, IdleAndUnknownPhases) {
  pb::TaskProgress p;
  p.set_phase(pb::TASK_PHASE_IDLE);
  EXPECT_EQ(ProgressLine(p), "idle");
  p.set_phase(pb::TASK_PHASE_UNSPECIFIED);
  p.set_position("seq 9");
  EXPECT_EQ(ProgressLine(p), "phase unknown at seq 9");
}

TEST(ProgressLine, LagsReadNaturallyAtEveryScale) {
  EXPECT_EQ(FormatLag(0), "0 ms");
  EXPECT_EQ(FormatLag(9999), "9999 ms");
  EXPECT_EQ(FormatLag(45'000), "45 s");
  EXPECT_EQ(FormatLag(5 * 60'000 + 10'000), "5 min");
  EXPECT_EQ(FormatLag(3 * 3'600'000 + 7 * 60'000), "3 h 7 min");
}

TEST(ProgressLine, AnOldReportIsMarkedStale) {
  pb::TaskProgress p = Snapshot();
  p.set_reported_at_ms(1'000'000);
  EXPECT_EQ(StalenessNote(p, 1'000'000 + 9'000), "");
  EXPECT_EQ(StalenessNote(p, 1'000'000 + 125'000), " (reported 2 min ago)");
}

}  // namespace
}  // namespace sluice::cli
