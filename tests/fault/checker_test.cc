// The checker catches each broken promise, on hand-made ground truths and topics.
#include "tests/fault/checker.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

ConsumedRecord Event(int key, char op, int64_t version) {
  ConsumedRecord r;
  r.key = absl::StrCat("{\"id\":", key, "}");
  const std::string image = absl::StrCat("{\"id\":", key, ",\"ver\":", version, ",\"txn\":1}");
  r.value = op == 'd' ? absl::StrCat("{\"before\":", image, ",\"after\":null,\"op\":\"d\"}")
                      : absl::StrCat("{\"before\":null,\"after\":", image, ",\"op\":\"",
                                     std::string(1, op), "\"}");
  return r;
}

ConsumedRecord Tombstone(int key) {
  ConsumedRecord r;
  r.key = absl::StrCat("{\"id\":", key, "}");
  return r;
}

WrittenTransaction Txn(int64_t id, Outcome outcome, std::vector<ChangeId> changes,
                       uint64_t end_pos = 0) {
  WrittenTransaction t;
  t.id = id;
  t.outcome = outcome;
  t.changes = std::move(changes);
  if (end_pos != 0) {
    t.end_file = "bin.000001";
    t.end_pos = end_pos;
  }
  return t;
}

// Key 1 inserted, updated, deleted; key 2 inserted; a rolled-back update of key 2.
std::vector<WrittenTransaction> Truth() {
  return {Txn(1, Outcome::kCommitted, {{1, 'c', 1}, {2, 'c', 2}}, 100),
          Txn(2, Outcome::kCommitted, {{1, 'u', 3}}, 200),
          Txn(3, Outcome::kRolledBack, {{2, 'u', 4}}),
          Txn(4, Outcome::kCommitted, {{1, 'd', 3}}, 300)};
}

TEST(FaultChecker, AWholeTopicInOrderHoldsEveryPromise) {
  const CheckReport report = CheckRecords(
      {Event(1, 'c', 1), Event(2, 'c', 2), Event(1, 'u', 3), Event(1, 'd', 3), Tombstone(1)},
      Truth(), {.exactly_once = true});
  EXPECT_TRUE(report.ok()) << report.Summary();
  EXPECT_EQ(report.records, 4u);
  EXPECT_EQ(report.expected, 4u);
}

TEST(FaultChecker, AMissingCommittedChangeIsNamed) {
  const CheckReport report =
      CheckRecords({Event(1, 'c', 1), Event(2, 'c', 2), Event(1, 'd', 3)}, Truth());
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.Summary(), HasSubstr("missing: key 1 version 3 of committed transaction 2"));
}

TEST(FaultChecker, ARolledBackChangeIsAPhantom) {
  const CheckReport report = CheckRecords({Event(1, 'c', 1), Event(2, 'c', 2), Event(2, 'u', 4),
                                           Event(1, 'u', 3), Event(1, 'd', 3)},
                                          Truth());
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.Summary(), HasSubstr("phantom: key 2 version 4 of transaction 3"));
}

TEST(FaultChecker, FirstOccurrencesOutOfOrderAreCaught) {
  const CheckReport report = CheckRecords(
      {Event(1, 'u', 3), Event(1, 'c', 1), Event(2, 'c', 2), Event(1, 'd', 3)}, Truth());
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.Summary(), HasSubstr("order: key 1 version 3 first arrived before"));
}

TEST(FaultChecker, AReplayedTailPassesAtLeastOnceAndFailsExactlyOnce) {
  const std::vector<ConsumedRecord> replayed = {Event(1, 'c', 1), Event(2, 'c', 2),
                                                Event(1, 'u', 3), Event(2, 'c', 2),
                                                Event(1, 'u', 3), Event(1, 'd', 3)};
  const CheckReport at_least_once = CheckRecords(replayed, Truth(), {.exactly_once = false});
  EXPECT_TRUE(at_least_once.ok()) << at_least_once.Summary();
  EXPECT_EQ(at_least_once.duplicates, 2u);
  const CheckReport exactly_once = CheckRecords(replayed, Truth(), {.exactly_once = true});
  ASSERT_FALSE(exactly_once.ok());
  EXPECT_THAT(exactly_once.Summary(), HasSubstr("duplicate under exactly-once: key 2 version 2"));
}

TEST(FaultChecker, ATransactionWithALostCommitAnswerIsWholeOrAbsent) {
  std::vector<WrittenTransaction> truth = {
      Txn(1, Outcome::kUnknown, {{5, 'c', 10}, {6, 'c', 11}})};
  EXPECT_TRUE(CheckRecords({}, truth).ok());
  EXPECT_TRUE(CheckRecords({Event(5, 'c', 10), Event(6, 'c', 11)}, truth).ok());
  const CheckReport torn = CheckRecords({Event(5, 'c', 10)}, truth);
  ASSERT_FALSE(torn.ok());
  EXPECT_THAT(torn.Summary(), HasSubstr("torn: transaction 1"));
}

TEST(FaultChecker, AnOffsetPastTransactionsNotInTheTopicIsAheadOfTheData) {
  const std::vector<ConsumedRecord> first_only = {Event(1, 'c', 1), Event(2, 'c', 2)};
  EXPECT_THAT(CheckOffsetNotAhead(R"({"file":"bin.000001","pos":100})", first_only, Truth()),
              ::testing::IsEmpty());
  EXPECT_THAT(CheckOffsetNotAhead(R"({"file":"bin.000001","pos":150,"event":2,"row":1})",
                                  first_only, Truth()),
              ::testing::IsEmpty());
  const std::vector<std::string> ahead =
      CheckOffsetNotAhead(R"({"file":"bin.000001","pos":200})", first_only, Truth());
  ASSERT_EQ(ahead.size(), 1u);
  EXPECT_THAT(ahead[0], HasSubstr("past transaction 2"));
  EXPECT_THAT(CheckOffsetNotAhead(R"({"file":"bin.000002","pos":4})", first_only, Truth()),
              ::testing::SizeIs(2));
  EXPECT_THAT(CheckOffsetNotAhead(std::nullopt, {}, Truth()), ::testing::IsEmpty());
}

}  // namespace
}  // namespace sluice::testing
