// The REST router against a real herder on the herder tests' fakes: each path's method, status
// code and body shape as Kafka Connect answers them, and the errors (404, 405, 409, 400).
#include "runtime/rest/rest_router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "rapidjson/document.h"
#include "tests/unit/herder/fake_topic_log.h"
#include "tests/unit/herder/fake_worker.h"

namespace sluice::rest {
namespace {

using ::testing::HasSubstr;

constexpr char kCreate[] =
    R"({"name":"orders","config":{"connector.class":"generator","topic":"orders","tasks.max":"2"}})";

class RestRouterTest : public ::testing::Test {
 protected:
  static herder::HerderOptions Options() {
    herder::HerderOptions options;
    options.worker_id = "test-worker:0";
    options.tick = absl::Milliseconds(10);
    options.metrics_interval = absl::Milliseconds(20);
    return options;
  }

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<herder::Herder>> started = herder::Herder::Start(
        herder::HerderParts{std::make_unique<testing::FakeWorker>(SLUICE_GENERATOR_PATH),
                            std::make_unique<testing::FakeTopicLog>(),
                            std::make_unique<testing::FakeTopicLog>(), nullptr},
        [](LogLevel, std::string_view, std::string_view) {},
        Options());
    ASSERT_TRUE(started.ok()) << started.status();
    herder_ = *std::move(started);
    router_ = std::make_unique<RestRouter>(herder_.get(), ServerInfo{"0.1.0", "abc", std::nullopt});
  }

  RestResponse Call(const std::string& method, const std::string& path,
                    const std::string& body = "",
                    std::multimap<std::string, std::string> params = {}) {
    return router_->Handle({method, path, std::move(params), body});
  }

  rapidjson::Document Json(const RestResponse& response) {
    rapidjson::Document doc;
    doc.Parse(response.body.c_str());
    EXPECT_FALSE(doc.HasParseError()) << response.body;
    return doc;
  }

  void ExpectError(const RestResponse& response, int code) {
    EXPECT_EQ(response.status, code) << response.body;
    rapidjson::Document doc = Json(response);
    ASSERT_TRUE(doc.IsObject()) << response.body;
    EXPECT_EQ(doc["error_code"].GetInt(), code);
    EXPECT_TRUE(doc["message"].IsString());
  }

  std::unique_ptr<herder::Herder> herder_;
  std::unique_ptr<RestRouter> router_;
};

TEST_F(RestRouterTest, RootReportsVersionCommitAndClusterId) {
  RestResponse root = Call("GET", "/");
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(root.body, R"({"version":"0.1.0","commit":"abc","kafka_cluster_id":null})");
}

TEST_F(RestRouterTest, CreateAnswers201WithLocationThen409ForTheSameName) {
  RestResponse created = Call("POST", "/connectors", kCreate);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.location, "/connectors/orders");
  rapidjson::Document info = Json(created);
  EXPECT_STREQ(info["name"].GetString(), "orders");
  EXPECT_STREQ(info["config"]["name"].GetString(), "orders");
  EXPECT_STREQ(info["type"].GetString(), "source");
  ASSERT_TRUE(info["tasks"].IsArray());

  ExpectError(Call("POST", "/connectors", kCreate), 409);
  ExpectError(Call("POST", "/connectors", R"({"config":{}})"), 400);
  ExpectError(Call("POST", "/connectors", "not json"), 400);
  ExpectError(Call("POST", "/connectors",
                   R"({"name":"bad","config":{"connector.class":"nope"}})"),
              400);
}

TEST_F(RestRouterTest, ListsNamesAndExpandsStatusAndInfo) {
  ASSERT_EQ(Call("POST", "/connectors", kCreate).status, 201);
  EXPECT_EQ(Call("GET", "/connectors").body, R"(["orders"])");
  rapidjson::Document expanded = Json(Call("GET", "/connectors", "",
                                           {{"expand", "status"}, {"expand", "info"}}));
  EXPECT_STREQ(expanded["orders"]["status"]["name"].GetString(), "orders");
  EXPECT_STREQ(expanded["orders"]["info"]["name"].GetString(), "orders");
}

TEST_F(RestRouterTest, ConnectorConfigStatusAndTasks) {
  ASSERT_EQ(Call("POST", "/connectors", kCreate).status, 201);
  rapidjson::Document config = Json(Call("GET", "/connectors/orders/config"));
  EXPECT_STREQ(config["topic"].GetString(), "orders");

  rapidjson::Document status = Json(Call("GET", "/connectors/orders/status"));
  EXPECT_STREQ(status["name"].GetString(), "orders");
  EXPECT_STREQ(status["connector"]["worker_id"].GetString(), "test-worker:0");
  ASSERT_EQ(status["tasks"].Size(), 2u);

  rapidjson::Document tasks = Json(Call("GET", "/connectors/orders/tasks"));
  ASSERT_EQ(tasks.Size(), 2u);
  EXPECT_STREQ(tasks[1]["id"]["connector"].GetString(), "orders");
  EXPECT_EQ(tasks[1]["id"]["task"].GetInt(), 1);
  EXPECT_TRUE(tasks[1]["config"].IsObject());

  RestResponse task = Call("GET", "/connectors/orders/tasks/1/status");
  EXPECT_EQ(task.status, 200);
  EXPECT_EQ(Json(task)["id"].GetInt(), 1);
  ExpectError(Call("GET", "/connectors/orders/tasks/7/status"), 404);
}

TEST_F(RestRouterTest, PutConfigCreates201ThenReplaces200) {
  const std::string config = R"({"connector.class":"generator","topic":"t","tasks.max":"1"})";
  RestResponse created = Call("PUT", "/connectors/fresh/config", config);
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.location, "/connectors/fresh");
  RestResponse replaced = Call("PUT", "/connectors/fresh/config", config);
  EXPECT_EQ(replaced.status, 200) << replaced.body;
  ExpectError(Call("PUT", "/connectors/fresh/config",
                   R"({"name":"other","connector.class":"generator","topic":"t"})"),
              400);
}

TEST_F(RestRouterTest, PatchSetsAndRemovesKeysTopicsAndTheirReset) {
  ASSERT_EQ(Call("POST", "/connectors", kCreate).status, 201);
  RestResponse patched =
      Call("PATCH", "/connectors/orders/config", R"({"rate.per.sec":"5","topic":null})");
  ASSERT_EQ(patched.status, 400) << "the generator needs `topic`: " << patched.body;
  patched = Call("PATCH", "/connectors/orders/config", R"({"rate.per.sec":"5"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_STREQ(Json(patched)["config"]["rate.per.sec"].GetString(), "5");
  ExpectError(Call("PATCH", "/connectors/ghost/config", R"({"a":"b"})"), 404);

  RestResponse topics = Call("GET", "/connectors/orders/topics");
  ASSERT_EQ(topics.status, 200) << topics.body;
  EXPECT_TRUE(Json(topics)["orders"]["topics"].IsArray()) << topics.body;
  EXPECT_EQ(Call("PUT", "/connectors/orders/topics/reset").status, 202);
  // Kafka Connect answers an unknown connector's topics as none, not 404.
  RestResponse ghost = Call("GET", "/connectors/ghost/topics");
  EXPECT_EQ(ghost.status, 200);
  EXPECT_EQ(ghost.body, R"({"ghost":{"topics":[]}})");
}

TEST_F(RestRouterTest, PauseResumeAre202StopIs204RestartsAre204Or202DeleteIs204) {
  ASSERT_EQ(Call("POST", "/connectors", kCreate).status, 201);
  EXPECT_EQ(Call("PUT", "/connectors/orders/pause").status, 202);
  EXPECT_EQ(Call("PUT", "/connectors/orders/resume").status, 202);
  RestResponse restart = Call("POST", "/connectors/orders/restart");
  EXPECT_EQ(restart.status, 204);
  EXPECT_EQ(restart.body, "");
  RestResponse with_tasks =
      Call("POST", "/connectors/orders/restart", "", {{"includeTasks", "true"}});
  EXPECT_EQ(with_tasks.status, 202) << with_tasks.body;
  EXPECT_STREQ(Json(with_tasks)["name"].GetString(), "orders");
  EXPECT_EQ(Call("POST", "/connectors/orders/tasks/0/restart").status, 204);
  EXPECT_EQ(Call("PUT", "/connectors/orders/stop").status, 204);
  EXPECT_EQ(Call("DELETE", "/connectors/orders").status, 204);
  ExpectError(Call("GET", "/connectors/orders"), 404);
}

// KIP-875: read in any state; altered and reset only once STOPPED (400 with Kafka Connect's
// words before), each answered with Kafka Connect's message; the maps kept in their field order.
TEST_F(RestRouterTest, OffsetsAreReadAlwaysAndChangedOnlyWhenStopped) {
  ASSERT_EQ(Call("POST", "/connectors", kCreate).status, 201);
  RestResponse none = Call("GET", "/connectors/orders/offsets");
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(none.body, R"({"offsets":[]})");
  const std::string patch =
      R"({"offsets":[{"partition":{"generator":"orders","task":0},"offset":{"seq":41}}]})";
  RestResponse running = Call("PATCH", "/connectors/orders/offsets", patch);
  ExpectError(running, 400);
  EXPECT_THAT(running.body, HasSubstr("Connectors must be in the STOPPED state before their "
                                      "offsets can be modified"));
  ExpectError(Call("DELETE", "/connectors/orders/offsets"), 400);

  ASSERT_EQ(Call("PUT", "/connectors/orders/stop").status, 204);
  ExpectError(Call("PATCH", "/connectors/orders/offsets", R"({"offsets":[]})"), 400);
  ExpectError(Call("PATCH", "/connectors/orders/offsets", R"({"offsetz":[]})"), 400);
  ExpectError(Call("PATCH", "/connectors/orders/offsets", R"({"offsets":[{"offset":{}}]})"), 400);
  RestResponse altered = Call("PATCH", "/connectors/orders/offsets", patch);
  EXPECT_EQ(altered.status, 200) << altered.body;
  EXPECT_EQ(altered.body,
            R"({"message":"The offsets for this connector have been altered successfully"})");
  RestResponse read = Call("GET", "/connectors/orders/offsets");
  EXPECT_EQ(read.body,
            R"({"offsets":[{"partition":{"generator":"orders","task":0},"offset":{"seq":41}}]})");
  RestResponse reset = Call("DELETE", "/connectors/orders/offsets");
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(reset.body,
            R"({"message":"The offsets for this connector have been reset successfully"})");
  EXPECT_EQ(Call("GET", "/connectors/orders/offsets").body, R"({"offsets":[]})");
  ExpectError(Call("GET", "/connectors/ghost/offsets"), 404);
  ExpectError(Call("DELETE", "/connectors/ghost/offsets"), 404);
  ExpectError(Call("PUT", "/connectors/orders/offsets"), 405);
}

// A created connector's Location is absolute, from the Host the client addressed (as Jersey
// builds it); its status names the plugin's version (KIP-891).
TEST_F(RestRouterTest, LocationIsAbsoluteAndStatusesCarryThePluginVersion) {
  RestResponse created = router_->Handle({"POST", "/connectors", {}, kCreate,
                                          "http://worker-1:8083"});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.location, "http://worker-1:8083/connectors/orders");
  RestResponse spaced = router_->Handle(
      {"PUT", "/connectors/a b/config", {}, R"({"connector.class":"generator","topic":"t"})",
       "http://worker-1:8083"});
  ASSERT_EQ(spaced.status, 201) << spaced.body;
  EXPECT_EQ(spaced.location, "http://worker-1:8083/connectors/a%20b");
  rapidjson::Document status = Json(Call("GET", "/connectors/orders/status"));
  ASSERT_TRUE(status.IsObject());
  EXPECT_STREQ(status["connector"]["version"].GetString(), "1.0.0");
}

TEST_F(RestRouterTest, UnknownConnectorsPathsAndMethods) {
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/connectors/ghost"},
           {"GET", "/connectors/ghost/config"},
           {"GET", "/connectors/ghost/status"},
           {"GET", "/connectors/ghost/tasks"},
           {"PUT", "/connectors/ghost/pause"},
           {"PUT", "/connectors/ghost/resume"},
           {"POST", "/connectors/ghost/restart"},
           {"POST", "/connectors/ghost/tasks/0/restart"},
           {"DELETE", "/connectors/ghost"},
           {"GET", "/nowhere"},
           {"GET", "/connectors/ghost/tasks/x/status"}}) {
    SCOPED_TRACE(method + " " + path);
    ExpectError(Call(method, path), 404);
  }
  ExpectError(Call("DELETE", "/connectors"), 405);
  ExpectError(Call("GET", "/connectors/x/pause"), 405);
}

TEST_F(RestRouterTest, PluginsAndValidation) {
  rapidjson::Document plugins = Json(Call("GET", "/connector-plugins"));
  ASSERT_TRUE(plugins.IsArray());
  ASSERT_GE(plugins.Size(), 1u);
  EXPECT_STREQ(plugins[0]["class"].GetString(), "generator");
  EXPECT_STREQ(plugins[0]["type"].GetString(), "source");
  EXPECT_TRUE(plugins[0]["version"].IsString());

  rapidjson::Document config = Json(Call("GET", "/connector-plugins/generator/config"));
  ASSERT_TRUE(config.IsArray());
  bool topic = false;
  for (const auto& key : config.GetArray()) {
    if (std::string(key["name"].GetString()) == "topic") topic = true;
    EXPECT_TRUE(key["type"].IsString());
    EXPECT_TRUE(key.HasMember("default_value"));
  }
  EXPECT_TRUE(topic);
  ExpectError(Call("GET", "/connector-plugins/nope/config"), 404);

  RestResponse bad = Call("PUT", "/connector-plugins/generator/config/validate",
                          R"({"topic":"t","tasks.max":"zero"})");
  ASSERT_EQ(bad.status, 200) << bad.body;
  rapidjson::Document verdict = Json(bad);
  EXPECT_STREQ(verdict["name"].GetString(), "generator");
  EXPECT_GE(verdict["error_count"].GetInt(), 1);
  bool tasks_max_error = false;
  for (const auto& config : verdict["configs"].GetArray()) {
    if (std::string(config["value"]["name"].GetString()) == "tasks.max") {
      tasks_max_error = config["value"]["errors"].Size() > 0;
    }
  }
  EXPECT_TRUE(tasks_max_error) << bad.body;

  ExpectError(Call("PUT", "/connector-plugins/generator/config/validate",
                   R"({"connector.class":"other","topic":"t"})"),
              400);
}

TEST(RestStatusCodes, HerderErrorsMapToKafkaConnectsCodes) {
  EXPECT_EQ(HttpStatusOf(absl::NotFoundError("x")), 404);
  EXPECT_EQ(HttpStatusOf(absl::AlreadyExistsError("x")), 409);
  EXPECT_EQ(HttpStatusOf(absl::FailedPreconditionError("x")), 409);
  EXPECT_EQ(HttpStatusOf(absl::InvalidArgumentError("x")), 400);
  EXPECT_EQ(HttpStatusOf(absl::AbortedError("a rebalance is under way; retry")), 409);
  EXPECT_EQ(HttpStatusOf(absl::UnavailableError("x")), 500);
  EXPECT_EQ(StartingResponse("/connectors").status, 503);
}

// KIP-1017: 503 "starting" until the herder serves, then 200 "healthy".
TEST_F(RestRouterTest, HealthSaysStartingThenHealthy) {
  RestResponse starting = StartingResponse("/health");
  EXPECT_EQ(starting.status, 503);
  EXPECT_STREQ(Json(starting)["status"].GetString(), "starting");
  RestResponse healthy = Call("GET", "/health");
  EXPECT_EQ(healthy.status, 200);
  EXPECT_STREQ(Json(healthy)["status"].GetString(), "healthy");
  EXPECT_TRUE(Json(healthy)["message"].IsString());
  ExpectError(Call("DELETE", "/health"), 405);
}

// KIP-495's /admin/loggers: the shapes and codes Kafka Connect 4.1 answers with.
TEST_F(RestRouterTest, AdminLoggersListGetAndSet) {
  RestResponse listed = Call("GET", "/admin/loggers");
  EXPECT_EQ(listed.status, 200);
  rapidjson::Document all = Json(listed);
  ASSERT_TRUE(all.IsObject());
  ASSERT_TRUE(all.HasMember("root")) << listed.body;
  EXPECT_STREQ(all["root"]["level"].GetString(), "INFO");
  EXPECT_TRUE(all["root"]["last_modified"].IsNull());

  ExpectError(Call("GET", "/admin/loggers/connector.nobody"), 404);
  EXPECT_EQ(Json(Call("GET", "/admin/loggers/connector.nobody")).operator[]("message").GetString(),
            std::string("Logger connector.nobody not found."));

  RestResponse set = Call("PUT", "/admin/loggers/connector.orders", R"({"level":"debug"})");
  EXPECT_EQ(set.status, 200);
  EXPECT_EQ(set.body, R"(["connector.orders"])");
  rapidjson::Document one = Json(Call("GET", "/admin/loggers/connector.orders"));
  EXPECT_STREQ(one["level"].GetString(), "DEBUG");
  EXPECT_TRUE(one["last_modified"].IsInt64());
  EXPECT_EQ(herder_->LoggerLevel("connector.orders")->level, "DEBUG");

  RestResponse cluster =
      Call("PUT", "/admin/loggers/root", R"({"level":"WARN"})", {{"scope", "cluster"}});
  EXPECT_EQ(cluster.status, 204);
  EXPECT_EQ(cluster.body, "");
  EXPECT_STREQ(Json(Call("GET", "/admin/loggers/connector.orders"))["level"].GetString(), "WARN");

  ExpectError(Call("PUT", "/admin/loggers/root", R"({"levels":"WARN"})"), 400);
  RestResponse bad_level = Call("PUT", "/admin/loggers/root", R"({"level":"LOUD"})");
  ExpectError(bad_level, 404);
  EXPECT_THAT(bad_level.body, HasSubstr("invalid log level 'LOUD'."));
  ExpectError(Call("DELETE", "/admin/loggers/root"), 405);
}

// GET /metrics: Prometheus's text format, the connectors the herder knows among it.
TEST_F(RestRouterTest, MetricsInPrometheusTextFormat) {
  ASSERT_EQ(Call("POST", "/connectors", kCreate).status, 201);
  RestResponse metrics = Call("GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(metrics.body, HasSubstr("\nkafka_connect_connect_worker_metrics_connector_count 1\n"));
  EXPECT_THAT(metrics.body,
              HasSubstr("kafka_connect_connect_worker_metrics_connector_total_task_count{"
                        "connector=\"orders\"} 2\n"));
  EXPECT_THAT(metrics.body, HasSubstr("\nprocess_resident_memory_bytes "));
  ExpectError(Call("POST", "/metrics"), 405);
}

}  // namespace
}  // namespace sluice::rest
