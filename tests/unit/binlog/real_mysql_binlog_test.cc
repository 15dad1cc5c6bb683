// A binlog file written by a real MySQL 9.7.4 (Debian sid's mysql-server-core, run by
// scripts/services/mysql: GTID mode on, binlog_row_metadata=FULL, binlog_checksum=CRC32).
// testdata/mysql-9.7-gtids.sql is the script that wrote it: untagged and tagged GTIDs
// (GTID_TAGGED_LOG_EVENT), a PREVIOUS_GTIDS event in the tagged encoding, and two transactions
// compressed into TRANSACTION_PAYLOAD events, one of them tagged. What mysqlbinlog printed for
// the same file is the expectation below.
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sluice/binlog/binlog_file.h"
#include "sluice/binlog/decoder.h"
#include "sluice/binlog/transaction_payload.h"

namespace sluice::binlog {
namespace {

constexpr char kServer[] = "d0be5baf-f1e9-11f1-ad53-02fc00000001";

std::vector<uint8_t> ReadFixture(const std::string& name) {
  std::ifstream in(std::string(SLUICE_BINLOG_TESTDATA) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

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
    EventSplitter split(bytes_, "mysql-bin.000004");
    BinlogDecoder decoder(DecoderOptions{.initial_file = "mysql-bin.000004"});
    RawEvent raw;
    while (true) {
      absl::StatusOr<bool> more = split.Next(&raw);
      ASSERT_TRUE(more.ok()) << more.status();
      if (!*more) break;
      absl::StatusOr<Event> e = decoder.Decode(raw.bytes, raw.position);
      ASSERT_TRUE(e.ok()) << e.status();
      Take(*e, /*in_payload=*/false);
      if (const auto* payload = e->As<TransactionPayloadEvent>()) {
        ++payloads_;
        PayloadReader reader(*payload);
        std::shared_ptr<const std::vector<uint8_t>> inner;
        while (true) {
          absl::StatusOr<bool> next = reader.Next(&inner);
          ASSERT_TRUE(next.ok()) << next.status();
          if (!*next) break;
          absl::StatusOr<Event> embedded = decoder.DecodeEmbedded(inner, *e);
          ASSERT_TRUE(embedded.ok()) << embedded.status();
          Take(*embedded, /*in_payload=*/true);
        }
      }
    }
    stats_ = decoder.stats();
  }

  void Take(const Event& e, bool in_payload) {
    if (const auto* g = e.As<MysqlGtidEvent>()) {
      gtids_.push_back(g->ToString());
      gtid_events_.push_back(*g);
    }
    if (const auto* p = e.As<PreviousGtidsEvent>()) previous_ = p->ToString();
    if (const RowsEvent* r = e.As<RowsEvent>()) {
      RowReader reader(*r);
      RowChange change;
      while (true) {
        absl::StatusOr<bool> row = reader.Next(change);
        ASSERT_TRUE(row.ok()) << row.status();
        if (!*row) break;
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

}  // namespace
}  // namespace sluice::binlog
