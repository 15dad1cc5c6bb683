// The producer against librdkafka's in-process mock cluster: delivery reports reach the offset
// tracker, failures block it, the byte bound holds, and unsafe overrides are refused.
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/kafka/client_config.h"
#include "runtime/kafka/handles.h"
#include "runtime/kafka/producer.h"
#include "tests/support/mock_cluster.h"

namespace sluice::kafka {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

using ::sluice::testing::MockCluster;

OutgoingRecord Record(absl::string_view topic, std::optional<absl::string_view> key,
                      std::optional<absl::string_view> value) {
  OutgoingRecord r;
  r.topic = topic;
  r.key = key;
  r.value = value;
  return r;
}

// Every record of `topic`'s partition 0 on the mock cluster, in order: their values.
std::vector<std::string> ReadValues(const std::string& bootstrap, const char* topic,
                                    size_t expected) {
  ClientSettings settings = {
      {"bootstrap.servers", bootstrap}, {"group.id", "reader"}, {"enable.auto.commit", "false"}};
  absl::StatusOr<ConfHandle> conf = BuildConf(settings, {}, "consumer.");
  EXPECT_TRUE(conf.ok()) << conf.status();
  char errstr[256];
  KafkaHandle consumer(rd_kafka_new(RD_KAFKA_CONSUMER, conf->release(), errstr, sizeof errstr));
  TopicPartitionListHandle assignment(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(assignment.get(), topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  EXPECT_EQ(rd_kafka_assign(consumer.get(), assignment.get()), RD_KAFKA_RESP_ERR_NO_ERROR);
  std::vector<std::string> values;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (values.size() < expected && absl::Now() < deadline) {
    MessageHandle message(rd_kafka_consumer_poll(consumer.get(), 100));
    if (message == nullptr || message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    values.emplace_back(static_cast<const char*>(message->payload), message->len);
  }
  rd_kafka_consumer_close(consumer.get());
  return values;
}

offsets::SourcePartition Server() { return offsets::SourcePartition{{"server", std::string("s")}}; }
offsets::SourceOffset Pos(int64_t pos) { return offsets::SourceOffset{{"pos", pos}}; }

TEST(ProducerTest, RefusesOverridesThatWeakenDelivery) {
  for (auto [key, value] : {std::pair<std::string, std::string>{"acks", "1"},
                            {"request.required.acks", "0"},
                            {"enable.idempotence", "false"}}) {
    auto producer = Producer::Create(ProducerOptions{"127.0.0.1:1", {{key, value}}});
    ASSERT_FALSE(producer.ok()) << key;
    EXPECT_EQ(producer.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(producer.status().message(), HasSubstr("`producer." + key + "`"));
  }
}

TEST(ProducerTest, UnknownOverrideIsNamed) {
  auto producer = Producer::Create(ProducerOptions{"127.0.0.1:1", {{"max.request.size", "1000"}}});
  ASSERT_FALSE(producer.ok());
  EXPECT_EQ(producer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(producer.status().message(), HasSubstr("`producer.max.request.size`"));
}

TEST(ProducerTest, FixedSettingsAndOverridesAreApplied) {
  auto producer =
      Producer::Create(ProducerOptions{"127.0.0.1:1", {{"linger.ms", "7"}, {"acks", "all"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  EXPECT_EQ((*producer)->EffectiveSetting("enable.idempotence"), "true");
  EXPECT_EQ((*producer)->EffectiveSetting("partitioner"), "murmur2_random");
  EXPECT_EQ((*producer)->EffectiveSetting("linger.ms"), "7");
}

TEST(ProducerTest, CompressedBatchesAreReadFromTheRecordsWithoutACopy) {
  auto plain = Producer::Create(ProducerOptions{"127.0.0.1:1", {}});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ((*plain)->EffectiveSetting("message.copy.max.bytes"), "65535")
      << "librdkafka's default without compression";
  auto lz4 = Producer::Create(ProducerOptions{"127.0.0.1:1", {{"compression.type", "lz4"}}});
  ASSERT_TRUE(lz4.ok()) << lz4.status();
  EXPECT_EQ((*lz4)->EffectiveSetting("message.copy.max.bytes"), "0");
  auto none = Producer::Create(ProducerOptions{"127.0.0.1:1", {{"compression.type", "NONE"}}});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ((*none)->EffectiveSetting("message.copy.max.bytes"), "65535");
  auto chosen = Producer::Create(ProducerOptions{
      "127.0.0.1:1", {{"compression.codec", "zstd"}, {"message.copy.max.bytes", "4096"}}});
  ASSERT_TRUE(chosen.ok()) << chosen.status();
  EXPECT_EQ((*chosen)->EffectiveSetting("message.copy.max.bytes"), "4096") << "the user's wins";
}

TEST(ProducerTest, DeliveryReportsAcknowledgeTrackedRecords) {
  MockCluster cluster(1);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), "t", 3, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto producer = Producer::Create(ProducerOptions{cluster.bootstrap(), {{"linger.ms", "1"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  offsets::PartitionHandle p = tracker.Partition(Server());
  for (int i = 0; i < 100; ++i) {
    std::string key = "k" + std::to_string(i % 7);
    offsets::SubmittedRecord* r = tracker.Submit(p, Pos(i));
    ASSERT_TRUE((*producer)->Send(Record("t", key, "v" + std::to_string(i)), r).ok());
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  ASSERT_TRUE(tracker.AwaitAllSettled(absl::Seconds(5)));
  offsets::CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(std::get<int64_t>(*c.offsets[0].offset.Find("pos")), 99);
  EXPECT_TRUE(c.first_failure.ok());
  EXPECT_EQ((*producer)->in_flight_bytes(), 0);
}

// The values go to librdkafka without a copy: the batch's memory must outlive the batch until
// every record's delivery report (an ASan build of this test catches a value read after it went).
// With lz4 and a long linger, librdkafka reads the values when it builds the compressed batch,
// after the OutgoingBatch that held them was cleared or destroyed.
TEST(ProducerTest, BatchedRecordsArriveInOrderWithTheirBytesAfterTheBatchIsGone) {
  MockCluster cluster(1);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), "t", 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto producer = Producer::Create(
      ProducerOptions{cluster.bootstrap(), {{"linger.ms", "50"}, {"compression.type", "lz4"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  offsets::PartitionHandle p = tracker.Partition(Server());
  std::vector<std::string> expected;
  OutgoingBatch reused;  // cleared and refilled at once, its records still in flight
  for (int b = 0; b < 10; ++b) {
    OutgoingBatch fresh;  // destroyed at once, its records still in flight
    OutgoingBatch& batch = b % 2 == 0 ? reused : fresh;
    for (int i = 0; i < 100; ++i) {
      // Each value in a string that is gone before the batch is sent.
      std::string value = "value " + std::to_string(b * 100 + i) + std::string(200 + i, 'x');
      std::string key = "k" + std::to_string(i % 7);
      RecordHeader header[] = {{"h", absl::string_view(value).substr(0, 9)}};
      OutgoingRecord r = Record("t", key, value);
      r.headers = header;
      batch.Add(r, tracker.Submit(p, Pos(b * 100 + i)));
      expected.push_back(std::move(value));
    }
    size_t handed_over = 0;
    ASSERT_TRUE((*producer)->SendBatch(batch, &handed_over).ok());
    EXPECT_EQ(handed_over, 100u);
    batch.Clear();
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  ASSERT_TRUE(tracker.AwaitAllSettled(absl::Seconds(5)));
  offsets::CommittableOffsets c = tracker.TakeCommittable();
  EXPECT_TRUE(c.first_failure.ok()) << c.first_failure;
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(std::get<int64_t>(*c.offsets[0].offset.Find("pos")), 999);
  EXPECT_EQ((*producer)->in_flight_bytes(), 0);
  EXPECT_EQ(ReadValues(cluster.bootstrap(), "t", expected.size()), expected)
      << "every value, in the order sent";
}

TEST(ProducerTest, ARecordRefusedInABatchStopsItThereAndTheRestIsLeftToTheCaller) {
  auto producer = Producer::Create(ProducerOptions{"127.0.0.1:1",
                                                   {{"message.max.bytes", "10000"}},
                                                   /*max_in_flight_bytes=*/1 << 20,
                                                   absl::Seconds(1),
                                                   "p",
                                                   /*record_overhead_bytes=*/0});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  offsets::PartitionHandle p = tracker.Partition(Server());
  OutgoingBatch batch;
  const std::string large(20000, 'x');
  batch.Add(Record("t", std::string("a"), std::string("small")), tracker.Submit(p, Pos(0)));
  batch.Add(Record("t", std::string("b"), large), tracker.Submit(p, Pos(1)));
  batch.Add(Record("t", std::string("c"), std::string("small")), tracker.Submit(p, Pos(2)));
  size_t handed_over = 0;
  absl::Status s = (*producer)->SendBatch(batch, &handed_over);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(s.message(), HasSubstr("the record with key b (20001 bytes"));
  EXPECT_EQ(handed_over, 1u);
  EXPECT_EQ((*producer)->in_flight_bytes(), 1 + 5) << "only the record handed over is charged";
  EXPECT_EQ(tracker.pending(), 3) << "the refused record and the one after it are the caller's";
  producer->reset();  // fails record 0 (purged) while the tracker lives
  EXPECT_EQ(tracker.pending(), 2);
}

TEST(ProducerTest, AFailedDeliveryNeverLetsTheOffsetPassIt) {
  MockCluster cluster(1);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), "t", 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto producer = Producer::Create(ProducerOptions{cluster.bootstrap(), {{"linger.ms", "0"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  offsets::PartitionHandle p = tracker.Partition(Server());

  // Record 0 goes through alone, then the broker refuses the next produce request with a
  // non-retriable error, then records after it succeed again.
  ASSERT_TRUE((*producer)
                  ->Send(Record("t", std::string("a"), std::string("0")), tracker.Submit(p, Pos(0)))
                  .ok());
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  rd_kafka_mock_push_request_errors(cluster.get(), /*ApiKey Produce=*/0, 1,
                                    RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  ASSERT_TRUE((*producer)
                  ->Send(Record("t", std::string("a"), std::string("1")), tracker.Submit(p, Pos(1)))
                  .ok());
  (void)(*producer)->Flush(absl::Seconds(30));
  // librdkafka may now refuse the topic synchronously too (it remembers the authorization
  // error); a record that was never handed over is removed, as the task runner must do.
  for (int i = 2; i < 5; ++i) {
    offsets::SubmittedRecord* r = tracker.Submit(p, Pos(i));
    absl::Status s = (*producer)->Send(Record("t", std::string("a"), std::to_string(i)), r);
    if (!s.ok()) {
      EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
      ASSERT_TRUE(tracker.RemoveLast(r));
    }
  }
  (void)(*producer)->Flush(absl::Seconds(30));
  ASSERT_TRUE(tracker.AwaitAllSettled(absl::Seconds(30)));

  offsets::CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(std::get<int64_t>(*c.offsets[0].offset.Find("pos")), 0)
      << "must stop before the failed record 1";
  EXPECT_FALSE(c.first_failure.ok());
  EXPECT_THAT(c.first_failure.message(),
              HasSubstr("delivery of the record with key a (2 bytes of key, value and headers) "
                        "to topic `t` failed"));
}

// The at-least-once reorder after a delivery timeout (docs/fault-suite.md, "Known limits"): a
// record expires while the broker is away; a record sent after that must not be delivered past
// it once the broker is back, so Send refuses it (transiently: the task replays from its
// committed offsets, in order).
TEST(ProducerTest, NoRecordIsSentPastOneWhoseDeliveryTimedOut) {
  MockCluster cluster(1);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), "t", 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto producer = Producer::Create(
      ProducerOptions{cluster.bootstrap(), {{"linger.ms", "0"}, {"delivery.timeout.ms", "1000"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  offsets::PartitionHandle p = tracker.Partition(Server());
  ASSERT_TRUE((*producer)
                  ->Send(Record("t", std::string("a"), std::string("0")), tracker.Submit(p, Pos(0)))
                  .ok());
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());

  ASSERT_EQ(rd_kafka_mock_broker_set_down(cluster.get(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE((*producer)
                  ->Send(Record("t", std::string("a"), std::string("1")), tracker.Submit(p, Pos(1)))
                  .ok());
  ASSERT_TRUE(tracker.AwaitAllSettled(absl::Seconds(30))) << "record 1 expires after 1 s";
  ASSERT_EQ(rd_kafka_mock_broker_set_up(cluster.get(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);

  offsets::SubmittedRecord* later = tracker.Submit(p, Pos(2));
  absl::Status sent = (*producer)->Send(Record("t", std::string("a"), std::string("2")), later);
  EXPECT_EQ(sent.code(), absl::StatusCode::kDeadlineExceeded) << sent;
  EXPECT_THAT(sent.message(), HasSubstr("refusing later records"));
  EXPECT_THAT(sent.message(), HasSubstr("to topic `t` failed"));
  if (!sent.ok()) {
    EXPECT_TRUE(tracker.RemoveLast(later));
  }
  (void)(*producer)->Flush(absl::Seconds(10));
  offsets::CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(std::get<int64_t>(*c.offsets[0].offset.Find("pos")), 0);
}

// A frozen process (SIGSTOP): every record in flight waited past delivery.timeout.ms, and its
// expiry may not be reported yet when the task thread runs again. The first Send after the
// freeze is refused at once (by the age of what is in flight, or by the report if it came
// first), so nothing sent after the freeze can overtake the records that expire.
TEST(ProducerTest, AfterEveryRecordInFlightOutwaitedTheDeliveryTimeoutSendIsRefused) {
  MockCluster cluster(1);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), "t", 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto producer = Producer::Create(ProducerOptions{
      cluster.bootstrap(),
      {{"linger.ms", "0"}, {"delivery.timeout.ms", "300"}, {"request.timeout.ms", "30000"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  // The broker answers nothing for 10 s: the record stays in flight.
  rd_kafka_mock_broker_set_rtt(cluster.get(), 1, 10000);
  ASSERT_TRUE((*producer)->Send(Record("t", std::string("a"), std::string("0")), nullptr).ok());
  absl::SleepFor(absl::Milliseconds(400));  // the task thread "frozen"
  absl::Status sent = (*producer)->Send(Record("t", std::string("a"), std::string("1")), nullptr);
  EXPECT_EQ(sent.code(), absl::StatusCode::kDeadlineExceeded) << sent;
  EXPECT_THAT(sent.message(), HasSubstr("refusing later records"));
  rd_kafka_mock_broker_set_rtt(cluster.get(), 1, 0);
}

// A record that expires while later ones keep going out (the process not frozen): librdkafka
// notices the expiry late (its timeout scan runs about once a second) and reports it later
// still, so a refusal that waited for the report let records out past the expired one. The age
// of what is in flight is read at every hand-over: nothing goes out once the oldest record may
// have expired, that is from delivery.timeout.ms after it, less at most a sixteenth of it.
TEST(ProducerTest, NoRecordGoesOutOnceAnOlderOneInFlightMayHaveExpired) {
  MockCluster cluster(1);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), "t", 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto producer = Producer::Create(ProducerOptions{
      cluster.bootstrap(),
      {{"linger.ms", "0"}, {"delivery.timeout.ms", "800"}, {"request.timeout.ms", "30000"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  rd_kafka_mock_broker_set_rtt(cluster.get(), 1, 10000);  // nothing is acknowledged
  const absl::Time first = absl::Now();
  ASSERT_TRUE((*producer)->Send(Record("t", std::string("a"), std::string("0")), nullptr).ok());
  absl::Status sent;
  absl::Time last_sent = first;
  absl::Time refused_at;
  for (int i = 1; sent.ok() && absl::Now() - first < absl::Seconds(5); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
    const absl::Time now = absl::Now();
    sent = (*producer)->Send(Record("t", std::string("a"), std::to_string(i)), nullptr);
    (sent.ok() ? last_sent : refused_at) = now;
  }
  EXPECT_EQ(sent.code(), absl::StatusCode::kDeadlineExceeded) << sent;
  EXPECT_THAT(sent.message(), HasSubstr("refusing later records"));
  // Refused from 750 ms on (800 less a sixteenth); nothing went out once the first record had
  // waited the whole timeout.
  EXPECT_GE(refused_at - first, absl::Milliseconds(750));
  EXPECT_LT(last_sent - first, absl::Milliseconds(800)) << "a record went out after the expiry";
  rd_kafka_mock_broker_set_rtt(cluster.get(), 1, 0);
}

TEST(ProducerTest, ARecordOverTheSizeLimitIsRefusedNamingItsKeyAndSize) {
  auto producer =
      Producer::Create(ProducerOptions{"127.0.0.1:1", {{"message.max.bytes", "10000"}}});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  offsets::SubmittedRecord* r = tracker.Submit(tracker.Partition(Server()), Pos(1));
  const std::string value(20000, 'x');
  absl::Status s = (*producer)->Send(Record("shop.inventory.orders", R"({"id":42})", value), r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(s.message(), HasSubstr(R"(the record with key {"id":42} (20009 bytes)"));
  EXPECT_THAT(s.message(), HasSubstr("to topic `shop.inventory.orders`"));
  EXPECT_THAT(s.message(), HasSubstr("`max.message.bytes`"));
  EXPECT_TRUE(tracker.RemoveLast(r));
}

TEST(ProducerTest, InFlightBytesAreBoundedAndSendBlocksThenGivesUp) {
  // No broker answers: nothing is ever acknowledged, so the bound must stop Send.
  auto producer = Producer::Create(ProducerOptions{"127.0.0.1:1",
                                                   {},
                                                   /*max_in_flight_bytes=*/1000,
                                                   /*max_block=*/absl::Milliseconds(200),
                                                   "p",
                                                   /*record_overhead_bytes=*/0});
  ASSERT_TRUE(producer.ok()) << producer.status();
  std::string value(300, 'x');
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE((*producer)->Send(Record("t", std::nullopt, value), nullptr).ok());
  }
  EXPECT_EQ((*producer)->in_flight_bytes(), 900);
  EXPECT_FALSE((*producer)->WaitForRoom(300, absl::Milliseconds(10)));
  EXPECT_TRUE((*producer)->WaitForRoom(100, absl::ZeroDuration()));
  absl::Time start = absl::Now();
  absl::Status blocked = (*producer)->Send(Record("t", std::nullopt, value), nullptr);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(190));
  EXPECT_EQ(blocked.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(blocked.message(), HasSubstr("producer.buffer.memory"));
  EXPECT_EQ((*producer)->in_flight_bytes(), 900) << "a refused record must not stay charged";
}

TEST(ProducerTest, TinyRecordsAreBoundedByTheirOverhead) {
  ProducerOptions options{"127.0.0.1:1", {}, /*max_in_flight_bytes=*/10000, absl::Milliseconds(50)};
  auto producer = Producer::Create(options);  // default overhead 512 bytes
  ASSERT_TRUE(producer.ok());
  int sent = 0;
  while ((*producer)->Send(Record("t", std::nullopt, std::string("x")), nullptr).ok()) ++sent;
  EXPECT_EQ(sent, 10000 / 513) << "one-byte records still cost their bookkeeping";
  EXPECT_FALSE((*producer)->WaitForRoom(1, absl::ZeroDuration()))
      << "WaitForRoom counts the overhead too";
}

TEST(ProducerTest, DeliveryReleasesExactlyWhatSendCharged) {
  MockCluster cluster(1);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), "t", 2, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto producer = Producer::Create(ProducerOptions{cluster.bootstrap(), {}});
  ASSERT_TRUE(producer.ok());
  RecordHeader headers[] = {{"__debezium.oldkey", absl::string_view("{\"id\":1}")},
                            {"empty", std::nullopt}};
  for (int i = 0; i < 50; ++i) {
    const std::string key = "k" + std::to_string(i);  // outlives the view Record keeps
    OutgoingRecord r =
        Record("t", key, i % 5 == 0 ? std::nullopt : std::optional<absl::string_view>("v"));
    r.headers = headers;
    ASSERT_TRUE((*producer)->Send(r, nullptr).ok());
  }
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  EXPECT_EQ((*producer)->in_flight_bytes(), 0)
      << "charge and release must agree, or the bound drifts";
}

TEST(ProducerTest, ASenderAtTheBoundGoesOnAsDeliveriesFreeRoom) {
  // Twenty times the bound, sent by one thread a record at a time, then as one batch: each time the
  // bound is full, Send must wake up when the poller takes delivered bytes off it, well within
  // max_block.
  MockCluster cluster(1);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), "t", 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto producer = Producer::Create(ProducerOptions{cluster.bootstrap(),
                                                   {{"linger.ms", "0"}},
                                                   /*max_in_flight_bytes=*/3000,
                                                   /*max_block=*/absl::Seconds(20),
                                                   "p",
                                                   /*record_overhead_bytes=*/0});
  ASSERT_TRUE(producer.ok()) << producer.status();
  offsets::SubmittedRecords tracker;
  offsets::PartitionHandle partition = tracker.Partition(Server());
  const std::string value(300, 'x');
  int64_t most_in_flight = 0;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(
        (*producer)->Send(Record("t", std::nullopt, value), tracker.Submit(partition, Pos(i))).ok())
        << "record " << i;
    most_in_flight = std::max(most_in_flight, (*producer)->in_flight_bytes());
  }
  EXPECT_LE(most_in_flight, 3000);
  // Twenty times the bound in one batch: it goes out a part at a time, in order.
  OutgoingBatch batch;
  for (int i = 200; i < 400; ++i) {
    batch.Add(Record("t", std::nullopt, std::to_string(i) + value),
              tracker.Submit(partition, Pos(i)));
  }
  size_t handed_over = 0;
  ASSERT_TRUE((*producer)->SendBatch(batch, &handed_over).ok());
  EXPECT_EQ(handed_over, 200u);
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  EXPECT_EQ((*producer)->in_flight_bytes(), 0);
  EXPECT_EQ(tracker.pending(), 0);
  offsets::CommittableOffsets c = tracker.TakeCommittable();
  ASSERT_THAT(c.offsets, SizeIs(1));
  EXPECT_EQ(std::get<int64_t>(*c.offsets[0].offset.Find("pos")), 399);
  const std::vector<std::string> values = ReadValues(cluster.bootstrap(), "t", 400);
  ASSERT_THAT(values, SizeIs(400));
  for (int i = 200; i < 400; ++i) EXPECT_EQ(values[i], std::to_string(i) + value) << i;
}

TEST(ProducerTest, DestroyingTheProducerFailsUndeliveredRecords) {
  offsets::SubmittedRecords tracker;
  offsets::PartitionHandle p = tracker.Partition(Server());
  {
    auto producer = Producer::Create(ProducerOptions{"127.0.0.1:1", {}});
    ASSERT_TRUE(producer.ok());
    ASSERT_TRUE(
        (*producer)
            ->Send(Record("t", std::string("k"), std::string("v")), tracker.Submit(p, Pos(1)))
            .ok());
  }
  EXPECT_EQ(tracker.pending(), 0);
  offsets::CommittableOffsets c = tracker.TakeCommittable();
  EXPECT_THAT(c.offsets, IsEmpty());
  EXPECT_FALSE(c.first_failure.ok());
}

TEST(ProducerTest, AFatalErrorIsSurfacedByEveryLaterCall) {
  MockCluster cluster(1);
  ASSERT_EQ(rd_kafka_mock_topic_create(cluster.get(), "t", 1, 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto producer = Producer::Create(ProducerOptions{cluster.bootstrap(), {}});
  ASSERT_TRUE(producer.ok());
  ASSERT_TRUE((*producer)->Send(Record("t", std::string("k"), std::string("v")), nullptr).ok());
  ASSERT_TRUE((*producer)->Flush(absl::Seconds(30)).ok());
  EXPECT_TRUE((*producer)->fatal_error().ok());

  (*producer)->InjectFatalErrorForTesting(RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                                          "sequence lost");
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while ((*producer)->fatal_error().ok() && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(10));
  absl::Status fatal = (*producer)->fatal_error();
  ASSERT_FALSE(fatal.ok());
  EXPECT_EQ(fatal.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(fatal.message(), HasSubstr("sequence lost"));

  offsets::SubmittedRecords tracker;
  offsets::SubmittedRecord* r = tracker.Submit(tracker.Partition(Server()), Pos(1));
  absl::Status sent = (*producer)->Send(Record("t", std::string("k"), std::string("v")), r);
  EXPECT_EQ(sent.code(), absl::StatusCode::kAborted) << sent;
  EXPECT_TRUE(tracker.RemoveLast(r)) << "a refused record is left to the caller";
  EXPECT_FALSE((*producer)->Flush(absl::Seconds(1)).ok());
  EXPECT_FALSE((*producer)->WaitForRoom(1, absl::ZeroDuration()));
}

TEST(ProducerTest, ChargeCountsKeyValueAndHeaders) {
  ProducerOptions options{"127.0.0.1:1", {}};
  options.record_overhead_bytes = 100;
  auto producer = Producer::Create(options);
  ASSERT_TRUE(producer.ok());
  RecordHeader headers[] = {{"__debezium.newkey", absl::string_view("abc")}, {"n", std::nullopt}};
  OutgoingRecord r{"topic", absl::string_view("key"), absl::string_view("value!"), headers};
  EXPECT_EQ((*producer)->ChargeFor(r), 100 + 3 + 6 + 17 + 3 + 1);
}

}  // namespace
}  // namespace sluice::kafka
