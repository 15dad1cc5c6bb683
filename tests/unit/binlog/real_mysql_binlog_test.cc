// Binlog files written by a real MySQL 9.7.4 (Debian sid's mysql-server-core, run by
// scripts/services/mysql: GTID mode on, binlog_row_metadata=FULL, binlog_checksum=CRC32), each
// beside the script that wrote it (testdata/mysql-9.7-*.sql):
// - mysql-9.7-gtids.bin: untagged and tagged GTIDs (GTID_TAGGED_LOG_EVENT), a PREVIOUS_GTIDS
//   event in the tagged encoding, and two transactions compressed into TRANSACTION_PAYLOAD
//   events, one of them tagged;
// - mysql-9.7-types.bin: YEAR before unsigned columns, VECTOR, invisible and generated columns,
//   binary JSON with every scalar type, a partial JSON update, MINIMAL and NOBLOB images.
// What mysqlbinlog and SELECT printed for the same rows is the expectation below.
#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sluice/binlog/binlog_file.h"
#include "binlog_fixture.h"
#include "sluice/binlog/decoder.h"
#include "sluice/binlog/json_binary.h"
#include "sluice/binlog/json_diff.h"
#include "sluice/binlog/transaction_payload.h"

namespace sluice::binlog {
namespace {

constexpr char kServer[] = "d0be5baf-f1e9-11f1-ad53-02fc00000001";

using testing::DecodeFixture;
using testing::ReadFixture;
using testing::RowChangesOf;

// One row change as text: "insert 1 plain", "update 1 plain -> 1 compressed tagged".
std::string Describe(const RowsEvent& rows, const RowChange& change) {
  auto image = [](const std::vector<ColumnValue>& row) {
    return std::to_string(row[0].i64()) + " " + std::string(row[1].string());
  };
  switch (rows.kind) {
    case RowsKind::kWrite:
      return "insert " + image(change.after);
    case RowsKind::kDelete:
      return "delete " + image(change.before);
    default:
      return "update " + image(change.before) + " -> " + image(change.after);
  }
}

class RealMysqlBinlog : public ::testing::Test {
 protected:
  void SetUp() override {
    bytes_ = ReadFixture("mysql-9.7-gtids.bin");
    DecodeFixture(bytes_, "mysql-bin.000004", [this](Event& e, BinlogDecoder& decoder) {
      Take(e, /*in_payload=*/false);
      if (const auto* payload = e.As<TransactionPayloadEvent>()) {
        ++payloads_;
        PayloadReader reader(*payload);
        std::shared_ptr<const std::vector<uint8_t>> inner;
        while (true) {
          absl::StatusOr<bool> next = reader.Next(&inner);
          ASSERT_TRUE(next.ok()) << next.status();
          if (!*next) break;
          absl::StatusOr<Event> embedded = decoder.DecodeEmbedded(inner, e);
          ASSERT_TRUE(embedded.ok()) << embedded.status();
          Take(*embedded, /*in_payload=*/true);
        }
      }
      stats_ = decoder.stats();
    });
  }

  void Take(const Event& e, bool in_payload) {
    if (const auto* g = e.As<MysqlGtidEvent>()) {
      gtids_.push_back(g->ToString());
      gtid_events_.push_back(*g);
    }
    if (const auto* p = e.As<PreviousGtidsEvent>()) previous_ = p->ToString();
    if (const RowsEvent* r = e.As<RowsEvent>()) {
      for (const RowChange& change : RowChangesOf(*r)) {
        changes_.push_back(Describe(*r, change) + (in_payload ? " (compressed)" : ""));
      }
    }
  }

  std::vector<uint8_t> bytes_;
  std::vector<std::string> gtids_;
  std::vector<MysqlGtidEvent> gtid_events_;
  std::string previous_;
  std::vector<std::string> changes_;
  int payloads_ = 0;
  DecoderStats stats_;
};

TEST_F(RealMysqlBinlog, PreviousGtidsInTheTaggedEncoding) {
  EXPECT_EQ(previous_, std::string(kServer) + ":1-14:first_tag:1:mytag:1-2");
}

TEST_F(RealMysqlBinlog, TaggedAndUntaggedGtidsInOrder) {
  const std::string s = kServer;
  EXPECT_EQ(gtids_, (std::vector<std::string>{s + ":15", s + ":mytag:3", s + ":16",
                                              s + ":mytag:4", s + ":17"}));
  // The tagged event carries what the untagged one does, in MySQL's serialization format.
  const MysqlGtidEvent& tagged = gtid_events_[1];
  EXPECT_EQ(tagged.tag, "mytag");
  EXPECT_EQ(tagged.gno, 3);
  EXPECT_FALSE(tagged.anonymous);
  ASSERT_TRUE(tagged.last_committed && tagged.sequence_number);
  EXPECT_LT(*tagged.last_committed, *tagged.sequence_number);
  ASSERT_TRUE(tagged.immediate_commit_timestamp_us && tagged.original_commit_timestamp_us);
  EXPECT_EQ(*tagged.original_commit_timestamp_us, *tagged.immediate_commit_timestamp_us);
  EXPECT_GT(*tagged.immediate_commit_timestamp_us, 1'700'000'000'000'000u);
  EXPECT_EQ(tagged.immediate_server_version, 90704u);
  EXPECT_EQ(tagged.original_server_version, 90704u);
  ASSERT_TRUE(tagged.transaction_length);
  EXPECT_GT(*tagged.transaction_length, 0u);
  // Consecutive transactions' logical clocks, whichever event form wrote them.
  for (size_t i = 1; i < gtid_events_.size(); ++i) {
    EXPECT_EQ(*gtid_events_[i].sequence_number, *gtid_events_[i - 1].sequence_number + 1) << i;
  }
}

TEST_F(RealMysqlBinlog, EveryRowOfEveryTransactionCompressedOrNot) {
  EXPECT_EQ(payloads_, 2);
  EXPECT_EQ(changes_, (std::vector<std::string>{
                          "insert 1 plain",
                          "insert 2 tagged",
                          "insert 3 compressed (compressed)",
                          "insert 4 compressed (compressed)",
                          "update 1 plain -> 1 compressed tagged (compressed)",
                          "delete 0 before",
                      }));
  EXPECT_EQ(stats_.unknown_events, 0u);
}

// mysql-9.7-types.bin: the table map and rows of `t`.`types` and `t`.`images`, in order.
class RealMysqlTypes : public ::testing::Test {
 protected:
  struct Rows {
    std::shared_ptr<const TableMap> table;
    EventType type;
    std::vector<RowChange> changes;
  };

  void SetUp() override {
    bytes_ = ReadFixture("mysql-9.7-types.bin");
    DecodeFixture(bytes_, "mysql-bin.000003", [this](Event& e, BinlogDecoder&) {
      if (const RowsEvent* r = e.As<RowsEvent>()) {
        rows_.push_back(Rows{r->table, e.header.type, RowChangesOf(*r)});
      }
      events_.push_back(std::move(e));  // rows view the events' bytes
    });
  }

  static size_t Index(const TableMap& table, const char* name) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].name == name) return i;
    }
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
  // Column `name` of row change `row` (the first by default) of rows event `event`.
  const ColumnValue& After(size_t event, const char* name, size_t row = 0) {
    return rows_[event].changes[row].after[Index(*rows_[event].table, name)];
  }
  const ColumnValue& Before(size_t event, const char* name) {
    return rows_[event].changes[0].before[Index(*rows_[event].table, name)];
  }
  static std::string JsonText(const ColumnValue& value) {
    std::string text;
    absl::Status status = AppendJsonBinaryAsText(value.bytes(), &text);
    EXPECT_TRUE(status.ok()) << status;
    return text;
  }

  std::vector<uint8_t> bytes_;
  std::vector<Event> events_;
  std::vector<Rows> rows_;
};

TEST_F(RealMysqlTypes, YearTakesABitOfTheSignednessBitmap) {
  const TableMap& table = *rows_[0].table;
  EXPECT_TRUE(table.columns[Index(table, "id")].is_unsigned);
  EXPECT_TRUE(table.columns[Index(table, "u")].is_unsigned);
  EXPECT_FALSE(table.columns[Index(table, "s")].is_unsigned);
  EXPECT_TRUE(table.columns[Index(table, "bu")].is_unsigned);
  EXPECT_FALSE(table.columns[Index(table, "hidden")].is_unsigned);
  EXPECT_EQ(After(0, "y").i64(), 2155);
  EXPECT_EQ(After(0, "u").u64(), 255u);
  EXPECT_EQ(After(0, "s").i64(), -128);
  EXPECT_EQ(After(0, "bu").u64(), UINT64_MAX);
  EXPECT_EQ(After(0, "g_virtual").i64(), -256);
}

TEST_F(RealMysqlTypes, VectorInvisibleAndGeneratedColumns) {
  const TableMap& table = *rows_[0].table;
  const ColumnInfo& vector = table.columns[Index(table, "v")];
  EXPECT_EQ(vector.real_type, ColumnType::kVector);
  const std::span<const uint8_t> bytes = After(0, "v").bytes();
  ASSERT_EQ(bytes.size(), 12u);
  float floats[3];
  std::memcpy(floats, bytes.data(), sizeof floats);  // little-endian IEEE 754, as written
  EXPECT_EQ(floats[0], 1.5f);
  EXPECT_EQ(floats[1], -2.0f);
  EXPECT_EQ(floats[2], 3.25f);
  EXPECT_FALSE(table.columns[Index(table, "hidden")].visible);
  EXPECT_TRUE(table.columns[Index(table, "g_stored")].visible);
  EXPECT_EQ(After(0, "hidden").i64(), 42);
  EXPECT_EQ(After(0, "g_stored").string(), "id-1");
  EXPECT_TRUE(After(0, "v", /*row=*/1).is_null());
}

TEST_F(RealMysqlTypes, EnumSetBitGeometryWithQuotesInTheirMembers) {
  const TableMap& table = *rows_[0].table;
  EXPECT_EQ(table.columns[Index(table, "e")].enum_or_set_values,
            (std::vector<std::string>{"red", "it's", "a,b"}));
  EXPECT_EQ(table.columns[Index(table, "st")].enum_or_set_values,
            (std::vector<std::string>{"x", "y'z", "w"}));
  EXPECT_EQ(After(0, "e").u64(), 2u);
  EXPECT_EQ(After(0, "st").u64(), 0b011u);
  EXPECT_EQ(After(0, "b").bit_length(), 10u);
  EXPECT_EQ(After(0, "geo").srid(), 4326u);
}

TEST_F(RealMysqlTypes, JsonScalarsPrintAsMySqlPrintsThem) {
  // SELECT j printed (spaces aside) exactly this for row 1 before the update.
  EXPECT_EQ(JsonText(After(0, "j")),
            "{\"no\":false,\"arr\":[1,\"two\",[],{}],\"big\":18446744073709551615,\"dbl\":2.5,"
            "\"dec\":12.3400,\"int\":1,\"neg\":-2,\"nil\":null,\"str\":\"h\xc3\xa9llo\",\"yes\":true,"
            "\"date\":\"2024-02-29\",\"time\":\"12:00:00.000000\",\"small\":-9223372036854775808,"
            "\"datetime\":\"2024-02-29 13:45:07.000000\",\"datetime3\":\"2024-02-29 "
            "13:45:07.120000\"}");
  EXPECT_EQ(JsonText(After(0, "j", /*row=*/1)), "[]");
}

TEST_F(RealMysqlTypes, PartialJsonAndReducedImagesSayWhatIsMissing) {
  // rows_: 0 insert types, 1 update types, 2 insert images, 3 partial update, 4 MINIMAL update,
  // 5 NOBLOB update, 6 delete types.
  ASSERT_EQ(rows_.size(), 7u);
  EXPECT_EQ(rows_[3].type, EventType::kPartialUpdateRows);
  EXPECT_EQ(After(3, "j").kind(), ValueKind::kJsonDiff);
  EXPECT_EQ(Before(3, "j").kind(), ValueKind::kJson);
  EXPECT_EQ(After(3, "a").i64(), 2);
  // The diff applied to the before image: the document the server stored.
  RowChange partial = rows_[3].changes[0];
  std::vector<std::string> texts;
  ASSERT_TRUE(ResolveJsonDiffs(*rows_[3].table, partial, &texts).ok());
  EXPECT_EQ(partial.after[Index(*rows_[3].table, "j")].string(), R"({"k":"v","n":2})");
  EXPECT_EQ(partial.after[Index(*rows_[3].table, "a")].i64(), 2) << "other columns untouched";
  // MINIMAL: the key before, the changed column after; the rest absent, never NULL.
  EXPECT_EQ(Before(4, "id").i64(), 1);
  EXPECT_EQ(Before(4, "a").kind(), ValueKind::kAbsent);
  EXPECT_EQ(After(4, "id").kind(), ValueKind::kAbsent);
  EXPECT_EQ(After(4, "a").i64(), 3);
  // NOBLOB: everything but the unchanged TEXT column.
  EXPECT_EQ(After(5, "txt").kind(), ValueKind::kAbsent);
  EXPECT_EQ(Before(5, "txt").kind(), ValueKind::kAbsent);
  EXPECT_EQ(After(5, "a").i64(), 4);
  EXPECT_EQ(After(5, "j").kind(), ValueKind::kJson);
}

}  // namespace
}  // namespace sluice::binlog
