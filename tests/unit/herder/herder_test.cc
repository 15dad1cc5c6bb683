// The herder without Kafka: its operations against a fake worker, configs written to a fake config
// log and statuses to a fake status log; a restore from a pre-filled config log; the tick noticing
// a failed task; reconfiguration requests; and the errors each operation promises.
#include "runtime/herder/herder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "tests/support/eventually.h"
#include "tests/unit/herder/fake_topic_log.h"
#include "tests/unit/herder/fake_worker.h"

namespace sluice::herder {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using testing::Eventually;
using testing::FakeTopicLog;
using testing::FakeWorker;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

ConfigMap GeneratorConfig(int tasks_max = 2) {
  return {{"connector.class", "generator"},
          {"topic", "orders"},
          {"tasks.max", std::to_string(tasks_max)}};
}

std::vector<State> TaskStates(const ConnectorStatusInfo& status) {
  std::vector<State> states;
  for (const TaskStatusInfo& task : status.tasks) states.push_back(task.state);
  return states;
}

class HerderTest : public ::testing::Test {
 protected:
  HerderTest()
      : worker_owned_(std::make_unique<FakeWorker>(SLUICE_GENERATOR_PATH)),
        config_log_owned_(std::make_unique<FakeTopicLog>()),
        status_log_owned_(std::make_unique<FakeTopicLog>()),
        worker_(*worker_owned_),
        config_log_(*config_log_owned_),
        status_log_(*status_log_owned_) {}

  // The fakes stay reachable through worker_, config_log_ and status_log_ while herder_ lives.
  void StartHerder() {
    HerderOptions options;
    options.worker_id = "test-worker:0";
    options.tick = absl::Milliseconds(10);
    options.metrics_interval = absl::Milliseconds(20);
    absl::StatusOr<std::unique_ptr<Herder>> started = Herder::Start(
        HerderParts{std::move(worker_owned_), std::move(config_log_owned_),
                    std::move(status_log_owned_), nullptr},
        [this](LogLevel, std::string_view who, std::string_view message) {
          absl::MutexLock lock(&log_mu_);
          log_ += std::string(who) + ": " + std::string(message) + "\n";
        },
        options);
    ASSERT_TRUE(started.ok()) << started.status();
    herder_ = *std::move(started);
  }

  ConnectorInfo CreateGenerator(const std::string& name, int tasks_max = 2,
                                TargetState initial = TargetState::kStarted) {
    absl::StatusOr<ConnectorInfo> info = herder_->Create(name, GeneratorConfig(tasks_max), initial);
    EXPECT_TRUE(info.ok()) << info.status();
    return info.ok() ? *info : ConnectorInfo();
  }

  // The state last written to the status topic under `key`; kUnassigned for none or a tombstone.
  State WrittenStatus(const std::string& key) const {
    std::optional<std::optional<std::string>> latest = status_log_.Latest(key);
    if (!latest || !*latest) return State::kUnassigned;
    absl::StatusOr<StatusValue> value = DecodeStatus(**latest);
    return value.ok() ? value->state : State::kUnassigned;
  }
  bool Tombstoned(const FakeTopicLog& log, const std::string& key) const {
    std::optional<std::optional<std::string>> latest = log.Latest(key);
    return latest.has_value() && !latest->has_value();
  }
  std::optional<int> CommittedTaskCount(const std::string& name) const {
    std::optional<std::optional<std::string>> latest = config_log_.Latest(CommitKey(name));
    if (!latest || !*latest) return std::nullopt;
    absl::StatusOr<int> n = DecodeCommit(**latest);
    return n.ok() ? std::optional<int>(*n) : std::nullopt;
  }
  std::optional<TargetState> WrittenTarget(const std::string& name) const {
    std::optional<std::optional<std::string>> latest = config_log_.Latest(TargetStateKey(name));
    if (!latest || !*latest) return std::nullopt;
    absl::StatusOr<TargetState> state = DecodeTargetState(**latest);
    return state.ok() ? std::optional<TargetState>(*state) : std::nullopt;
  }
  std::string LogText() {
    absl::MutexLock lock(&log_mu_);
    return log_;
  }

  std::unique_ptr<FakeWorker> worker_owned_;
  std::unique_ptr<FakeTopicLog> config_log_owned_;
  std::unique_ptr<FakeTopicLog> status_log_owned_;
  FakeWorker& worker_;
  FakeTopicLog& config_log_;
  FakeTopicLog& status_log_;
  absl::Mutex log_mu_;
  std::string log_ ABSL_GUARDED_BY(log_mu_);
  std::unique_ptr<Herder> herder_;  // last: destroyed first, while the fakes it holds live
};

TEST_F(HerderTest, CreateStoresTheConfigStartsTheTasksAndWritesTheirStatuses) {
  StartHerder();
  const ConnectorInfo info = CreateGenerator("gen", 2);
  EXPECT_EQ(info.name, "gen");
  EXPECT_EQ(info.target_state, TargetState::kStarted);
  EXPECT_EQ(info.task_count, 2);
  EXPECT_EQ(info.status.state, State::kRunning);
  EXPECT_THAT(TaskStates(info.status), ElementsAre(State::kRunning, State::kRunning));
  EXPECT_EQ(info.status.worker_id, "test-worker:0");
  EXPECT_THAT(info.config, Contains(Pair("name", "gen"))) << "the name is added to the config";

  // The config topic, in Kafka Connect's records: target state first, then the config, then the
  // task configs the connector generated and the commit that makes them current.
  std::vector<std::string> keys;
  for (const kafka::KeyedRecord& r : config_log_.records()) keys.push_back(r.key);
  EXPECT_THAT(keys, ElementsAre("target-state-gen", "connector-gen", "task-gen-0", "task-gen-1",
                                "commit-gen"));
  EXPECT_EQ(WrittenTarget("gen"), TargetState::kStarted);
  EXPECT_EQ(CommittedTaskCount("gen"), 2);
  EXPECT_EQ(WrittenStatus(ConnectorStatusKey("gen")), State::kRunning);
  EXPECT_EQ(WrittenStatus(TaskStatusKey("gen", 1)), State::kRunning);

  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(0, 1));
  std::optional<ConfigMap> task_config = worker_.TaskConfig("gen", 1);
  ASSERT_TRUE(task_config.has_value());
  EXPECT_THAT(*task_config, Contains(Pair("task.id", "1")));
}

TEST_F(HerderTest, GetAndListAnswerWhatWasCreatedAndNameWhatIsNot) {
  StartHerder();
  CreateGenerator("a", 1);
  CreateGenerator("b", 1);
  absl::StatusOr<ConnectorInfo> got = herder_->Get("b");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->task_count, 1);
  std::vector<std::string> names;
  for (const ConnectorInfo& info : herder_->List()) names.push_back(info.name);
  EXPECT_THAT(names, ElementsAre("a", "b"));

  absl::StatusOr<ConnectorInfo> missing = herder_->Get("c");
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("connector c not found"));
  EXPECT_TRUE(absl::IsNotFound(herder_->Pause("c").status()));
  EXPECT_TRUE(absl::IsNotFound(herder_->Delete("c")));
  EXPECT_TRUE(absl::IsNotFound(herder_->RestartTask("a", 7).status())) << "no task 7";

  absl::StatusOr<ConnectorInfo> again =
      herder_->Create("a", GeneratorConfig(), TargetState::kStarted);
  EXPECT_TRUE(absl::IsAlreadyExists(again.status())) << again.status();
}

TEST_F(HerderTest, AnInvalidConfigIsRefusedNamingEveryKeyAndNothingIsWritten) {
  StartHerder();
  absl::StatusOr<ConnectorInfo> created = herder_->Create(
      "bad", {{"connector.class", "generator"}, {"batch.size", "many"}}, TargetState::kStarted);
  EXPECT_TRUE(absl::IsInvalidArgument(created.status())) << created.status();
  EXPECT_THAT(std::string(created.status().message()),
              ::testing::AllOf(HasSubstr("connector bad: invalid config for generator"),
                               HasSubstr("`batch.size`: must be a 32-bit integer, not `many`"),
                               HasSubstr("`topic`: is required")));
  EXPECT_THAT(config_log_.records(), IsEmpty());

  absl::StatusOr<ConnectorInfo> renamed =
      herder_->Create("x", {{"name", "y"}, {"connector.class", "generator"}, {"topic", "t"}},
                      TargetState::kStarted);
  EXPECT_TRUE(absl::IsInvalidArgument(renamed.status()));
  EXPECT_THAT(std::string(renamed.status().message()), HasSubstr("`name`"));
}

TEST_F(HerderTest, ValidateAnswersPerKeyWithSecretsMasked) {
  StartHerder();
  const plugin::ConfigValidation verdict =
      herder_->Validate({{"connector.class", "generator"},
                         {"batch.size", "x"},
                         {"tasks.max", "0"},
                         {"schema.registry.password", "hunter22"},
                         {"other.password", "${env:SOME_PASSWORD}"}});
  EXPECT_EQ(verdict.plugin, "generator");
  EXPECT_EQ(verdict.error_count, 3);  // batch.size, tasks.max, topic
  std::map<std::string, std::string> values;
  for (const plugin::KeyValidation& key : verdict.keys) values[key.name] = key.value;
  EXPECT_EQ(values["schema.registry.password"], "********");
  EXPECT_EQ(values["other.password"], "${env:SOME_PASSWORD}") << "a reference is shown";
  EXPECT_EQ(values["batch.size"], "x");
}

TEST_F(HerderTest, ValidateAndCreateRefuseTransformsNamingTheKey) {
  StartHerder();
  const ConfigMap config = {{"connector.class", "generator"},
                            {"topic", "t"},
                            {"transforms", "route"},
                            {"transforms.route.type", "RegexRouter"},
                            {"transforms.route.regex", "(.*)"},
                            {"transforms.route.replacment", "x$1"}};
  const plugin::ConfigValidation verdict = herder_->Validate(config);
  std::map<std::string, std::vector<std::string>> errors;
  for (const plugin::KeyValidation& key : verdict.keys) errors[key.name] = key.errors;
  EXPECT_EQ(verdict.error_count, 2);
  EXPECT_THAT(errors["transforms.route.replacement"], ElementsAre(HasSubstr("is required")));
  EXPECT_THAT(errors["transforms.route.replacment"],
              ElementsAre(HasSubstr("is not an option of RegexRouter")));
  absl::StatusOr<ConnectorInfo> created = herder_->Create("routed", config, TargetState::kStarted);
  EXPECT_TRUE(absl::IsInvalidArgument(created.status()));
  EXPECT_THAT(std::string(created.status().message()), HasSubstr("`transforms.route.replacment`"));
  EXPECT_FALSE(worker_.IsConnectorRunning("routed"));
}

TEST_F(HerderTest, PauseStopsTheTasksAndResumeStartsThemAgain) {
  StartHerder();
  CreateGenerator("gen", 2);
  absl::StatusOr<ConnectorStatusInfo> paused = herder_->Pause("gen");
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_EQ(paused->state, State::kPaused);
  EXPECT_THAT(TaskStates(*paused), ElementsAre(State::kPaused, State::kPaused));
  EXPECT_EQ(WrittenTarget("gen"), TargetState::kPaused);
  EXPECT_EQ(WrittenStatus(TaskStatusKey("gen", 0)), State::kPaused);
  EXPECT_TRUE(worker_.IsConnectorRunning("gen")) << "a paused connector keeps its instance";
  EXPECT_THAT(worker_.RunningTasks("gen"), IsEmpty());
  absl::StatusOr<ConnectorStatusInfo> restart_task = herder_->RestartTask("gen", 0);
  EXPECT_TRUE(absl::IsFailedPrecondition(restart_task.status())) << restart_task.status();
  EXPECT_THAT(std::string(restart_task.status().message()), HasSubstr("is PAUSED"));

  absl::StatusOr<ConnectorStatusInfo> resumed = herder_->Resume("gen");
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->state, State::kRunning);
  EXPECT_THAT(TaskStates(*resumed), ElementsAre(State::kRunning, State::kRunning));
  EXPECT_EQ(WrittenTarget("gen"), TargetState::kStarted);
  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(0, 1));
}

TEST_F(HerderTest, StopEmptiesTheTaskConfigsAndOnlyThenMayOffsetsChange) {
  StartHerder();
  CreateGenerator("gen", 2);
  const offsets::SourcePartition partition{{"generator", std::string("orders")},
                                           {"task", int64_t{0}}};
  absl::Status early =
      herder_->AlterOffsets("gen", {{partition, offsets::SourceOffset{{"seq", int64_t{5}}}}});
  EXPECT_TRUE(absl::IsFailedPrecondition(early)) << early;
  EXPECT_THAT(std::string(early.message()), HasSubstr("STOPPED"));

  absl::StatusOr<ConnectorStatusInfo> stopped = herder_->Stop("gen");
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(stopped->state, State::kStopped);
  EXPECT_THAT(stopped->tasks, IsEmpty());
  EXPECT_EQ(WrittenTarget("gen"), TargetState::kStopped);
  EXPECT_EQ(CommittedTaskCount("gen"), 0) << "KIP-875: no worker runs a stopped connector's tasks";
  EXPECT_TRUE(Tombstoned(status_log_, TaskStatusKey("gen", 1)));
  EXPECT_FALSE(worker_.IsConnectorRunning("gen"));

  EXPECT_TRUE(absl::IsFailedPrecondition(herder_->Restart("gen", true, false).status()));
  EXPECT_TRUE(absl::IsNotFound(herder_->RestartTask("gen", 0).status()))
      << "a stopped connector has no task configs";

  ASSERT_TRUE(
      herder_->AlterOffsets("gen", {{partition, offsets::SourceOffset{{"seq", int64_t{5}}}}}).ok());
  absl::StatusOr<std::vector<PartitionOffset>> offsets = herder_->Offsets("gen");
  ASSERT_TRUE(offsets.ok()) << offsets.status();
  ASSERT_EQ(offsets->size(), 1u);
  EXPECT_EQ((*offsets)[0].offset, (offsets::SourceOffset{{"seq", int64_t{5}}}));
  ASSERT_TRUE(herder_->ResetOffsets("gen").ok());
  EXPECT_THAT(*herder_->Offsets("gen"), IsEmpty());

  // Resuming a stopped connector starts it with freshly generated task configs.
  absl::StatusOr<ConnectorStatusInfo> resumed = herder_->Resume("gen");
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(CommittedTaskCount("gen"), 2);
  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(0, 1));
}

TEST_F(HerderTest, RestartRestartsTheConnectorWithItsTasksOrOneTask) {
  StartHerder();
  CreateGenerator("gen", 2);
  worker_.ClearEvents();
  absl::StatusOr<ConnectorStatusInfo> restarted = herder_->Restart("gen", false, false);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_EQ(restarted->state, State::kRunning);
  EXPECT_THAT(worker_.events(),
              ElementsAre("stop task gen-0", "stop task gen-1", "stop connector gen",
                          "start connector gen", "start task gen-0", "start task gen-1"));

  worker_.ClearEvents();
  absl::StatusOr<ConnectorStatusInfo> one = herder_->RestartTask("gen", 1);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_THAT(worker_.events(), ElementsAre("stop task gen-1", "start task gen-1"));
  EXPECT_THAT(TaskStates(*one), ElementsAre(State::kRunning, State::kRunning));
}

TEST_F(HerderTest, DeleteStopsTheConnectorAndTombstonesItsRecords) {
  StartHerder();
  CreateGenerator("gen", 1);
  std::shared_ptr<WatchSubscription> watch = herder_->Watch();
  ASSERT_TRUE(herder_->Delete("gen").ok());
  EXPECT_FALSE(worker_.IsConnectorRunning("gen"));
  EXPECT_TRUE(Tombstoned(config_log_, ConnectorConfigKey("gen")));
  EXPECT_TRUE(Tombstoned(config_log_, TargetStateKey("gen")));
  EXPECT_TRUE(Tombstoned(status_log_, ConnectorStatusKey("gen")));
  EXPECT_TRUE(Tombstoned(status_log_, TaskStatusKey("gen", 0)));
  EXPECT_TRUE(absl::IsNotFound(herder_->Get("gen").status()));
  bool deleted = false;
  while (std::optional<WatchEvent> e = watch->Pop(absl::Milliseconds(200))) {
    if (e->kind == WatchEvent::Kind::kConnectorDeleted && e->connector == "gen") deleted = true;
  }
  EXPECT_TRUE(deleted);
}

TEST_F(HerderTest, PutConfigCreatesOrReplacesAndPatchChangesKeys) {
  StartHerder();
  bool created = false;
  absl::StatusOr<ConnectorInfo> put = herder_->PutConfig("gen", GeneratorConfig(1), &created);
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_TRUE(created);
  put = herder_->PutConfig("gen", GeneratorConfig(2), &created);
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_FALSE(created);
  EXPECT_EQ(put->task_count, 2) << "the new config restarted the connector";
  EXPECT_THAT(worker_.RunningTasks("gen"), ElementsAre(0, 1));

  absl::StatusOr<ConnectorInfo> patched =
      herder_->PatchConfig("gen", {{"batch.size", "7"}}, {"tasks.max"});
  ASSERT_TRUE(patched.ok()) << patched.status();
  EXPECT_THAT(patched->config, Contains(Pair("batch.size", "7")));
  EXPECT_EQ(plugin::Lookup(patched->config, "tasks.max"), std::nullopt);
  EXPECT_EQ(patched->task_count, 1) << "tasks.max defaults to 1";
  EXPECT_TRUE(absl::IsNotFound(herder_->PatchConfig("nope", {}, {}).status()));
}

TEST_F(HerderTest, EveryTargetStateIsRestoredFromTheConfigTopic) {
  // What a previous worker left: `run` STARTED with one committed task config, `held` PAUSED,
  // `off` STOPPED (task configs emptied), written as Kafka Connect writes them.
  for (const auto& [name, target] :
       {std::pair{"run", TargetState::kStarted}, std::pair{"held", TargetState::kPaused},
        std::pair{"off", TargetState::kStopped}}) {
    ConfigMap config = GeneratorConfig(1);
    config.insert(config.begin(), {"name", name});
    config_log_.Append({TargetStateKey(name), EncodeTargetState(target)});
    config_log_.Append({ConnectorConfigKey(name), EncodeProperties(config)});
    if (target != TargetState::kStopped) {
      config.emplace_back("task.id", "0");
      config_log_.Append({TaskConfigKey(name, 0), EncodeProperties(config)});
    }
    config_log_.Append({CommitKey(name), EncodeCommit(target == TargetState::kStopped ? 0 : 1)});
  }
  config_log_.FailReads(2);  // a config topic without a leader yet: retried, not fatal
  const size_t written_before = config_log_.records().size();
  StartHerder();

  EXPECT_THAT(worker_.RunningTasks("run"), ElementsAre(0));
  EXPECT_EQ(herder_->Status("run")->state, State::kRunning);
  EXPECT_TRUE(worker_.IsConnectorRunning("held"));
  EXPECT_THAT(worker_.RunningTasks("held"), IsEmpty());
  absl::StatusOr<ConnectorStatusInfo> held = herder_->Status("held");
  EXPECT_EQ(held->state, State::kPaused);
  EXPECT_THAT(TaskStates(*held), ElementsAre(State::kPaused));
  EXPECT_FALSE(worker_.IsConnectorRunning("off"));
  EXPECT_EQ(herder_->Status("off")->state, State::kStopped);
  EXPECT_EQ(config_log_.records().size(), written_before)
      << "task configs the connectors generate again unchanged are not written again";
  EXPECT_THAT(LogText(), HasSubstr("restoring connector held (PAUSED)"));
}

TEST_F(HerderTest, AFailedTaskIsNoticedByTheTickAndRestartedOnRequest) {
  StartHerder();
  CreateGenerator("gen", 2);
  ASSERT_TRUE(worker_.FailTask("gen", 1, absl::InternalError("boom at seq 7")));
  ASSERT_TRUE(Eventually([&] { return WrittenStatus(TaskStatusKey("gen", 1)) == State::kFailed; }));
  absl::StatusOr<ConnectorStatusInfo> status = herder_->Status("gen");
  ASSERT_TRUE(status.ok());
  EXPECT_THAT(TaskStates(*status), ElementsAre(State::kRunning, State::kFailed));
  EXPECT_EQ(status->tasks[1].trace, "boom at seq 7");

  worker_.ClearEvents();
  absl::StatusOr<ConnectorStatusInfo> restarted =
      herder_->Restart("gen", /*include_tasks=*/true, /*only_failed=*/true);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_THAT(worker_.events(), ElementsAre("stop task gen-1", "start task gen-1"))
      << "only the failed task";
  EXPECT_THAT(TaskStates(*restarted), ElementsAre(State::kRunning, State::kRunning));
  ASSERT_TRUE(restarted->restarted.has_value());
  EXPECT_FALSE(restarted->restarted->connector);
  EXPECT_THAT(restarted->restarted->tasks, ElementsAre(1));
}

TEST_F(HerderTest, OnlyFailedWithoutIncludeTasksRestartsTheFailedTasksAsTheDocsSay) {
  // `sluice connectors restart gen --only-failed`: tasks are implied (docs/admin-api.md), so the
  // failed task restarts even though include_tasks is false (it did nothing before).
  StartHerder();
  CreateGenerator("gen", 2);
  ASSERT_TRUE(worker_.FailTask("gen", 0, absl::InternalError("boom")));
  ASSERT_TRUE(Eventually([&] { return WrittenStatus(TaskStatusKey("gen", 0)) == State::kFailed; }));
  worker_.ClearEvents();
  absl::StatusOr<ConnectorStatusInfo> restarted =
      herder_->Restart("gen", /*include_tasks=*/false, /*only_failed=*/true);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_THAT(worker_.events(), ElementsAre("stop task gen-0", "start task gen-0"));
  EXPECT_THAT(TaskStates(*restarted), ElementsAre(State::kRunning, State::kRunning));
  ASSERT_TRUE(restarted->restarted.has_value());
  EXPECT_THAT(restarted->restarted->tasks, ElementsAre(0));

  // Nothing failed now: nothing restarts, and the answer says so.
  worker_.ClearEvents();
  restarted = herder_->Restart("gen", /*include_tasks=*/false, /*only_failed=*/true);
  ASSERT_TRUE(restarted.ok());
  EXPECT_THAT(worker_.events(), IsEmpty());
  EXPECT_FALSE(restarted->restarted->connector);
  EXPECT_THAT(restarted->restarted->tasks, IsEmpty());

  // Without only_failed: the connector and with it both tasks.
  restarted = herder_->Restart("gen", /*include_tasks=*/false, /*only_failed=*/false);
  ASSERT_TRUE(restarted.ok());
  EXPECT_TRUE(restarted->restarted->connector);
  EXPECT_THAT(restarted->restarted->tasks, ElementsAre(0, 1));
}

TEST_F(HerderTest, TheTopicsATaskWritesAreRecordedAndCanBeReset) {
  StartHerder();
  CreateGenerator("gen", 1);
  ASSERT_TRUE(worker_.ProduceFrom("gen", 0, "orders"));
  absl::StatusOr<std::vector<std::string>> topics = herder_->Topics("gen");
  ASSERT_TRUE(topics.ok()) << topics.status();
  EXPECT_THAT(*topics, ElementsAre("orders"));
  EXPECT_TRUE(status_log_.Latest(TopicStatusKey("orders", "gen")).has_value());
  ASSERT_TRUE(herder_->ResetTopics("gen").ok());
  EXPECT_TRUE(Tombstoned(status_log_, TopicStatusKey("orders", "gen")));
  EXPECT_THAT(*herder_->Topics("gen"), ElementsAre("orders"))
      << "the running task still writes to it, so it is noted again";
}

TEST_F(HerderTest, AReconfigurationRequestRestartsTheTasksWithTheirNewConfigs) {
  worker_.SetGeneratedTasks(1);
  StartHerder();
  CreateGenerator("gen", 3);
  EXPECT_EQ(CommittedTaskCount("gen"), 1);

  // Unchanged task configs: nothing is written or restarted.
  const size_t written = config_log_.records().size();
  worker_.ClearEvents();
  worker_.RequestReconfiguration("gen");
  ASSERT_TRUE(Eventually([&] { return LogText().find("unchanged") != std::string::npos; }));
  EXPECT_EQ(config_log_.records().size(), written);
  EXPECT_THAT(worker_.events(), IsEmpty());

  // The connector now asks for two tasks.
  worker_.SetGeneratedTasks(2);
  worker_.RequestReconfiguration("gen");
  ASSERT_TRUE(Eventually([&] { return CommittedTaskCount("gen") == 2; }));
  ASSERT_TRUE(Eventually([&] { return worker_.RunningTasks("gen").size() == 2; }));
  EXPECT_THAT(TaskStates(*herder_->Status("gen")), ElementsAre(State::kRunning, State::kRunning));

  // A paused connector regenerates its task configs when it runs again, not before.
  ASSERT_TRUE(herder_->Pause("gen").ok());
  worker_.SetGeneratedTasks(3);
  worker_.RequestReconfiguration("gen");
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(CommittedTaskCount("gen"), 2);
}

// KIP-618: under exactly-once no task of a new generation starts before every producer id of the
// previous one is fenced, and the round is recorded as Kafka Connect records it.
TEST_F(HerderTest, UnderExactlyOnceANewTaskGenerationStartsOnlyAfterTheZombieFencingRound) {
  worker_.mutable_config().exactly_once_source_support = config::ExactlyOnceSourceSupport::kEnabled;
  worker_.SetGeneratedTasks(3);
  StartHerder();
  CreateGenerator("gen", 3);
  auto task_count_record = [&]() -> std::optional<std::string> {
    std::optional<std::optional<std::string>> latest = config_log_.Latest(TaskCountKey("gen"));
    if (!latest || !*latest) return std::nullopt;
    return **latest;
  };
  EXPECT_EQ(task_count_record(), R"({"task-count":3})");
  std::vector<std::string> events = worker_.events();
  auto fenced = std::find(events.begin(), events.end(), "fence gen 0-2");
  ASSERT_NE(fenced, events.end()) << absl::StrJoin(events, ", ");
  EXPECT_EQ(std::find(events.begin(), fenced, "start task gen-0"), fenced)
      << "a task started before the round: " << absl::StrJoin(events, ", ");

  // tasks.max lowered (the connector asks for one task): ids 0-2 are fenced, then task 0 starts.
  worker_.ClearEvents();
  worker_.SetGeneratedTasks(1);
  worker_.RequestReconfiguration("gen");
  ASSERT_TRUE(Eventually([&] { return task_count_record() == R"({"task-count":1})"; }));
  ASSERT_TRUE(Eventually([&] { return worker_.RunningTasks("gen").size() == 1; }));
  events = worker_.events();
  fenced = std::find(events.begin(), events.end(), "fence gen 0-2");
  ASSERT_NE(fenced, events.end()) << absl::StrJoin(events, ", ");
  EXPECT_NE(std::find(fenced, events.end(), "start task gen-0"), events.end())
      << absl::StrJoin(events, ", ");
  EXPECT_EQ(std::find(events.begin(), fenced, "start task gen-0"), fenced)
      << absl::StrJoin(events, ", ");

  // The same generation started again (pause, resume): its round is recorded, none runs.
  ASSERT_TRUE(herder_->Pause("gen").ok());
  worker_.ClearEvents();
  ASSERT_TRUE(herder_->Resume("gen").ok());
  ASSERT_TRUE(Eventually([&] { return worker_.RunningTasks("gen").size() == 1; }));
  for (const std::string& e : worker_.events()) EXPECT_EQ(e.find("fence"), std::string::npos) << e;
}

TEST_F(HerderTest, TasksMaxAboveWhatTheConnectorUsesIsAWarningInItsStatus) {
  worker_.SetGeneratedTasks(1);
  StartHerder();
  CreateGenerator("gen", 3);
  ASSERT_TRUE(Eventually([&] { return worker_.RunningTasks("gen").size() == 1; }));
  absl::StatusOr<ConnectorStatusInfo> status = herder_->Status("gen");
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_THAT(status->warnings,
              ElementsAre("`tasks.max` is 3 but generator runs 1 task(s) for this config; the "
                          "others are not started"));

  // Once the connector uses them all, the warning is gone.
  worker_.SetGeneratedTasks(3);
  worker_.RequestReconfiguration("gen");
  ASSERT_TRUE(Eventually([&] { return CommittedTaskCount("gen") == 3; }));
  EXPECT_THAT(herder_->Status("gen")->warnings, IsEmpty());
}

TEST_F(HerderTest, AConfigTopicThatWillNotTakeAWriteFailsTheCallUnavailable) {
  StartHerder();
  config_log_.FailWrites(absl::DeadlineExceededError("no acks"));
  absl::StatusOr<ConnectorInfo> created =
      herder_->Create("gen", GeneratorConfig(), TargetState::kStarted);
  EXPECT_TRUE(absl::IsUnavailable(created.status())) << created.status();
  EXPECT_THAT(std::string(created.status().message()), HasSubstr("writing the config topic"));
  EXPECT_TRUE(absl::IsNotFound(herder_->Get("gen").status()));
}

}  // namespace
}  // namespace sluice::herder
