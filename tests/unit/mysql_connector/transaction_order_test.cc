// The order of END's data_collections: Debezium lists the tables as its java.util.HashMap iterates
// them, which the captures in tests/reference/debezium show (their multi-table transaction, written
// no_key, all_types, no_key, renamed_key, is listed renamed_key, no_key, all_types by both the
// MySQL connector 3.6.1 and the MariaDB connector 3.0.0).
#include <string>
#include <utility>
#include <vector>

#include "connectors/mysql/connector/transaction_metadata.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

std::vector<std::string> Names(const std::vector<std::pair<std::string, int64_t>>& entries) {
  std::vector<std::string> names;
  for (const auto& [name, count] : entries) names.push_back(name);
  return names;
}

TEST(TransactionOrderTest, TablesAreListedInTheCapturesOrder) {
  size_t capacity = 16;
  const auto ordered = JavaHashMapOrder(
      {{"shop.no_key", 2}, {"shop.all_types", 1}, {"shop.renamed_key", 2}}, &capacity);
  EXPECT_EQ(Names(ordered),
            (std::vector<std::string>{"shop.renamed_key", "shop.no_key", "shop.all_types"}));
  EXPECT_EQ(ordered[0].second, 2);
  EXPECT_EQ(ordered[2].second, 1);
  EXPECT_EQ(capacity, 16u);
}

TEST(TransactionOrderTest, KeysOfOneBucketKeepTheirInsertionOrder) {
  // "Aa" and "BB" have the same Java hash (2112), so they share a bucket at any capacity.
  size_t capacity = 16;
  EXPECT_EQ(Names(JavaHashMapOrder({{"BB", 1}, {"Aa", 1}}, &capacity)),
            (std::vector<std::string>{"BB", "Aa"}));
  EXPECT_EQ(Names(JavaHashMapOrder({{"Aa", 1}, {"BB", 1}}, &capacity)),
            (std::vector<std::string>{"Aa", "BB"}));
}

TEST(TransactionOrderTest, TheTableGrowsPastThreeQuartersAndStaysGrown) {
  // "t0".."t12" (13 keys) need 32 buckets. Java hashes: "tN" = 't' * 31 + '0' + N = 3644 + N,
  // "t10".."t12" = 113043..113045; the spread (h ^ h >> 16) changes the last three (>> 16 = 1),
  // so at 32 buckets: t4..t9 in 0..5, t10 in 18, t12 in 20, t11 in 21, t0..t3 in 28..31.
  std::vector<std::pair<std::string, int64_t>> tables;
  for (int i = 0; i <= 12; ++i) tables.emplace_back("t" + std::to_string(i), 1);
  size_t capacity = 16;
  const auto ordered = JavaHashMapOrder(tables, &capacity);
  EXPECT_EQ(capacity, 32u);
  EXPECT_EQ(Names(ordered), (std::vector<std::string>{"t4", "t5", "t6", "t7", "t8", "t9", "t10",
                                                      "t12", "t11", "t0", "t1", "t2", "t3"}));
  // A later, smaller transaction: still 32 buckets, "t6" (2) before "t10" (18); a fresh map of
  // 16 has both in bucket 2, in insertion order.
  EXPECT_EQ(Names(JavaHashMapOrder({{"t10", 1}, {"t6", 1}}, &capacity)),
            (std::vector<std::string>{"t6", "t10"}));
  EXPECT_EQ(capacity, 32u);
  size_t fresh = 16;
  EXPECT_EQ(Names(JavaHashMapOrder({{"t10", 1}, {"t6", 1}}, &fresh)),
            (std::vector<std::string>{"t10", "t6"}));
}

TEST(TransactionOrderTest, NamesBeyondAsciiHashAsJavaStrings) {
  // "é" is one UTF-16 unit (0xE9 = 233, bucket 233 & 15 = 9), "a" 97 (bucket 1), "😀" two
  // (0xD83D, 0xDE00: 55357 * 31 + 56832 = 1772899, spread 1772899 ^ 27 = 1772920, bucket 8).
  size_t capacity = 16;
  EXPECT_EQ(Names(JavaHashMapOrder({{"\xC3\xA9", 1}, {"\xF0\x9F\x98\x80", 1}, {"a", 1}}, &capacity)),
            (std::vector<std::string>{"a", "\xF0\x9F\x98\x80", "\xC3\xA9"}));
}

}  // namespace
}  // namespace sluice::mysql
