#include "runtime/kafka/errors.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::kafka {
namespace {

TEST(KafkaErrorsTest, CodesSayWhatTheCallerShouldDo) {
  EXPECT_TRUE(KafkaStatus(RD_KAFKA_RESP_ERR_NO_ERROR, "x").ok());
  EXPECT_EQ(KafkaStatus(RD_KAFKA_RESP_ERR__TRANSPORT, "x").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(KafkaStatus(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, "x").code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(KafkaStatus(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, "x").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(KafkaStatus(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, "x").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(KafkaStatus(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, "x").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(KafkaStatus(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR, "x").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(KafkaErrorsTest, MessageNamesContextAndError) {
  absl::Status s = KafkaStatus(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, "producing to topic `t`");
  EXPECT_THAT(s.message(), ::testing::HasSubstr("producing to topic `t`: "));
  EXPECT_THAT(s.message(), ::testing::HasSubstr("_UNKNOWN_TOPIC"));
}

}  // namespace
}  // namespace sluice::kafka
