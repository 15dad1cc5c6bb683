// Column policies (issue 15) on the real broker and MariaDB: masked, hashed and truncated values
// and the source-type schema parameters, in the snapshot's records and in streamed ones (before
// and after), while a key column keeps its value in the key, as Debezium 3.6.1 writes it.
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

// The schema of field `name` of the envelope's `after` (the value schema) in a record with
// schemas, or null.
const rapidjson::Value* AfterFieldSchema(const ChangeEvent& event, const std::string& name) {
  const rapidjson::Value& schema = (*event.json)["schema"];
  for (const rapidjson::Value& envelope_field : schema["fields"].GetArray()) {
    if (std::string(envelope_field["field"].GetString()) != "after") continue;
    for (const rapidjson::Value& field : envelope_field["fields"].GetArray()) {
      if (std::string(field["field"].GetString()) == name) return &field;
    }
  }
  return nullptr;
}

std::map<std::string, std::string> Parameters(const ChangeEvent& event, const std::string& name) {
  std::map<std::string, std::string> out;
  const rapidjson::Value* field = AfterFieldSchema(event, name);
  if (field == nullptr || !field->HasMember("parameters")) return out;
  for (const auto& member : (*field)["parameters"].GetObject()) {
    out[member.name.GetString()] = member.value.GetString();
  }
  return out;
}

std::string Text(const rapidjson::Value& row, const char* column) {
  return row[column].IsNull() ? "<null>" : row[column].GetString();
}

TEST(ColumnPolicies, MaskHashTruncateAndSourceTypesInSnapshotAndStream) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok());
  CdcRun run("policies", /*schemas=*/true);
  run.Sql(
      "CREATE TABLE people (code VARCHAR(10) PRIMARY KEY, ssn VARCHAR(11), h1 VARCHAR(64), "
      "h2 VARCHAR(11), bio TEXT, price DECIMAL(10,2), n INT) DEFAULT CHARSET=utf8mb4");
  run.Sql(
      "INSERT INTO people VALUES ('A1', '123-45-6789', '123-45-6789', '123-45-6789', "
      "'h\xC3\xA9llo w\xC3\xB6rld', 12.50, 7)");
  const std::string table = run.db() + "\\.people\\.";
  run.WriteConnectorConfig({
      {"column.mask.with.4.chars", table + "(code|ssn)"},
      {"column.mask.hash.SHA-256.with.salt.CzQMA0cB5K", table + "h1"},
      {"column.mask.hash.v2.SHA-256.with.salt.CzQMA0cB5K", table + "h2"},
      {"column.truncate.to.5.chars", table + "bio"},
      {"column.propagate.source.type", table + "price"},
      {"datatype.propagate.source.type", run.db() + "\\.people\\.int"},
  });
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_EQ(run.WaitForEvents(run.Topic("people"), 1, worker.get()).size(), 1u)
      << run.WorkerLog();
  run.Sql(
      "INSERT INTO people VALUES ('B2', '987-65-4321', '123-45-6789', '123-45-6789', "
      "'short', 1.25, NULL)");
  run.Sql("UPDATE people SET ssn = NULL, h1 = NULL, bio = 'abcdefgh' WHERE code = 'A1'");
  std::vector<ChangeEvent> events = run.WaitForEvents(run.Topic("people"), 3, worker.get());
  ASSERT_EQ(events.size(), 3u) << run.WorkerLog();
  ASSERT_EQ(events[0].op(), "r");
  ASSERT_EQ(events[1].op(), "c");
  ASSERT_EQ(events[2].op(), "u");

  // Expected digests: see tests/unit/mysql_connector/column_policies_test.cc (Java 17 doing what
  // Debezium's HashValueConverter does); v2's cut to VARCHAR(11).
  const std::string v1 = "377189d9d7c7e96e2be1135d7b2de30b4060912652dafde77a1caa0352244d75";
  const std::string v2 = "ec5d1c2c938";
  for (const ChangeEvent* event : {&events[0], &events[1]}) {
    const rapidjson::Value& after = event->payload()["after"];
    EXPECT_EQ(Text(after, "code"), "****") << event->op();
    EXPECT_EQ(Text(after, "ssn"), "****") << event->op();
    EXPECT_EQ(Text(after, "h1"), v1) << event->op();
    EXPECT_EQ(Text(after, "h2"), v2) << event->op();
    // The schema: masked, truncateLength, and the source type where asked.
    EXPECT_EQ(Parameters(*event, "ssn"), (std::map<std::string, std::string>{{"masked", "true"}}));
    EXPECT_EQ(Parameters(*event, "h1"), (std::map<std::string, std::string>{{"masked", "true"}}));
    EXPECT_EQ(Parameters(*event, "bio"),
              (std::map<std::string, std::string>{{"truncateLength", "5"}}));
    EXPECT_EQ(Parameters(*event, "price"),
              (std::map<std::string, std::string>{{"scale", "2"},
                                                  {"connect.decimal.precision", "10"},
                                                  {"__debezium.source.column.type", "DECIMAL"},
                                                  {"__debezium.source.column.length", "10"},
                                                  {"__debezium.source.column.scale", "2"},
                                                  {"__debezium.source.column.name", "price"}}));
    EXPECT_EQ(Parameters(*event, "n"),
              (std::map<std::string, std::string>{{"__debezium.source.column.type", "INT"},
                                                  {"__debezium.source.column.length", "11"},
                                                  {"__debezium.source.column.name", "n"}}));
  }
  EXPECT_EQ(Text(events[0].payload()["after"], "bio"), "h\xC3\xA9llo");  // characters, not bytes
  EXPECT_EQ(Text(events[1].payload()["after"], "bio"), "short");
  // The key keeps the key column's value and its plain schema: Debezium's key has no mappers.
  ASSERT_TRUE(events[0].key.has_value());
  EXPECT_NE(events[0].key->find(R"("payload":{"code":"A1"})"), std::string::npos) << *events[0].key;
  EXPECT_EQ(events[0].key->find("masked"), std::string::npos) << *events[0].key;

  // The update: both images go through the policies; a null is masked, a null hash stays null.
  const rapidjson::Value& before = events[2].payload()["before"];
  const rapidjson::Value& after = events[2].payload()["after"];
  EXPECT_EQ(Text(before, "ssn"), "****");
  EXPECT_EQ(Text(before, "h1"), v1);
  EXPECT_EQ(Text(before, "bio"), "h\xC3\xA9llo");
  EXPECT_EQ(Text(after, "ssn"), "****");
  EXPECT_EQ(Text(after, "h1"), "<null>");
  EXPECT_EQ(Text(after, "bio"), "abcde");
  EXPECT_EQ(run.WorkerLog().find("task failed"), std::string::npos) << run.WorkerLog();
  run.StopWorker(worker);
}

}  // namespace
}  // namespace sluice::testing
