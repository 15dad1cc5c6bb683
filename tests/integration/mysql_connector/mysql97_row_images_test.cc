// What MySQL 9.7 writes beyond full row images of plain columns, end to end (fixture `mysql`):
// VECTOR columns in the snapshot and while streaming, binlog_row_image=NOBLOB (the placeholder
// Debezium writes for BLOB/TEXT columns a change did not touch), binlog_row_image=MINIMAL set by a
// writing session (the task stops naming the setting and the position; no wrong row is written)
// and partial JSON updates (binlog_row_value_options=PARTIAL_JSON).
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

std::string Json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

// JSON text without the server's spaces, keys in their order.
std::string Compact(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  if (document.HasParseError()) return "not JSON: " + text;
  return Json(document);
}

// A row without its GEOMETRY and VECTOR columns (`g`, `e`).
std::string Plain(const rapidjson::Value& row) {
  rapidjson::Document copy;
  copy.CopyFrom(row, copy.GetAllocator());
  copy.RemoveMember("g");
  copy.RemoveMember("e");
  return Json(copy);
}

TEST(MySql97RowImages, VectorColumnsAreFloatVectorsInTheSnapshotAndWhileStreaming) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97vec", /*schemas=*/true, TestServer::kMySql);
  run.Sql("CREATE TABLE v (id INT PRIMARY KEY, e VECTOR(3) NOT NULL, n VECTOR(2))");
  run.Sql("INSERT INTO v VALUES (1, STRING_TO_VECTOR('[1.5,-2,0.25]'), NULL)");
  run.WriteConnectorConfig();  // schema changes too: a VECTOR column in tableChanges
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("v");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql(
      "INSERT INTO v VALUES (2, STRING_TO_VECTOR('[1024.125,-0,1]'), STRING_TO_VECTOR('[7,8]'))");
  run.Sql("UPDATE v SET n = STRING_TO_VECTOR('[0.5,0.5]') WHERE id = 1");
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 3, worker.get());
  run.StopWorker(worker);
  ASSERT_EQ(events.size(), 3u) << run.WorkerLog();
  EXPECT_EQ(events[0].op(), "r");
  EXPECT_EQ(Json(events[0].payload()["after"]), R"({"id":1,"e":[1.5,-2.0,0.25],"n":null})");
  EXPECT_EQ(events[1].op(), "c");
  EXPECT_EQ(Json(events[1].payload()["after"]),
            R"({"id":2,"e":[1024.125,-0.0,1.0],"n":[7.0,8.0]})");
  EXPECT_EQ(events[2].op(), "u");
  EXPECT_EQ(Json(events[2].payload()["after"]), R"({"id":1,"e":[1.5,-2.0,0.25],"n":[0.5,0.5]})");
  // The snapshot's schema change describes the column as Debezium's parser types it (OTHER).
  const std::vector<ChangeEvent> ddl = run.WaitForEvents(run.prefix(), 1, nullptr);
  ASSERT_FALSE(ddl.empty());
  EXPECT_THAT(*ddl[0].value, HasSubstr(R"("name":"e","jdbcType":1111,)"));
  EXPECT_THAT(*ddl[0].value, HasSubstr(R"("typeName":"VECTOR","typeExpression":"VECTOR")"));
  // Debezium's schema: an array of float32 named io.debezium.data.FloatVector, version 1.
  for (const ChangeEvent& event : events) {
    EXPECT_THAT(*event.value,
                HasSubstr(R"({"type":"array","items":{"type":"float","optional":false},)"
                          R"("optional":false,"name":"io.debezium.data.FloatVector","version":1,)"
                          R"("field":"e"})"));
  }
}

TEST(MySql97RowImages, NoblobImagesCarryThePlaceholderForUntouchedBlobsAndTexts) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97noblob", /*schemas=*/false, TestServer::kMySql);
  run.Sql(
      "CREATE TABLE b (id INT PRIMARY KEY, note TEXT, data BLOB, doc JSON, n INT, g POINT, "
      "e VECTOR(2))");
  run.Sql("INSERT INTO b VALUES (0, 'marker', NULL, NULL, 0, NULL, NULL)");
  run.WriteConnectorConfig({{"include.schema.changes", "false"}, {"binary.handling.mode", "hex"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("b");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("SET SESSION binlog_row_image = 'NOBLOB'");
  run.Sql(
      "INSERT INTO b VALUES (1, 'text', x'00ff', '{\"a\": 1}', 10, "
      "ST_GeomFromText('POINT(1 2)'), STRING_TO_VECTOR('[1,2]'))");
  run.Sql("UPDATE b SET n = 11 WHERE id = 1");
  run.Sql("UPDATE b SET note = 'changed' WHERE id = 1");
  run.Sql("DELETE FROM b WHERE id = 1");
  run.Sql("SET SESSION binlog_row_image = 'FULL'");
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 6, worker.get());  // + tombstone
  run.StopWorker(worker);
  ASSERT_EQ(events.size(), 6u) << run.WorkerLog();
  const std::string unavailable = "__debezium_unavailable_value";
  const std::string unavailable_hex = "5f5f646562657a69756d5f756e617661696c61626c655f76616c7565";
  EXPECT_EQ(Plain(events[1].payload()["after"]),
            R"({"id":1,"note":"text","data":"00ff","doc":"{\"a\":1}","n":10})")
      << "an insert logs every column";
  // The update of n: the before image has the key and the non-BLOB columns, the after image the
  // same; the TEXT and BLOB columns it did not touch carry the placeholder (JSON is logged whole).
  EXPECT_EQ(Plain(events[2].payload()["before"]),
            absl::StrCat(R"({"id":1,"note":")", unavailable, R"(","data":")", unavailable_hex,
                         R"(","doc":"{\"a\":1}","n":10})"));
  EXPECT_EQ(Plain(events[2].payload()["after"]),
            absl::StrCat(R"({"id":1,"note":")", unavailable, R"(","data":")", unavailable_hex,
                         R"(","doc":"{\"a\":1}","n":11})"));
  EXPECT_EQ(Plain(events[3].payload()["after"]),
            absl::StrCat(R"({"id":1,"note":"changed","data":")", unavailable_hex,
                         R"(","doc":"{\"a\":1}","n":11})"))
      << "a changed TEXT column is logged";
  // GEOMETRY and VECTOR columns are not BLOBs to NOBLOB: logged whole in every image.
  for (size_t i = 1; i <= 4; ++i) {
    const rapidjson::Value& row = events[i].payload()[events[i].op() == "d" ? "before" : "after"];
    EXPECT_EQ(Json(row["e"]), "[1.0,2.0]") << i;
    EXPECT_EQ(Json(row["g"]["x"]), "1.0") << i;
  }
  EXPECT_EQ(events[4].op(), "d");
  EXPECT_EQ(Json(events[4].payload()["before"]["note"]), "\"" + unavailable + "\"");
}

TEST(MySql97RowImages, AMinimalImageStopsTheTaskNamingTheSettingAndThePosition) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97minimal", /*schemas=*/false, TestServer::kMySql);
  run.Sql("CREATE TABLE m (id INT PRIMARY KEY, a INT, b VARCHAR(10))");
  run.Sql("INSERT INTO m VALUES (1, 1, 'one')");
  run.WriteConnectorConfig({{"include.schema.changes", "false"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("m");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("SET SESSION binlog_row_image = 'MINIMAL'");
  run.Sql("UPDATE m SET a = 2 WHERE id = 1");
  run.Sql("SET SESSION binlog_row_image = 'FULL'");
  run.Sql("INSERT INTO m VALUES (2, 2, 'two')");
  ASSERT_TRUE(run.WaitForLog("binlog_row_image=MINIMAL")) << run.WorkerLog();
  const std::string log = run.WorkerLog();
  EXPECT_THAT(log, HasSubstr("UPDATE_ROWS_EVENT at mysql-bin.")) << "the event and its position";
  EXPECT_THAT(log, HasSubstr("` is not in the row image"));
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 1, worker.get());
  EXPECT_EQ(events.size(), 1u) << "no record with a made-up value, nothing after it";
  worker->Signal(SIGTERM);
  worker->Wait(absl::Seconds(30));
}

TEST(MySql97RowImages, PartialJsonUpdatesAreWholeDocumentsInTheAfterImage) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97pjson", /*schemas=*/false, TestServer::kMySql);
  run.Sql("CREATE TABLE j (id INT PRIMARY KEY, doc JSON, other JSON, n INT)");
  run.Sql(R"(INSERT INTO j VALUES (1, '{"a": 1, "list": [1, 2, 3], "s": "text"}', '[1]', 0))");
  run.WriteConnectorConfig({{"include.schema.changes", "false"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("j");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("SET SESSION binlog_row_value_options = 'PARTIAL_JSON'");
  const std::vector<std::string> updates = {
      R"(UPDATE j SET doc = JSON_SET(doc, '$.a', 2) WHERE id = 1)",
      R"(UPDATE j SET doc = JSON_REPLACE(doc, '$.s', 'other text') WHERE id = 1)",
      R"(UPDATE j SET doc = JSON_INSERT(doc, '$.new', JSON_OBJECT('k', 1.5)), n = 1 WHERE id = 1)",
      R"(UPDATE j SET doc = JSON_REMOVE(doc, '$.list[1]') WHERE id = 1)",
      R"(UPDATE j SET doc = JSON_ARRAY_INSERT(doc, '$.list[0]', 'first'), other = JSON_SET(other, '$[0]', 9) WHERE id = 1)",
      R"(UPDATE j SET doc = JSON_ARRAY_APPEND(doc, '$.list', null) WHERE id = 1)",
      R"(UPDATE j SET doc = JSON_SET(doc, '$."key with space"', true) WHERE id = 1)",
  };
  std::vector<std::string> expected;
  for (const std::string& update : updates) {
    run.Sql(update);
    absl::StatusOr<mysql::QueryResult> now =
        run.admin().Query("SELECT CAST(doc AS CHAR), CAST(other AS CHAR) FROM j WHERE id = 1");
    ASSERT_TRUE(now.ok()) << now.status();
    expected.push_back(absl::StrCat(Compact(*now->rows[0][0]), " | ", Compact(*now->rows[0][1])));
  }
  run.Sql("SET SESSION binlog_row_value_options = ''");
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 1 + updates.size(), worker.get());
  run.StopWorker(worker);
  ASSERT_EQ(events.size(), 1 + updates.size()) << run.WorkerLog();
  for (size_t i = 0; i < updates.size(); ++i) {
    const rapidjson::Value& after = events[1 + i].payload()["after"];
    EXPECT_EQ(
        absl::StrCat(Compact(after["doc"].GetString()), " | ", Compact(after["other"].GetString())),
        expected[i])
        << updates[i];
  }
}

}  // namespace
}  // namespace sluice::testing
