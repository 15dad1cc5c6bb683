// A transform library in a real worker (docs/transform-abi.md): the generator's records through
// the example library's UppercaseField and, under Kafka's Filter, its HeaderEquals predicate,
// both found in plugin.path beside the connector and named by their declared classes; what
// reaches Kafka is read back.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/worker/generator_run.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

// transforms: payload upper-cased, header origin=test added, records whose origin is `dropped`
// filtered out.
std::string Transforms(const std::string& dropped) {
  return absl::StrCat(
      "transforms=up,tag,drop\n"
      "transforms.up.type=com.example.sluice.UppercaseField\n"
      "transforms.up.field=payload\n"
      "transforms.tag.type=org.apache.kafka.connect.transforms.InsertHeader\n"
      "transforms.tag.header=origin\n"
      "transforms.tag.value.literal=test\n"
      "transforms.drop.type=org.apache.kafka.connect.transforms.Filter\n"
      "transforms.drop.predicate=dropped\n"
      "predicates=dropped\n"
      "predicates.dropped.type=com.example.sluice.HeaderEquals\n"
      "predicates.dropped.name=origin\n"
      "predicates.dropped.value=", dropped, "\n");
}

TEST(TransformPluginWorker, TheExampleTransformRewritesEveryRecordTheWorkerSends) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  GeneratorRun run("xform_plugin_kept");
  run.WriteConnectorConfig(/*max_records=*/300, /*cardinality=*/5, /*rate=*/0, Transforms("prod"));
  run.RunUntilCommitted(299);
  absl::StatusOr<std::vector<ConsumedRecord>> records = ReadWholeTopic(KafkaBootstrap(), run.topic());
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 300u);
  for (const ConsumedRecord& r : *records) {
    rapidjson::Document value;
    value.Parse(r.value.value_or("null").c_str());
    ASSERT_TRUE(value.IsObject()) << r.value.value_or("<null>");
    EXPECT_STREQ(value["payload"].GetString(), "ABCDEFGHIJKLMNOP");
    ASSERT_EQ(r.headers.size(), 1u);
    EXPECT_EQ(r.headers[0].first, "origin");
  }
}

TEST(TransformPluginWorker, RecordsTheExamplePredicateSelectsAreDroppedAndTheirOffsetsCommitted) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  GeneratorRun run("xform_plugin_dropped");
  run.WriteConnectorConfig(/*max_records=*/300, /*cardinality=*/5, /*rate=*/0, Transforms("test"));
  run.RunUntilCommitted(299);  // dropped records count as delivered
  absl::StatusOr<std::vector<ConsumedRecord>> records = ReadWholeTopic(KafkaBootstrap(), run.topic());
  if (!absl::IsNotFound(records.status())) {
    ASSERT_TRUE(records.ok()) << records.status();
    EXPECT_TRUE(records->empty()) << records->size() << " records were not dropped";
  }
}

TEST(TransformPluginWorker, ABadOptionOfAPluginTransformIsRefusedAtStart) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  GeneratorRun run("xform_plugin_refused");
  run.WriteConnectorConfig(/*max_records=*/10, /*cardinality=*/1, /*rate=*/0,
                           "transforms=up\ntransforms.up.type=com.example.sluice.UppercaseField\n"
                           "transforms.up.field=payload\ntransforms.up.part=header\n");
  auto worker = run.StartWorker();
  // The refusal is logged at start, whether the worker then exits or runs on without the
  // connector; the worker is killed when the test ends.
  std::string log;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    log = ReadFileForMessage(run.log_path());
    if (log.find("`part` must be `value` or `key`") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_NE(log.find("transforms.up.type"), std::string::npos) << log;
  EXPECT_NE(log.find("`part` must be `value` or `key`"), std::string::npos) << log;
  EXPECT_FALSE(run.CommittedSeq().has_value()) << "the refused connector must not have run";
}

}  // namespace
}  // namespace sluice::testing
