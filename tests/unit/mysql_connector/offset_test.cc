#include "connectors/mysql/connector/offset.h"

#include <string>
#include <utility>
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

// Sluice's own key, while a committed MySQL XA transaction's events are read again: written
// after Debezium's keys, and read back.
TEST(MySqlOffsets, XaCommittedRoundTrips) {
  OffsetState offset;
  offset.file = "mysql-bin.000002";
  offset.pos = 277;
  offset.gtids = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9";
  offset.event = 1;
  offset.xa_committed = "X'6131',X'',1";
  sluice_scalar_entry entries[kMaxOffsetEntries];
  const size_t n = OffsetEntries(offset, entries);
  EXPECT_EQ(Render(entries, n),
            "ts_sec=0;file=mysql-bin.000002;pos=277;gtids=3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9;"
            "event=1;xa_committed=X'6131',X'',1;");
  absl::StatusOr<OffsetState> back = ParseOffset(sluice_scalar_map{entries, n});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->xa_committed, "X'6131',X'',1");
  EXPECT_EQ(back->event, 1);
}

// provide.transaction.metadata: the last transaction's id first, as the MariaDB connector 3.0.0's
// offset holds it ({"transaction_id":"0-1-19","ts_sec":...,"file":...,"pos":9515,
// "gtids":"0-1-18","server_id":1,"event":1}, tests/reference/debezium's capture run), and read
// back.
TEST(MySqlOffsets, TransactionIdComesFirstAndRoundTrips) {
  OffsetState offset;
  offset.file = "mariadb-bin.000001";
  offset.pos = 9515;
  offset.gtids = "0-1-18";
  offset.ts_sec = 1796632083;
  offset.server_id = 1;
  offset.event = 1;
  offset.transaction_id = "0-1-19";
  sluice_scalar_entry entries[kMaxOffsetEntries];
  const size_t n = OffsetEntries(offset, entries);
  EXPECT_EQ(Render(entries, n),
            "transaction_id=0-1-19;ts_sec=1796632083;file=mariadb-bin.000001;pos=9515;"
            "gtids=0-1-18;server_id=1;event=1;");
  absl::StatusOr<OffsetState> back = ParseOffset(sluice_scalar_map{entries, n});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->transaction_id, "0-1-19");
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

sluice_scalar_entry Str(const char* key, const char* value) {
  sluice_scalar_entry e{};
  e.key = sluice_str_of(key);
  e.kind = SLUICE_SCALAR_STRING;
  e.u.str = sluice_str_of(value);
  return e;
}

sluice_scalar_entry Int(const char* key, int64_t value) {
  sluice_scalar_entry e{};
  e.key = sluice_str_of(key);
  e.kind = SLUICE_SCALAR_INT;
  e.u.i = value;
  return e;
}

// What on_offset_check answers for `offset` under partition {"server":"shop"}.
absl::Status Check(std::vector<sluice_scalar_entry> offset,
                   sluice_scalar_entry partition = Str("server", "shop")) {
  return CheckUserOffset("shop", sluice_scalar_map{&partition, 1},
                         sluice_scalar_map{offset.data(), offset.size()});
}

TEST(MySqlOffsets, AUserOffsetIsCheckedWithTheParserTheTaskReadsItWith) {
  EXPECT_TRUE(Check({Str("file", "binlog.000001"), Int("pos", 154)}).ok());
  EXPECT_TRUE(Check({Str("file", "binlog.000001"), Str("pos", "154")}).ok());
  EXPECT_TRUE(Check({Str("gtids", "0-1-42,1-2-7")}).ok());
  EXPECT_TRUE(Check({Str("gtids", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7")}).ok());

  for (const auto& [offset, says] : std::vector<std::pair<std::vector<sluice_scalar_entry>, std::string>>{
           {{Str("file", "b.1"), Str("pos", "notanumber")}, "`pos` that is not a whole number"},
           {{Str("file", "b.1"), Int("pos", -1)}, "negative `pos`"},
           {{Str("file", "b.1"), Int("pos", 4), Int("row", -1)}, "negative `row`"},
           {{Str("file", "b.1"), Int("pos", 4), Str("event", "x")}, "`event`"},
           {{Str("file", "b.1")}, "neither `file` and `pos` nor `gtids`"},
           {{Int("file", 3), Int("pos", 4)}, "neither `file` and `pos` nor `gtids`"},
           {{Str("gtids", "x-y")}, "neither a MariaDB GTID position"},
       }) {
    absl::Status status = Check(offset);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << says;
    EXPECT_NE(status.message().find(says), absl::string_view::npos) << status.message();
    EXPECT_NE(status.message().find("accepts"), absl::string_view::npos) << status.message();
  }
  absl::Status foreign = Check({Str("gtids", "0-1-42")}, Str("server", "other"));
  EXPECT_EQ(foreign.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(foreign.message().find("{\"server\":\"shop\"}"), absl::string_view::npos);
  EXPECT_FALSE(Check({Str("gtids", "0-1-42")}, Int("server", 1)).ok());
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
