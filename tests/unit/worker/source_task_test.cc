// The task loop (WorkerSourceTask) without Kafka: the generator connector polled through the ABI,
// its records converted and handed to a fake sender, their acknowledgements turned into offsets
// committed to an in-memory offsets topic.
#include "runtime/worker/source_task.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "runtime/convert/converter.h"
#include "runtime/plugin/plugin.h"
#include "runtime/plugin/plugin_registry.h"
#include "tests/support/eventually.h"
#include "tests/unit/worker/fake_sender.h"
#include "tests/unit/worker/in_memory_offsets.h"

namespace sluice::worker {
namespace {

using testing::Eventually;
using testing::FakeSender;
using ::testing::HasSubstr;

constexpr char kConnector[] = "gen";
constexpr char kTopic[] = "orders";

// Topics exist when the test says so; every topic asked about is remembered.
class FakeTopics : public kafka::DataTopics {
 public:
  absl::Status EnsureExists(const std::string& topic) override {
    absl::MutexLock lock(&mu_);
    asked_.push_back(topic);
    return absl::OkStatus();
  }
  std::vector<std::string> asked() const {
    absl::MutexLock lock(&mu_);
    return asked_;
  }

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> asked_ ABSL_GUARDED_BY(mu_);
};

offsets::SourcePartition GeneratorPartition() {
  return offsets::SourcePartition{{"generator", std::string(kTopic)}, {"task", int64_t{0}}};
}

class SourceTaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::shared_ptr<const plugin::Plugin>> loaded =
        plugin::LoadPlugin(SLUICE_GENERATOR_PATH);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    generator_ = *loaded;
    config_.key_converter.class_name = std::string(convert::kJsonConverterClass);
    config_.key_converter.properties = {{"schemas.enable", "false"}};
    config_.value_converter = config_.key_converter;
    config_.offset_flush_interval = absl::Milliseconds(20);
  }

  // Starts task 0 of the generator with `settings` added to its config; `sender_` is its sender,
  // set up by `prepare` before the task starts. A restarted task gets a new sender that
  // acknowledges at once; `sender_` is then that one, and `senders_` counts them.
  std::unique_ptr<WorkerSourceTask> StartTask(
      ConfigMap settings, FakeSender::Settle settle,
      const std::function<void(FakeSender&)>& prepare = nullptr,
      TaskRetryPolicy retry = {absl::InfiniteDuration(), absl::Milliseconds(50)},
      ConfigMap connector_config = {}) {
    auto first =
        std::make_shared<std::unique_ptr<FakeSender>>(std::make_unique<FakeSender>(settle));
    if (prepare) prepare(**first);
    RecordSenderFactory producers =
        [this, first]() -> absl::StatusOr<std::unique_ptr<kafka::RecordSender>> {
      std::unique_ptr<FakeSender> sender =
          *first != nullptr ? std::move(*first)
                            : std::make_unique<FakeSender>(FakeSender::Settle::kAtOnce);
      sender_ = sender.get();
      ++senders_;
      return std::unique_ptr<kafka::RecordSender>(std::move(sender));
    };
    ConfigMap task_config = {{"name", kConnector}, {"connector.class", "generator"},
                             {"topic", kTopic},    {"task.id", "0"},
                             {"task.count", "1"},  {"batch.size", "10"}};
    for (const auto& [key, value] : settings) {
      auto same = std::find_if(task_config.begin(), task_config.end(),
                               [&key](const auto& entry) { return entry.first == key; });
      if (same != task_config.end()) {
        same->second = value;
      } else {
        task_config.emplace_back(key, value);
      }
    }
    absl::StatusOr<std::unique_ptr<WorkerSourceTask>> task =
        WorkerSourceTask::Start({kConnector, 0, generator_, task_config, retry, connector_config, {},
                                 transactions_},
                                {&config_, &offsets_, &topics_, Log()}, std::move(producers));
    EXPECT_TRUE(task.ok()) << task.status();
    return task.ok() ? *std::move(task) : nullptr;
  }

  LogSink Log() {
    return [this](LogLevel, std::string_view who, std::string_view message) {
      absl::MutexLock lock(&log_mu_);
      log_.push_back(std::string(who) + ": " + std::string(message));
    };
  }
  std::string LogText() {
    absl::MutexLock lock(&log_mu_);
    std::string text;
    for (const std::string& line : log_) text += line + "\n";
    return text;
  }

  // The committed `seq` of the generator's partition, or -1.
  int64_t CommittedSeq() const {
    std::optional<offsets::SourceOffset> offset = offsets_.Get(kConnector, GeneratorPartition());
    if (!offset) return -1;
    const offsets::OffsetValue* seq = offset->Find("seq");
    return seq == nullptr ? -1 : std::get<int64_t>(*seq);
  }

  // A task of 20 records, every fifth marked (seq 4, 9, ...), whose chain fails on the marked
  // ones, under errors.tolerance=none: it fails on seq 4, naming the stage and the record; the
  // records before it went out, none after it, and no offset at or past it is committed.
  // Returns the failure's message.
  std::string ExpectFailedOnTheFirstMarkedRecord(WorkerSourceTask& task) {
    EXPECT_TRUE(Eventually([&] { return task.state() == TaskState::kFailed; }));
    const std::string failure(task.failure().message());
    EXPECT_THAT(failure, HasSubstr("tolerance exceeded in error handler (errors.tolerance=none)"));
    EXPECT_THAT(failure,
                HasSubstr("TRANSFORMATION operation on the record for topic `orders` at "
                          R"(source partition {"generator":"orders","task":0} offset {"seq":4})"));
    EXPECT_EQ(sender_.load()->sent_count(), 4u);
    EXPECT_LT(CommittedSeq(), 4);
    EXPECT_EQ(task.errors().record_failures, 1);
    EXPECT_EQ(task.errors().records_skipped, 0);
    return failure;
  }

  // The same task under errors.tolerance=all: seq 4, 9, 14 and 19 fail and are skipped and
  // counted, the others go out, and the offsets move on to the last one (a skipped one too).
  void ExpectTheMarkedRecordsSkipped(WorkerSourceTask& task) {
    ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() == 16; }));
    EXPECT_TRUE(Eventually([&] { return CommittedSeq() == 19; })) << CommittedSeq();
    for (const FakeSender::Sent& sent : sender_.load()->sent()) {
      EXPECT_THAT(sent.value.value_or(""), ::testing::Not(HasSubstr(R"("seq":9,)")));
    }
    EXPECT_EQ(task.errors().record_failures, 4);
    EXPECT_EQ(task.errors().records_skipped, 4);
    EXPECT_EQ(task.state(), TaskState::kRunning);
  }

  std::shared_ptr<const plugin::Plugin> generator_;
  config::WorkerConfig config_;
  std::optional<TaskTransactions> transactions_;  // set: exactly-once
  testing::InMemoryOffsets offsets_;
  FakeTopics topics_;
  // Owned by the task; the latest one (made on the task thread when it restarts, read by the test
  // once it saw the restart).
  std::atomic<FakeSender*> sender_ = nullptr;
  std::atomic<int> senders_ = 0;
  absl::Mutex log_mu_;
  std::vector<std::string> log_ ABSL_GUARDED_BY(log_mu_);
};

TEST_F(SourceTaskTest, PolledRecordsAreConvertedSentAndTheirOffsetsCommittedOnceAcknowledged) {
  auto task = StartTask({{"max.records", "50"}}, FakeSender::Settle::kAtOnce);
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() == 50; }));
  // Periodic commits (every 20 ms here) reach the last acknowledged record.
  EXPECT_TRUE(Eventually([&] { return CommittedSeq() == 49; })) << CommittedSeq();

  const std::vector<FakeSender::Sent> sent = sender_.load()->sent();
  EXPECT_EQ(sent[0].topic, kTopic);
  ASSERT_TRUE(sent[7].key.has_value());
  EXPECT_EQ(*sent[7].key, R"({"id":7})");  // the key converter's JSON, schemas off
  ASSERT_TRUE(sent[7].value.has_value());
  EXPECT_THAT(*sent[7].value, HasSubstr(R"("seq":7)"));
  EXPECT_EQ(topics_.asked(), std::vector<std::string>{kTopic})
      << "a run of records to one topic asks for it once";
  EXPECT_EQ(task->records_sent(), 50);
  EXPECT_EQ(sender_.load()->batch_count(), 5) << "each poll's ten records in one hand-over";
  EXPECT_EQ(task->topics(), std::vector<std::string>{kTopic});

  task->Stop();
  EXPECT_TRUE(task->Join().ok());
  EXPECT_EQ(task->state(), TaskState::kStopped);
}

TEST_F(SourceTaskTest, TheConnectorsTransformsRouteRecordsAndDroppedRecordsStillCommit) {
  auto routed = StartTask({{"max.records", "20"}}, FakeSender::Settle::kAtOnce, nullptr, {},
                          {{"transforms", "route"},
                           {"transforms.route.type", "RegexRouter"},
                           {"transforms.route.regex", "ord(.*)"},
                           {"transforms.route.replacement", "routed$1"}});
  ASSERT_NE(routed, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() == 20; }));
  for (const FakeSender::Sent& sent : sender_.load()->sent()) EXPECT_EQ(sent.topic, "routeders");
  EXPECT_THAT(topics_.asked(), ::testing::Contains("routeders"));
  EXPECT_TRUE(Eventually([&] { return CommittedSeq() == 19; })) << CommittedSeq();
  routed->Stop();
  ASSERT_TRUE(routed->Join().ok());

  // Every record dropped: nothing is sent, yet the offsets move on (Kafka Connect acks a record
  // its transforms filtered out).
  auto filtered = StartTask({{"max.records", "50"}}, FakeSender::Settle::kAtOnce, nullptr, {},
                            {{"transforms", "none"},
                             {"transforms.none.type", "org.apache.kafka.connect.transforms.Filter"}});
  ASSERT_NE(filtered, nullptr);
  EXPECT_TRUE(Eventually([&] { return CommittedSeq() == 49; })) << CommittedSeq();
  EXPECT_EQ(sender_.load()->sent_count(), 0u);
}

// A transform that fails on every fifth record (seq 4, 9, ...): ExtractField of a field the value
// does not have, on the records the generator marks with a header.
ConfigMap FailingOnMarkedRecords(ConfigMap errors) {
  ConfigMap config = {{"transforms", "bad"},
                      {"transforms.bad.type", "org.apache.kafka.connect.transforms.ExtractField$Value"},
                      {"transforms.bad.field", "missing"},
                      {"transforms.bad.predicate", "marked"},
                      {"predicates", "marked"},
                      {"predicates.marked.type",
                       "org.apache.kafka.connect.transforms.predicates.HasHeaderKey"},
                      {"predicates.marked.name", "generator.mark"}};
  config.insert(config.end(), errors.begin(), errors.end());
  return config;
}

TEST_F(SourceTaskTest, UnderErrorsToleranceNoneATransformFailureFailsTheTaskNamingTheRecord) {
  auto task = StartTask({{"max.records", "20"}, {"mark.every", "5"}}, FakeSender::Settle::kAtOnce,
                        nullptr, {}, FailingOnMarkedRecords({{"errors.log.enable", "true"}}));
  ASSERT_NE(task, nullptr);
  const std::string failure = ExpectFailedOnTheFirstMarkedRecord(*task);
  EXPECT_THAT(failure, HasSubstr("transform `bad`"));
  EXPECT_THAT(failure, HasSubstr("unknown field: missing"));
  const TaskErrorFigures errors = task->errors();
  EXPECT_EQ(errors.record_errors, 1);
  EXPECT_EQ(errors.errors_logged, 1);
  EXPECT_GT(errors.last_error_timestamp_ms, 0);
  EXPECT_THAT(LogText(), HasSubstr("Error encountered in task gen-0 while performing "
                                   "TRANSFORMATION operation on the record for topic `orders`"));
}

TEST_F(SourceTaskTest, UnderErrorsToleranceAllFailedRecordsAreSkippedLoggedCountedAndCommitted) {
  auto task = StartTask({{"max.records", "20"}, {"mark.every", "5"}}, FakeSender::Settle::kAtOnce,
                        nullptr, {},
                        FailingOnMarkedRecords({{"errors.tolerance", "all"},
                                                {"errors.log.enable", "true"},
                                                {"errors.log.include.messages", "true"}}));
  ASSERT_NE(task, nullptr);
  ExpectTheMarkedRecordsSkipped(*task);
  const TaskErrorFigures errors = task->errors();
  EXPECT_EQ(errors.record_errors, 4);
  EXPECT_EQ(errors.errors_logged, 4);
  EXPECT_EQ(errors.retries, 0);
  // source-record-poll-total counts the skipped records, source-record-write-total does not.
  EXPECT_EQ(task->records_polled(), 20);
  EXPECT_EQ(task->records_sent(), 16);
  const std::string log = LogText();
  EXPECT_THAT(log, HasSubstr(R"(at source partition {"generator":"orders","task":0} offset {"seq":9}, with record = key={"id":9} value={"id":9,"seq":9,)"));
  EXPECT_THAT(log, HasSubstr("unknown field: missing"));
  task->Stop();
  EXPECT_TRUE(task->Join().ok());

  // Without errors.log.enable a skipped record is only counted.
  log_mu_.Lock();
  log_.clear();
  log_mu_.Unlock();
  auto quiet = StartTask({{"max.records", "30"}, {"mark.every", "5"}}, FakeSender::Settle::kAtOnce,
                         nullptr, {}, FailingOnMarkedRecords({{"errors.tolerance", "all"}}));
  ASSERT_NE(quiet, nullptr);
  ASSERT_TRUE(Eventually([&] { return quiet->errors().records_skipped == 2; }))
      << "seq 24 and 29, after the committed 19";
  EXPECT_EQ(quiet->errors().errors_logged, 0);
  EXPECT_THAT(LogText(), ::testing::Not(HasSubstr("Error encountered")));
}

// A plugin predicate that fails on every fifth record (seq 4, 9, ...): com.example.test.
// FailingPredicate (tests/unit/plugin/test_transform_plugin.c) cannot judge the records the
// generator marks, and is false on the others, so Filter keeps them. Its library is loaded once:
// classes register for the process's life.
ConfigMap PredicateFailingOnMarkedRecords(ConfigMap errors) {
  static const bool loaded = [] {
    auto* registry = new plugin::PluginRegistry;  // never unloaded, as its classes stay
    absl::StatusOr<std::shared_ptr<const plugin::Plugin>> library =
        registry->LoadFile(TEST_TRANSFORM_FAILING);
    EXPECT_TRUE(library.ok()) << library.status();
    return library.ok();
  }();
  EXPECT_TRUE(loaded);
  ConfigMap config = {{"transforms", "drop"},
                      {"transforms.drop.type", "org.apache.kafka.connect.transforms.Filter"},
                      {"transforms.drop.predicate", "judge"},
                      {"predicates", "judge"},
                      {"predicates.judge.type", "com.example.test.FailingPredicate"}};
  config.insert(config.end(), errors.begin(), errors.end());
  return config;
}

TEST_F(SourceTaskTest, UnderErrorsToleranceNoneAFailingPredicateFailsTheTaskNamingItAndTheRecord) {
  auto task = StartTask({{"max.records", "20"}, {"mark.every", "5"}}, FakeSender::Settle::kAtOnce,
                        nullptr, {}, PredicateFailingOnMarkedRecords({}));
  ASSERT_NE(task, nullptr);
  // The records before it went out: the predicate was false on them, so Filter kept them.
  const std::string failure = ExpectFailedOnTheFirstMarkedRecord(*task);
  EXPECT_THAT(failure, HasSubstr("predicate `judge` of transform `drop`"));
  EXPECT_THAT(failure, HasSubstr("com.example.test.FailingPredicate"));
  EXPECT_THAT(failure, HasSubstr("cannot judge a marked record"));
}

TEST_F(SourceTaskTest, UnderErrorsToleranceAllAFailingPredicatesRecordsAreSkippedAndCounted) {
  auto task = StartTask({{"max.records", "20"}, {"mark.every", "5"}}, FakeSender::Settle::kAtOnce,
                        nullptr, {},
                        PredicateFailingOnMarkedRecords({{"errors.tolerance", "all"},
                                                         {"errors.log.enable", "true"}}));
  ASSERT_NE(task, nullptr);
  ExpectTheMarkedRecordsSkipped(*task);
  EXPECT_EQ(task->errors().errors_logged, 4);
  EXPECT_THAT(LogText(), HasSubstr("predicate `judge` of transform `drop`"));
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
}

TEST_F(SourceTaskTest, ARefusedTransformConfigRefusesTheTask) {
  absl::StatusOr<std::unique_ptr<WorkerSourceTask>> task = WorkerSourceTask::Start(
      {kConnector, 0, generator_, {{"name", kConnector}}, {}, {{"transforms", "x"}}, {}, {}},
      {&config_, &offsets_, &topics_, Log()},
      []() -> absl::StatusOr<std::unique_ptr<kafka::RecordSender>> {
        return std::unique_ptr<kafka::RecordSender>(
            std::make_unique<FakeSender>(FakeSender::Settle::kAtOnce));
      });
  EXPECT_TRUE(absl::IsInvalidArgument(task.status()));
  EXPECT_THAT(task.status().message(), HasSubstr("connector gen: `transforms.x.type`: is required"));
}

TEST_F(SourceTaskTest, NothingIsCommittedPastARecordKafkaHasNotAcknowledged) {
  auto task = StartTask({{"max.records", "30"}}, FakeSender::Settle::kWhenTestAcks);
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() == 30; }));
  absl::SleepFor(absl::Milliseconds(100));  // several commit intervals
  EXPECT_EQ(CommittedSeq(), -1) << "nothing is acknowledged yet";
  EXPECT_EQ(task->in_flight_bytes(), 30 * 100) << "what the sender holds";

  // Only the last record of each poll (batch.size 10) carries its offset to the tracker, so the
  // committed offset moves in steps of a poll: 15 acknowledged commits record 9.
  sender_.load()->AckOldest(15);
  EXPECT_TRUE(Eventually([&] { return CommittedSeq() == 9; })) << CommittedSeq();
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(CommittedSeq(), 9) << "record 15 is not acknowledged";

  sender_.load()->AckOldest(15);
  EXPECT_TRUE(Eventually([&] { return CommittedSeq() == 29; })) << CommittedSeq();
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
}

TEST_F(SourceTaskTest, AnUnavailablePollIsRetriedAfterTheBackOffAndTheTaskGoesOn) {
  // The 2nd poll fails with code 14 (UNAVAILABLE).
  auto task = StartTask({{"max.records", "20"}, {"fail.on.poll", "2"}, {"fail.code", "14"}},
                        FakeSender::Settle::kAtOnce);
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() == 20; }));
  EXPECT_EQ(task->state(), TaskState::kRunning) << task->failure();
  const std::vector<FakeSender::Sent> sent = sender_.load()->sent();
  // Records 0-9 came from the first poll, 10-19 from the third, after RetryBackoff::kFirst.
  EXPECT_GE(sent[10].at - sent[9].at, RetryBackoff::kFirst);
  EXPECT_THAT(*sent[10].value, HasSubstr(R"("seq":10)")) << "the failed poll lost nothing";
  EXPECT_THAT(LogText(), HasSubstr("gen-0: poll failed, retrying in 100ms"));
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
}

TEST_F(SourceTaskTest, ARefusedSendFailsTheTaskAndItsPartitionNeverCommitsPastIt) {
  auto task = StartTask({{"max.records", "100"}}, FakeSender::Settle::kAtOnce, [](FakeSender& s) {
    s.RefuseSend(45, absl::InvalidArgumentError("record too large"));
  });
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return task->state() == TaskState::kFailed; }));
  const absl::Status failure = task->Join();
  EXPECT_TRUE(absl::IsInvalidArgument(failure)) << failure;
  EXPECT_THAT(std::string(failure.message()), HasSubstr("gen-0: record too large"));
  EXPECT_EQ(sender_.load()->sent_count(), 45u) << "nothing is sent after the refused record";
  // Records 0-44 were acknowledged; the offset of record 39 (the last of a complete poll) is the
  // newest one whose record and every record before it are in Kafka.
  EXPECT_EQ(CommittedSeq(), 39);
}

TEST_F(SourceTaskTest, AFailedDeliveryFailsTheTaskAndItsPartitionNeverCommitsPastIt) {
  // Record 45 is taken, then refused by the broker; later ones are acknowledged.
  auto task = StartTask({{"max.records", "100"}}, FakeSender::Settle::kAtOnce,
                        [](FakeSender& s) { s.FailDelivery(45); });
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return task->state() == TaskState::kFailed; }));
  const absl::Status failure = task->Join();
  EXPECT_THAT(std::string(failure.message()), HasSubstr("the broker refused record 45"));
  EXPECT_GT(sender_.load()->sent_count(), 45u);
  EXPECT_EQ(CommittedSeq(), 39) << "records after 45 were acknowledged, but 45 never will be";
}

TEST_F(SourceTaskTest, ANonTransientProducerErrorFailsTheTask) {
  auto task = StartTask({}, FakeSender::Settle::kAtOnce);
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() > 0; }));
  sender_.load()->SetFatal(absl::FailedPreconditionError("the cluster refuses this producer"));
  ASSERT_TRUE(Eventually([&] { return task->state() == TaskState::kFailed; }));
  EXPECT_THAT(std::string(task->Join().message()), HasSubstr("the cluster refuses this producer"));
  EXPECT_EQ(task->restarts(), 0);
}

TEST_F(SourceTaskTest, ATimedOutDeliveryRestartsTheTaskFromTheCommittedOffsetsWithANewProducer) {
  // Record 45's delivery times out (the broker was down longer than delivery.timeout.ms); the
  // records after it are acknowledged, yet none of them may be skipped.
  auto task = StartTask({{"max.records", "100"}}, FakeSender::Settle::kAtOnce, [](FakeSender& s) {
    s.FailDelivery(45, absl::StatusCode::kDeadlineExceeded);
  });
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return task->restarts() == 1 && senders_ == 2; }));
  FakeSender* second = sender_.load();
  ASSERT_TRUE(Eventually([&] { return second->sent_count() == 60; })) << second->sent_count();
  // The first attempt committed up to record 39 (the last of a complete poll before 45), so the
  // second one starts at 40: record 45 is produced again, nothing after it is lost.
  EXPECT_THAT(*second->sent()[0].value, HasSubstr(R"("seq":40)"));
  EXPECT_THAT(*second->sent()[59].value, HasSubstr(R"("seq":99)"));
  EXPECT_TRUE(Eventually([&] { return CommittedSeq() == 99; })) << CommittedSeq();
  EXPECT_EQ(task->state(), TaskState::kRunning);
  EXPECT_THAT(LogText(), HasSubstr("restarting from the committed offsets in 50ms (restart 1)"));
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
}

TEST_F(SourceTaskTest, AFatalProducerErrorRestartsTheTaskWithANewProducer) {
  auto task = StartTask({}, FakeSender::Settle::kAtOnce);
  ASSERT_NE(task, nullptr);
  FakeSender* first = sender_.load();
  ASSERT_TRUE(Eventually([&] { return first->sent_count() > 0; }));
  first->SetFatal(absl::AbortedError("fatal producer error: idempotent producer state lost"));
  ASSERT_TRUE(Eventually([&] { return senders_ == 2 && sender_.load()->sent_count() > 0; }));
  EXPECT_EQ(task->state(), TaskState::kRunning);
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
}

TEST_F(SourceTaskTest, ATransientFailureEndsTheTaskOnceErrorsRetryTimeoutHasPassed) {
  // errors.retry.timeout=0: no restart at all (Kafka Connect's default).
  auto task =
      StartTask({{"max.records", "100"}}, FakeSender::Settle::kAtOnce,
                [](FakeSender& s) { s.FailDelivery(45, absl::StatusCode::kDeadlineExceeded); },
                {absl::ZeroDuration(), absl::Seconds(1)});
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return task->state() == TaskState::kFailed; }));
  const absl::Status failure = task->Join();
  EXPECT_TRUE(absl::IsDeadlineExceeded(failure)) << failure;
  EXPECT_THAT(std::string(failure.message()), HasSubstr("gave up after 0 restart(s)"));
  EXPECT_EQ(task->restarts(), 0);
  EXPECT_EQ(CommittedSeq(), 39);
}

TEST_F(SourceTaskTest, AStaleTaskRefusesToWriteOverTheOffsetOfANewerOne) {
  // Task "a" commits, then freezes (Kafka acknowledges nothing more of it), as a worker stopped
  // past its session; task "b" starts the same partition from the newest offset (as the worker
  // that took over would) and commits ahead; then "a" wakes up with acknowledgements for what it
  // sent before: its commit would write an offset behind b's.
  auto a = StartTask({{"max.records", "300"}}, FakeSender::Settle::kWhenTestAcks);
  ASSERT_NE(a, nullptr);
  FakeSender* a_sender = sender_.load();
  ASSERT_TRUE(Eventually([&] { return a_sender->sent_count() == 300; }));
  a_sender->AckOldest(20);
  ASSERT_TRUE(Eventually([&] { return CommittedSeq() == 19; })) << CommittedSeq();

  auto b = StartTask({{"max.records", "100"}}, FakeSender::Settle::kAtOnce);
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(Eventually([&] { return CommittedSeq() == 99; })) << CommittedSeq();

  a_sender->AckOldest(60);  // a could now commit up to seq 79: behind b's 99
  ASSERT_TRUE(Eventually([&] { return a->state() == TaskState::kFailed; }));
  const absl::Status failure = a->Join();
  EXPECT_TRUE(absl::IsFailedPrecondition(failure)) << failure;
  EXPECT_THAT(std::string(failure.message()),
              HasSubstr("another task wrote the offset of partition "
                        R"({"generator":"orders","task":0} (now {"seq":99}) after this one read )"
                        R"(it ({"seq":19}))"));
  EXPECT_EQ(CommittedSeq(), 99) << "the committed offset did not move backwards";
  EXPECT_EQ(a->restarts(), 0) << "a stale task is not restarted by itself";
  EXPECT_EQ(b->state(), TaskState::kRunning);
  int64_t previous = -1;
  for (const offsets::CommittableOffset& o : offsets_.written()) {
    const int64_t seq = std::get<int64_t>(*o.offset.Find("seq"));
    EXPECT_GE(seq, previous) << "every write sits on top of the newest";
    previous = seq;
  }
  b->Stop();
  EXPECT_TRUE(b->Join().ok());
}

TEST_F(SourceTaskTest, TheFinalCommitOnStopIsExact) {
  config_.offset_flush_interval = absl::Hours(1);  // no periodic commit: only the final one
  auto task = StartTask({}, FakeSender::Settle::kWhenTestAcks);
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() >= 200; }));
  EXPECT_EQ(offsets_.write_count(), 0u);
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
  // Stopping flushed the sender (every record acknowledged) and committed once, exactly the last
  // record sent.
  const size_t sent = sender_.load()->sent_count();
  EXPECT_EQ(CommittedSeq(), static_cast<int64_t>(sent) - 1);
  EXPECT_EQ(offsets_.write_count(), 1u);
}

// A task's first offset does not wait for the flush interval: a source may hold its data back
// until where it started is committed (the MySQL snapshot's position). Later ones do.
TEST_F(SourceTaskTest, TheFirstOffsetIsCommittedAsSoonAsItsRecordIsAcknowledged) {
  config_.offset_flush_interval = absl::Hours(1);
  auto task = StartTask({{"max.records", "5"}}, FakeSender::Settle::kAtOnce);
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return CommittedSeq() >= 0; })) << LogText();
  const size_t writes = offsets_.write_count();
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(offsets_.write_count(), writes) << "after the first, commits wait for the interval";
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
}

TEST_F(SourceTaskTest, AFullSenderStopsThePollingUntilItHasRoom) {
  // Full from the start: the task must wait for room before its first poll.
  auto task = StartTask({}, FakeSender::Settle::kAtOnce, [](FakeSender& s) { s.SetFull(true); });
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->waits() >= 3; }));
  EXPECT_EQ(sender_.load()->sent_count(), 0u);
  sender_.load()->SetFull(false);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() >= 10; }));
  // Nothing was polled (and dropped) while the sender was full: the first record is the first.
  EXPECT_THAT(*sender_.load()->sent()[0].value, HasSubstr(R"("seq":0)"));
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
}

TEST_F(SourceTaskTest, ATaskResumesAfterItsCommittedOffset) {
  offsets_.Put(kConnector, GeneratorPartition(), offsets::SourceOffset{{"seq", int64_t{41}}});
  auto task = StartTask({{"max.records", "50"}}, FakeSender::Settle::kAtOnce);
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() == 8; }));  // seq 42..49
  EXPECT_THAT(*sender_.load()->sent()[0].value, HasSubstr(R"("seq":42)"));
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
}

TEST_F(SourceTaskTest, AnOffsetStoredWithThePartitionsFieldsInAnotherOrderIsNotFound) {
  // As a Java connector's HashMap might have written it: another offsets-topic key, which Kafka
  // Connect's reader would not find for the generator's partition either.
  const offsets::SourcePartition reordered{{"task", int64_t{0}},
                                           {"generator", std::string(kTopic)}};
  offsets_.Put(kConnector, reordered, offsets::SourceOffset{{"seq", int64_t{41}}});
  auto task = StartTask({{"max.records", "5"}}, FakeSender::Settle::kAtOnce);
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() == 5; }));
  EXPECT_THAT(*sender_.load()->sent()[0].value, HasSubstr(R"("seq":0)")) << "the task started over";
  task->Stop();
  EXPECT_TRUE(task->Join().ok());
  EXPECT_EQ(offsets_.OffsetsFor(kConnector).size(), 2u) << "its own key beside the other one";
}

// ---- exactly-once ---------------------------------------------------------------------------

constexpr char kOffsetsTopic[] = "eos-offsets";
constexpr char kOffsetKey[] = R"(["gen",{"generator":"orders","task":0}])";

// The values of the offset records written to the offsets topic, in order.
std::vector<std::string> OffsetRecords(const FakeSender& sender) {
  std::vector<std::string> values;
  for (const FakeSender::Sent& sent : sender.sent()) {
    if (sent.topic != kOffsetsTopic) continue;
    EXPECT_EQ(sent.key, kOffsetKey);
    values.push_back(sent.value.value_or("null"));
  }
  return values;
}

TEST_F(SourceTaskTest, ExactlyOnceCommitsEachPollsRecordsWithTheirOffsetInOneTransaction) {
  transactions_ = TaskTransactions{TransactionBoundary::kPoll, absl::Seconds(60), kOffsetsTopic,
                                   absl::Seconds(5)};
  auto task = StartTask({{"max.records", "30"}}, FakeSender::Settle::kWhenTestAcks);
  ASSERT_NE(task, nullptr);
  // Three polls of 10: each goes whole into a transaction with one offset record, committed
  // after (polls queued while a commit runs share the next one).
  ASSERT_TRUE(Eventually([&] {
    const std::vector<std::string> t = sender_.load()->transactions();
    return !t.empty() && t.back() == "commit@" + std::to_string(30 + t.size() / 2);
  })) << LogText();
  // The offsets went in while the records were unacknowledged: the commit waits for them, not a
  // flush before it.
  EXPECT_EQ(sender_.load()->flushes(), 0);
  task->Stop();
  EXPECT_TRUE(task->Join().ok()) << LogText();
  const std::vector<std::string> transactions = sender_.load()->transactions();
  ASSERT_EQ(transactions.size() % 2, 0u);
  std::vector<std::string> expected_offsets;
  size_t records = 0;
  for (size_t i = 0; i < transactions.size(); i += 2) {
    ASSERT_EQ(transactions[i], "begin@" + std::to_string(records + i / 2));
    const size_t committed =
        std::stoul(transactions[i + 1].substr(transactions[i + 1].find('@') + 1));
    ASSERT_EQ(transactions[i + 1].substr(0, 7), "commit@");
    const size_t in_it = committed - records - i / 2 - 1;  // less its offset record
    EXPECT_EQ(in_it % 10, 0u) << "whole polls only: " << transactions[i + 1];
    records += in_it;
    expected_offsets.push_back(absl::StrCat(R"({"seq":)", records - 1, "}"));
  }
  EXPECT_EQ(records, 30u);
  EXPECT_EQ(OffsetRecords(*sender_.load()), expected_offsets);
  EXPECT_EQ(CommittedSeq(), -1) << "no offset is written outside the transactions";
}

TEST_F(SourceTaskTest, ExactlyOnceGroupsThePollsThatCameWhileACommitRanIntoTheNextTransaction) {
  transactions_ = TaskTransactions{TransactionBoundary::kPoll, absl::Seconds(60), kOffsetsTopic,
                                   absl::Seconds(5)};
  // Polls of 300 records: a backlog's size.
  auto task = StartTask({{"max.records", "900"}, {"batch.size", "300"}},
                        FakeSender::Settle::kAtOnce,
                        [](FakeSender& first) { first.HoldCommits(true); });
  ASSERT_NE(task, nullptr);
  // The first transaction's commit waits for the broker; meanwhile the next polls are taken and
  // converted, but nothing of them reaches the producer.
  ASSERT_TRUE(Eventually([&] { return task->records_polled() == 900; })) << LogText();
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(sender_.load()->sent_count(), 301u);
  EXPECT_EQ(sender_.load()->commits_started(), 1);
  EXPECT_THAT(sender_.load()->transactions(), ::testing::ElementsAre("begin@0"));
  sender_.load()->HoldCommits(false);
  // Both polls go in one transaction, with the offset the second reached.
  ASSERT_TRUE(Eventually([&] { return sender_.load()->transactions().size() >= 4; }))
      << LogText();
  task->Stop();
  EXPECT_TRUE(task->Join().ok()) << LogText();
  EXPECT_THAT(sender_.load()->transactions(),
              ::testing::ElementsAre("begin@0", "commit@301", "begin@301", "commit@902"));
  EXPECT_THAT(OffsetRecords(*sender_.load()),
              ::testing::ElementsAre(R"({"seq":299})", R"({"seq":899})"));
  EXPECT_THAT(LogText(), HasSubstr("exactly-once: 2 transactions committed, 450 records each"));
}

TEST_F(SourceTaskTest, ExactlyOnceAGroupCommitHoldsAtMost16384RecordsThenWaitsForTheCommit) {
  transactions_ = TaskTransactions{TransactionBoundary::kPoll, absl::Seconds(60), kOffsetsTopic,
                                   absl::Seconds(5)};
  auto task = StartTask({{"max.records", "40000"}, {"batch.size", "4096"}},
                        FakeSender::Settle::kAtOnce,
                        [](FakeSender& first) { first.HoldCommits(true); });
  ASSERT_NE(task, nullptr);
  // One poll committing, four held (16,384 records): the fifth's boundary waits for the commit.
  ASSERT_TRUE(Eventually([&] { return task->records_polled() == 5 * 4096; })) << LogText();
  absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(task->records_polled(), 5 * 4096) << "no more polls while the held ones are full";
  EXPECT_EQ(sender_.load()->sent_count(), 4096u + 1);
  sender_.load()->HoldCommits(false);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->transactions().size() >= 4; }))
      << LogText();
  task->Stop();
  EXPECT_TRUE(task->Join().ok()) << LogText();
  const std::vector<std::string> transactions = sender_.load()->transactions();
  ASSERT_GE(transactions.size(), 4u);
  EXPECT_EQ(transactions[3], "commit@20482") << "the 4 held polls and their offset record";
}

TEST_F(SourceTaskTest, ExactlyOnceSmallPollsGoOnWhileACommitRunsAndGoTogetherOnceItReturns) {
  transactions_ = TaskTransactions{TransactionBoundary::kPoll, absl::Seconds(60), kOffsetsTopic,
                                   absl::Seconds(5)};
  // Polls of 10 records: changes trickling in. The task does not wait for the commit to poll
  // again: the polls that come meanwhile are converted and queued, and go in one transaction the
  // moment the commit returns.
  auto task = StartTask({{"max.records", "30"}}, FakeSender::Settle::kAtOnce,
                        [](FakeSender& first) { first.HoldCommits(true); });
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return task->records_polled() == 30; })) << LogText();
  absl::SleepFor(absl::Milliseconds(50));
  // The first poll found the transaction thread idle: a transaction of its own, whose commit
  // runs; nothing queued since has reached the producer.
  EXPECT_EQ(sender_.load()->commits_started(), 1);
  EXPECT_EQ(sender_.load()->sent_count(), 11u);
  sender_.load()->HoldCommits(false);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->transactions().size() >= 4; }))
      << LogText();
  task->Stop();
  EXPECT_TRUE(task->Join().ok()) << LogText();
  EXPECT_THAT(sender_.load()->transactions(),
              ::testing::ElementsAre("begin@0", "commit@11", "begin@11", "commit@32"));
  EXPECT_THAT(OffsetRecords(*sender_.load()),
              ::testing::ElementsAre(R"({"seq":9})", R"({"seq":29})"));
}

TEST_F(SourceTaskTest, ExactlyOnceAFailedCommitSendsNothingQueuedAfterIt) {
  transactions_ = TaskTransactions{TransactionBoundary::kPoll, absl::Seconds(60), kOffsetsTopic,
                                   absl::Seconds(5)};
  offsets_.Put(kConnector, GeneratorPartition(), offsets::SourceOffset{{"seq", int64_t{4}}});
  // What the first sender saw, read when the restart destroys it.
  absl::Mutex mu;
  std::vector<std::string> first_transactions;
  size_t first_sent = 0;
  auto task = StartTask({{"max.records", "905"}, {"batch.size", "300"}},
                        FakeSender::Settle::kAtOnce, [&](FakeSender& first) {
                          first.HoldCommits(true);
                          first.FailNextCommit(absl::AbortedError("transaction aborted"));
                          first.OnDestroy([&](const FakeSender& sender) {
                            absl::MutexLock lock(&mu);
                            first_transactions = sender.transactions();
                            first_sent = sender.sent_count();
                          });
                        });
  ASSERT_NE(task, nullptr);
  // Two more polls are queued while the first transaction's commit runs; then it fails.
  ASSERT_TRUE(Eventually([&] { return task->records_polled() == 900; })) << LogText();
  sender_.load()->HoldCommits(false);
  ASSERT_TRUE(Eventually([&] { return senders_.load() == 2; }, absl::Seconds(10))) << LogText();
  {
    absl::MutexLock lock(&mu);
    EXPECT_THAT(first_transactions, ::testing::ElementsAre("begin@0", "failed@301"));
    EXPECT_EQ(first_sent, 301u) << "nothing of the queued polls reached the producer";
  }
  // The new attempt starts again after the committed seq 4.
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() > 0; }));
  EXPECT_THAT(*sender_.load()->sent()[0].value, HasSubstr(R"("seq":5)"));
  task->Stop();
  EXPECT_TRUE(task->Join().ok()) << LogText();
  EXPECT_EQ(task->restarts(), 1);
}

TEST_F(SourceTaskTest, ExactlyOnceAPollIsNeverSplitAcrossTransactions) {
  transactions_ = TaskTransactions{TransactionBoundary::kPoll, absl::Seconds(60), kOffsetsTopic,
                                   absl::Seconds(5)};
  // Polls of 3,000: the group commit's bound (16,384) falls inside the sixth.
  auto task = StartTask({{"max.records", "45000"}, {"batch.size", "3000"}},
                        FakeSender::Settle::kAtOnce,
                        [](FakeSender& first) { first.HoldCommits(true); });
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return task->records_polled() >= 6 * 3000; })) << LogText();
  sender_.load()->HoldCommits(false);
  ASSERT_TRUE(Eventually([&] {
    const std::vector<std::string> t = sender_.load()->transactions();
    return !t.empty() && t.back() == "commit@" + std::to_string(45000 + t.size() / 2);
  })) << LogText();
  task->Stop();
  EXPECT_TRUE(task->Join().ok()) << LogText();
  // Every transaction holds whole polls and its one offset record.
  const std::vector<std::string> transactions = sender_.load()->transactions();
  ASSERT_GE(transactions.size(), 4u);
  size_t records = 0;
  for (size_t i = 0; i + 1 < transactions.size(); i += 2) {
    const size_t begun = std::stoul(transactions[i].substr(transactions[i].find('@') + 1));
    const size_t committed =
        std::stoul(transactions[i + 1].substr(transactions[i + 1].find('@') + 1));
    EXPECT_EQ((committed - begun - 1) % 3000, 0u) << transactions[i + 1];
    EXPECT_LE(committed - begun - 1, 16384u + 3000u) << "bounded";
    records += committed - begun - 1;
  }
  EXPECT_EQ(records, 45000u);
  EXPECT_GT(transactions.size(), 4u) << "grouped, and bounded: more than two transactions";
}

TEST_F(SourceTaskTest, ExactlyOnceWithConnectorBoundariesCommitsWhereTheConnectorMarks) {
  transactions_ = TaskTransactions{TransactionBoundary::kConnector, absl::Seconds(60),
                                   kOffsetsTopic, absl::Seconds(5)};
  // A boundary after every 4th record: seq 3, 7, 11 end transactions; 12 and 13 are left open
  // and aborted at the stop (a connector's transaction is committed whole or replayed).
  auto task = StartTask({{"max.records", "14"}, {"transaction.records", "4"}},
                        FakeSender::Settle::kAtOnce);
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() == 14 + 3; })) << LogText();
  task->Stop();
  EXPECT_TRUE(task->Join().ok()) << LogText();
  EXPECT_THAT(sender_.load()->transactions(),
              ::testing::ElementsAre("begin@0", "commit@5", "begin@5", "commit@10", "begin@10",
                                     "commit@15", "begin@15", "abort@17"));
  EXPECT_THAT(OffsetRecords(*sender_.load()),
              ::testing::ElementsAre(R"({"seq":3})", R"({"seq":7})", R"({"seq":11})"));
}

TEST_F(SourceTaskTest, AnAbortedTransactionRewindsToTheCommittedOffsetsWithANewSender) {
  transactions_ = TaskTransactions{TransactionBoundary::kPoll, absl::Seconds(60), kOffsetsTopic,
                                   absl::Seconds(5)};
  offsets_.Put(kConnector, GeneratorPartition(), offsets::SourceOffset{{"seq", int64_t{4}}});
  auto task = StartTask({{"max.records", "20"}}, FakeSender::Settle::kAtOnce,
                        [](FakeSender& first) {
                          first.FailNextCommit(absl::AbortedError("transaction aborted"));
                        });
  ASSERT_NE(task, nullptr);
  ASSERT_TRUE(Eventually([&] { return senders_.load() == 2; }, absl::Seconds(10))) << LogText();
  // The new attempt starts again after the committed seq 4: the aborted records come again.
  ASSERT_TRUE(Eventually([&] { return sender_.load()->sent_count() > 0; }));
  EXPECT_THAT(*sender_.load()->sent()[0].value, HasSubstr(R"("seq":5)"));
  task->Stop();
  EXPECT_TRUE(task->Join().ok()) << LogText();
  EXPECT_EQ(task->restarts(), 1);
}

TEST_F(SourceTaskTest, ARecordRefusedForGoodInATransactionFailsTheTaskWithItsOwnError) {
  transactions_ = TaskTransactions{TransactionBoundary::kPoll, absl::Seconds(60), kOffsetsTopic,
                                   absl::Seconds(5)};
  auto task = StartTask({{"max.records", "20"}}, FakeSender::Settle::kAtOnce,
                        [](FakeSender& first) {
                          // The broker refuses record 3 (too large for the topic), so the commit
                          // fails as librdkafka fails it: abortable, and aborted.
                          first.FailDelivery(3, absl::StatusCode::kInvalidArgument);
                          first.FailNextCommit(absl::AbortedError(
                              "committing the transaction: a message failed delivery"));
                        });
  ASSERT_NE(task, nullptr);
  absl::Status ended = task->Join();
  EXPECT_TRUE(absl::IsInvalidArgument(ended)) << ended;
  EXPECT_THAT(ended.message(), HasSubstr("the broker refused record 3"));
  EXPECT_EQ(senders_.load(), 1) << "a rewind would fail the same way";
  EXPECT_EQ(task->state(), TaskState::kFailed);
}

TEST_F(SourceTaskTest, AFencedTransactionalSenderEndsTheTaskFailedWithoutARestart) {
  transactions_ = TaskTransactions{TransactionBoundary::kPoll, absl::Seconds(60), kOffsetsTopic,
                                   absl::Seconds(5)};
  auto task = StartTask({{"max.records", "20"}}, FakeSender::Settle::kAtOnce,
                        [](FakeSender& first) {
                          first.FailNextCommit(absl::FailedPreconditionError(
                              "fenced: a newer producer with transactional.id `g-gen-0`"));
                        });
  ASSERT_NE(task, nullptr);
  absl::Status ended = task->Join();
  EXPECT_TRUE(absl::IsFailedPrecondition(ended)) << ended;
  EXPECT_THAT(ended.message(), HasSubstr("fenced"));
  EXPECT_EQ(senders_.load(), 1);
  EXPECT_EQ(task->state(), TaskState::kFailed);
}

}  // namespace
}  // namespace sluice::worker
