// Kafka Connect's REST API on a real worker (the admin fixture's herder on the test broker, the
// generator connector), driven by a plain HTTP client: create -> status -> pause -> resume ->
// restart -> config -> patch -> topics -> stop -> delete, each answer's status code and JSON shape as Kafka Connect gives
// them, and the gRPC API seeing the same connectors (one herder, two faces).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "runtime/rest/rest_server.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/subprocess.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

class RestApiTest : public AdminFixture {
 protected:
  void SetUp() override {
    AdminFixture::SetUp();
    if (HasFatalFailure()) return;
    config::WorkerConfig config;
    config.admin_listener = Address();
    config.rest_listener = "127.0.0.1:0";
    absl::StatusOr<std::unique_ptr<rest::RestServer>> server =
        rest::RestServer::Start(config, log_.Sink());
    ASSERT_TRUE(server.ok()) << server.status();
    rest_ = *std::move(server);
    rest_->Serve(herder_.get());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", rest_->port());
    client_->set_read_timeout(60, 0);
  }

  void TearDown() override {
    rest_.reset();  // before the herder it serves
    AdminFixture::TearDown();
  }

  struct Answer {
    int status = 0;
    std::string body;
    rapidjson::Document json;
  };

  static Answer From(const httplib::Result& result) {
    Answer out;
    EXPECT_TRUE(result) << httplib::to_string(result.error());
    if (!result) return out;
    out.status = result->status;
    out.body = result->body;
    if (!out.body.empty()) {
      out.json.Parse(out.body.c_str());
      EXPECT_FALSE(out.json.HasParseError()) << out.body;
    }
    return out;
  }
  Answer Get(const std::string& path) { return From(client_->Get(path.c_str())); }
  Answer Post(const std::string& path, const std::string& body = "") {
    return From(client_->Post(path.c_str(), body, "application/json"));
  }
  Answer Put(const std::string& path, const std::string& body = "") {
    return From(client_->Put(path.c_str(), body, "application/json"));
  }
  Answer Delete(const std::string& path) { return From(client_->Delete(path.c_str())); }

  static std::string ConfigJson(const std::map<std::string, std::string>& config) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    for (const auto& [k, v] : config) {
      w.Key(k.c_str());
      w.String(v.c_str());
    }
    w.EndObject();
    return buffer.GetString();
  }

  // True once GET .../status says the connector and every task is `state`.
  bool RestStateIs(const std::string& name, const std::string& state) {
    Answer status = Get(absl::StrCat("/connectors/", name, "/status"));
    if (status.status != 200 || !status.json.IsObject()) return false;
    if (state != status.json["connector"]["state"].GetString()) return false;
    if (status.json["tasks"].Size() == 0) return false;
    for (const auto& task : status.json["tasks"].GetArray()) {
      if (state != task["state"].GetString()) return false;
    }
    return true;
  }

  static void ExpectStatusShape(const rapidjson::Value& status, const std::string& name) {
    ASSERT_TRUE(status.IsObject());
    EXPECT_EQ(status["name"].GetString(), name);
    EXPECT_TRUE(status["connector"]["state"].IsString());
    EXPECT_STREQ(status["connector"]["worker_id"].GetString(), "test-worker:0");
    ASSERT_TRUE(status["tasks"].IsArray());
    for (const auto& task : status["tasks"].GetArray()) {
      EXPECT_TRUE(task["id"].IsInt());
      EXPECT_TRUE(task["state"].IsString());
      EXPECT_TRUE(task["worker_id"].IsString());
    }
    EXPECT_STREQ(status["type"].GetString(), "source");
  }

  static void ExpectError(const Answer& answer, int code) {
    EXPECT_EQ(answer.status, code) << answer.body;
    ASSERT_TRUE(answer.json.IsObject()) << answer.body;
    EXPECT_EQ(answer.json["error_code"].GetInt(), code);
    EXPECT_TRUE(answer.json["message"].IsString());
  }

  std::unique_ptr<rest::RestServer> rest_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(RestApiTest, AConnectorsLifeThroughTheRestApi) {
  const std::string name = prefix_ + "-gen";
  const std::string path = "/connectors/" + name;

  Answer root = Get("/");
  EXPECT_EQ(root.status, 200);
  EXPECT_TRUE(root.json["version"].IsString());
  EXPECT_TRUE(root.json["commit"].IsString());
  ASSERT_TRUE(root.json["kafka_cluster_id"].IsString()) << root.body << ": the cluster's real id";
  EXPECT_FALSE(std::string(root.json["kafka_cluster_id"].GetString()).empty());

  Answer plugins = Get("/connector-plugins");
  EXPECT_EQ(plugins.status, 200);
  ASSERT_TRUE(plugins.json.IsArray());
  bool generator = false;
  for (const auto& p : plugins.json.GetArray()) generator |= p["class"].GetString() == std::string("generator");
  EXPECT_TRUE(generator) << plugins.body;

  // create
  const std::string create = absl::StrCat(R"({"name":")", name, R"(","config":)",
                                          ConfigJson(GeneratorConfig(prefix_ + ".gen", 50)), "}");
  Answer created = Post("/connectors", create);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["name"].GetString(), name);
  EXPECT_STREQ(created.json["config"]["connector.class"].GetString(), "generator");
  EXPECT_STREQ(created.json["type"].GetString(), "source");
  ExpectError(Post("/connectors", create), 409);

  // status
  ASSERT_TRUE(Eventually([&] { return RestStateIs(name, "RUNNING"); })) << Get(path + "/status").body;
  Answer status = Get(path + "/status");
  ExpectStatusShape(status.json, name);
  Answer task = Get(path + "/tasks/0/status");
  EXPECT_EQ(task.status, 200);
  EXPECT_EQ(task.json["id"].GetInt(), 0);
  EXPECT_STREQ(task.json["state"].GetString(), "RUNNING");
  Answer listed = Get("/connectors?expand=status&expand=info");
  EXPECT_EQ(listed.status, 200);
  ASSERT_TRUE(listed.json.HasMember(name.c_str())) << listed.body;
  ExpectStatusShape(listed.json[name.c_str()]["status"], name);
  EXPECT_EQ(listed.json[name.c_str()]["info"]["name"].GetString(), name);
  // the gRPC face sees the same connector
  EXPECT_EQ(Status(name).name(), name);

  // pause, resume
  Answer paused = Put(path + "/pause");
  EXPECT_EQ(paused.status, 202);
  EXPECT_EQ(paused.body, "");
  EXPECT_TRUE(Eventually([&] { return RestStateIs(name, "PAUSED"); })) << Get(path + "/status").body;
  EXPECT_EQ(Put(path + "/resume").status, 202);
  EXPECT_TRUE(Eventually([&] { return RestStateIs(name, "RUNNING"); })) << Get(path + "/status").body;

  // restart: the connector only (204), with its tasks (202 and the status), one task (204)
  Answer restarted = Post(path + "/restart");
  EXPECT_EQ(restarted.status, 204) << restarted.body;
  Answer with_tasks = Post(path + "/restart?includeTasks=true&onlyFailed=false");
  EXPECT_EQ(with_tasks.status, 202) << with_tasks.body;
  ExpectStatusShape(with_tasks.json, name);
  EXPECT_EQ(Post(path + "/tasks/0/restart").status, 204);
  EXPECT_TRUE(Eventually([&] { return RestStateIs(name, "RUNNING"); })) << Get(path + "/status").body;

  // config
  Answer config = Get(path + "/config");
  EXPECT_EQ(config.status, 200);
  EXPECT_EQ(config.json["name"].GetString(), name);
  EXPECT_STREQ(config.json["rate.per.sec"].GetString(), "50");
  std::map<std::string, std::string> changed = GeneratorConfig(prefix_ + ".gen", 20);
  Answer put = Put(path + "/config", ConfigJson(changed));
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_STREQ(put.json["config"]["rate.per.sec"].GetString(), "20");
  EXPECT_STREQ(Get(path + "/config").json["rate.per.sec"].GetString(), "20");
  Answer tasks = Get(path + "/tasks");
  EXPECT_EQ(tasks.status, 200);
  ASSERT_TRUE(tasks.json.IsArray()) << tasks.body;
  ASSERT_GE(tasks.json.Size(), 1u) << tasks.body;
  EXPECT_EQ(tasks.json[0]["id"]["connector"].GetString(), name);
  EXPECT_TRUE(tasks.json[0]["config"].IsObject());
  changed["tasks.max"] = "zero";
  ExpectError(Put(path + "/config", ConfigJson(changed)), 400);

  Answer verdict = Put("/connector-plugins/generator/config/validate", ConfigJson(changed));
  EXPECT_EQ(verdict.status, 200) << verdict.body;
  EXPECT_GE(verdict.json["error_count"].GetInt(), 1);

  // patch, topics, stop
  Answer patched = From(client_->Patch(absl::StrCat(path, "/config").c_str(),
                                       R"({"rate.per.sec":"30"})", "application/json"));
  EXPECT_EQ(patched.status, 200) << patched.body;
  EXPECT_STREQ(patched.json["config"]["rate.per.sec"].GetString(), "30");
  EXPECT_TRUE(Eventually([&] {
    Answer topics = Get(path + "/topics");
    return topics.status == 200 && topics.json[name.c_str()]["topics"].Size() == 1;
  })) << Get(path + "/topics").body;
  Answer stopped = Put(path + "/stop");
  EXPECT_EQ(stopped.status, 204) << stopped.body;
  EXPECT_TRUE(Eventually([&] {
    Answer s = Get(path + "/status");
    return s.status == 200 && s.json["connector"]["state"].GetString() == std::string("STOPPED");
  })) << Get(path + "/status").body;

  // delete
  Answer deleted = Delete(path);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  ExpectError(Get(path), 404);
  ExpectError(Get(path + "/status"), 404);
  ExpectError(Delete(path), 404);
  EXPECT_EQ(Get("/connectors").body, "[]");
}

// KIP-875's offsets through REST and through gRPC are one herder's: what one face writes the
// other reads, and the STOPPED rule holds on both.
TEST_F(RestApiTest, OffsetsThroughEitherFaceAreTheSame) {
  const std::string name = prefix_ + "-offsets";
  const std::string path = "/connectors/" + name + "/offsets";
  const std::string topic = prefix_ + ".offsets";
  Answer created = Post("/connectors", absl::StrCat(R"({"name":")", name, R"(","config":)",
                                                    ConfigJson(GeneratorConfig(topic, 0, 20)), "}"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string partition = absl::StrCat(R"({"generator":")", topic, R"(","task":0})");
  EXPECT_TRUE(Eventually([&] {
    return Get(path).body ==
           absl::StrCat(R"({"offsets":[{"partition":)", partition, R"(,"offset":{"seq":19}}]})");
  })) << Get(path).body;
  pb::ConnectorOffsets grpc_offsets;
  ASSERT_TRUE(stub_->GetOffsets(Ctx().get(), Ref(name), &grpc_offsets).ok());
  ASSERT_EQ(grpc_offsets.offsets_size(), 1);
  EXPECT_EQ(grpc_offsets.offsets(0).partition_json(), partition);
  EXPECT_EQ(grpc_offsets.offsets(0).offset_json(), R"({"seq":19})");

  const std::string patch =
      absl::StrCat(R"({"offsets":[{"partition":)", partition, R"(,"offset":{"seq":9}}]})");
  Answer running = From(client_->Patch(path.c_str(), patch, "application/json"));
  ExpectError(running, 400);
  EXPECT_THAT(running.body, HasSubstr("must be in the STOPPED state"));
  pb::ConnectorStatus s;
  ASSERT_TRUE(stub_->StopConnector(Ctx().get(), Ref(name), &s).ok());
  // In a cluster (the default) the stopped connector's tasks commit for a moment longer: 409
  // (retry) until they did, as Kafka Connect's clients retry it.
  Answer altered = From(client_->Patch(path.c_str(), patch, "application/json"));
  for (int attempt = 0; altered.status == 409 && attempt < 100; ++attempt) {
    absl::SleepFor(absl::Milliseconds(100));
    altered = From(client_->Patch(path.c_str(), patch, "application/json"));
  }
  EXPECT_EQ(altered.status, 200) << altered.body;
  grpc_offsets.Clear();
  ASSERT_TRUE(stub_->GetOffsets(Ctx().get(), Ref(name), &grpc_offsets).ok());
  ASSERT_EQ(grpc_offsets.offsets_size(), 1);
  EXPECT_EQ(grpc_offsets.offsets(0).offset_json(), R"({"seq":9})");
  pb::AlterOffsetsResponse reset;
  ASSERT_TRUE(stub_->ResetOffsets(Ctx().get(), Ref(name), &reset).ok());
  EXPECT_EQ(Get(path).body, R"({"offsets":[]})");
  ExpectError(Delete("/connectors/" + prefix_ + "-none/offsets"), 404);
}

// The real binary: `sluice worker` with `listeners` serves the REST API next to the admin API, and
// stops cleanly on SIGTERM.
TEST(SluiceWorkerBinaryRest, ServesTheRestApiOnListeners) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string prefix = UniqueName("restbin");
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", prefix);
  std::filesystem::create_directories(dir);
  const int rest_port = FreePort();
  const std::string bin = absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice");
  std::ofstream(dir + "/worker.properties")
      << WorkerProperties(prefix, KafkaBootstrap(), absl::StrCat("127.0.0.1:", FreePort()))
      << "listeners=http://127.0.0.1:" << rest_port << "\n";
  const std::string log = dir + "/worker.log";
  Subprocess worker({bin, "worker", "--config", dir + "/worker.properties"}, log);
  httplib::Client client("127.0.0.1", rest_port);
  ASSERT_TRUE(Eventually([&] {
    httplib::Result listed = client.Get("/connectors");
    return (listed && listed->status == 200) || !worker.running();
  })) << ReadFileForMessage(log);
  ASSERT_TRUE(worker.running()) << ReadFileForMessage(log);
  EXPECT_THAT(ReadFileForMessage(log),
              HasSubstr(absl::StrCat("REST API on http://127.0.0.1:", rest_port)));
  httplib::Result created = client.Post(
      "/connectors",
      absl::StrCat(R"({"name":"gen","config":{"connector.class":"generator","topic":")", prefix,
                   R"(.gen","rate.per.sec":"50"}})"),
      "application/json");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;
  httplib::Result listed = client.Get("/connectors");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->body, R"(["gen"])");
  worker.Signal(SIGTERM);
  EXPECT_EQ(worker.Wait(absl::Seconds(30)), 0) << ReadFileForMessage(log);
}

}  // namespace
}  // namespace sluice::testing
