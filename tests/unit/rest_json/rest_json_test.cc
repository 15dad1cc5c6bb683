// Kafka Connect's REST bodies as rest_json.h writes and reads them: field names, nesting, what is
// left out, and the request bodies refused with a reason.
#include "runtime/rest_json/rest_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rapidjson/document.h"

namespace sluice::rest {
namespace {

using ::testing::HasSubstr;

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

herder::ConnectorStatusInfo TwoTaskStatus() {
  herder::ConnectorStatusInfo status;
  status.name = "orders";
  status.state = herder::State::kRunning;
  status.worker_id = "w:8083";
  status.tasks.push_back({0, herder::State::kRunning, "", "w:8083"});
  status.tasks.push_back({1, herder::State::kFailed, "boom\n\tat here", "w:8083"});
  return status;
}

TEST(RestJson, ConnectorStatusHasKafkaConnectsFieldsAndATraceOnlyWhenThereIsOne) {
  EXPECT_EQ(ConnectorStatusJson(TwoTaskStatus()),
            R"({"name":"orders","connector":{"state":"RUNNING","worker_id":"w:8083"},)"
            R"("tasks":[{"id":0,"state":"RUNNING","worker_id":"w:8083"},)"
            R"({"id":1,"state":"FAILED","worker_id":"w:8083","trace":"boom\n\tat here"}],)"
            R"("type":"source"})");
}

TEST(RestJson, ConnectorInfoListsTasksByConnectorAndId) {
  herder::ConnectorInfo info;
  info.name = "orders";
  info.config = {{"name", "orders"}, {"connector.class", "generator"}, {"tasks.max", "2"}};
  info.task_count = 2;
  EXPECT_EQ(ConnectorInfoJson(info),
            R"({"name":"orders","config":{"name":"orders","connector.class":"generator",)"
            R"("tasks.max":"2"},"tasks":[{"connector":"orders","task":0},)"
            R"({"connector":"orders","task":1}],"type":"source"})");
}

TEST(RestJson, ConnectorListIsNamesOrAnObjectWithWhatExpandAskedFor) {
  herder::ConnectorInfo a;
  a.name = "a";
  a.status.name = "a";
  EXPECT_EQ(ConnectorListJson({a}, false, false), R"(["a"])");
  rapidjson::Document status_only = ParseJson(ConnectorListJson({a}, true, false));
  ASSERT_TRUE(status_only.IsObject());
  EXPECT_TRUE(status_only["a"].HasMember("status"));
  EXPECT_FALSE(status_only["a"].HasMember("info"));
  rapidjson::Document both = ParseJson(ConnectorListJson({a}, true, true));
  EXPECT_STREQ(both["a"]["info"]["name"].GetString(), "a");
  EXPECT_STREQ(both["a"]["status"]["connector"]["state"].GetString(), "UNASSIGNED");
}

TEST(RestJson, TaskInfosServerInfoAndErrors) {
  EXPECT_EQ(TaskInfosJson("o", {{{"k", "v"}}}),
            R"([{"id":{"connector":"o","task":0},"config":{"k":"v"}}])");
  EXPECT_EQ(ServerInfoJson("0.1.0", "abc", std::nullopt),
            R"({"version":"0.1.0","commit":"abc","kafka_cluster_id":null})");
  EXPECT_EQ(ServerInfoJson("0.1.0", "abc", "Xy"),
            R"({"version":"0.1.0","commit":"abc","kafka_cluster_id":"Xy"})");
  EXPECT_EQ(ErrorJson(404, "Connector x not found"),
            R"({"error_code":404,"message":"Connector x not found"})");
}

TEST(RestJson, ConfigInfosCarryDefinitionAndValuePerKey) {
  plugin::ConfigValidation validation;
  validation.plugin = "generator";
  validation.error_count = 1;
  validation.keys = {{"connector.class", "generator", {}, {}},
                     {"tasks.max", "x", {"not a number"}, {}}};
  rapidjson::Document doc = ParseJson(ConfigInfosJson(validation, nullptr, {}));
  EXPECT_STREQ(doc["name"].GetString(), "generator");
  EXPECT_EQ(doc["error_count"].GetInt(), 1);
  ASSERT_TRUE(doc["groups"].IsArray());
  ASSERT_EQ(doc["configs"].Size(), 2u);
  const rapidjson::Value& tasks_max = doc["configs"][1];
  for (const char* field : {"name", "type", "required", "default_value", "importance",
                            "documentation", "group", "width", "display_name", "dependents",
                            "order_in_group"}) {
    EXPECT_TRUE(tasks_max["definition"].HasMember(field)) << field;
  }
  EXPECT_STREQ(tasks_max["value"]["name"].GetString(), "tasks.max");
  EXPECT_STREQ(tasks_max["value"]["value"].GetString(), "x");
  EXPECT_STREQ(tasks_max["value"]["errors"][0].GetString(), "not a number");
  EXPECT_TRUE(tasks_max["value"]["recommended_values"].IsArray());
  EXPECT_TRUE(tasks_max["value"]["visible"].GetBool());
}

TEST(RestJson, ActiveTopicsAndConfigPatches) {
  EXPECT_EQ(ActiveTopicsJson("o", {"a", "b"}), R"({"o":{"topics":["a","b"]}})");
  absl::StatusOr<ConfigPatch> patch = ParseConfigPatch(R"({"k":"v","gone":null})");
  ASSERT_TRUE(patch.ok()) << patch.status();
  EXPECT_EQ(patch->set, (ConfigMap{{"k", "v"}}));
  EXPECT_EQ(patch->remove, std::vector<std::string>{"gone"});
  EXPECT_FALSE(ParseConfigPatch(R"(["k"])").ok());
}

TEST(RestJson, CreateRequestsAreReadWithTheirInitialState) {
  absl::StatusOr<CreateRequest> create = ParseCreateRequest(
      R"({"name":"o","config":{"tasks.max":2,"x":true,"s":"v"},"initial_state":"PAUSED"})");
  ASSERT_TRUE(create.ok()) << create.status();
  EXPECT_EQ(create->name, "o");
  EXPECT_EQ(create->config,
            (ConfigMap{{"tasks.max", "2"}, {"x", "true"}, {"s", "v"}}));
  EXPECT_EQ(create->initial_state, herder::TargetState::kPaused);

  for (const auto& [body, hint] : std::vector<std::pair<std::string, std::string>>{
           {"{", "not JSON"},
           {"[]", "JSON object"},
           {R"({"name":"o"})", "no `config`"},
           {R"({"name":"o","config":{"k":null}})", "must be a string"},
           {R"({"name":"o","config":{},"initial_state":"RUN"})", "RUNNING, PAUSED, STOPPED"}}) {
    absl::StatusOr<CreateRequest> bad = ParseCreateRequest(body);
    ASSERT_FALSE(bad.ok()) << body;
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << body;
    EXPECT_THAT(bad.status().message(), HasSubstr(hint)) << body;
  }
}

}  // namespace
}  // namespace sluice::rest
