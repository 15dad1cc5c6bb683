// tests/bench/producer_ceiling against the test broker: what scripts/bench calls the producer
// ceiling is only a ceiling if the tool puts exactly the source topic's records into the broker,
// each where a worker's producer would, and (exactly-once) in the transactions it says.
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "runtime/kafka/murmur2.h"
#include "runtime/kafka/producer.h"
#include "runtime/kafka/topic_admin.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/subprocess.h"

namespace sluice::bench {
namespace {

using ::sluice::testing::ConsumedRecord;
using ::sluice::testing::KafkaBootstrap;
using ::sluice::testing::ReadWholeTopic;
using ::sluice::testing::ReadFileForMessage;
using ::sluice::testing::Subprocess;
using ::sluice::testing::UniqueName;

constexpr int kPartitions = 3;
constexpr int kRecords = 2500;

// A number field of the tool's one-line JSON ("records":2500 -> 2500); -1 when absent.
double JsonNumber(absl::string_view json, absl::string_view field) {
  const std::string needle = absl::StrCat("\"", field, "\":");
  const size_t at = json.find(needle);
  if (at == absl::string_view::npos) return -1;
  absl::string_view rest = json.substr(at + needle.size());
  rest = rest.substr(0, rest.find_first_of(",}"));
  double value = -1;
  return absl::SimpleAtod(rest, &value) ? value : -1;
}

class ProducerCeilingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto admin = kafka::TopicAdmin::Create({KafkaBootstrap(), {}, absl::Seconds(30)});
    ASSERT_TRUE(admin.ok()) << admin.status();
    admin_ = std::move(*admin);
    for (const std::string& topic : {source_, target_}) {
      ASSERT_TRUE(admin_->CreateTopicIfMissing({topic, kPartitions, 1, {}}).ok());
    }
    ASSERT_TRUE(admin_->CreateTopicIfMissing({offsets_, 5, 1, {}}).ok());
    // Keys and values of different sizes, as a workload's change events are.
    kafka::ProducerOptions options;
    options.bootstrap_servers = KafkaBootstrap();
    auto producer = kafka::Producer::Create(options);
    ASSERT_TRUE(producer.ok()) << producer.status();
    std::vector<std::pair<std::string, std::string>> records;
    for (int i = 0; i < kRecords; ++i) {
      records.emplace_back(absl::StrCat("{\"id\":", i, "}"),
                           absl::StrCat("{\"row\":", i, ",\"pad\":\"", std::string(i % 700, 'x'),
                                        "\"}"));
    }
    for (const auto& [key, value] : records) {
      kafka::OutgoingRecord record;
      record.topic = source_;
      record.key = absl::string_view(key);
      record.value = absl::string_view(value);
      ASSERT_TRUE((*producer)->Send(record, nullptr).ok());
    }
    ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  }

  // Runs the tool with the systems' producer settings; returns its JSON line.
  std::string RunCeiling(const std::vector<std::string>& extra) {
    const std::string log = absl::StrCat(::testing::TempDir(), UniqueName("producer-ceiling"));
    std::vector<std::string> argv = {PRODUCER_CEILING_BINARY, "--bootstrap", KafkaBootstrap(),
                                     "--from", source_, "--to", target_,
                                     "-X", "acks=all", "-X", "enable.idempotence=true",
                                     "-X", "linger.ms=5", "-X", "compression.type=lz4",
                                     "-X", "partitioner=murmur2_random"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Subprocess tool(argv, log);
    const std::optional<int> code = tool.Wait(absl::Seconds(120));
    EXPECT_EQ(code, 0) << ReadFileForMessage(log);
    return ReadFileForMessage(log);
  }

  // The target holds the source's records, each once, each key where Java's partitioner puts it.
  void ExpectTargetHoldsTheSourceRecords() {
    absl::StatusOr<std::vector<ConsumedRecord>> source = ReadWholeTopic(KafkaBootstrap(), source_);
    absl::StatusOr<std::vector<ConsumedRecord>> target = ReadWholeTopic(KafkaBootstrap(), target_);
    ASSERT_TRUE(source.ok() && target.ok());
    ASSERT_EQ(source->size(), static_cast<size_t>(kRecords));
    std::map<std::string, std::string> expected, actual;
    for (const ConsumedRecord& r : *source) expected[*r.key] = *r.value;
    for (const ConsumedRecord& r : *target) {
      EXPECT_EQ(r.partition, kafka::PartitionForKey(*r.key, kPartitions)) << *r.key;
      EXPECT_TRUE(actual.emplace(*r.key, *r.value).second) << "twice: " << *r.key;
    }
    EXPECT_EQ(actual, expected);
  }

  std::unique_ptr<kafka::TopicAdmin> admin_;
  const std::string source_ = UniqueName("ceiling-source");
  const std::string target_ = UniqueName("ceiling-target");
  const std::string offsets_ = UniqueName("ceiling-offsets");
};

TEST_F(ProducerCeilingTest, PutsEverySourceRecordIntoTheTargetOnceWhereItsKeyBelongs) {
  const std::string json = RunCeiling({});
  EXPECT_EQ(JsonNumber(json, "records"), kRecords) << json;
  EXPECT_EQ(JsonNumber(json, "transactions"), 0) << json;
  EXPECT_GT(JsonNumber(json, "records_per_second"), 0) << json;
  EXPECT_GT(JsonNumber(json, "cpu_seconds"), 0) << json;
  ExpectTargetHoldsTheSourceRecords();
}

// scripts/bench reads the broker's and the database's CPU over the timed part this way; the test
// observes itself (waiting on the tool: little CPU) and a pid above Linux's largest pid_max.
TEST_F(ProducerCeilingTest, ReadsObservedProcessesItsThreadsAndTheMachineOverItsTimedPart) {
  const std::string json = RunCeiling(
      {"--observe", absl::StrCat("test=", getpid()), "--observe", "gone=4194305"});
  EXPECT_EQ(JsonNumber(json, "records"), kRecords) << json;
  const double test = JsonNumber(json, "test");
  EXPECT_GE(test, 0) << json;
  EXPECT_LT(test, 1) << json;
  EXPECT_EQ(JsonNumber(json, "gone"), -1) << json;
  // The machine's busy time holds the tool's own (10 ms ticks aside), and all cores' time more.
  const double busy = JsonNumber(json, "machine_busy_cpu_seconds");
  EXPECT_GE(busy, JsonNumber(json, "cpu_seconds") - 0.03) << json;
  EXPECT_GE(JsonNumber(json, "machine_cpu_seconds"), busy) << json;
  // Its own threads, librdkafka's among them (named rdk:main, rdk:broker<N>...).
  EXPECT_NE(json.find("\"own_threads\":[{\"tid\":"), std::string::npos) << json;
  EXPECT_NE(json.find("\"name\":\"rdk:broker"), std::string::npos) << json;
}

TEST_F(ProducerCeilingTest, RefusesAnObservedProcessThatIsNotNameEqualsPid) {
  const std::string log = absl::StrCat(::testing::TempDir(), UniqueName("producer-ceiling"));
  Subprocess tool({PRODUCER_CEILING_BINARY, "--bootstrap", KafkaBootstrap(), "--from", source_,
                   "--to", target_, "--observe", "broker"},
                  log);
  EXPECT_EQ(tool.Wait(absl::Seconds(60)), 1);
  EXPECT_NE(ReadFileForMessage(log).find("--observe needs NAME=PID"), std::string::npos)
      << ReadFileForMessage(log);
}

TEST_F(ProducerCeilingTest, InTransactionsCommitsOneOffsetsRecordPerTransaction) {
  const std::string json = RunCeiling({"--transaction-records", "1000", "--offsets-topic", offsets_});
  EXPECT_EQ(JsonNumber(json, "records"), kRecords) << json;
  EXPECT_EQ(JsonNumber(json, "transactions"), 3) << json;  // 1000, 1000, 500
  ExpectTargetHoldsTheSourceRecords();
  absl::StatusOr<std::vector<ConsumedRecord>> offsets = ReadWholeTopic(KafkaBootstrap(), offsets_);
  ASSERT_TRUE(offsets.ok());
  EXPECT_EQ(offsets->size(), 3u);
}

}  // namespace
}  // namespace sluice::bench
