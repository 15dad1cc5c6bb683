// Invisible and generated columns on a real MySQL 9.7 (fixture `mysql`), in the snapshot and
// while streaming. The binlog's row images carry every column — INVISIBLE ones (8.0.23+), VIRTUAL
// and STORED generated ones, with the values the server computed — and the snapshot names every
// column information_schema lists, so both give the same fields, as Debezium's snapshot (which
// selects its schema's columns by name) and its streaming do. A generated invisible primary key
// (sql_generate_invisible_primary_key=ON, `my_row_id`) is the record's key.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

std::string Json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

// "<op> <key> <after>" for each change event (tombstones left out).
std::vector<std::string> Changes(const std::vector<ChangeEvent>& events) {
  std::vector<std::string> out;
  for (const ChangeEvent& e : events) {
    if (e.json == nullptr) continue;
    out.push_back(
        absl::StrCat(e.op(), " ", e.key.value_or("null"), " ", Json(e.payload()["after"])));
  }
  return out;
}

TEST(MySql97Columns, InvisibleAndGeneratedColumnsAreInTheSnapshotAndTheStreamAlike) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97cols", /*schemas=*/false, TestServer::kMySql);
  run.Sql(
      "CREATE TABLE t (id INT PRIMARY KEY, a INT, hidden VARCHAR(10) INVISIBLE DEFAULT 'h', "
      "v INT AS (a * 2) VIRTUAL, s INT AS (a + 100) STORED)");
  // Without `hidden` in the column list the invisible column takes its default.
  run.Sql("INSERT INTO t (id, a) VALUES (1, 5)");
  run.Sql("INSERT INTO t (id, a, hidden) VALUES (2, 7, 'secret')");
  run.Sql("SET SESSION sql_generate_invisible_primary_key = ON");
  run.Sql("CREATE TABLE g (name VARCHAR(10))");
  run.Sql("SET SESSION sql_generate_invisible_primary_key = OFF");
  run.Sql("INSERT INTO g VALUES ('first')");
  run.WriteConnectorConfig({{"include.schema.changes", "false"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string t = run.Topic("t"), g = run.Topic("g");
  EXPECT_EQ(
      Changes(run.WaitForEvents(t, 2, worker.get())),
      (std::vector<std::string>{R"(r {"id":1} {"id":1,"a":5,"hidden":"h","v":10,"s":105})",
                                R"(r {"id":2} {"id":2,"a":7,"hidden":"secret","v":14,"s":107})"}))
      << run.WorkerLog();
  EXPECT_EQ(Changes(run.WaitForEvents(g, 1, worker.get())),
            (std::vector<std::string>{R"(r {"my_row_id":1} {"my_row_id":1,"name":"first"})"}))
      << run.WorkerLog();

  run.Sql("INSERT INTO t (id, a, hidden) VALUES (3, 1, 'streamed')");
  run.Sql("UPDATE t SET a = 6 WHERE id = 1");
  run.Sql("UPDATE t SET hidden = 'changed' WHERE id = 2");
  run.Sql("INSERT INTO g VALUES ('second')");
  EXPECT_EQ(
      Changes(run.WaitForEvents(t, 5, worker.get())),
      (std::vector<std::string>{R"(r {"id":1} {"id":1,"a":5,"hidden":"h","v":10,"s":105})",
                                R"(r {"id":2} {"id":2,"a":7,"hidden":"secret","v":14,"s":107})",
                                R"(c {"id":3} {"id":3,"a":1,"hidden":"streamed","v":2,"s":101})",
                                R"(u {"id":1} {"id":1,"a":6,"hidden":"h","v":12,"s":106})",
                                R"(u {"id":2} {"id":2,"a":7,"hidden":"changed","v":14,"s":107})"}))
      << run.WorkerLog();
  const std::vector<ChangeEvent> streamed = run.WaitForEvents(g, 2, worker.get());
  EXPECT_EQ(Changes(streamed),
            (std::vector<std::string>{R"(r {"my_row_id":1} {"my_row_id":1,"name":"first"})",
                                      R"(c {"my_row_id":2} {"my_row_id":2,"name":"second"})"}))
      << run.WorkerLog();
  run.StopWorker(worker);
}

}  // namespace
}  // namespace sluice::testing
