// The Kafka side of the worker against the real broker: keyed records land where murmur2 says,
// internal topics are created compacted, offsets round-trip byte-exactly through the offsets
// topic, and a failed delivery never lets a committable offset pass it.
#include <glob.h>
#include <sys/resource.h>
#include <librdkafka/rdkafka.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/config/worker_config.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/compacted_topic.h"
#include "runtime/kafka/handles.h"
#include "runtime/kafka/murmur2.h"
#include "runtime/kafka/offset_store.h"
#include "runtime/kafka/producer.h"
#include "runtime/kafka/topic_admin.h"
#include "runtime/offsets/offset_codec.h"
#include "runtime/offsets/offset_committer.h"
#include "runtime/offsets/offset_table.h"
#include "runtime/offsets/submitted_records.h"
#include "tests/support/service_endpoints.h"

namespace sluice::kafka {
namespace {

using ::sluice::testing::KafkaBootstrap;
using ::sluice::testing::UniqueName;
using ::testing::HasSubstr;
using ::testing::SizeIs;

struct ConsumedRecord {
  int32_t partition;
  int64_t offset;
  std::optional<std::string> key;
  std::optional<std::string> value;
};

// Every record of `topic`, read from the beginning to the end offsets it has now.
std::vector<ConsumedRecord> ReadAll(const std::string& topic, int partitions) {
  std::vector<ConsumedRecord> out;
  absl::StatusOr<ConfHandle> conf = BuildConf({{"bootstrap.servers", KafkaBootstrap()},
                                               {"group.id", UniqueName("it-reader")},
                                               {"enable.auto.commit", "false"},
                                               {"enable.partition.eof", "true"},
                                               {"isolation.level", "read_committed"}},
                                              {}, "");
  EXPECT_TRUE(conf.ok()) << conf.status();
  char errstr[512];
  KafkaHandle consumer(rd_kafka_new(RD_KAFKA_CONSUMER, conf->release(), errstr, sizeof errstr));
  EXPECT_NE(consumer, nullptr) << errstr;
  rd_kafka_poll_set_consumer(consumer.get());
  TopicPartitionListHandle assignment(rd_kafka_topic_partition_list_new(partitions));
  int remaining = 0;
  for (int p = 0; p < partitions; ++p) {
    int64_t low = 0, high = 0;
    EXPECT_EQ(
        rd_kafka_query_watermark_offsets(consumer.get(), topic.c_str(), p, &low, &high, 10000),
        RD_KAFKA_RESP_ERR_NO_ERROR);
    if (high > low) {
      rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
      ++remaining;
    }
  }
  if (remaining == 0) return out;
  EXPECT_EQ(rd_kafka_assign(consumer.get(), assignment.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (remaining > 0 && absl::Now() < deadline) {
    MessageHandle m(rd_kafka_consumer_poll(consumer.get(), 100));
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      --remaining;
      continue;
    }
    EXPECT_EQ(m->err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_message_errstr(m.get());
    ConsumedRecord r{m->partition, m->offset, std::nullopt, std::nullopt};
    if (m->key != nullptr) r.key = std::string(static_cast<const char*>(m->key), m->key_len);
    if (m->payload != nullptr) r.value = std::string(static_cast<const char*>(m->payload), m->len);
    out.push_back(std::move(r));
  }
  EXPECT_EQ(remaining, 0) << "did not reach the end of " << topic;
  rd_kafka_consumer_close(consumer.get());
  return out;
}

std::unique_ptr<TopicAdmin> Admin() {
  auto admin = TopicAdmin::Create(TopicAdmin::Options{KafkaBootstrap(), {}, absl::Seconds(30)});
  EXPECT_TRUE(admin.ok()) << admin.status();
  return admin.ok() ? *std::move(admin) : nullptr;
}

OutgoingRecord Record(absl::string_view topic, std::optional<absl::string_view> key,
                      std::optional<absl::string_view> value) {
  OutgoingRecord r;
  r.topic = topic;
  r.key = key;
  r.value = value;
  return r;
}

offsets::SourcePartition Server(const std::string& name) {
  return offsets::SourcePartition{{"server", name}};
}
offsets::SourceOffset Pos(int64_t pos) {
  return offsets::SourceOffset{{"file", std::string("mysql-bin.000003")}, {"pos", pos}};
}

class KafkaSideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status reachable =
        sluice::testing::CheckServiceReachable("kafka", sluice::testing::KafkaPort());
    ASSERT_TRUE(reachable.ok()) << reachable;
    admin_ = Admin();
    ASSERT_NE(admin_, nullptr);
  }
  // A fresh offsets topic of `partitions` partitions (with the worker's other internal topics),
  // and the options of a store on it.
  absl::StatusOr<OffsetStoreOptions> NewOffsetsTopic(int partitions) {
    config::WorkerConfig config;
    config.offset_storage = {UniqueName("it-offsets"), partitions, 1};
    config.config_storage = {UniqueName("it-configs"), 1, 1};
    config.status_storage = {UniqueName("it-status"), 1, 1};
    if (absl::Status s = admin_->EnsureInternalTopics(config); !s.ok()) return s;
    return OffsetStoreOptions{KafkaBootstrap(), config.offset_storage.name, {}, {}};
  }
  std::unique_ptr<TopicAdmin> admin_;
};

TEST_F(KafkaSideTest, KeyedRecordsLandInTheMurmur2PartitionInPerKeyOrder) {
  const std::string topic = UniqueName("it-keyed");
  constexpr int kPartitions = 6;
  ASSERT_TRUE(admin_->CreateTopicIfMissing(TopicSpec{topic, kPartitions, 1, {}}).ok());
  auto producer = Producer::Create(ProducerOptions{KafkaBootstrap(), {{"linger.ms", "5"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  offsets::PartitionHandle p = tracker.Partition(Server("it"));
  constexpr int kRecords = 500;
  for (int i = 0; i < kRecords; ++i) {
    std::string key = "{\"id\":" + std::to_string(i % 41) + "}";
    std::string value = std::to_string(i);
    absl::Status s = (*producer)->Send(Record(topic, key, value), tracker.Submit(p, Pos(i)));
    ASSERT_TRUE(s.ok()) << s;
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  offsets::CommittableOffsets committable = tracker.TakeCommittable();
  ASSERT_THAT(committable.offsets, SizeIs(1));
  EXPECT_EQ(std::get<int64_t>(*committable.offsets[0].offset.Find("pos")), kRecords - 1);

  std::vector<ConsumedRecord> records = ReadAll(topic, kPartitions);
  ASSERT_THAT(records, SizeIs(kRecords));
  std::map<std::string, int> last_value_per_key;
  std::set<int32_t> partitions_used;
  for (const ConsumedRecord& r : records) {
    ASSERT_TRUE(r.key.has_value());
    EXPECT_EQ(r.partition, PartitionForKey(*r.key, kPartitions)) << "key " << *r.key;
    partitions_used.insert(r.partition);
    int value = std::stoi(*r.value);
    auto [it, inserted] = last_value_per_key.try_emplace(*r.key, value);
    if (!inserted) {
      EXPECT_GT(value, it->second) << "per-key order broken for " << *r.key;
      it->second = value;
    }
  }
  EXPECT_GT(partitions_used.size(), 1u) << "41 keys should spread over several partitions";
}

// Exactly-once's fencing through the transactional id: a producer made with the id of a running
// one fences it (init_transactions aborts the open transaction of the old one); the old one's
// commit fails as fenced and none of its records is ever seen by a read_committed consumer. An
// aborted transaction's records are not seen either.
TEST_F(KafkaSideTest, AStaleProducerWithTheSameTransactionalIdIsFencedAndItsRecordsNeverSeen) {
  const std::string topic = UniqueName("it-fenced");
  ASSERT_TRUE(admin_->CreateTopicIfMissing(TopicSpec{topic, 1, 1, {}}).ok());
  ProducerOptions options{KafkaBootstrap(), {{"linger.ms", "5"}}};
  options.transactional_id = UniqueName("it-txn");
  auto old_producer = Producer::Create(options);
  ASSERT_TRUE(old_producer.ok()) << old_producer.status();
  ASSERT_TRUE((*old_producer)->BeginTransaction().ok());
  ASSERT_TRUE((*old_producer)->Send(Record(topic, "k", "old-1"), nullptr).ok());
  ASSERT_TRUE((*old_producer)->Flush(absl::Seconds(30)).ok());

  auto new_producer = Producer::Create(options);
  ASSERT_TRUE(new_producer.ok()) << new_producer.status();
  (void)(*old_producer)->Send(Record(topic, "k", "old-2"), nullptr);
  absl::Status stale = (*old_producer)->CommitTransaction(absl::Seconds(30));
  EXPECT_TRUE(absl::IsFailedPrecondition(stale)) << stale;
  EXPECT_THAT(stale.message(), HasSubstr("fenced"));
  EXPECT_THAT(stale.message(), HasSubstr(options.transactional_id));

  ASSERT_TRUE((*new_producer)->BeginTransaction().ok());
  ASSERT_TRUE((*new_producer)->Send(Record(topic, "k", "aborted"), nullptr).ok());
  ASSERT_TRUE((*new_producer)->AbortTransaction(absl::Seconds(30)).ok());
  ASSERT_TRUE((*new_producer)->BeginTransaction().ok());
  ASSERT_TRUE((*new_producer)->Send(Record(topic, "k", "new"), nullptr).ok());
  absl::Status committed = (*new_producer)->CommitTransaction(absl::Seconds(30));
  ASSERT_TRUE(committed.ok()) << committed;

  std::vector<ConsumedRecord> records = ReadAll(topic, 1);  // read_committed
  ASSERT_THAT(records, SizeIs(1));
  EXPECT_EQ(records[0].value, "new");
}

TEST_F(KafkaSideTest, InternalTopicsAreCreatedCompactedWithConfiguredPartitions) {
  config::WorkerConfig config;
  config.offset_storage = {UniqueName("it-offsets"), 5, 1};
  config.config_storage = {UniqueName("it-configs"), 1, 1};
  config.status_storage = {UniqueName("it-status"), 3, 1};
  ASSERT_TRUE(admin_->EnsureInternalTopics(config).ok());
  ASSERT_TRUE(admin_->EnsureInternalTopics(config).ok()) << "a second start finds them and is fine";
  for (const config::InternalTopicSettings& t :
       {config.offset_storage, config.config_storage, config.status_storage}) {
    absl::StatusOr<std::string> policy = admin_->TopicConfigValue(t.name, "cleanup.policy");
    ASSERT_TRUE(policy.ok()) << policy.status();
    EXPECT_EQ(*policy, "compact") << t.name;
    absl::StatusOr<TopicDescription> description = admin_->DescribeTopic(t.name);
    ASSERT_TRUE(description.ok()) << description.status();
    EXPECT_EQ(description->partitions, t.partitions) << t.name;
  }
}

TEST_F(KafkaSideTest, AnExistingInternalTopicThatIsNotCompactedIsRefused) {
  const std::string plain = UniqueName("it-plain");
  ASSERT_TRUE(
      admin_->CreateTopicIfMissing(TopicSpec{plain, 1, 1, {{"cleanup.policy", "delete"}}}).ok());
  config::WorkerConfig config;
  config.offset_storage = {plain, 5, 1};
  config.config_storage = {UniqueName("it-configs"), 1, 1};
  config.status_storage = {UniqueName("it-status"), 1, 1};
  absl::Status s = admin_->EnsureInternalTopics(config);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("cleanup.policy=delete"));
}

TEST_F(KafkaSideTest, ReplicationFactorAboveTheBrokerCountNamesTheSetting) {
  config::WorkerConfig config;  // replication factor 3 by default; the test broker is alone
  config.offset_storage.name = UniqueName("it-offsets-rf");
  absl::Status s = admin_->EnsureInternalTopics(config);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("offset.storage.replication.factor"));
}

TEST_F(KafkaSideTest, DataTopicIsCreatedOnFirstUseOnlyWhenEnabled) {
  DataTopicCreator disabled(admin_.get(), false, 2, 1);
  const std::string topic = UniqueName("it-data");
  EXPECT_EQ(disabled.EnsureExists(topic).code(), absl::StatusCode::kNotFound);
  DataTopicCreator enabled(admin_.get(), true, 2, 1);
  ASSERT_TRUE(enabled.EnsureExists(topic).ok());
  absl::StatusOr<TopicDescription> description = admin_->DescribeTopic(topic);
  ASSERT_TRUE(description.ok());
  EXPECT_EQ(description->partitions, 2);
  EXPECT_TRUE(disabled.EnsureExists(topic).ok()) << "exists now";

  // -1 / -1: the broker's defaults (num.partitions=1 on the test broker).
  DataTopicCreator broker_defaults(admin_.get(), true, -1, -1);
  const std::string defaulted = UniqueName("it-data-default");
  absl::Status created = broker_defaults.EnsureExists(defaulted);
  ASSERT_TRUE(created.ok()) << created;
  EXPECT_EQ(admin_->DescribeTopic(defaulted)->partitions, 1);
}

// KAFKA-15591's loss, as the worker meets it: a task's producer, made before its topics exist,
// sends the first records to a topic the worker has just created. Metadata can name a partition's
// leader before that broker serves it, and an idempotent producer's first batch was then lost
// while later ones landed. TopicAdmin::CreateTopicIfMissing waits until every partition's leader
// answers; after that, every record acknowledged to the task must be in the topic, for each of
// many fresh topics, and none may be acknowledged out of its partition's order.
TEST_F(KafkaSideTest, EveryRecordAcknowledgedRightAfterTheWorkerCreatesItsTopicIsInIt) {
  constexpr int kTopics = 30;
  constexpr int kPartitions = 3;
  constexpr int kRecordsPerTopic = 6;
  DataTopicCreator creator(admin_.get(), true, kPartitions, 1);
  auto producer = Producer::Create(ProducerOptions{KafkaBootstrap(), {{"linger.ms", "0"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  std::vector<std::string> topics;
  std::vector<offsets::SubmittedRecord*> tracked;  // per topic, kRecordsPerTopic in a row
  for (int t = 0; t < kTopics; ++t) {
    topics.push_back(UniqueName("it-fresh"));
    ASSERT_TRUE(creator.EnsureExists(topics.back()).ok());
    offsets::PartitionHandle p = tracker.Partition(Server(topics.back()));
    // At once, without waiting for the first record: the task sends its whole poll.
    for (int i = 0; i < kRecordsPerTopic; ++i) {
      const std::string key = "{\"id\":" + std::to_string(i) + "}";
      const std::string value = topics.back() + "/" + std::to_string(i);
      tracked.push_back(tracker.Submit(p, Pos(i)));
      absl::Status s = (*producer)->Send(Record(topics.back(), key, value), tracked.back());
      ASSERT_TRUE(s.ok()) << s;
    }
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(60)).ok());
  ASSERT_TRUE(tracker.AwaitAllSettled(absl::Seconds(60)));
  offsets::CommittableOffsets committable = tracker.TakeCommittable();
  EXPECT_TRUE(committable.first_failure.ok()) << committable.first_failure;
  EXPECT_THAT(committable.offsets, SizeIs(kTopics)) << "every topic's last record acknowledged";

  int missing = 0;
  for (const std::string& topic : topics) {
    std::set<std::string> present;
    for (const ConsumedRecord& r : ReadAll(topic, kPartitions)) {
      if (r.value.has_value()) present.insert(*r.value);
    }
    for (int i = 0; i < kRecordsPerTopic; ++i) {
      const std::string value = topic + "/" + std::to_string(i);
      if (!present.contains(value)) {
        ++missing;
        ADD_FAILURE() << value << " was acknowledged but is not in " << topic;
      }
    }
  }
  EXPECT_EQ(missing, 0);
}

TEST_F(KafkaSideTest, OffsetsRoundTripThroughTheTopicByteExactly) {
  absl::StatusOr<OffsetStoreOptions> made = NewOffsetsTopic(5);
  ASSERT_TRUE(made.ok()) << made.status();
  const OffsetStoreOptions options = *made;
  const std::string& topic = options.topic;

  auto writer = OffsetStore::Create(options);
  ASSERT_TRUE(writer.ok()) << writer.status();
  ASSERT_TRUE((*writer)->ReadToEnd(absl::Seconds(30)).ok()) << "an empty topic reads fine";
  std::vector<offsets::CommittableOffset> first = {{Server("dbserver1"), Pos(100)},
                                                   {Server("other"), Pos(7)}};
  ASSERT_TRUE((*writer)->Write("inventory", first, absl::Seconds(30)).ok());
  std::vector<offsets::CommittableOffset> second = {{Server("dbserver1"), Pos(250)}};
  ASSERT_TRUE((*writer)->Write("inventory", second, absl::Seconds(30)).ok());
  ASSERT_TRUE((*writer)->Write("another-connector", second, absl::Seconds(30)).ok());

  // A fresh instance, as a restarted worker: last value per key wins.
  auto reader = OffsetStore::Create(options);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->ReadToEnd(absl::Seconds(30)).ok());
  std::optional<offsets::SourceOffset> got = (*reader)->Get("inventory", Server("dbserver1"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, Pos(250));
  EXPECT_EQ((*reader)->Get("inventory", Server("other")), Pos(7));
  EXPECT_THAT((*reader)->OffsetsFor("inventory"), SizeIs(2));
  EXPECT_FALSE((*reader)->Get("unknown", Server("dbserver1")).has_value());

  // The raw records: Kafka Connect's exact bytes, in the partition its Java producer would pick.
  std::vector<ConsumedRecord> raw = ReadAll(topic, 5);
  ASSERT_THAT(raw, SizeIs(4));
  const std::string expected_key = R"(["inventory",{"server":"dbserver1"}])";
  int matches = 0;
  for (const ConsumedRecord& r : raw) {
    ASSERT_TRUE(r.key.has_value());
    EXPECT_EQ(r.partition, PartitionForKey(*r.key, 5)) << *r.key;
    if (*r.key == expected_key) {
      ++matches;
      EXPECT_THAT(*r.value, ::testing::AnyOf(R"({"file":"mysql-bin.000003","pos":100})",
                                             R"({"file":"mysql-bin.000003","pos":250})"));
    }
  }
  EXPECT_EQ(matches, 2);

  // A null value resets the partition for every later reader.
  ASSERT_TRUE((*writer)->Reset("inventory", Server("dbserver1"), absl::Seconds(30)).ok());
  EXPECT_FALSE((*writer)->Get("inventory", Server("dbserver1")).has_value());
  auto after_reset = OffsetStore::Create(options);
  ASSERT_TRUE(after_reset.ok());
  ASSERT_TRUE((*after_reset)->ReadToEnd(absl::Seconds(30)).ok());
  EXPECT_FALSE((*after_reset)->Get("inventory", Server("dbserver1")).has_value());
  EXPECT_EQ((*after_reset)->Get("inventory", Server("other")), Pos(7));
  EXPECT_EQ((*after_reset)->skipped_records(), 0);
}

// A store's first write is not held by librdkafka's 1 s topic scan: producing by topic name left
// the topic's metadata to that scan, and every worker's first offset commit waited up to ~1 s
// (docs/benchmarks.md, latency).
TEST_F(KafkaSideTest, AFreshStoresFirstWriteDoesNotWaitForTheTopicScan) {
  absl::StatusOr<OffsetStoreOptions> options = NewOffsetsTopic(25);
  ASSERT_TRUE(options.ok()) << options.status();
  auto store = OffsetStore::Create(*options);
  ASSERT_TRUE(store.ok()) << store.status();
  // As in a worker, the first commit comes a while after the store was made: by then the
  // producer's first metadata request (which would have named a topic already produced to) is
  // done, so only the scan, up to 1 s after the producer was made, would ask for the topic.
  absl::SleepFor(absl::Milliseconds(200));
  std::vector<offsets::CommittableOffset> offsets = {{Server("dbserver1"), Pos(1)}};
  const absl::Time start = absl::Now();
  ASSERT_TRUE((*store)->Write("inventory", offsets, absl::Seconds(30)).ok());
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(500));
}

// A store's reader is kept between reads (topic_reader.h): each later read adds what was written
// since, by anybody, in the topic's order, and ends where the whole topic read by a fresh store
// ends. The commit guard (worker::GuardedOffsetWriter) relies on it to see another task's write.
TEST_F(KafkaSideTest, AKeptReaderSeesEveryWriteSinceItsLastReadAsAWholeReadWould) {
  absl::StatusOr<OffsetStoreOptions> made = NewOffsetsTopic(5);
  ASSERT_TRUE(made.ok()) << made.status();
  const OffsetStoreOptions options = *made;
  auto guard = OffsetStore::Create(options);
  auto other = OffsetStore::Create(options);
  ASSERT_TRUE(guard.ok() && other.ok());
  ASSERT_TRUE((*guard)->ReadToEnd(absl::Seconds(30)).ok());
  ASSERT_TRUE((*guard)->Write("c", {{Server("a"), Pos(1)}}, absl::Seconds(30)).ok());

  // Another store writes after this one read: the next read finds it, on every partition.
  ASSERT_TRUE((*other)->Write("c", {{Server("a"), Pos(2)}, {Server("b"), Pos(5)}},
                              absl::Seconds(30))
                  .ok());
  ASSERT_TRUE((*guard)->ReadToEnd(absl::Seconds(30)).ok());
  EXPECT_EQ((*guard)->Get("c", Server("a")), Pos(2));
  EXPECT_EQ((*guard)->Get("c", Server("b")), Pos(5));
  // Nothing new: the same.
  ASSERT_TRUE((*guard)->ReadToEnd(absl::Seconds(30)).ok());
  EXPECT_EQ((*guard)->Get("c", Server("a")), Pos(2));
  // Its own write, then another's reset and write on top: the topic's order decides.
  ASSERT_TRUE((*guard)->Write("c", {{Server("a"), Pos(3)}}, absl::Seconds(30)).ok());
  ASSERT_TRUE((*other)->Reset("c", Server("b"), absl::Seconds(30)).ok());
  ASSERT_TRUE((*other)->Write("c", {{Server("a"), Pos(4)}}, absl::Seconds(30)).ok());
  ASSERT_TRUE((*guard)->ReadToEnd(absl::Seconds(30)).ok());
  EXPECT_EQ((*guard)->Get("c", Server("a")), Pos(4));
  EXPECT_FALSE((*guard)->Get("c", Server("b")).has_value());

  auto fresh = OffsetStore::Create(options);
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE((*fresh)->ReadToEnd(absl::Seconds(30)).ok());
  EXPECT_EQ((*fresh)->OffsetsFor("c"), (*guard)->OffsetsFor("c"));
}

// The cost of the commit guard's read (docs/benchmarks.md, "The commit guard's read"): a write
// then a read to the end, N times, on a 25-partition offsets topic, with a store kept between
// reads (the kept reader) and with a reader made for each read (CompactedTopic::ReadToEnd into a
// table, what the store did before). CPU from getrusage (this process: librdkafka's threads included), wall per read.
// Run by hand: --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_CommitGuardRead*'.
TEST_F(KafkaSideTest, DISABLED_CommitGuardReadCost) {
  absl::StatusOr<OffsetStoreOptions> made = NewOffsetsTopic(25);
  ASSERT_TRUE(made.ok()) << made.status();
  const OffsetStoreOptions options = *made;
  auto writer = OffsetStore::Create(options);
  ASSERT_TRUE(writer.ok());
  // A topic with some history: 200 connectors' offsets.
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE((*writer)->Write(absl::StrCat("c", i), {{Server("a"), Pos(i)}}, absl::Seconds(30))
                    .ok());
  }
  auto cpu_seconds = [] {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  };
  constexpr int kReads = 50;
  auto kept = OffsetStore::Create(options);
  // A fresh reader per read, as the store read before it kept one.
  auto log = CompactedTopic::Create(CompactedTopicOptions{KafkaBootstrap(), options.topic, {}, {}, "sluice-offsets"});
  ASSERT_TRUE(kept.ok() && log.ok());
  ASSERT_TRUE((*kept)->ReadToEnd(absl::Seconds(30)).ok());
  for (bool keep : {true, false}) {
    double cpu = 0;
    absl::Duration wall;
    for (int i = 0; i < kReads; ++i) {
      ASSERT_TRUE((*writer)->Write("c0", {{Server("a"), Pos(1000 + i)}}, absl::Seconds(30)).ok());
      const double cpu_start = cpu_seconds();
      const absl::Time start = absl::Now();
      if (keep) {
        ASSERT_TRUE((*kept)->ReadToEnd(absl::Seconds(30)).ok());
        EXPECT_EQ((*kept)->Get("c0", Server("a")), Pos(1000 + i));
      } else {
        offsets::OffsetTable table;
        ASSERT_TRUE((*log)
                        ->ReadToEnd(
                            [&](std::optional<absl::string_view> key,
                                std::optional<absl::string_view> value) { table.Apply(key, value); },
                            absl::Seconds(30))
                        .ok());
        EXPECT_EQ(table.Get("c0", Server("a")), Pos(1000 + i));
      }
      wall += absl::Now() - start;
      cpu += cpu_seconds() - cpu_start;
    }
    std::printf("%s reader: %.2f ms CPU, %.2f ms wall per read (%d reads)\n",
                keep ? "kept" : "fresh", cpu * 1000 / kReads,
                absl::ToDoubleMilliseconds(wall) / kReads, kReads);
  }
}

TEST_F(KafkaSideTest, RecordsNotInKafkaConnectsFormatAreSkipped) {
  const std::string topic = UniqueName("it-offsets-junk");
  ASSERT_TRUE(
      admin_->CreateTopicIfMissing(TopicSpec{topic, 1, 1, {{"cleanup.policy", "compact"}}}).ok());
  auto producer = Producer::Create(ProducerOptions{KafkaBootstrap(), {}});
  ASSERT_TRUE(producer.ok());
  ASSERT_TRUE(
      (*producer)->Send(Record(topic, std::string("not json"), std::string("{}")), nullptr).ok());
  ASSERT_TRUE(
      (*producer)
          ->Send(Record(topic, std::string(R"(["c",{"server":"x"}])"), std::string("[1]")), nullptr)
          .ok());
  ASSERT_TRUE(
      (*producer)
          ->Send(Record(topic, std::string(R"(["c",{"server":"x"}])"), std::string(R"({"pos":1})")),
                 nullptr)
          .ok());
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  auto store = OffsetStore::Create(OffsetStoreOptions{KafkaBootstrap(), topic, {}, {}});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->ReadToEnd(absl::Seconds(30)).ok());
  EXPECT_EQ((*store)->skipped_records(), 2);
  EXPECT_EQ((*store)->Get("c", Server("x")), (offsets::SourceOffset{{"pos", int64_t{1}}}));
}

// Records of one source partition go to an existing topic, then one to a topic that does not
// exist (the broker refuses to create topics), then more to the existing one. Whether librdkafka
// fails the bad record in its delivery report (the producer then refuses the later ones) or
// refuses it at once, the committable offset must stop before it.
TEST_F(KafkaSideTest, AFailedRecordNeverLetsTheCommittableOffsetPassIt) {
  const std::string good = UniqueName("it-good");
  const std::string missing = UniqueName("it-missing");
  ASSERT_TRUE(admin_->CreateTopicIfMissing(TopicSpec{good, 1, 1, {}}).ok());
  auto producer = Producer::Create(ProducerOptions{
      KafkaBootstrap(),
      {{"message.timeout.ms", "5000"}, {"topic.metadata.propagation.max.ms", "1000"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  offsets::PartitionHandle p = tracker.Partition(Server("dbserver1"));

  auto send = [&](const std::string& topic, int64_t pos) {
    offsets::SubmittedRecord* r = tracker.Submit(p, Pos(pos));
    absl::Status s = (*producer)->Send(Record(topic, std::string("k"), std::to_string(pos)), r);
    if (!s.ok()) r->Fail(s);  // what the task runner does with a record it could not hand over
    return s;
  };
  ASSERT_TRUE(send(good, 1).ok());
  ASSERT_TRUE(send(good, 2).ok());
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  absl::Status bad = send(missing, 3);
  (void)(*producer)->Flush(absl::Seconds(30));
  const absl::Status fourth = send(good, 4);
  const absl::Status fifth = send(good, 5);
  if (bad.ok()) {
    // Record 3 failed in its delivery report: later records are refused, so none lands past it.
    EXPECT_THAT(fourth.message(), HasSubstr("refusing later records"));
    EXPECT_FALSE(fifth.ok());
  } else {
    EXPECT_TRUE(fourth.ok()) << fourth;
    EXPECT_TRUE(fifth.ok()) << fifth;
  }
  (void)(*producer)->Flush(absl::Seconds(30));
  ASSERT_TRUE(tracker.AwaitAllSettled(absl::Seconds(30)));

  offsets::CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(c.offsets[0].offset, Pos(2)) << "records 4 and 5 may be in Kafka, but 3 is not";
  ASSERT_FALSE(c.first_failure.ok());
  EXPECT_THAT(c.first_failure.message(), HasSubstr(missing));
  EXPECT_EQ(c.uncommitted_records, 3);
  // Later acks change nothing.
  EXPECT_TRUE(tracker.TakeCommittable().offsets.empty());
}

// The whole path the worker wires: producer acks -> tracker -> committer -> offsets topic, then a
// restarted worker reads back exactly the last offset whose records are all in Kafka.
TEST_F(KafkaSideTest, CommittedOffsetsSurviveARestartAndMatchTheData) {
  const std::string data_topic = UniqueName("it-data");
  const std::string offsets_topic = UniqueName("it-offsets");
  ASSERT_TRUE(admin_->CreateTopicIfMissing(TopicSpec{data_topic, 3, 1, {}}).ok());
  ASSERT_TRUE(
      admin_->CreateTopicIfMissing(TopicSpec{offsets_topic, 5, 1, {{"cleanup.policy", "compact"}}})
          .ok());
  OffsetStoreOptions store_options{KafkaBootstrap(), offsets_topic, {}, {}};
  {
    auto producer =
        Producer::Create(ProducerOptions{KafkaBootstrap(), {}, /*max_in_flight_bytes=*/4096});
    ASSERT_TRUE(producer.ok());
    auto store = OffsetStore::Create(store_options);
    ASSERT_TRUE(store.ok());
    offsets::SubmittedRecords tracker;
    offsets::OffsetCommitter committer("generator", &tracker, store->get());
    offsets::PartitionHandle p = tracker.Partition(Server("gen"));
    std::string value(100, 'v');  // 300 records x ~100 bytes through a 4 KiB bound: back-pressure
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(
          (*producer)
              ->Send(Record(data_topic, std::to_string(i % 10), value), tracker.Submit(p, Pos(i)))
              .ok());
      if (i % 100 == 0) {
        ASSERT_TRUE(committer.Commit(absl::Seconds(30)).ok());
      }
      ASSERT_LE((*producer)->in_flight_bytes(), 4096);
    }
    ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
    ASSERT_TRUE(committer.Commit(absl::Seconds(30)).ok());  // the graceful-stop commit
  }
  auto restarted = OffsetStore::Create(store_options);
  ASSERT_TRUE(restarted.ok());
  ASSERT_TRUE((*restarted)->ReadToEnd(absl::Seconds(30)).ok());
  auto task_offsets = (*restarted)->OffsetsFor("generator");
  ASSERT_THAT(task_offsets, SizeIs(1));
  EXPECT_EQ(task_offsets[0].first, Server("gen"));
  EXPECT_EQ(task_offsets[0].second, Pos(299));
  EXPECT_THAT(ReadAll(data_topic, 3), SizeIs(300));
}

TEST_F(KafkaSideTest, CompactedTopicReadsEveryRecordInOrderIncludingTombstones) {
  const std::string topic = UniqueName("it-log");
  ASSERT_TRUE(
      admin_->CreateTopicIfMissing(TopicSpec{topic, 3, 1, {{"cleanup.policy", "compact"}}}).ok());
  auto log =
      CompactedTopic::Create(CompactedTopicOptions{KafkaBootstrap(), topic, {}, {}, "it-log"});
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_TRUE((*log)
                  ->Write({{"connector-a", std::string("1")}, {"connector-b", std::string("2")}},
                          absl::Seconds(30))
                  .ok());
  ASSERT_TRUE((*log)
                  ->Write({{"connector-a", std::nullopt}, {"connector-b", std::string("3")}},
                          absl::Seconds(30))
                  .ok());

  std::map<std::string, std::vector<std::string>> seen;  // per key, in the order read
  auto visit = [&](std::optional<absl::string_view> key, std::optional<absl::string_view> value) {
    ASSERT_TRUE(key.has_value());
    seen[std::string(*key)].push_back(value ? std::string(*value) : "<null>");
  };
  ASSERT_TRUE((*log)->ReadToEnd(visit, absl::Seconds(30)).ok());
  EXPECT_EQ(seen["connector-a"], (std::vector<std::string>{"1", "<null>"}));
  EXPECT_EQ(seen["connector-b"], (std::vector<std::string>{"2", "3"}));

  auto missing = CompactedTopic::Create(
      CompactedTopicOptions{KafkaBootstrap(), UniqueName("it-nope"), {}, {}, "x"});
  ASSERT_TRUE(missing.ok());
  absl::Status s = (*missing)->ReadToEnd(visit, absl::Seconds(10));
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
}

// The Kafka jars scripts/setup installed for the broker (they include Kafka Connect), or "".
std::string KafkaLibs() {
  const char* cache = std::getenv("SLUICE_CACHE");
  if (cache == nullptr) return "";
  glob_t found;
  std::string pattern = std::string(cache) + "/kafka/*/libs";
  std::string libs;
  if (glob(pattern.c_str(), 0, nullptr, &found) == 0 && found.gl_pathc > 0)
    libs = found.gl_pathv[0];
  globfree(&found);
  return libs;
}

// Runs ConnectOffsetsInterop.java (Kafka Connect's own offset classes) and returns its output.
absl::StatusOr<std::string> RunConnectInterop(const std::string& args) {
  const char* source = std::getenv("SLUICE_SOURCE_DIR");
  std::string command = "java -cp '" + KafkaLibs() + "/*' '" + (source != nullptr ? source : ".") +
                        "/tests/integration/kafka/ConnectOffsetsInterop.java' " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return absl::InternalError("cannot run java");
  std::string out;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  int rc = pclose(pipe);
  if (rc != 0) return absl::InternalError("java exited with " + std::to_string(rc) + ":\n" + out);
  return out;
}

// Kafka Connect itself reads what Sluice committed, and Sluice reads what Kafka Connect wrote:
// same key bytes, same value, same partition.
TEST_F(KafkaSideTest, KafkaConnectAndSluiceReadEachOthersOffsets) {
  if (KafkaLibs().empty() || std::system("java -version >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "needs java and the Kafka jars under $SLUICE_CACHE/kafka (scripts/setup)";
  }
  const std::string topic = UniqueName("it-offsets-interop");
  ASSERT_TRUE(
      admin_->CreateTopicIfMissing(TopicSpec{topic, 5, 1, {{"cleanup.policy", "compact"}}}).ok());
  const std::string bootstrap = KafkaBootstrap();
  OffsetStoreOptions options{bootstrap, topic, {}, {}};

  auto ours = OffsetStore::Create(options);
  ASSERT_TRUE(ours.ok());
  std::vector<offsets::CommittableOffset> written = {{Server("dbserver1"), Pos(42)}};
  ASSERT_TRUE((*ours)->Write("inventory", written, absl::Seconds(30)).ok());
  absl::StatusOr<std::string> read =
      RunConnectInterop("read " + bootstrap + " " + topic + " inventory dbserver1");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(*read, HasSubstr("OFFSET {file=mysql-bin.000003:String, pos=42:Long}")) << *read;
  EXPECT_THAT(*read, ::testing::Not(HasSubstr("MISPLACED"))) << *read;

  absl::StatusOr<std::string> wrote =
      RunConnectInterop("write " + bootstrap + " " + topic + " from-connect dbserver2 77");
  ASSERT_TRUE(wrote.ok()) << wrote.status();
  absl::StatusOr<std::string> our_key =
      offsets::EncodeOffsetKey("from-connect", Server("dbserver2"));
  ASSERT_TRUE(our_key.ok());
  EXPECT_THAT(*wrote, HasSubstr("KEY " + *our_key + "\n")) << *wrote;
  EXPECT_THAT(*wrote, HasSubstr("VALUE {\"file\":\"mysql-bin.000003\",\"pos\":77}\n")) << *wrote;

  auto reader = OffsetStore::Create(options);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->ReadToEnd(absl::Seconds(30)).ok());
  EXPECT_EQ((*reader)->Get("from-connect", Server("dbserver2")), Pos(77));
  EXPECT_EQ((*reader)->Get("inventory", Server("dbserver1")), Pos(42));
  EXPECT_EQ((*reader)->skipped_records(), 0);
}

}  // namespace
}  // namespace sluice::kafka
