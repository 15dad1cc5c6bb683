// The host side of the ABI, exercised through the generator connector (the runtime's test double):
// the connector and task lifecycle, committed offsets, injected failures turned
// into statuses naming the connector and task, and stop from another thread.
#include "runtime/plugin/plugin_calls.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "runtime/convert/json_converter.h"
#include "runtime/offsets/record_offsets.h"
#include "runtime/plugin/plugin.h"
#include "tests/support/test_files.h"

namespace sluice::plugin {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

std::string Message(const absl::Status& s) { return std::string(s.message()); }

class PluginCallsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::CopyFile(SLUICE_GENERATOR_PATH, dir_.File("generator.so"));
    absl::StatusOr<std::shared_ptr<const Plugin>> p = LoadPlugin(dir_.File("generator.so"));
    ASSERT_TRUE(p.ok()) << p.status();
    generator_ = *p;
  }

  LogSink Log() {
    return [this](LogLevel, std::string_view who, std::string_view msg) {
      logs_.push_back(std::string(who) + ": " + std::string(msg));
    };
  }

  absl::StatusOr<std::unique_ptr<TaskInstance>> StartTask(
      ConfigMap config,
      std::vector<std::pair<offsets::SourcePartition, offsets::SourceOffset>> offsets = {}) {
    config.emplace_back("task.id", "0");
    config.emplace_back("task.count", "1");
    return TaskInstance::Start(generator_, "gen", 0, config, std::move(offsets), Log());
  }

  // The seq of the first record a generator task for topic `orders` polls, started with `seq` 41
  // committed for `committed`: 42 when the task found that offset, 0 when it did not.
  int64_t FirstSeqWithCommitted(const offsets::SourcePartition& committed);

  testing::TempDir dir_;
  std::shared_ptr<const Plugin> generator_;
  std::vector<std::string> logs_;
};

int64_t FieldInt(const data::Value& v, const char* name) {
  const data::StructValue* s = v.s;
  return s->fields[s->schema->FieldIndex(name)].i;
}

int64_t OffsetSeq(const data::SourceRecord& r) {
  for (const data::ScalarEntry& e : r.source_offset) {
    if (e.key == "seq") return e.i;
  }
  return -1;
}

TEST_F(PluginCallsTest, ConnectorSplitsIntoTaskConfigs) {
  auto connector = ConnectorInstance::Start(generator_, "gen", {{"topic", "t"}}, Log());
  ASSERT_TRUE(connector.ok()) << connector.status();
  absl::StatusOr<std::vector<ConfigMap>> configs = (*connector)->TaskConfigs(3);
  ASSERT_TRUE(configs.ok()) << configs.status();
  ASSERT_EQ(configs->size(), 3u);
  EXPECT_THAT((*configs)[2],
              ::testing::Contains(std::make_pair(std::string("task.id"), std::string("2"))));
  EXPECT_THAT((*configs)[0],
              ::testing::Contains(std::make_pair(std::string("topic"), std::string("t"))));
}

TEST_F(PluginCallsTest, PollProducesKeyedRecordsWithOffsets) {
  auto task = StartTask({{"topic", "orders"}, {"batch.size", "5"}, {"key.cardinality", "3"}});
  ASSERT_TRUE(task.ok()) << task.status();
  data::RecordBatch batch;
  ASSERT_TRUE((*task)->Poll(batch, 100).ok());
  ASSERT_EQ(batch.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    const data::SourceRecord& r = batch.records()[i];
    EXPECT_EQ(r.topic, "orders");
    EXPECT_EQ(r.key_schema->name(), "sluice.generator.Key");
    EXPECT_EQ(FieldInt(r.key, "id"), static_cast<int64_t>(i % 3));
    EXPECT_EQ(FieldInt(r.value, "seq"), static_cast<int64_t>(i));
    EXPECT_EQ(OffsetSeq(r), static_cast<int64_t>(i));
    ASSERT_EQ(r.source_partition.size(), 2u);
    EXPECT_EQ(r.source_partition[0].str, "orders");
  }
  batch.Reset();
  ASSERT_TRUE((*task)->Poll(batch, 100).ok());
  EXPECT_EQ(OffsetSeq(batch.records()[0]), 5);
  (*task)->Acknowledged(offsets::SourcePartitionOf(batch.records()[0]),
                        offsets::SourceOffsetOf(batch.records()[0]), true);
}

TEST_F(PluginCallsTest, GeneratorRecordsBecomeKafkaConnectJson) {
  // From a C plugin through the ABI to the bytes the worker produces.
  auto task = StartTask({{"topic", "orders"}, {"batch.size", "1"}, {"payload.bytes", "3"}});
  ASSERT_TRUE(task.ok()) << task.status();
  data::RecordBatch batch;
  ASSERT_TRUE((*task)->Poll(batch, 100).ok());
  ASSERT_EQ(batch.size(), 1u);
  const data::SourceRecord& r = batch.records()[0];
  convert::JsonConverter keys({.schemas_enable = true});
  auto key = keys.FromConnectData(r.key_schema, r.key);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(
      **key,
      R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],)"
      R"("optional":false,"name":"sluice.generator.Key"},"payload":{"id":0}})");
  convert::JsonConverter values({.schemas_enable = false});
  auto value = values.FromConnectData(r.value_schema, r.value);
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(**value, R"({"id":0,"seq":0,"task":0,"payload":"abc","ts":)" +
                         std::to_string(r.timestamp_ms) + "}");
  auto value_schema = values.SchemaJson(*r.value_schema);
  ASSERT_TRUE(value_schema.ok());
  EXPECT_THAT(
      *value_schema,
      HasSubstr(
          R"({"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts"})"));
}

int64_t PluginCallsTest::FirstSeqWithCommitted(const offsets::SourcePartition& committed) {
  auto task = StartTask({{"topic", "orders"}, {"batch.size", "1"}},
                        {{committed, offsets::SourceOffset{{"seq", int64_t{41}}}}});
  EXPECT_TRUE(task.ok()) << task.status();
  data::RecordBatch batch;
  if (!task.ok() || !(*task)->Poll(batch, 100).ok() || batch.size() != 1) return -1;
  return OffsetSeq(batch.records()[0]);
}

TEST_F(PluginCallsTest, TaskResumesAfterItsCommittedOffset) {
  // The partition as the generator spells it: {"generator":<topic>,"task":<id>}.
  EXPECT_EQ(FirstSeqWithCommitted({{"generator", std::string("orders")}, {"task", int64_t{0}}}),
            42);
  EXPECT_THAT(logs_, ::testing::Contains(HasSubstr("starts at seq 42")));
}

TEST_F(PluginCallsTest, ACommittedOffsetStoredInAnotherFieldOrderIsNotFound) {
  // The same fields in another order are another offsets-topic key
  // (["gen",{"task":0,"generator":"orders"}]), which Kafka Connect's reader would not find for
  // the generator's partition either: the task starts from the beginning.
  EXPECT_EQ(FirstSeqWithCommitted({{"task", int64_t{0}}, {"generator", std::string("orders")}}), 0);
}

TEST_F(PluginCallsTest, AnOffsetOfAnotherPartitionIsIgnored) {
  EXPECT_EQ(FirstSeqWithCommitted({{"generator", std::string("elsewhere")}, {"task", int64_t{0}}}),
            0);
}

TEST_F(PluginCallsTest, InjectedPollFailureNamesConnectorTaskAndCause) {
  auto task = StartTask({{"topic", "t"}, {"fail.on.poll", "2"}});
  ASSERT_TRUE(task.ok());
  data::RecordBatch batch;
  EXPECT_TRUE((*task)->Poll(batch, 10).ok());
  batch.Reset();
  absl::Status s = (*task)->Poll(batch, 10);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(Message(s), AllOf(HasSubstr("connector `gen` task 0: poll failed"),
                                HasSubstr("failing poll 2 as configured (fail.on.poll)")));
}

TEST_F(PluginCallsTest, InjectedFailureKeepsThePluginsCode) {
  auto task = StartTask({{"topic", "t"}, {"fail.on.poll", "1"}, {"fail.code", "14"}});
  ASSERT_TRUE(task.ok());
  data::RecordBatch batch;
  EXPECT_EQ((*task)->Poll(batch, 10).code(), absl::StatusCode::kUnavailable);
}

TEST_F(PluginCallsTest, InjectedStartFailure) {
  auto task = StartTask({{"topic", "t"}, {"fail.on.start", "true"}});
  ASSERT_FALSE(task.ok());
  EXPECT_THAT(Message(task.status()),
              AllOf(HasSubstr("connector `gen` task 0: start failed"), HasSubstr("fail.on.start")));
}

TEST_F(PluginCallsTest, MaxRecordsStopsTheSequence) {
  auto task = StartTask({{"topic", "t"}, {"max.records", "7"}, {"batch.size", "5"}});
  ASSERT_TRUE(task.ok());
  data::RecordBatch batch;
  ASSERT_TRUE((*task)->Poll(batch, 10).ok());
  EXPECT_EQ(batch.size(), 5u);
  batch.Reset();
  ASSERT_TRUE((*task)->Poll(batch, 10).ok());
  EXPECT_EQ(batch.size(), 2u);
  batch.Reset();
  ASSERT_TRUE((*task)->Poll(batch, 10).ok());
  EXPECT_EQ(batch.size(), 0u);
}

TEST_F(PluginCallsTest, RateLimitsRecordsPerSecond) {
  auto task = StartTask({{"topic", "t"}, {"rate.per.sec", "100"}, {"batch.size", "1000"}});
  ASSERT_TRUE(task.ok());
  data::RecordBatch batch;
  size_t total = 0;
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(300)) {
    batch.Reset();
    ASSERT_TRUE((*task)->Poll(batch, 50).ok());
    total += batch.size();
  }
  // 100/s over ~0.3 s: about 30; generous bounds for a loaded machine.
  EXPECT_GE(total, 15u);
  EXPECT_LE(total, 45u);
}

TEST_F(PluginCallsTest, StopFromAnotherThreadEndsAWaitingPoll) {
  auto task = StartTask({{"topic", "t"}, {"rate.per.sec", "0.001"}});
  ASSERT_TRUE(task.ok());
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    (*task)->Stop();
  });
  data::RecordBatch batch;
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE((*task)->Poll(batch, 10000).ok());
  auto waited = std::chrono::steady_clock::now() - start;
  stopper.join();
  EXPECT_LT(waited, std::chrono::seconds(2));
  EXPECT_EQ(batch.size(), 0u);
}

TEST_F(PluginCallsTest, AnInvalidRecordFailsThePollNamingTheField) {
  testing::CopyFile(TEST_PLUGIN_BAD_RECORD, dir_.File("bad.so"));
  absl::StatusOr<std::shared_ptr<const Plugin>> bad = LoadPlugin(dir_.File("bad.so"));
  ASSERT_TRUE(bad.ok()) << bad.status();
  auto task = TaskInstance::Start(*bad, "bad", 3, {}, {}, Log());
  ASSERT_TRUE(task.ok()) << task.status();
  data::RecordBatch batch;
  absl::Status s = (*task)->Poll(batch, 10);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(s),
              AllOf(HasSubstr("connector `bad` task 3"), HasSubstr("field `amount` of `test.Bad`"),
                    HasSubstr("int32 but was given a string")));
}

}  // namespace
}  // namespace sluice::plugin
