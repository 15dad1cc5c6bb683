// Faults a new user meets on the worker's side of the MySQL connector (issue 19's fault run), on
// the real broker and MariaDB: a row too large for Kafka.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/eventually.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

TEST(WorkerFaults, ARowOverTheBrokersMessageLimitFailsTheTaskNamingTableKeyAndSize) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok());
  CdcRun run("oversized");
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, b LONGBLOB)");
  run.Sql("INSERT INTO t VALUES (1, 'small')");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();

  // 1.2 MiB: over the producer's default message.max.bytes (1000000) and the broker's default
  // max.message.bytes (1048588).
  run.Sql("INSERT INTO t VALUES (2, REPEAT('x', 1258291))");
  run.Sql("INSERT INTO t VALUES (3, 'after')");
  ASSERT_TRUE(Eventually([&] { return run.WorkerLog().find("task failed") != std::string::npos; },
                         absl::Seconds(60), absl::Milliseconds(200)))
      << run.WorkerLog();
  const std::string log = run.WorkerLog();
  const size_t failed = log.find("task failed");
  const std::string line = log.substr(failed, log.find('\n', failed) - failed);
  EXPECT_THAT(line, HasSubstr(absl::StrCat("topic `", topic, "`"))) << line;
  EXPECT_THAT(line, HasSubstr(R"(the record with key {"id":2})")) << line;
  EXPECT_THAT(line, HasSubstr("bytes of key, value and headers")) << line;
  EXPECT_THAT(line, HasSubstr("`max.message.bytes`")) << line;
  EXPECT_EQ(log.find("restarting from the committed offsets"), std::string::npos)
      << "a record too large fails again the same way: no restart";

  // Nothing after the refused row was delivered.
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 1, worker.get());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].key, R"({"id":1})");
  run.StopWorker(worker);
}

}  // namespace
}  // namespace sluice::testing
