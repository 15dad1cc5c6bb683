// The worker's wait for its Kafka cluster at start, with a fake probe: what it says from the first
// attempt, that it retries, and that it gives up when sluice.startup.broker.timeout.ms has passed.
#include "runtime/worker/cluster_wait.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::worker {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

config::WorkerConfig Config(absl::Duration timeout) {
  config::WorkerConfig c;
  c.bootstrap_servers = "broker-a:9092";
  c.offset_storage.name = "o-topic";
  c.config_storage.name = "c-topic";
  c.status_storage.name = "s-topic";
  c.startup_broker_timeout = timeout;
  return c;
}

struct Lines {
  std::vector<std::string> info, warn;
  LogSink Sink() {
    return [this](LogLevel level, std::string_view, std::string_view message) {
      (level == LogLevel::kWarn ? warn : info).emplace_back(message);
    };
  }
};

TEST(ClusterWait, SaysWhatItWaitsForFromTheFirstAttemptAndRetriesUntilTheClusterAnswers) {
  Lines lines;
  int attempts = 0;
  absl::Status status = WaitForCluster(
      [&](absl::Duration timeout) {
        EXPECT_EQ(timeout, kClusterProbeTimeout);
        return ++attempts < 3 ? absl::UnavailableError("cluster metadata: Local: Broker transport "
                                                       "failure")
                              : absl::OkStatus();
      },
      Config(absl::Seconds(30)), lines.Sink());
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(attempts, 3);
  ASSERT_THAT(lines.info, SizeIs(2));
  EXPECT_THAT(lines.info[0], HasSubstr("connecting to the Kafka cluster at broker-a:9092 "
                                       "(`bootstrap.servers`)"));
  ASSERT_THAT(lines.warn, SizeIs(2));
  EXPECT_THAT(lines.warn[0], HasSubstr("waiting for the Kafka cluster at broker-a:9092"));
  EXPECT_THAT(lines.warn[0], HasSubstr("`o-topic`, `c-topic` and `s-topic`"));
  EXPECT_THAT(lines.warn[0], HasSubstr("Broker transport failure"));
  EXPECT_THAT(lines.warn[0], HasSubstr("attempt 1, next in 100ms"));
  EXPECT_THAT(lines.warn[0], HasSubstr("sluice.startup.broker.timeout.ms"));
  EXPECT_THAT(lines.warn[1], HasSubstr("attempt 2, next in 200ms"));
  EXPECT_THAT(lines.info[1], HasSubstr("answered after"));
}

TEST(ClusterWait, GivesUpWhenTheStartupTimeoutHasPassedNamingTheAddressAndTheSetting) {
  Lines lines;
  int attempts = 0;
  const absl::Time start = absl::Now();
  absl::Status status = WaitForCluster(
      [&](absl::Duration) {
        ++attempts;
        absl::SleepFor(absl::Milliseconds(50));
        return absl::UnavailableError("no route");
      },
      Config(absl::Milliseconds(700)), lines.Sink());
  const absl::Duration took = absl::Now() - start;
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(status.message(), HasSubstr("no broker of the Kafka cluster at broker-a:9092"));
  EXPECT_THAT(status.message(), HasSubstr("within 700ms (`sluice.startup.broker.timeout.ms`)"));
  EXPECT_THAT(status.message(), HasSubstr("no route"));
  EXPECT_GE(took, absl::Milliseconds(700));
  EXPECT_LT(took, absl::Seconds(5));
  EXPECT_GE(attempts, 3);
}

TEST(ClusterWait, ATimeoutOfZeroStillMakesOneAttempt) {
  Lines lines;
  int attempts = 0;
  absl::Status status = WaitForCluster(
      [&](absl::Duration) {
        ++attempts;
        return absl::OkStatus();
      },
      Config(absl::ZeroDuration()), lines.Sink());
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(attempts, 1);
}

}  // namespace
}  // namespace sluice::worker
