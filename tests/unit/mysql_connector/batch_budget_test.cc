// What one poll may hand over: max.batch.size records, about max.queue.size.in.bytes bytes.
#include "connectors/mysql/connector/batch_budget.h"

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

size_t records_in_batch = 0;
size_t BatchSize(const sluice_batch*) { return records_in_batch; }

TEST(BatchBudget, EitherBoundEndsTheHandOver) {
  sluice_host_api api{};
  api.batch_size = &BatchSize;
  ConnectorConfig config;
  config.max_batch_size = 10;
  config.max_queue_size_in_bytes = 2000;
  BatchBudget budget(config);
  records_in_batch = 0;
  EXPECT_FALSE(budget.Full(&api, nullptr));
  budget.Add(1000);  // plus the per-record allowance
  records_in_batch = 1;
  EXPECT_FALSE(budget.Full(&api, nullptr));
  budget.Add(1000);
  records_in_batch = 2;
  EXPECT_TRUE(budget.Full(&api, nullptr)) << "bytes";
  EXPECT_EQ(budget.peak_bytes(), 2000 + 2 * BatchBudget::kRecordOverhead);
  budget.Reset();
  records_in_batch = 0;
  EXPECT_FALSE(budget.Full(&api, nullptr));
  records_in_batch = 10;
  EXPECT_TRUE(budget.Full(&api, nullptr)) << "records";
  EXPECT_EQ(budget.peak_records(), 2) << "the peak survives a new poll";
}

TEST(BatchBudget, ZeroBytesMeansTheDefaultBoundNotNone) {
  ConnectorConfig config;
  config.max_queue_size_in_bytes = 0;
  EXPECT_EQ(BatchBudget(config).max_bytes(), BatchBudget::kDefaultBytes);
}

}  // namespace
}  // namespace sluice::mysql
