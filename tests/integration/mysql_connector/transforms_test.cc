// The connector's transforms applied by the worker on the real broker and MariaDB: Debezium's
// ExtractNewRecordState and Kafka's RegexRouter shape what consumers read, and a transform the
// worker does not have refuses the connector at start, naming the key.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/eventually.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

TEST(Transforms, UnwrapAndRegexRouterShapeTheRecordsConsumersRead) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok());
  CdcRun run("smt", /*schemas=*/true);
  run.Sql("CREATE TABLE orders (id INT PRIMARY KEY, qty INT)");
  run.Sql("INSERT INTO orders VALUES (1, 10)");
  run.WriteConnectorConfig({
      {"transforms", "unwrap,route"},
      {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
      {"transforms.unwrap.add.fields", "op,table"},
      {"transforms.unwrap.add.headers", "op"},
      {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
      {"transforms.route.regex", "([^.]+)\\.([^.]+)\\.([^.]+)"},
      {"transforms.route.replacement", "$1.flat.$3"},
  });
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string routed = run.prefix() + ".flat.orders";
  ASSERT_EQ(run.WaitForEvents(routed, 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("INSERT INTO orders VALUES (2, 20)");
  run.Sql("UPDATE orders SET qty = 11 WHERE id = 1");
  run.Sql("DELETE FROM orders WHERE id = 2");

  // r1, c2, u1, then the delete as a null payload with the row's schema; its tombstone dropped.
  std::vector<ChangeEvent> events = run.WaitForEvents(routed, 4, worker.get());
  ASSERT_EQ(events.size(), 4u) << run.WorkerLog();
  const char* expected[] = {
      R"({"id":1,"qty":10,"__op":"r","__table":"orders"})",
      R"({"id":2,"qty":20,"__op":"c","__table":"orders"})",
      R"({"id":1,"qty":11,"__op":"u","__table":"orders"})",
  };
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(events[i].value.has_value());
    EXPECT_THAT(*events[i].value, HasSubstr(std::string(R"("payload":)") + expected[i])) << i;
    // The unwrapped row's schema: Debezium's, rebuilt required, with the added fields.
    EXPECT_THAT(*events[i].value,
                HasSubstr(R"({"type":"string","optional":true,"field":"__table"}],)"
                          R"("optional":false,"name":")" +
                          run.Topic("orders") + R"(.Value"})"));
    ASSERT_EQ(events[i].headers.size(), 1u);
    EXPECT_EQ(events[i].headers[0].first, "__op");
  }
  ASSERT_TRUE(events[3].value.has_value());
  EXPECT_THAT(*events[3].value, HasSubstr(R"(,"payload":null})"));
  EXPECT_EQ(events[3].key, R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":")" +
                               run.Topic("orders") + R"(.Key"},"payload":{"id":2}})");
  run.StopWorker(worker);
}

TEST(Transforms, AnUnknownTransformRefusesTheConnectorNamingTheKey) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok());
  CdcRun run("smt_refused");
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  run.WriteConnectorConfig({
      {"transforms", "x"},
      {"transforms.x.type", "com.example.NoSuchTransform"},
  });
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_TRUE(Eventually([&] { return !worker->running(); }, absl::Seconds(60),
                         absl::Milliseconds(200)))
      << run.WorkerLog();
  EXPECT_NE(worker->Wait(absl::Seconds(5)), 0);
  EXPECT_THAT(run.WorkerLog(), HasSubstr("`transforms.x.type`: `com.example.NoSuchTransform` is "
                                         "not a transform this worker has"));
}

}  // namespace
}  // namespace sluice::testing
