#include "connectors/mysql/connector/offset.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

std::string Render(const sluice_scalar_entry* entries, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out += std::string(entries[i].key.ptr, entries[i].key.len) + "=";
    if (entries[i].kind == SLUICE_SCALAR_INT) {
      out += std::to_string(entries[i].u.i);
    } else {
      out += std::string(entries[i].u.str.ptr, entries[i].u.str.len);
    }
    out += ";";
  }
  return out;
}

TEST(MySqlOffsets, DebeziumKeysInItsOrderWithZeroCountsLeftOut) {
  OffsetState offset;
  offset.file = "mariadb-bin.000003";
  offset.pos = 1234;
  offset.gtids = "0-1-42";
  offset.ts_sec = 1700000000;
  offset.server_id = 1;
  sluice_scalar_entry entries[kMaxOffsetEntries];
  size_t n = OffsetEntries(offset, entries);
  EXPECT_EQ(Render(entries, n),
            "ts_sec=1700000000;file=mariadb-bin.000003;pos=1234;gtids=0-1-42;server_id=1;");
  offset.event = 2;
  offset.row = 1;
  offset.snapshot = true;
  n = OffsetEntries(offset, entries);
  EXPECT_EQ(Render(entries, n),
            "ts_sec=1700000000;file=mariadb-bin.000003;pos=1234;gtids=0-1-42;row=1;server_id=1;"
            "event=2;snapshot=INITIAL;");
}

TEST(MySqlOffsets, ADebeziumOffsetReadsBack) {
  // {"ts_sec":1725644339,"file":"mysql-bin.000004","pos":138466,"row":1,"server_id":223344,
  //  "event":2}, as Kafka Connect hands it back (integers as INT).
  std::vector<sluice_scalar_entry> entries(6);
  auto set_int = [](sluice_scalar_entry& e, const char* key, int64_t v) {
    e.key = sluice_str_of(key);
    e.kind = SLUICE_SCALAR_INT;
    e.u.i = v;
  };
  set_int(entries[0], "ts_sec", 1725644339);
  entries[1].key = sluice_str_of("file");
  entries[1].kind = SLUICE_SCALAR_STRING;
  entries[1].u.str = sluice_str_of("mysql-bin.000004");
  set_int(entries[2], "pos", 138466);
  set_int(entries[3], "row", 1);
  set_int(entries[4], "server_id", 223344);
  set_int(entries[5], "event", 2);
  absl::StatusOr<OffsetState> offset =
      ParseOffset(sluice_scalar_map{entries.data(), entries.size()});
  ASSERT_TRUE(offset.ok()) << offset.status();
  EXPECT_EQ(offset->file, "mysql-bin.000004");
  EXPECT_EQ(offset->pos, 138466);
  EXPECT_EQ(offset->event, 2);
  EXPECT_EQ(offset->row, 1);
  EXPECT_FALSE(offset->snapshot);

  absl::StatusOr<OffsetState> empty = ParseOffset(sluice_scalar_map{entries.data(), 1});
  EXPECT_TRUE(absl::IsInvalidArgument(empty.status()));
}

// The snapshot's progress rides in the offset while it runs (Sluice's fields after Debezium's),
// reads back, and is dropped once the snapshot is over: by `snapshot` absent, or by Debezium's
// `snapshot_completed: true`.
TEST(MySqlOffsets, SnapshotProgressRidesWithTheSnapshotOnly) {
  OffsetState offset;
  offset.file = "mysql-bin.000002";
  offset.pos = 4;
  offset.ts_sec = 1;
  offset.snapshot = true;
  offset.snapshot_db = "shop";
  offset.snapshot_table = "orders";
  offset.snapshot_key = "3432,6162";
  sluice_scalar_entry entries[kMaxOffsetEntries];
  size_t n = OffsetEntries(offset, entries);
  EXPECT_EQ(Render(entries, n),
            "ts_sec=1;file=mysql-bin.000002;pos=4;snapshot=INITIAL;snapshot_db=shop;"
            "snapshot_table=orders;snapshot_key=3432,6162;");
  absl::StatusOr<OffsetState> back = ParseOffset(sluice_scalar_map{entries, n});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(back->snapshot);
  EXPECT_EQ(back->snapshot_db, "shop");
  EXPECT_EQ(back->snapshot_table, "orders");
  EXPECT_EQ(back->snapshot_key, "3432,6162");

  offset.snapshot = false;
  n = OffsetEntries(offset, entries);
  EXPECT_EQ(Render(entries, n), "ts_sec=1;file=mysql-bin.000002;pos=4;");

  offset.snapshot = true;
  n = OffsetEntries(offset, entries);
  entries[n].key = sluice_str_of("snapshot_completed");
  entries[n].kind = SLUICE_SCALAR_BOOLEAN;
  entries[n].u.b = 1;
  back = ParseOffset(sluice_scalar_map{entries, n + 1});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->snapshot);
  EXPECT_EQ(back->snapshot_table, "");
}

}  // namespace
}  // namespace sluice::mysql
