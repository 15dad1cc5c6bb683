// Every admin RPC against a real worker and broker: happy paths, error codes, Kafka Connect's
// records in the config and status topics, state across a restart, pause/resume, offsets, secrets.
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "runtime/kafka/compacted_topic.h"
#include "sluice/connector.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

// The config topic as key -> last value ("<tombstone>" for null), plus every raw byte seen.
std::map<std::string, std::string> ConfigTopic(const std::string& topic,
                                               std::string* all_bytes = nullptr) {
  std::map<std::string, std::string> out;
  absl::StatusOr<std::vector<ConsumedRecord>> records = ReadWholeTopic(KafkaBootstrap(), topic);
  EXPECT_TRUE(records.ok()) << records.status();
  if (!records.ok()) return out;
  for (const ConsumedRecord& r : *records) {
    out[r.key.value_or("")] = r.value.value_or("<tombstone>");
    if (all_bytes != nullptr)
      absl::StrAppend(all_bytes, r.key.value_or(""), "=", r.value.value_or(""), "\n");
  }
  return out;
}

// The status topic's value for `key` once it contains `wanted` (status records are produced as
// states change and may land a moment after the API answers), or its last value after 30 s.
std::string StatusRecordEventually(const std::string& topic, const std::string& key,
                                   const std::string& wanted) {
  std::string value;
  for (int attempt = 0; attempt < 100; ++attempt) {
    value = ConfigTopic(topic)[key];
    if (absl::StrContains(value, wanted)) break;
    absl::SleepFor(absl::Milliseconds(300));
  }
  return value;
}

TEST_F(AdminFixture, CreateGetListAndTheirErrorCodes) {
  const std::string name = prefix_ + "-c";
  pb::Connector created;
  grpc::Status status =
      Create(name, GeneratorConfig(prefix_ + ".data"), pb::TARGET_STATE_STARTED, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.name(), name);
  EXPECT_EQ(created.config().at("name"), name)
      << "the name is part of the stored config, as in Kafka Connect";
  EXPECT_EQ(created.target_state(), pb::TARGET_STATE_STARTED);
  ASSERT_TRUE(WaitForState(name, "RUNNING"));
  // In a cluster (the default) the task is assigned in the epoch after its connector's.
  EXPECT_TRUE(Eventually([&] { return Status(name).tasks_size() == 1; }, absl::Seconds(30)));
  EXPECT_EQ(Status(name).worker_id(), "test-worker:0");
  EXPECT_EQ(Status(name).type(), "source");

  pb::Connector got;
  ASSERT_TRUE(stub_->GetConnector(Ctx().get(), Ref(name), &got).ok());
  EXPECT_EQ(got.config().at("topic"), prefix_ + ".data");
  EXPECT_EQ(got.task_count(), 1);
  pb::ListConnectorsResponse list;
  ASSERT_TRUE(stub_->ListConnectors(Ctx().get(), pb::ListConnectorsRequest(), &list).ok());
  ASSERT_EQ(list.connectors_size(), 1);
  EXPECT_EQ(list.connectors(0).status().state_name(), "RUNNING");

  EXPECT_EQ(Create(name, GeneratorConfig("x")).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(stub_->GetConnector(Ctx().get(), Ref("nope"), &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  pb::ConnectorStatus s;
  EXPECT_EQ(stub_->GetConnectorStatus(Ctx().get(), Ref("nope"), &s).error_code(),
            grpc::StatusCode::NOT_FOUND);

  auto bad = GeneratorConfig("x");
  bad["batch.size"] = "lots";
  bad.erase("topic");
  status = Create(prefix_ + "-bad", bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("`batch.size`"));
  EXPECT_THAT(status.error_message(), HasSubstr("`topic`"));
  status = Create(prefix_ + "-unknown", {{"connector.class", "nosuchplugin"}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("`connector.class`"));
  EXPECT_EQ(Create("", GeneratorConfig("x")).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(stub_->ListConnectors(Ctx().get(), pb::ListConnectorsRequest(), &list).ok());
  EXPECT_EQ(list.connectors_size(), 1) << "refused creates store nothing";
}

TEST_F(AdminFixture, ConfigAndStatusTopicsHoldKafkaConnectsRecords) {
  const std::string name = prefix_ + "-c";
  ASSERT_TRUE(Create(name, GeneratorConfig(prefix_ + ".data")).ok());
  ASSERT_TRUE(WaitForState(name, "RUNNING"));
  std::map<std::string, std::string> configs = ConfigTopic(prefix_ + ".configs");
  EXPECT_EQ(configs["target-state-" + name], R"({"state":"STARTED","state.v2":"STARTED"})");
  EXPECT_THAT(configs["connector-" + name], HasSubstr(R"({"properties":{"name":")" + name + "\""));
  EXPECT_THAT(configs["task-" + name + "-0"], HasSubstr(R"("task.id":"0")"));
  EXPECT_EQ(configs["commit-" + name], R"({"tasks":1})");

  // Status records are written as states change; under load they may land a moment after the
  // API reports the state, so read until both are there (30 s at most).
  std::map<std::string, std::string> statuses;
  for (int attempt = 0; attempt < 100; ++attempt) {
    statuses = ConfigTopic(prefix_ + ".status");
    if (statuses.contains("status-connector-" + name) &&
        statuses.contains("status-task-" + name + "-0")) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(300));
  }
  // Kafka Connect's shape; the generation is the cluster's assignment epoch the writer ran in.
  EXPECT_THAT(
      statuses["status-connector-" + name],
      MatchesRegex(
          R"(\{"state":"RUNNING","trace":null,"worker_id":"test-worker:0","generation":[1-9][0-9]*\})"));
  EXPECT_THAT(
      statuses["status-task-" + name + "-0"],
      MatchesRegex(
          R"(\{"state":"RUNNING","trace":null,"worker_id":"test-worker:0","generation":[1-9][0-9]*\})"));

  // Stop: target state STOPPED (PAUSED for older readers) and emptied task configs (KIP-875).
  ASSERT_TRUE(Eventually([&] { return !Seqs(prefix_ + ".data").empty(); }));
  pb::ConnectorStatus s;
  ASSERT_TRUE(stub_->StopConnector(Ctx().get(), Ref(name), &s).ok());
  EXPECT_EQ(s.state_name(), "STOPPED");
  configs = ConfigTopic(prefix_ + ".configs");
  EXPECT_EQ(configs["target-state-" + name], R"({"state":"PAUSED","state.v2":"STOPPED"})");
  EXPECT_EQ(configs["commit-" + name], R"({"tasks":0})");

  // Topics the connector wrote to: in the API and as Kafka Connect's status-topic records.
  pb::ConnectorTopics topics;
  ASSERT_TRUE(stub_->GetConnectorTopics(Ctx().get(), Ref(name), &topics).ok());
  ASSERT_EQ(topics.topics_size(), 1);
  EXPECT_EQ(topics.topics(0), prefix_ + ".data");
  const std::string topic_record_start =
      R"({"topic":{"name":")" + prefix_ + ".data\",\"connector\":\"" + name + "\",\"task\":0,";
  EXPECT_THAT(StatusRecordEventually(prefix_ + ".status",
                                     "status-topic-" + prefix_ + ".data:connector-" + name,
                                     topic_record_start),
              HasSubstr(topic_record_start));
  EXPECT_EQ(stub_->GetConnectorTopics(Ctx().get(), Ref("nope"), &topics).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(stub_->ResetConnectorTopics(Ctx().get(), Ref(name), &topics).ok());
  EXPECT_EQ(topics.topics_size(), 0);
  EXPECT_EQ(StatusRecordEventually(prefix_ + ".status",
                                   "status-topic-" + prefix_ + ".data:connector-" + name,
                                   "<tombstone>"),
            "<tombstone>");
  EXPECT_EQ(stub_->ResetConnectorTopics(Ctx().get(), Ref("nope"), &topics).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Delete: tombstones for the connector, its target state and its statuses.
  pb::DeleteConnectorResponse deleted;
  ASSERT_TRUE(stub_->DeleteConnector(Ctx().get(), Ref(name), &deleted).ok());
  configs = ConfigTopic(prefix_ + ".configs");
  EXPECT_EQ(configs["connector-" + name], "<tombstone>");
  EXPECT_EQ(configs["target-state-" + name], "<tombstone>");
  EXPECT_EQ(StatusRecordEventually(prefix_ + ".status", "status-connector-" + name, "<tombstone>"),
            "<tombstone>");
  pb::Connector got;
  EXPECT_EQ(stub_->GetConnector(Ctx().get(), Ref(name), &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(stub_->DeleteConnector(Ctx().get(), Ref(name), &deleted).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AdminFixture, EveryConnectorComesBackInItsTargetStateAfterARestart) {
  ASSERT_TRUE(Create(prefix_ + "-run", GeneratorConfig(prefix_ + ".run")).ok());
  ASSERT_TRUE(
      Create(prefix_ + "-pause", GeneratorConfig(prefix_ + ".pause"), pb::TARGET_STATE_PAUSED)
          .ok());
  ASSERT_TRUE(
      Create(prefix_ + "-stop", GeneratorConfig(prefix_ + ".stop"), pb::TARGET_STATE_STOPPED).ok());
  ASSERT_TRUE(WaitForState(prefix_ + "-run", "RUNNING"));
  EXPECT_EQ(Status(prefix_ + "-pause").state_name(), "PAUSED");
  EXPECT_EQ(Status(prefix_ + "-stop").state_name(), "STOPPED");
  EXPECT_TRUE(Seqs(prefix_ + ".pause").empty()) << "created PAUSED: nothing produced";
  EXPECT_TRUE(Seqs(prefix_ + ".stop").empty()) << "created STOPPED: nothing produced";

  StartWorker();  // a new worker on the same topics
  ASSERT_TRUE(WaitForState(prefix_ + "-run", "RUNNING"));
  EXPECT_TRUE(WaitForState(prefix_ + "-pause", "PAUSED"));
  EXPECT_EQ(Status(prefix_ + "-stop").state_name(), "STOPPED");
  EXPECT_EQ(Status(prefix_ + "-stop").tasks_size(), 0);
  pb::Connector got;
  ASSERT_TRUE(stub_->GetConnector(Ctx().get(), Ref(prefix_ + "-pause"), &got).ok());
  EXPECT_EQ(got.target_state(), pb::TARGET_STATE_PAUSED);
  EXPECT_EQ(got.config().at("topic"), prefix_ + ".pause");
  const size_t before = Seqs(prefix_ + ".run").size();
  EXPECT_TRUE(Eventually([&] { return Seqs(prefix_ + ".run").size() > before; }))
      << "the running one produces";
}

TEST_F(AdminFixture, PauseStopsProductionAndResumeContinuesWithNothingLost) {
  const std::string name = prefix_ + "-c";
  const std::string topic = prefix_ + ".data";
  ASSERT_TRUE(Create(name, GeneratorConfig(topic, /*rate=*/300)).ok());
  ASSERT_TRUE(Eventually([&] { return Seqs(topic).size() >= 100; }));
  pb::ConnectorStatus s;
  ASSERT_TRUE(stub_->PauseConnector(Ctx().get(), Ref(name), &s).ok());
  EXPECT_EQ(s.state_name(), "PAUSED");
  ASSERT_EQ(s.tasks_size(), 1);
  EXPECT_EQ(s.tasks(0).state_name(), "PAUSED");
  const size_t paused_at = Seqs(topic).size();
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(Seqs(topic).size(), paused_at) << "a paused connector produces nothing";

  ASSERT_TRUE(stub_->ResumeConnector(Ctx().get(), Ref(name), &s).ok());
  EXPECT_EQ(s.state_name(), "RUNNING");
  ASSERT_TRUE(Eventually([&] { return Seqs(topic).size() >= paused_at + 200; }));
  ASSERT_TRUE(stub_->PauseConnector(Ctx().get(), Ref(name), &s).ok());
  std::vector<int64_t> seqs = Seqs(topic);
  std::set<int64_t> unique(seqs.begin(), seqs.end());
  ASSERT_FALSE(unique.empty());
  EXPECT_EQ(*unique.begin(), 0);
  EXPECT_EQ(static_cast<int64_t>(unique.size()), *unique.rbegin() + 1)
      << "no sequence number is missing";
  EXPECT_EQ(unique.size(), seqs.size()) << "pause commits what was sent, so resume repeats nothing";

  EXPECT_EQ(stub_->PauseConnector(Ctx().get(), Ref("nope"), &s).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(stub_->ResumeConnector(Ctx().get(), Ref("nope"), &s).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(stub_->StopConnector(Ctx().get(), Ref("nope"), &s).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AdminFixture, OffsetsChangeOnlyWhileStoppedAndAResetStartsOver) {
  const std::string name = prefix_ + "-c";
  const std::string topic = prefix_ + ".data";
  ASSERT_TRUE(Create(name, GeneratorConfig(topic, /*rate=*/0, /*max_records=*/50)).ok());
  pb::ConnectorOffsets offsets;
  ASSERT_TRUE(Eventually([&] {
    offsets.Clear();
    return stub_->GetOffsets(Ctx().get(), Ref(name), &offsets).ok() &&
           offsets.offsets_size() == 1 && offsets.offsets(0).offset_json() == R"({"seq":49})";
  })) << offsets.DebugString();
  EXPECT_EQ(offsets.offsets(0).partition_json(),
            absl::StrCat(R"({"generator":")", topic, R"(","task":0})"));

  pb::AlterOffsetsResponse altered;
  EXPECT_EQ(stub_->ResetOffsets(Ctx().get(), Ref(name), &altered).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  pb::AlterOffsetsRequest alter;
  alter.set_name(name);
  alter.add_offsets()->set_partition_json(offsets.offsets(0).partition_json());
  alter.mutable_offsets(0)->set_offset_json(R"({"seq":9})");
  grpc::Status status = stub_->AlterOffsets(Ctx().get(), alter, &altered);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("STOPPED"));
  pb::ConnectorStatus s;
  ASSERT_TRUE(stub_->PauseConnector(Ctx().get(), Ref(name), &s).ok());
  EXPECT_EQ(stub_->AlterOffsets(Ctx().get(), alter, &altered).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "PAUSED is not STOPPED";

  ASSERT_TRUE(stub_->StopConnector(Ctx().get(), Ref(name), &s).ok());
  ASSERT_TRUE(UntilNotAborted([&] { return stub_->AlterOffsets(Ctx().get(), alter, &altered); })
                  .ok());
  ASSERT_TRUE(stub_->GetOffsets(Ctx().get(), Ref(name), &offsets).ok());
  EXPECT_EQ(offsets.offsets(0).offset_json(), R"({"seq":9})");
  ASSERT_TRUE(stub_->ResetOffsets(Ctx().get(), Ref(name), &altered).ok());
  offsets.Clear();
  ASSERT_TRUE(stub_->GetOffsets(Ctx().get(), Ref(name), &offsets).ok());
  EXPECT_EQ(offsets.offsets_size(), 0);

  ASSERT_TRUE(stub_->ResumeConnector(Ctx().get(), Ref(name), &s).ok());
  ASSERT_TRUE(Eventually([&] { return Seqs(topic).size() >= 100; }));
  std::vector<int64_t> seqs = Seqs(topic);
  EXPECT_EQ(std::count(seqs.begin(), seqs.end(), 0), 2)
      << "after a reset the connector starts over from seq 0";

  alter.mutable_offsets(0)->set_partition_json("not json");
  EXPECT_EQ(stub_->AlterOffsets(Ctx().get(), alter, &altered).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  alter.set_name("nope");
  alter.mutable_offsets(0)->set_partition_json("{}");
  EXPECT_EQ(stub_->AlterOffsets(Ctx().get(), alter, &altered).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(stub_->GetOffsets(Ctx().get(), Ref("nope"), &offsets).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AdminFixture, RestartsAndAFailedTaskWithItsTrace) {
  const std::string name = prefix_ + "-fails";
  auto config = GeneratorConfig(prefix_ + ".data", /*rate=*/0);
  config["fail.on.poll"] = "3";
  ASSERT_TRUE(Create(name, config).ok());
  ASSERT_TRUE(Eventually([&] {
    pb::ConnectorStatus s = Status(name);
    return s.tasks_size() == 1 && s.tasks(0).state_name() == "FAILED";
  }));
  pb::ConnectorStatus s = Status(name);
  EXPECT_EQ(s.state_name(), "RUNNING") << "the connector runs; its task failed";
  EXPECT_FALSE(s.tasks(0).trace().empty());

  pb::RestartConnectorRequest restart;
  restart.set_name(name);
  restart.set_include_tasks(true);
  restart.set_only_failed(true);
  ASSERT_TRUE(stub_->RestartConnector(Ctx().get(), restart, &s).ok());
  ASSERT_EQ(s.tasks_size(), 1);
  EXPECT_THAT(s.tasks(0).state_name(), Not("FAILED")) << "restarted (it fails again after 3 polls)";

  pb::TaskRef task;
  task.set_connector(name);
  task.set_task(0);
  ASSERT_TRUE(stub_->RestartTask(Ctx().get(), task, &s).ok());
  task.set_task(5);
  EXPECT_EQ(stub_->RestartTask(Ctx().get(), task, &s).error_code(), grpc::StatusCode::NOT_FOUND);
  restart.set_only_failed(false);
  ASSERT_TRUE(stub_->RestartConnector(Ctx().get(), restart, &s).ok());
  EXPECT_EQ(s.state_name(), "RUNNING");

  ASSERT_TRUE(stub_->StopConnector(Ctx().get(), Ref(name), &s).ok());
  EXPECT_EQ(stub_->RestartConnector(Ctx().get(), restart, &s).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  task.set_task(0);
  EXPECT_EQ(stub_->RestartTask(Ctx().get(), task, &s).error_code(), grpc::StatusCode::NOT_FOUND)
      << "a stopped connector has no tasks";
  restart.set_name("nope");
  EXPECT_EQ(stub_->RestartConnector(Ctx().get(), restart, &s).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(AdminFixture, ReplaceAndPatchConfig) {
  const std::string name = prefix_ + "-c";
  ASSERT_TRUE(Create(name, GeneratorConfig(prefix_ + ".a")).ok());
  pb::PatchConnectorConfigRequest patch;
  patch.set_name(name);
  (*patch.mutable_set())["topic"] = prefix_ + ".b";
  patch.add_remove("max.records");
  pb::Connector got;
  ASSERT_TRUE(stub_->PatchConnectorConfig(Ctx().get(), patch, &got).ok());
  EXPECT_EQ(got.config().at("topic"), prefix_ + ".b");
  EXPECT_FALSE(got.config().contains("max.records"));
  EXPECT_EQ(got.config().at("connector.class"), "generator") << "untouched keys stay";
  EXPECT_TRUE(Eventually([&] { return !Seqs(prefix_ + ".b").empty(); }))
      << "the new config applies";

  (*patch.mutable_set())["batch.size"] = "many";
  grpc::Status status = stub_->PatchConnectorConfig(Ctx().get(), patch, &got);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("`batch.size`"));
  patch.set_name("nope");
  EXPECT_EQ(stub_->PatchConnectorConfig(Ctx().get(), patch, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);

  pb::PutConnectorConfigRequest put;
  put.set_name(name);
  for (const auto& [k, v] : GeneratorConfig(prefix_ + ".c")) (*put.mutable_config())[k] = v;
  pb::PutConnectorConfigResponse replaced;
  ASSERT_TRUE(stub_->PutConnectorConfig(Ctx().get(), put, &replaced).ok());
  EXPECT_FALSE(replaced.created());
  EXPECT_EQ(replaced.connector().config().at("topic"), prefix_ + ".c");
  put.set_name(prefix_ + "-new");
  ASSERT_TRUE(stub_->PutConnectorConfig(Ctx().get(), put, &replaced).ok());
  EXPECT_TRUE(replaced.created()) << "PUT creates a missing connector, as in Kafka Connect";
  (*put.mutable_config())["name"] = "other";
  EXPECT_EQ(stub_->PutConnectorConfig(Ctx().get(), put, &replaced).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(AdminFixture, PluginsValidateAndWorkerInfo) {
  pb::ListPluginsResponse plugins;
  ASSERT_TRUE(stub_->ListPlugins(Ctx().get(), pb::ListPluginsRequest(), &plugins).ok());
  // The plugin directory holds every connector the build makes; look at the example one.
  const pb::Plugin* found = nullptr;
  const pb::Plugin* mysql = nullptr;
  for (const pb::Plugin& plugin : plugins.plugins()) {
    if (plugin.name() == "generator") found = &plugin;
    if (plugin.name() == "mysql") mysql = &plugin;
  }
  ASSERT_NE(found, nullptr) << plugins.DebugString();
  ASSERT_NE(mysql, nullptr) << plugins.DebugString();
  EXPECT_THAT(mysql->aliases(), ::testing::Contains("io.debezium.connector.mysql.MySqlConnector"));
  const pb::Plugin& generator = *found;
  EXPECT_EQ(generator.abi_version(), absl::StrCat(SLUICE_ABI_MAJOR, ".", SLUICE_ABI_MINOR));
  EXPECT_THAT(generator.file(), HasSubstr("sluice_generator.so"));
  bool topic_required = false;
  for (const pb::ConfigKey& key : generator.config()) {
    if (key.name() == "topic") topic_required = key.required() && key.type() == "STRING";
  }
  EXPECT_TRUE(topic_required);

  pb::ValidateConfigRequest validate;
  (*validate.mutable_config())["connector.class"] = "generator";
  (*validate.mutable_config())["batch.size"] = "x";
  (*validate.mutable_config())["tasks.max"] = "0";
  pb::ValidateConfigResponse verdict;
  ASSERT_TRUE(stub_->ValidateConfig(Ctx().get(), validate, &verdict).ok());
  EXPECT_EQ(verdict.plugin(), "generator");
  EXPECT_EQ(verdict.error_count(), 3);
  std::map<std::string, int> errors;
  for (const pb::ConfigValueResult& v : verdict.values()) errors[v.name()] = v.errors_size();
  EXPECT_EQ(errors["batch.size"], 1);
  EXPECT_EQ(errors["tasks.max"], 1);
  EXPECT_EQ(errors["topic"], 1);
  EXPECT_EQ(errors["connector.class"], 0);

  pb::WorkerInfo info;
  ASSERT_TRUE(stub_->GetWorkerInfo(Ctx().get(), pb::GetWorkerInfoRequest(), &info).ok());
  EXPECT_EQ(info.abi_major(), 1u);
  EXPECT_EQ(info.worker_id(), "test-worker:0");
}

// grpc.health.v1.Health/Check and grpc.reflection.v1alpha.ServerReflection, spoken as raw bytes so
// the test needs neither .proto: that is what grpcurl relies on.
TEST_F(AdminFixture, HealthCheckingAndServerReflectionAreServed) {
  auto channel = grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials());
  grpc::GenericStub generic(channel);
  grpc::Slice no_bytes(std::string{});
  grpc::ByteBuffer request(&no_bytes, 1);  // HealthCheckRequest{service: ""} is zero bytes
  grpc::ByteBuffer response;
  grpc::ClientContext context;
  absl::Mutex mu;
  bool done = false;
  grpc::Status status;
  generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                    &response, [&](grpc::Status s) {
                      absl::MutexLock lock(&mu);
                      status = s;
                      done = true;
                    });
  {
    absl::MutexLock lock(&mu);
    mu.Await(absl::Condition(&done));
  }
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2)) << "status: SERVING";

  // ServerReflectionRequest{list_services: ""} (field 7) over the bidi stream.
  grpc::CompletionQueue cq;
  grpc::ClientContext reflection_context;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call = generic.PrepareCall(
      &reflection_context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag = nullptr;
  bool ok = false;
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  const std::string list_services("\x3a\x00", 2);
  grpc::Slice slice(list_services);
  grpc::ByteBuffer out(&slice, 1);
  call->Write(out, reinterpret_cast<void*>(2));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  grpc::ByteBuffer in;
  call->Read(&in, reinterpret_cast<void*>(3));
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);
  slices.clear();
  ASSERT_TRUE(in.Dump(&slices).ok());
  bytes.clear();
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_THAT(bytes, HasSubstr("sluice.admin.v1.Admin"));
  EXPECT_THAT(bytes, HasSubstr("grpc.health.v1.Health"));
  reflection_context.TryCancel();
  call->Finish(&status, reinterpret_cast<void*>(4));
  while (cq.Next(&tag, &ok) && tag != reinterpret_cast<void*>(4)) {
  }
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

TEST_F(AdminFixture, WatchStreamsStatusChangesAndTaskThroughput) {
  const std::string name = prefix_ + "-c";
  ASSERT_TRUE(Create(name, GeneratorConfig(prefix_ + ".data", /*rate=*/200)).ok());
  grpc::ClientContext context;
  pb::WatchRequest request;
  request.add_connectors(name);
  std::unique_ptr<grpc::ClientReader<pb::WatchEvent>> reader = stub_->Watch(&context, request);
  bool saw_running = false, saw_paused = false, saw_metrics = false, saw_progress = false;
  std::thread pauser([&] {
    absl::SleepFor(absl::Seconds(3));
    pb::ConnectorStatus s;
    grpc::ClientContext c;
    (void)stub_->PauseConnector(&c, Ref(name), &s);
  });
  pb::WatchEvent event;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline && !(saw_running && saw_paused && saw_metrics && saw_progress) &&
         reader->Read(&event)) {
    if (event.has_connector_status()) {
      EXPECT_EQ(event.connector_status().name(), name);
      saw_running |= event.connector_status().state_name() == "RUNNING";
      saw_paused |= event.connector_status().state_name() == "PAUSED";
    }
    if (event.has_connector_progress() && event.connector_progress().offsets_size() == 1) {
      saw_progress = true;
      EXPECT_FALSE(event.connector_progress().snapshot_running());
      EXPECT_THAT(event.connector_progress().offsets(0).offset_json(), HasSubstr("\"seq\":"));
    }
    if (event.has_task_metrics() && event.task_metrics().records_sent() > 0) {
      saw_metrics = true;
      EXPECT_GE(event.task_metrics().records_per_second(), 0);
    }
  }
  context.TryCancel();
  pauser.join();
  EXPECT_TRUE(saw_running);
  EXPECT_TRUE(saw_paused);
  EXPECT_TRUE(saw_metrics);
  EXPECT_TRUE(saw_progress) << "committed offsets are the connector's progress";
  EXPECT_EQ(Status(name).offsets_size(), 1) << "and the status shows them too";
}

// A canary secret, given as a reference and as a literal, is resolved for the task but never
// appears in a response, a status, the log or the config topic.
TEST_F(AdminFixture, ACanarySecretNeverAppearsInResponsesLogsOrTheConfigTopic) {
  const std::string env_canary = "env-canary-" + prefix_;
  const std::string literal_canary = "literal-canary-" + prefix_;
  ::setenv("SLUICE_ADMIN_TEST_CANARY", env_canary.c_str(), 1);
  const std::string name = prefix_ + "-c";
  auto config = GeneratorConfig(prefix_ + ".data");
  config["database.password"] = "${env:SLUICE_ADMIN_TEST_CANARY}";
  config["schema.registry.password"] = literal_canary;
  pb::Connector created;
  grpc::Status status = Create(name, config, pb::TARGET_STATE_STARTED, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(WaitForState(name, "RUNNING"));
  EXPECT_EQ(created.config().at("database.password"), "${env:SLUICE_ADMIN_TEST_CANARY}")
      << "a reference is shown as written";
  EXPECT_THAT(created.config().at("schema.registry.password"), HasSubstr("${file:"))
      << "a literal secret is kept by the worker; a reference is stored";

  std::string responses = created.DebugString();
  pb::Connector got;
  ASSERT_TRUE(stub_->GetConnector(Ctx().get(), Ref(name), &got).ok());
  pb::ListConnectorsResponse list;
  ASSERT_TRUE(stub_->ListConnectors(Ctx().get(), pb::ListConnectorsRequest(), &list).ok());
  pb::ValidateConfigRequest validate;
  for (const auto& [k, v] : config) (*validate.mutable_config())[k] = v;
  pb::ValidateConfigResponse verdict;
  ASSERT_TRUE(stub_->ValidateConfig(Ctx().get(), validate, &verdict).ok());
  absl::StrAppend(&responses, got.DebugString(), list.DebugString(), verdict.DebugString(),
                  Status(name).DebugString());
  std::string topic_bytes;
  ConfigTopic(prefix_ + ".configs", &topic_bytes);
  ConfigTopic(prefix_ + ".status", &topic_bytes);
  for (const std::string& canary : {env_canary, literal_canary}) {
    EXPECT_THAT(responses, Not(HasSubstr(canary)));
    EXPECT_THAT(topic_bytes, Not(HasSubstr(canary)));
    EXPECT_THAT(log_.Text(), Not(HasSubstr(canary)));
  }
  EXPECT_THAT(topic_bytes, HasSubstr("${env:SLUICE_ADMIN_TEST_CANARY}"));
  // The connector started with resolved values and copied them into its task config; what is
  // stored is the references again.
  const std::string task_record = ConfigTopic(prefix_ + ".configs")["task-" + name + "-0"];
  EXPECT_THAT(task_record, HasSubstr(R"("database.password":"${env:SLUICE_ADMIN_TEST_CANARY}")"));
  EXPECT_THAT(task_record, HasSubstr(R"("schema.registry.password":"${file:)"));

  // The literal lives only in the worker's private file.
  const std::string secrets_file = directory_ + "/secrets/" + name + ".properties";
  struct stat st;
  ASSERT_EQ(::stat(secrets_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST_F(AdminFixture, WithoutASecretsDirALiteralSecretIsRefused) {
  with_secrets_dir_ = false;
  StartWorker();
  auto config = GeneratorConfig(prefix_ + ".data");
  config["database.password"] = "literal-canary-" + prefix_;
  grpc::Status status = Create(prefix_ + "-c", config);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("`database.password`"));
  EXPECT_THAT(status.error_message(), Not(HasSubstr("literal-canary")));
  config["database.password"] = "${env:HOME}";
  EXPECT_TRUE(Create(prefix_ + "-c", config).ok()) << "a reference is fine";
}

// The config and status topics' writes and reads when no broker answers in time: errors the
// herder turns into UNAVAILABLE, never a hang.
TEST(CompactedTopicWithoutABroker, WritesAndReadsFailInTime) {
  absl::StatusOr<std::unique_ptr<kafka::CompactedTopic>> log =
      kafka::CompactedTopic::Create({"127.0.0.1:1", "nowhere.configs", {}, {}, "sluice-test"});
  ASSERT_TRUE(log.ok()) << log.status();
  const absl::Time start = absl::Now();
  absl::Status write = (*log)->Write({{"connector-x", std::string("{}")}}, absl::Seconds(2));
  EXPECT_EQ(write.code(), absl::StatusCode::kDeadlineExceeded) << write;
  absl::Status read = (*log)->ReadToEnd([](auto, auto) {}, absl::Seconds(2));
  EXPECT_FALSE(read.ok());
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
}

}  // namespace
}  // namespace sluice::testing
