// The MySQL connector through `sluice worker` against the real MariaDB 10.11 and MySQL 9.7 and
// Kafka, every case on both servers: snapshot then streaming, Debezium's envelope, keys and
// tombstones, primary-key changes, restart without loss, every column type, ALTER TABLE while
// streaming, filters, truncate, heartbeats, transaction metadata, purged binlogs, lost
// connections, snapshot locks, kill -9 and memory bounds.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "connectors/mysql/connector/transaction_metadata.h"
#include "gtest/gtest.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/integration/mysql_connector/server_dialect.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

std::string Json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

// The connector's cases, each on both servers (MariaDB 10.11 and MySQL 9.7), named after the
// server (`Servers/MySqlConnector.Case/MariaDb`, `.../MySql`): CTest runs each server's half as a
// test of its own. SQL that differs between the servers goes through server_dialect.h.
class MySqlConnector : public ::testing::TestWithParam<TestServer> {
 protected:
  void SetUp() override {
    const absl::Status up = CheckServicesReachable(server());
    ASSERT_TRUE(up.ok()) << up;
  }
  TestServer server() const { return GetParam(); }
  std::string Sequence(int first, int last) const { return SequenceTable(server(), first, last); }
};

INSTANTIATE_TEST_SUITE_P(Servers, MySqlConnector,
                         ::testing::Values(TestServer::kMariaDb, TestServer::kMySql),
                         ServerParamName);

bool HasHeader(const ChangeEvent& event, const std::string& key) {
  for (const auto& [name, unused] : event.headers) {
    if (name == key) return true;
  }
  return false;
}

TEST_P(MySqlConnector, SnapshotThenStreamingEmitsDebeziumEventsAndARestartResumesExactly) {
  CdcRun run("basic", /*schemas=*/false, server());
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20), n INT)");
  run.Sql("INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");

  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 3, worker.get());
  ASSERT_EQ(events.size(), 3u);
  const char* markers[] = {"first", "true", "last"};
  for (int i = 0; i < 3; ++i) {
    const ChangeEvent& event = events[i];
    EXPECT_EQ(event.key, absl::StrCat("{\"id\":", i + 1, "}"));
    EXPECT_EQ(event.op(), "r");
    const rapidjson::Value& envelope = event.payload();
    EXPECT_TRUE(envelope["before"].IsNull());
    EXPECT_EQ(envelope["after"]["id"].GetInt(), i + 1);
    EXPECT_EQ(std::string(envelope["source"]["snapshot"].GetString()), markers[i]);
  }
  // Field order of the envelope (before, after, source, transaction, op, ts_ms, ts_us, ts_ns) and
  // of the source block, as Debezium 3.6.1 writes them (tests/reference/debezium).
  const std::string first = *events[0].value;
  EXPECT_LT(first.find("\"before\""), first.find("\"after\""));
  EXPECT_LT(first.find("\"after\""), first.find("\"source\""));
  EXPECT_NE(first.find("\"transaction\":null"), std::string::npos) << first;
  EXPECT_LT(first.find("\"source\""), first.find("\"transaction\":null"));
  EXPECT_LT(first.find("\"transaction\":null"), first.find("\"op\""))
      << "transaction comes before op: " << first;
  EXPECT_LT(first.find("\"op\""), first.find("\"ts_ms\":", first.find("\"op\"")));
  EXPECT_NE(first.find(absl::StrCat("\"source\":{\"version\":")), std::string::npos) << first;
  EXPECT_NE(first.find(absl::StrCat("\"connector\":\"mysql\",\"name\":\"", run.prefix(), "\"")),
            std::string::npos)
      << first;

  run.Sql("INSERT INTO t VALUES (4, 'd', 40)");
  run.Sql("UPDATE t SET n = 11 WHERE id = 1");
  run.Sql("DELETE FROM t WHERE id = 2");
  run.Sql("UPDATE t SET id = 33 WHERE id = 3");
  events = run.WaitForEvents(topic, 10, worker.get());
  ASSERT_EQ(events.size(), 10u);

  const ChangeEvent& create = events[3];
  EXPECT_EQ(create.op(), "c");
  EXPECT_EQ(create.key, "{\"id\":4}");
  EXPECT_EQ(Json(create.payload()["after"]), "{\"id\":4,\"name\":\"d\",\"n\":40}");
  const rapidjson::Value& source = create.payload()["source"];
  EXPECT_EQ(std::string(source["snapshot"].GetString()), "false");
  EXPECT_EQ(std::string(source["db"].GetString()), run.db());
  EXPECT_EQ(std::string(source["table"].GetString()), "t");
  EXPECT_EQ(source["server_id"].GetInt64(), 1);
  EXPECT_TRUE(source["gtid"].IsString());
  EXPECT_EQ(source["row"].GetInt(), 0);
  EXPECT_GT(source["pos"].GetInt64(), 4);
  EXPECT_GT(source["ts_ms"].GetInt64(), 1600000000000);

  const ChangeEvent& update = events[4];
  EXPECT_EQ(update.op(), "u");
  EXPECT_EQ(update.key, "{\"id\":1}");
  EXPECT_EQ(update.payload()["before"]["n"].GetInt(), 10);
  EXPECT_EQ(update.payload()["after"]["n"].GetInt(), 11);

  EXPECT_EQ(events[5].op(), "d");
  EXPECT_EQ(events[5].key, "{\"id\":2}");
  EXPECT_TRUE(events[5].payload()["after"].IsNull());
  EXPECT_EQ(events[5].payload()["before"]["name"].GetString(), std::string("b"));
  EXPECT_FALSE(events[6].value.has_value()) << "a delete is followed by a tombstone";
  EXPECT_EQ(events[6].key, "{\"id\":2}");

  // The primary key changed: delete (old key) + tombstone + create (new key), with headers.
  EXPECT_EQ(events[7].op(), "d");
  EXPECT_EQ(events[7].key, "{\"id\":3}");
  EXPECT_TRUE(HasHeader(events[7], "__debezium.newkey"));
  EXPECT_FALSE(events[8].value.has_value());
  EXPECT_EQ(events[8].key, "{\"id\":3}");
  EXPECT_EQ(events[9].op(), "c");
  EXPECT_EQ(events[9].key, "{\"id\":33}");
  EXPECT_TRUE(HasHeader(events[9], "__debezium.oldkey"));

  // A graceful stop commits what was sent; changes made while stopped arrive after a restart,
  // nothing twice.
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);
  std::optional<std::string> offset = run.CommittedOffset();
  ASSERT_TRUE(offset.has_value());
  EXPECT_NE(offset->find("\"file\":"), std::string::npos) << *offset;
  EXPECT_NE(offset->find("\"pos\":"), std::string::npos) << *offset;
  EXPECT_NE(offset->find("\"gtids\":"), std::string::npos) << *offset;
  EXPECT_EQ(offset->find("snapshot"), std::string::npos) << *offset;

  run.Sql("INSERT INTO t VALUES (5, 'e', 50), (6, 'f', 60)");
  run.Sql("BEGIN");
  run.Sql("INSERT INTO t VALUES (7, 'g', 70)");
  run.Sql("UPDATE t SET n = 71 WHERE id = 7");
  run.Sql("COMMIT");
  worker = run.StartWorker();
  events = run.WaitForEvents(topic, 14, worker.get());
  absl::SleepFor(absl::Seconds(2));
  events = run.WaitForEvents(topic, 14, worker.get());
  ASSERT_EQ(events.size(), 14u) << "exactly the four new changes, none repeated; log:\n"
                                << run.WorkerLog();
  EXPECT_EQ(events[10].key, "{\"id\":5}");
  EXPECT_EQ(events[11].key, "{\"id\":6}");
  EXPECT_EQ(events[11].payload()["source"]["row"].GetInt(), 1);
  // The two rows of one rows event have the same source block but for the row number (the
  // second is a copy of the first with its row set).
  const rapidjson::Value& first_source = events[10].payload()["source"];
  const rapidjson::Value& second_source = events[11].payload()["source"];
  EXPECT_EQ(first_source["row"].GetInt(), 0);
  EXPECT_EQ(first_source.MemberCount(), second_source.MemberCount());
  for (const auto& field : first_source.GetObject()) {
    const std::string name = field.name.GetString();
    if (name == "row") continue;
    ASSERT_TRUE(second_source.HasMember(field.name)) << name;
    EXPECT_EQ(field.value, second_source[field.name]) << "source." << name;
  }
  EXPECT_EQ(events[12].op(), "c");
  EXPECT_EQ(events[13].op(), "u");
  EXPECT_EQ(events[12].payload()["source"]["gtid"], events[13].payload()["source"]["gtid"]);
  run.StopWorker(worker);
}

// A table with a column of every type FORMATS.md lists, and one row's values for it.
void CreateTypesTable(CdcRun& run) {
  run.Sql(
      "CREATE TABLE types (id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, b BOOLEAN, "
      "si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT, i INT, iu INT UNSIGNED, bi BIGINT, "
      "bu BIGINT UNSIGNED, f FLOAT, d DOUBLE, dec1 DECIMAL(10,2), bit1 BIT(1), bit12 BIT(12), "
      "c CHAR(5), vc VARCHAR(20), tx TEXT, l1 VARCHAR(10) CHARACTER SET latin1, bn BINARY(3), "
      "vb VARBINARY(10), bl BLOB, e ENUM('x','y','z'), s SET('a','b','c'), j JSON, dt DATE, "
      "tm TIME(3), dtt DATETIME, dt6 DATETIME(6), ts TIMESTAMP(3) NULL, yr YEAR, "
      "g GEOMETRY, zd DATE NULL)");
}

const char kTypesValues[] =
    "-5, 200, TRUE, -300, 65000, -8000000, -2000000000, 4000000000, -9000000000000, "
    "18446744073709551615, 1.5, 2.25, '-12.34', b'1', b'101010101010', 'ab', 'hello', "
    "'text', 'é', 0x010203, 0x0a0b, 0xff00, 'y', 'a,c', '{\"k\": 1}', '2018-06-20', "
    "'-12:34:56.789', '2018-06-20 06:37:03', '2018-06-20 06:37:03.123456', "
    "'2018-06-20 13:37:03.5', 2024, ST_GeomFromText('POINT(1 2)'), NULL";

// Every column type, through the snapshot (text protocol) and the binlog, with schemas on.
// `<db>.x`.`y` and `<db>`.`x.y` are two tables (backquotes make dots legal in names) whose
// topic is one, `<prefix>.<db>.x.y`; Debezium writes both tables' rows into it. Sluice streams
// the first table met and fails the task at the second, naming both, so no consumer of the topic
// gets rows of two tables; captured alone, a dotted table streams with its own database and name.
TEST_P(MySqlConnector, TwoTablesWhoseNamesJoinToOneTopicAreRefusedAndEitherAloneStreams) {
  CdcRun run("dotted", /*schemas=*/false, server());
  const std::string dotted = run.db() + ".x";
  run.Sql(absl::StrCat("DROP DATABASE IF EXISTS `", dotted, "`"));
  run.Sql(absl::StrCat("CREATE DATABASE `", dotted, "`"));
  run.Sql(absl::StrCat("CREATE TABLE `", dotted, "`.`y` (id INT PRIMARY KEY, a VARCHAR(10))"));
  run.Sql("CREATE TABLE `x.y` (id INT PRIMARY KEY, b INT)");
  const std::string topic = run.Topic("x.y");  // both tables'

  // Both captured (each database list entry matches its own name only).
  run.WriteConnectorConfig(
      {{"snapshot.mode", "no_data"}, {"database.include.list", run.db() + "," + dotted}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_TRUE(run.WaitForLog("binlog stream opened at")) << run.WorkerLog();
  run.Sql(absl::StrCat("INSERT INTO `", dotted, "`.`y` VALUES (1, 'first')"));
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 1, worker.get());
  ASSERT_EQ(events.size(), 1u);
  run.Sql("INSERT INTO `x.y` VALUES (2, 20)");
  ASSERT_TRUE(run.WaitForLog("would both write to topic")) << run.WorkerLog();
  EXPECT_NE(run.WorkerLog().find(absl::StrCat("tables `", dotted, "`.`y` and `", run.db(),
                                              "`.`x.y` would both write to topic `", topic, "`")),
            std::string::npos)
      << run.WorkerLog();
  run.StopWorker(worker);
  events = run.WaitForEvents(topic, 1, nullptr);
  ASSERT_EQ(events.size(), 1u) << "the second table's row must not reach the first one's topic";
  EXPECT_EQ(std::string(events[0].payload()["source"]["db"].GetString()), dotted);

  // `<db>`.`x.y` alone, under another connector name and prefix: its row, its own source.
  const std::string alone_prefix = run.prefix() + "-alone";
  run.WriteConnectorConfig({{"name", run.name() + "-alone"},
                            {"topic.prefix", alone_prefix},
                            {"snapshot.mode", "initial"}});
  worker = run.StartWorker();
  const std::string alone_topic = absl::StrCat(alone_prefix, ".", run.db(), ".x.y");
  events = run.WaitForEvents(alone_topic, 1, worker.get());
  ASSERT_EQ(events.size(), 1u) << run.WorkerLog();
  EXPECT_EQ(std::string(events[0].payload()["source"]["db"].GetString()), run.db());
  EXPECT_EQ(std::string(events[0].payload()["source"]["table"].GetString()), "x.y");
  EXPECT_EQ(events[0].payload()["after"]["b"].GetInt(), 20);
  run.StopWorker(worker);
  run.Sql(absl::StrCat("DROP DATABASE `", dotted, "`"));
}

TEST_P(MySqlConnector, ColumnTypesMapAsFormatsSaysInSnapshotAndStreaming) {
  CdcRun run("types", /*schemas=*/true, server());
  CreateTypesTable(run);
  const std::string values = kTypesValues;
  run.Sql("SET time_zone = '+00:00'");
  run.Sql(absl::StrCat("INSERT INTO types VALUES (1, ", values, ")"));
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("types");
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 1, worker.get());
  ASSERT_EQ(events.size(), 1u);
  run.Sql("SET time_zone = '+00:00'");
  run.Sql(absl::StrCat("INSERT INTO types VALUES (2, ", values, ")"));
  events = run.WaitForEvents(topic, 2, worker.get());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].op(), "r");
  EXPECT_EQ(events[1].op(), "c");

  const std::map<std::string, std::string> expected = {
      {"ti", "-5"},
      {"tu", "200"},
      {"b", "1"},  // BOOLEAN (TINYINT(1)): int16, as Debezium 3.6.1 writes it
      {"si", "-300"},
      {"su", "65000"},
      {"mi", "-8000000"},
      {"i", "-2000000000"},
      {"iu", "4000000000"},
      {"bi", "-9000000000000"},
      {"bu", "-1"},
      {"f", "1.5"},
      {"d", "2.25"},
      {"dec1", "\"+y4=\""},
      {"bit1", "true"},
      {"bit12", "\"qgo=\""},
      {"c", "\"ab\""},
      {"vc", "\"hello\""},
      {"tx", "\"text\""},
      {"l1", "\"é\""},
      {"bn", "\"AQID\""},
      {"vb", "\"Cgs=\""},
      {"bl", "\"/wA=\""},
      {"e", "\"y\""},
      {"s", "\"a,c\""},
      {"j", "\"{\\\"k\\\": 1}\""},
      {"dt", "17702"},
      {"tm", "-45296789000"},
      {"dtt", "1529476623000"},
      {"dt6", "1529476623123456"},
      {"ts", "\"2018-06-20T13:37:03.500Z\""},
      {"yr", "2024"},
      {"g", "{\"wkb\":\"AQEAAAAAAAAAAADwPwAAAAAAAABA\",\"srid\":null}"},
      {"zd", "null"}};
  // MySQL's JSON differs between the paths: the snapshot reads the server's text ({"k": 1}), while
  // streaming decodes the binlog's binary JSON, printed compact ({"k":1}, json_binary.h). MariaDB's
  // JSON is text on both.
  const std::string streamed_json =
      server() == TestServer::kMySql ? R"("{\"k\":1}")" : expected.at("j");
  for (const ChangeEvent& event : events) {
    const rapidjson::Value& after = event.payload()["after"];
    for (const auto& [column, value] : expected) {
      ASSERT_TRUE(after.HasMember(column.c_str())) << column;
      EXPECT_EQ(Json(after[column.c_str()]),
                column == "j" && event.op() == "c" ? streamed_json : value)
          << "column " << column << " in op " << event.op();
    }
  }

  // The value schema: types and logical names as Debezium declares them.
  const rapidjson::Value& schema = (*events[1].json)["schema"];
  const rapidjson::Value* value_schema = nullptr;
  for (const auto& field : schema["fields"].GetArray()) {
    if (std::string(field["field"].GetString()) == "after") value_schema = &field;
  }
  ASSERT_NE(value_schema, nullptr);
  EXPECT_EQ(std::string((*value_schema)["name"].GetString()), run.Topic("types") + ".Value");
  std::map<std::string, std::string> field_schemas;
  for (const auto& field : (*value_schema)["fields"].GetArray()) {
    field_schemas[field["field"].GetString()] = Json(field);
  }
  auto expect_schema = [&](const std::string& column, const std::string& fragment) {
    EXPECT_NE(field_schemas[column].find(fragment), std::string::npos)
        << column << ": " << field_schemas[column];
  };
  expect_schema("ti", "\"type\":\"int16\"");
  expect_schema("su", "\"type\":\"int32\"");
  expect_schema("iu", "\"type\":\"int64\"");
  expect_schema("b", "\"type\":\"int16\"");
  expect_schema("f", "\"type\":\"float\"");
  expect_schema("d", "\"type\":\"double\"");
  expect_schema("dec1", "\"name\":\"org.apache.kafka.connect.data.Decimal\"");
  expect_schema("dec1", "\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"10\"}");
  expect_schema("bit12", "\"name\":\"io.debezium.data.Bits\"");
  expect_schema("bit12", "\"parameters\":{\"length\":\"12\"}");
  expect_schema("e", "\"name\":\"io.debezium.data.Enum\"");
  expect_schema("e", "\"allowed\":\"x,y,z\"");
  expect_schema("s", "\"name\":\"io.debezium.data.EnumSet\"");
  // MariaDB's JSON (a LONGTEXT with a json_valid check) and MySQL's binary JSON are both
  // io.debezium.data.Json, as FORMATS.md says.
  expect_schema("j", "\"type\":\"string\"");
  expect_schema("j", "\"name\":\"io.debezium.data.Json\"");
  expect_schema("dt", "\"name\":\"io.debezium.time.Date\"");
  expect_schema("tm", "\"name\":\"io.debezium.time.MicroTime\"");
  expect_schema("dtt", "\"name\":\"io.debezium.time.Timestamp\"");
  expect_schema("dt6", "\"name\":\"io.debezium.time.MicroTimestamp\"");
  expect_schema("ts", "\"name\":\"io.debezium.time.ZonedTimestamp\"");
  expect_schema("yr", "\"name\":\"io.debezium.time.Year\"");
  expect_schema("g", "\"name\":\"io.debezium.data.geometry.Geometry\"");
  expect_schema("id", "\"optional\":false");
  EXPECT_EQ(std::string(schema["name"].GetString()), run.Topic("types") + ".Envelope");
  run.StopWorker(worker);
}

// ENUM and SET members with a quote, a comma and a backslash: the snapshot reads them from
// information_schema's COLUMN_TYPE (escaped), streaming from the table map (unescaped); both give
// the same members, so the value schema (its `allowed` list) and the values are the same, and the
// schema change's enumValues quote them as the DDL does.
TEST_P(MySqlConnector, EnumAndSetMembersWithQuotesCommasAndBackslashesReadTheSameBothWays) {
  CdcRun run("enums", /*schemas=*/true, server());
  run.Sql(R"(CREATE TABLE t (id INT PRIMARY KEY, e ENUM('a''b','c,d','e\\f'), )"
          R"(s SET('x''y','z\\w')))");
  run.Sql(R"(INSERT INTO t VALUES (1, 'e\\f', 'x''y,z\\w'))");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u);
  run.Sql(R"(INSERT INTO t VALUES (2, 'a''b', 'z\\w'))");
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 2, worker.get());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].op(), "r");
  EXPECT_EQ(events[1].op(), "c");
  EXPECT_EQ(Json(events[0].payload()["after"]["e"]), R"("e\\f")");
  EXPECT_EQ(Json(events[0].payload()["after"]["s"]), R"("x'y,z\\w")");
  EXPECT_EQ(Json(events[1].payload()["after"]["e"]), R"("a'b")");
  EXPECT_EQ(Json(events[1].payload()["after"]["s"]), R"("z\\w")");
  for (const ChangeEvent& event : events) {
    std::map<std::string, std::string> allowed;
    for (const auto& part : (*event.json)["schema"]["fields"].GetArray()) {
      if (std::string(part["field"].GetString()) != "after") continue;
      for (const auto& field : part["fields"].GetArray()) {
        if (field.HasMember("parameters")) {
          allowed[field["field"].GetString()] = Json(field["parameters"]["allowed"]);
        }
      }
    }
    EXPECT_EQ(allowed["e"], R"("a'b,c,d,e\\f")") << "op " << event.op();
    EXPECT_EQ(allowed["s"], R"("x'y,z\\w")") << "op " << event.op();
  }
  // The snapshot's CREATE TABLE on the schema topic: enumValues as the DDL writes them.
  bool described = false;
  for (const ChangeEvent& change : run.WaitForEvents(run.prefix(), 1, worker.get())) {
    for (const auto& table_change : change.payload()["tableChanges"].GetArray()) {
      if (std::string(table_change["id"].GetString()).find("\"t\"") == std::string::npos) continue;
      for (const auto& column : table_change["table"]["columns"].GetArray()) {
        if (std::string(column["name"].GetString()) != "e") continue;
        EXPECT_EQ(Json(column["enumValues"]), R"(["'a''b'","'c,d'","'e\\\\f'"])");
        described = true;
      }
    }
  }
  EXPECT_TRUE(described) << "the schema topic describes the table";
  run.StopWorker(worker);
}

// The handling modes switch the mappings (schemas off): decimal as string, Kafka Connect's time
// types, BIGINT UNSIGNED as Decimal, binary as hex.
TEST_P(MySqlConnector, HandlingModesSwitchTheMappings) {
  CdcRun run("modes", /*schemas=*/false, server());
  CreateTypesTable(run);
  run.Sql("SET time_zone = '+00:00'");
  run.Sql(absl::StrCat("INSERT INTO types VALUES (1, ", kTypesValues, ")"));
  run.WriteConnectorConfig({{"decimal.handling.mode", "string"},
                            {"time.precision.mode", "connect"},
                            {"bigint.unsigned.handling.mode", "precise"},
                            {"binary.handling.mode", "hex"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("types");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u);
  run.Sql("SET time_zone = '+00:00'");
  run.Sql(absl::StrCat("INSERT INTO types VALUES (2, ", kTypesValues, ")"));
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 2, worker.get());
  ASSERT_EQ(events.size(), 2u);
  const std::map<std::string, std::string> expected = {
      {"dec1", "\"-12.34\""},   {"bu", "\"AP//////////\""},
      {"bn", "\"010203\""},     {"vb", "\"0a0b\""},
      {"bl", "\"ff00\""},       {"dt", "17702"},
      {"tm", "-45296789"},      {"dtt", "1529476623000"},
      {"dt6", "1529476623123"}, {"ts", "\"2018-06-20T13:37:03.500Z\""}};
  for (const ChangeEvent& event : events) {
    const rapidjson::Value& after = event.payload()["after"];
    for (const auto& [column, value] : expected) {
      ASSERT_TRUE(after.HasMember(column.c_str())) << column;
      EXPECT_EQ(Json(after[column.c_str()]), value)
          << "column " << column << " in op " << event.op();
    }
  }
  run.StopWorker(worker);
}

TEST_P(MySqlConnector, AlterTableWhileStreamingTakesEffectAtTheEventWhereItHappened) {
  CdcRun run("alter", /*schemas=*/false, server());
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, a INT)");
  run.Sql("INSERT INTO t VALUES (1, 1)");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u);
  run.Sql("INSERT INTO t VALUES (2, 2)");
  run.Sql("ALTER TABLE t ADD COLUMN b VARCHAR(10)");
  run.Sql("INSERT INTO t VALUES (3, 3, 'x')");
  run.Sql("ALTER TABLE t DROP COLUMN a");
  run.Sql("UPDATE t SET b = 'y' WHERE id = 1");
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 4, worker.get());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(Json(events[1].payload()["after"]), "{\"id\":2,\"a\":2}");
  EXPECT_EQ(Json(events[2].payload()["after"]), "{\"id\":3,\"a\":3,\"b\":\"x\"}");
  EXPECT_EQ(Json(events[3].payload()["before"]), "{\"id\":1,\"b\":null}");
  EXPECT_EQ(Json(events[3].payload()["after"]), "{\"id\":1,\"b\":\"y\"}");

  // The DDL statements went to the schema change topic <topic.prefix>, keyed by database.
  // The snapshot's CREATE TABLE first, then the two ALTERs as they streamed.
  std::vector<ChangeEvent> changes = run.WaitForEvents(run.prefix(), 3, worker.get());
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].key, absl::StrCat("{\"databaseName\":\"", run.db(), "\"}"));
  EXPECT_EQ(std::string(changes[0].payload()["ddl"].GetString()).rfind("CREATE TABLE `t`", 0), 0u)
      << changes[0].payload()["ddl"].GetString();
  EXPECT_EQ(std::string(changes[0].payload()["source"]["snapshot"].GetString()), "true");
  EXPECT_EQ(std::string(changes[1].payload()["ddl"].GetString()),
            "ALTER TABLE t ADD COLUMN b VARCHAR(10)");
  EXPECT_EQ(std::string(changes[1].payload()["databaseName"].GetString()), run.db());
  EXPECT_EQ(std::string(changes[1].payload()["source"]["snapshot"].GetString()), "false");
  EXPECT_EQ(std::string(changes[2].payload()["ddl"].GetString()), "ALTER TABLE t DROP COLUMN a");
  EXPECT_TRUE(changes[2].payload()["tableChanges"].IsArray());
  run.StopWorker(worker);
}

// The `ddl` of each schema change event, one a line, for a failure's message.
std::string DdlStatements(const std::vector<ChangeEvent>& changes) {
  std::string text;
  for (const ChangeEvent& change : changes) {
    if (change.json != nullptr && change.payload().HasMember("ddl")) {
      absl::StrAppend(&text, change.payload()["ddl"].GetString(), "\n");
    }
  }
  return text;
}

// An ALTER that changes one detail of one column (BINARY(n)'s length, a DECIMAL's scale, a
// TIMESTAMP's fractional digits, ENUM members that join to the same text, a charset, BIT(n)'s
// length) makes a new table version: the rows after it are written with the new column, never
// with the version of the rows before it (which would pad BINARY(8) values to 4 bytes, read an
// ENUM index among the old members, ...). Checked column by column in the topic, in the value
// schema, and in each ALTER's schema change event.
TEST_P(MySqlConnector, AnAlterOfOneColumnDetailTakesEffectForTheRowsAfterIt) {
  CdcRun run("alterdetail", /*schemas=*/true, server());
  run.Sql("SET time_zone = '+00:00'");
  run.Sql(
      "CREATE TABLE t (id INT PRIMARY KEY, b BINARY(4), d DECIMAL(10,2), "
      "ts TIMESTAMP(0) NULL DEFAULT NULL, e ENUM('a,b','c'), "
      "s VARCHAR(10) CHARACTER SET utf8mb4, bits BIT(3))");
  run.Sql("INSERT INTO t VALUES (1, 'ab', 1.25, NULL, NULL, 'x', b'101')");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u);

  // Each ALTER changes one detail; the row after it shows it. Row 2 is streamed with the table
  // as created, so the version the ALTERs must not reuse exists.
  struct Step {
    std::string alter;   // empty: none
    std::string insert;  // the row after it
    std::string after;   // its after image
    std::string column;  // the altered column
    std::string schema_fragment;  // in the column's field schema; empty: nothing to check
    std::string ddl_fragment;     // in the column as the ALTER's tableChanges describe it
  };
  const std::vector<Step> steps = {
      {"", "(2, 'ab', 1.25, NULL, NULL, 'x', b'101')",
       R"({"id":2,"b":"YWIAAA==","d":"fQ==","ts":null,"e":null,"s":"x","bits":"BQ=="})", "d",
       R"("parameters":{"scale":"2","connect.decimal.precision":"10"})", ""},
      {"ALTER TABLE t MODIFY b BINARY(8)", "(3, 'ab', 1.25, NULL, NULL, 'x', b'101')",
       R"({"id":3,"b":"YWIAAAAAAAA=","d":"fQ==","ts":null,"e":null,"s":"x","bits":"BQ=="})", "b",
       R"("type":"bytes")", R"("typeName":"BINARY")"},
      {"ALTER TABLE t MODIFY d DECIMAL(10,4)", "(4, 'ab', 1.25, NULL, NULL, 'x', b'101')",
       R"({"id":4,"b":"YWIAAAAAAAA=","d":"MNQ=","ts":null,"e":null,"s":"x","bits":"BQ=="})", "d",
       R"("parameters":{"scale":"4","connect.decimal.precision":"10"})", R"("length":10,"scale":4)"},
      {"ALTER TABLE t MODIFY ts TIMESTAMP(3) NULL DEFAULT NULL",
       "(5, 'ab', 1.25, '2024-01-02 03:04:05.678', NULL, 'x', b'101')",
       R"({"id":5,"b":"YWIAAAAAAAA=","d":"MNQ=","ts":"2024-01-02T03:04:05.678Z","e":null,)"
       R"("s":"x","bits":"BQ=="})",
       "ts", R"("name":"io.debezium.time.ZonedTimestamp")", R"("length":3)"},
      {"ALTER TABLE t MODIFY e ENUM('a','b,c')",
       "(6, 'ab', 1.25, '2024-01-02 03:04:05.678', 'b,c', 'x', b'101')",
       R"({"id":6,"b":"YWIAAAAAAAA=","d":"MNQ=","ts":"2024-01-02T03:04:05.678Z","e":"b,c",)"
       R"("s":"x","bits":"BQ=="})",
       "e", R"("allowed":"a,b,c")", R"("enumValues":["'a'","'b,c'"])"},
      {"ALTER TABLE t MODIFY s VARCHAR(10) CHARACTER SET latin1",
       "(7, 'ab', 1.25, '2024-01-02 03:04:05.678', 'b,c', '\u00e9', b'101')",
       R"({"id":7,"b":"YWIAAAAAAAA=","d":"MNQ=","ts":"2024-01-02T03:04:05.678Z","e":"b,c",)"
       "\"s\":\"\u00e9\",\"bits\":\"BQ==\"}",
       "s", R"("type":"string")", R"("charsetName":"latin1")"},
      {"ALTER TABLE t MODIFY bits BIT(5)",
       "(8, 'ab', 1.25, '2024-01-02 03:04:05.678', 'b,c', '\u00e9', b'10101')",
       R"({"id":8,"b":"YWIAAAAAAAA=","d":"MNQ=","ts":"2024-01-02T03:04:05.678Z","e":"b,c",)"
       "\"s\":\"\u00e9\",\"bits\":\"FQ==\"}",
       "bits", R"("parameters":{"length":"5"})", R"("length":5)"},
  };
  for (const Step& step : steps) {
    if (!step.alter.empty()) run.Sql(step.alter);
    run.Sql("INSERT INTO t VALUES " + step.insert);
  }
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 1 + steps.size(), worker.get());
  ASSERT_EQ(events.size(), 1 + steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& step = steps[i];
    const ChangeEvent& event = events[1 + i];
    SCOPED_TRACE(step.alter.empty() ? std::string("the table as created") : step.alter);
    EXPECT_EQ(Json(event.payload()["after"]), step.after);
    std::string field_schema;
    for (const auto& part : (*event.json)["schema"]["fields"].GetArray()) {
      if (std::string(part["field"].GetString()) != "after") continue;
      for (const auto& field : part["fields"].GetArray()) {
        if (std::string(field["field"].GetString()) == step.column) field_schema = Json(field);
      }
    }
    EXPECT_NE(field_schema.find(step.schema_fragment), std::string::npos) << field_schema;
  }

  // The schema change events: the snapshot's CREATE, then each ALTER describing the altered
  // column as it became.
  std::vector<ChangeEvent> changes = run.WaitForEvents(run.prefix(), steps.size(), worker.get());
  ASSERT_EQ(changes.size(), steps.size()) << DdlStatements(changes);
  for (size_t i = 1; i < steps.size(); ++i) {
    const Step& step = steps[i];
    const rapidjson::Value& payload = changes[i].payload();
    SCOPED_TRACE(step.alter);
    EXPECT_EQ(std::string(payload["ddl"].GetString()), step.alter);
    std::string column;
    for (const auto& described : payload["tableChanges"][0]["table"]["columns"].GetArray()) {
      if (std::string(described["name"].GetString()) == step.column) column = Json(described);
    }
    EXPECT_NE(column.find(step.ddl_fragment), std::string::npos) << column;
  }
  run.StopWorker(worker);
}

// include.schema.changes: a CREATE, ALTER or DROP TABLE carries Debezium's tableChanges — the
// table's structure right after the statement, from the schema model advanced statement by
// statement (a table the model has not met is read from information_schema), type DROP with no
// table for a drop. Read late (the connector was stopped while a CREATE was followed by an ALTER,
// or by a TRUNCATE: issue 17), each statement still gets its own structure.
TEST_P(MySqlConnector, SchemaChangeEventsDescribeTheTableAfterEachStatement) {
  CdcRun run("tablechanges", /*schemas=*/false, server());
  run.Sql("CREATE TABLE snap (id INT PRIMARY KEY, v VARCHAR(5))");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.prefix();
  const std::string id = absl::StrCat("\"", run.db(), "\".\"t\"");
  std::vector<ChangeEvent> changes = run.WaitForEvents(topic, 1, worker.get());
  ASSERT_EQ(changes.size(), 1u);
  {
    const rapidjson::Value& change = changes[0].payload()["tableChanges"][0];
    EXPECT_EQ(std::string(change["type"].GetString()), "CREATE");
    EXPECT_EQ(std::string(change["id"].GetString()), absl::StrCat("\"", run.db(), "\".\"snap\""));
    EXPECT_EQ(Json(change["table"]["primaryKeyColumnNames"]), "[\"id\"]");
    EXPECT_EQ(change["table"]["columns"].Size(), 2u);
    EXPECT_EQ(std::string(changes[0].payload()["source"]["table"].GetString()), "snap");
  }

  run.Sql(
      "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, "
      "name VARCHAR(20) NOT NULL DEFAULT 'x', kind ENUM('a','b'))");
  changes = run.WaitForEvents(topic, 2, worker.get());
  ASSERT_EQ(changes.size(), 2u);
  {
    const rapidjson::Value& payload = changes[1].payload();
    EXPECT_EQ(std::string(payload["source"]["table"].GetString()), "t");
    ASSERT_EQ(payload["tableChanges"].Size(), 1u);
    const rapidjson::Value& change = payload["tableChanges"][0];
    EXPECT_EQ(std::string(change["type"].GetString()), "CREATE");
    EXPECT_EQ(std::string(change["id"].GetString()), id);
    const rapidjson::Value& table = change["table"];
    EXPECT_EQ(std::string(table["defaultCharsetName"].GetString()), "utf8mb4");
    EXPECT_EQ(Json(table["primaryKeyColumnNames"]), "[\"id\"]");
    ASSERT_EQ(table["columns"].Size(), 3u);
    EXPECT_EQ(
        Json(table["columns"][0]),
        absl::StrCat(
            "{\"name\":\"id\",\"jdbcType\":-5,\"nativeType\":null,\"typeName\":\"BIGINT "
            "UNSIGNED\",\"typeExpression\":\"BIGINT UNSIGNED\",\"charsetName\":null,\"length\":"
            "null,\"scale\":null,\"position\":1,\"optional\":false,\"autoIncremented\":true,"
            "\"generated\":true,\"comment\":null,\"defaultValueExpression\":null,"
            "\"enumValues\":null}"));
    EXPECT_EQ(Json(table["columns"][1]),
              "{\"name\":\"name\",\"jdbcType\":12,\"nativeType\":null,\"typeName\":\"VARCHAR\","
              "\"typeExpression\":\"VARCHAR\",\"charsetName\":\"utf8mb4\",\"length\":20,"
              "\"scale\":null,\"position\":2,\"optional\":false,\"autoIncremented\":false,"
              "\"generated\":false,\"comment\":null,\"defaultValueExpression\":\"x\","
              "\"enumValues\":null}");
    EXPECT_EQ(Json(table["columns"][2]["enumValues"]), "[\"'a'\",\"'b'\"]");
  }

  run.Sql("ALTER TABLE t ADD COLUMN note TEXT");
  changes = run.WaitForEvents(topic, 3, worker.get());
  ASSERT_EQ(changes.size(), 3u);
  {
    const rapidjson::Value& change = changes[2].payload()["tableChanges"][0];
    EXPECT_EQ(std::string(change["type"].GetString()), "ALTER");
    EXPECT_EQ(std::string(change["id"].GetString()), id);
    const rapidjson::Value& columns = change["table"]["columns"];
    ASSERT_EQ(columns.Size(), 4u) << Json(columns);
    EXPECT_EQ(std::string(columns[3]["name"].GetString()), "note");
    EXPECT_EQ(std::string(columns[3]["typeName"].GetString()), "TEXT");
    EXPECT_EQ(columns[3]["position"].GetInt(), 4);
    EXPECT_TRUE(columns[3]["optional"].GetBool());
  }

  run.Sql("DROP TABLE t");
  changes = run.WaitForEvents(topic, 4, worker.get());
  ASSERT_EQ(changes.size(), 4u);
  {
    const rapidjson::Value& payload = changes[3].payload();
    EXPECT_EQ(std::string(payload["ddl"].GetString()),
              absl::StrCat("DROP TABLE `", run.db(), "`.`t`"));
    EXPECT_EQ(std::string(payload["source"]["table"].GetString()), "t");
    ASSERT_EQ(payload["tableChanges"].Size(), 1u);
    EXPECT_EQ(std::string(payload["tableChanges"][0]["type"].GetString()), "DROP");
    EXPECT_EQ(std::string(payload["tableChanges"][0]["id"].GetString()), id);
    EXPECT_TRUE(payload["tableChanges"][0]["table"].IsNull());
  }

  // Read late: by the time the connector reads the CREATE, the table was altered again (and
  // another one truncated), so information_schema no longer says what the CREATE made; the
  // model, advanced statement by statement, does.
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);
  run.Sql("CREATE TABLE late (a INT NOT NULL, PRIMARY KEY (a))");
  run.Sql("ALTER TABLE late ADD COLUMN b VARCHAR(3) DEFAULT 'q' FIRST");
  run.Sql("CREATE TABLE emptied (id INT PRIMARY KEY, v DATETIME(3))");
  run.Sql("TRUNCATE TABLE emptied");
  worker = run.StartWorker();
  changes = run.WaitForEvents(topic, 8, worker.get());
  ASSERT_EQ(changes.size(), 8u) << DdlStatements(changes);
  {
    const rapidjson::Value& created = changes[4].payload()["tableChanges"][0];
    EXPECT_EQ(std::string(created["type"].GetString()), "CREATE");
    ASSERT_TRUE(created["table"].IsObject()) << Json(created);
    ASSERT_EQ(created["table"]["columns"].Size(), 1u) << Json(created);
    EXPECT_EQ(Json(created["table"]["primaryKeyColumnNames"]), "[\"a\"]");
    const rapidjson::Value& altered = changes[5].payload()["tableChanges"][0];
    EXPECT_EQ(std::string(altered["type"].GetString()), "ALTER");
    const rapidjson::Value& columns = altered["table"]["columns"];
    ASSERT_EQ(columns.Size(), 2u) << Json(altered);
    EXPECT_EQ(std::string(columns[0]["name"].GetString()), "b");
    EXPECT_EQ(columns[0]["position"].GetInt(), 1);
    EXPECT_EQ(std::string(columns[0]["defaultValueExpression"].GetString()), "q");
    EXPECT_EQ(std::string(columns[0]["charsetName"].GetString()), "utf8mb4");
    EXPECT_EQ(std::string(columns[1]["name"].GetString()), "a");
    EXPECT_EQ(columns[1]["position"].GetInt(), 2);
    const rapidjson::Value& emptied = changes[6].payload()["tableChanges"][0];
    EXPECT_EQ(std::string(emptied["type"].GetString()), "CREATE");
    ASSERT_TRUE(emptied["table"].IsObject()) << Json(emptied);
    EXPECT_EQ(emptied["table"]["columns"].Size(), 2u);
    EXPECT_EQ(emptied["table"]["columns"][1]["length"].GetInt(), 3);
    EXPECT_EQ(std::string(changes[7].payload()["ddl"].GetString()), "TRUNCATE TABLE emptied");
  }
  EXPECT_EQ(run.WorkerLog().find("is unknown"), std::string::npos);
  run.StopWorker(worker);
}

// A statement of a captured database the schema model cannot apply (here: a column type, or
// MariaDB's system versioning, it does not model): with schema.model.unparseable.handling.mode=fail
// the task stops naming the statement and its position; with warn it logs the same and describes
// the table from information_schema, as it does a table it meets first.
TEST_P(MySqlConnector, AStatementTheSchemaModelCannotApplyFollowsTheOption) {
  CdcRun run("unmodelled", /*schemas=*/false, server());
  run.Sql("CREATE TABLE src (id INT PRIMARY KEY, v VARCHAR(4))");
  run.WriteConnectorConfig({{"schema.model.unparseable.handling.mode", "fail"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.prefix();
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u) << run.WorkerLog();
  run.Sql("CREATE TABLE made (id INT PRIMARY KEY)");  // modelled from its text
  ASSERT_EQ(run.WaitForEvents(topic, 2, worker.get()).size(), 2u) << run.WorkerLog();
  const std::string unmodelled = server() == TestServer::kMySql
                                     ? "ALTER TABLE made ADD COLUMN g GEOMCOLLECTION"
                                     : "ALTER TABLE made ADD SYSTEM VERSIONING";
  run.Sql(unmodelled);
  ASSERT_TRUE(run.WaitForLog("the schema model cannot apply")) << run.WorkerLog();
  const std::string log = run.WorkerLog();
  EXPECT_NE(log.find(absl::StrCat("the schema model cannot apply `", unmodelled, "` at ")),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("set schema.model.unparseable.handling.mode=warn"), std::string::npos);
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(run.WaitForEvents(topic, 2, worker.get()).size(), 2u) << "no record past the statement";
  run.StopWorker(worker);

  run.WriteConnectorConfig({{"schema.model.unparseable.handling.mode", "warn"}});
  worker = run.StartWorker();
  std::vector<ChangeEvent> changes = run.WaitForEvents(topic, 3, worker.get());
  ASSERT_EQ(changes.size(), 3u) << DdlStatements(changes) << run.WorkerLog();
  const rapidjson::Value& change = changes[2].payload()["tableChanges"][0];
  EXPECT_EQ(std::string(change["type"].GetString()), "ALTER");
  ASSERT_TRUE(change["table"].IsObject()) << Json(change);
  EXPECT_GE(change["table"]["columns"].Size(), 1u) << Json(change);
  EXPECT_NE(run.WorkerLog().find("(schema.model.unparseable.handling.mode=warn)"),
            std::string::npos);
  run.StopWorker(worker);
}

TEST_P(MySqlConnector, FiltersKeyLessTablesAndDebeziumClassNames) {
  CdcRun run("filters", /*schemas=*/false, server());
  run.Sql("CREATE TABLE keep (id INT PRIMARY KEY, v INT, secret VARCHAR(10))");
  run.Sql("CREATE TABLE skip (id INT PRIMARY KEY)");
  run.Sql("CREATE TABLE nopk (a INT)");
  run.Sql("CREATE TABLE nopk2 (a INT, b INT NOT NULL)");
  run.WriteConnectorConfig({{"connector.class", DebeziumConnectorClass(server())},
                            {"snapshot.mode", "no_data"},
                            {"table.include.list", absl::StrCat(run.db(), "\\.(keep|nopk|nopk2)")},
                            {"message.key.columns", absl::StrCat(run.db(), "\\.nopk2:b")},
                            {"column.exclude.list", absl::StrCat(run.db(), "\\.keep\\.secret")},
                            {"skipped.operations", "none"},
                            {"heartbeat.interval.ms", "500"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  // no_data: streaming starts at the position current when the task starts; wait for it.
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (run.WorkerLog().find("streaming from the current position") == std::string::npos &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  run.Sql("INSERT INTO skip VALUES (1)");
  run.Sql("INSERT INTO keep VALUES (1, 10, 'hidden')");
  run.Sql("INSERT INTO nopk VALUES (7)");
  run.Sql("INSERT INTO nopk2 VALUES (1, 8)");
  std::vector<ChangeEvent> keep = run.WaitForEvents(run.Topic("keep"), 1, worker.get());
  ASSERT_EQ(keep.size(), 1u);
  EXPECT_EQ(Json(keep[0].payload()["after"]), "{\"id\":1,\"v\":10}");
  EXPECT_EQ(std::string(keep[0].payload()["source"]["connector"].GetString()),
            SourceConnectorName(server()));
  std::vector<ChangeEvent> nopk = run.WaitForEvents(run.Topic("nopk"), 1, worker.get());
  ASSERT_EQ(nopk.size(), 1u);
  EXPECT_FALSE(nopk[0].key.has_value()) << "a table without a primary key has a null key";
  std::vector<ChangeEvent> nopk2 = run.WaitForEvents(run.Topic("nopk2"), 1, worker.get());
  ASSERT_EQ(nopk2.size(), 1u);
  EXPECT_EQ(nopk2[0].key, "{\"b\":8}") << "message.key.columns gives it a key";
  absl::StatusOr<std::vector<ConsumedRecord>> skipped =
      ReadWholeTopic(KafkaBootstrap(), run.Topic("skip"), absl::Seconds(5));
  EXPECT_TRUE(absl::IsNotFound(skipped.status()) || skipped->empty());

  // TRUNCATE (emitted with skipped.operations=none): op t, no key.
  run.Sql("TRUNCATE TABLE keep");
  keep = run.WaitForEvents(run.Topic("keep"), 2, worker.get());
  ASSERT_EQ(keep.size(), 2u);
  EXPECT_EQ(keep[1].op(), "t");
  EXPECT_FALSE(keep[1].key.has_value());
  EXPECT_TRUE(keep[1].payload()["before"].IsNull());
  EXPECT_TRUE(keep[1].payload()["after"].IsNull());

  // Heartbeats every 500 ms, keyed by the server name.
  std::vector<ChangeEvent> beats =
      run.WaitForEvents("__debezium-heartbeat." + run.prefix(), 2, worker.get());
  ASSERT_GE(beats.size(), 2u);
  EXPECT_EQ(beats[0].key, absl::StrCat("{\"serverName\":\"", run.prefix(), "\"}"));
  EXPECT_TRUE(beats[0].payload()["ts_ms"].IsInt64());
  run.StopWorker(worker);
}

// The first TRUNCATE after a snapshot, before streaming met any row of the table, is emitted like
// any other: op t, no key, its schema the snapshot's (read from the catalog).
TEST_P(MySqlConnector, TheFirstTruncateAfterASnapshotIsEmitted) {
  CdcRun run("truncfirst", /*schemas=*/true, server());
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))");
  run.Sql("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  run.WriteConnectorConfig({{"skipped.operations", "none"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  std::vector<ChangeEvent> events = run.WaitForEvents(run.Topic("t"), 2, worker.get());
  ASSERT_EQ(OpsAndIds(events), (std::vector<std::string>{"r1", "r2"}));
  run.Sql("TRUNCATE TABLE t");
  events = run.WaitForEvents(run.Topic("t"), 3, worker.get());
  ASSERT_EQ(events.size(), 3u) << run.WorkerLog();
  EXPECT_EQ(events[2].op(), "t");
  EXPECT_FALSE(events[2].key.has_value());
  EXPECT_TRUE(events[2].payload()["before"].IsNull());
  EXPECT_TRUE(events[2].payload()["after"].IsNull());
  // The envelope's schema describes the table as the snapshot's records did.
  const rapidjson::Value& read_schema = (*events[0].json)["schema"];
  const rapidjson::Value& truncate_schema = (*events[2].json)["schema"];
  EXPECT_EQ(Json(truncate_schema["fields"][0]), Json(read_schema["fields"][0]));
  EXPECT_EQ(run.WorkerLog().find("not emitted"), std::string::npos) << run.WorkerLog();
  run.StopWorker(worker);
}

// include.query: each row's source.query is the statement that wrote it (MariaDB's ANNOTATE_ROWS;
// MySQL's ROWS_QUERY, written with binlog_rows_query_log_events=ON), credentials redacted as in
// schema changes; without it source.query stays null.
TEST_P(MySqlConnector, IncludeQueryPutsTheRedactedStatementInSourceQuery) {
  CdcRun run("inclquery", /*schemas=*/false, server());
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(40), password VARCHAR(40))");
  run.Sql("INSERT INTO t VALUES (1, 'snapshotted', 'x')");
  run.WriteConnectorConfig({{"include.query", "true"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_EQ(run.WaitForEvents(run.Topic("t"), 1, worker.get()).size(), 1u);
  if (server() == TestServer::kMySql) run.Sql("SET SESSION binlog_rows_query_log_events = ON");
  run.Sql("INSERT INTO t VALUES (2, 'two', 'y'), (3, 'three', 'z')");
  run.Sql("UPDATE t SET v = 'changed' WHERE password = 'hunter2' OR id = 2");
  std::vector<ChangeEvent> events = run.WaitForEvents(run.Topic("t"), 4, worker.get());
  ASSERT_EQ(OpsAndIds(events), (std::vector<std::string>{"r1", "c2", "c3", "u2"}));
  EXPECT_TRUE(events[0].payload()["source"]["query"].IsNull()) << "a snapshot row has no query";
  const std::string insert = "INSERT INTO t VALUES (2, 'two', 'y'), (3, 'three', 'z')";
  EXPECT_EQ(std::string(events[1].payload()["source"]["query"].GetString()), insert);
  EXPECT_EQ(std::string(events[2].payload()["source"]["query"].GetString()), insert);
  EXPECT_EQ(std::string(events[3].payload()["source"]["query"].GetString()),
            "UPDATE t SET v = 'changed' WHERE password = '<secret>' OR id = 2");
  run.StopWorker(worker);
}

// The committed position's binlog was purged while the connector was stopped: with
// snapshot.mode=initial the task fails saying so, naming the position it needed (file:pos); with
// when_needed it snapshots again. On the scratch server (ScratchOf).
TEST_P(MySqlConnector, APurgedBinlogFailsClearlyOrSnapshotsAgainWhenNeeded) {
  const TestServer scratch = ScratchOf(server());
  const absl::Status up = CheckServicesReachable(scratch);
  ASSERT_TRUE(up.ok()) << up;
  CdcRun run("purged", /*schemas=*/false, scratch);
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  run.Sql("INSERT INTO t VALUES (1)");
  run.WriteConnectorConfig();
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u);
  absl::SleepFor(absl::Seconds(1));
  run.StopWorker(worker);
  std::optional<std::string> committed = run.CommittedOffset();
  ASSERT_TRUE(committed.has_value());
  rapidjson::Document offset;
  offset.Parse(committed->c_str());
  ASSERT_TRUE(offset.IsObject() && offset.HasMember("file") && offset.HasMember("pos"))
      << *committed;
  const std::string position =
      absl::StrCat(offset["file"].GetString(), ":", offset["pos"].GetInt64());

  run.Sql("INSERT INTO t VALUES (2)");
  run.Sql("FLUSH BINARY LOGS");
  absl::SleepFor(absl::Seconds(1));
  run.Sql("PURGE BINARY LOGS BEFORE NOW()");

  worker = run.StartWorker();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (run.WorkerLog().find("is no longer on the server") == std::string::npos &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  EXPECT_NE(run.WorkerLog().find("when_needed"), std::string::npos) << run.WorkerLog();
  EXPECT_NE(run.WorkerLog().find(absl::StrCat("the committed position ", position)),
            std::string::npos)
      << "the error names the position it needed; log:\n"
      << run.WorkerLog();
  run.StopWorker(worker);

  run.WriteConnectorConfig({{"snapshot.mode", "when_needed"}});
  worker = run.StartWorker();
  std::vector<ChangeEvent> events = run.WaitForEvents(topic, 3, worker.get());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].op(), "r");
  EXPECT_EQ(events[2].op(), "r");
  EXPECT_EQ(events[2].key, "{\"id\":2}");
  run.Sql("INSERT INTO t VALUES (3)");
  events = run.WaitForEvents(topic, 4, worker.get());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[3].op(), "c");
  run.StopWorker(worker);
}

// The snapshot modes besides initial (this file's other cases), no_data (filters, memory bounds)
// and when_needed (purged binlogs): never reads no rows but streams from the oldest binlog the
// server has, so rows written before the connector started arrive as creates; initial_only
// snapshots, then reads nothing more, also after a restart.
TEST_P(MySqlConnector, SnapshotModesNeverAndInitialOnly) {
  CdcRun never("modenever", /*schemas=*/false, server());
  never.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  never.Sql("INSERT INTO t VALUES (1), (2)");
  never.WriteConnectorConfig({{"snapshot.mode", "never"}});
  std::unique_ptr<Subprocess> worker = never.StartWorker();
  never.Sql("INSERT INTO t VALUES (3)");
  std::vector<ChangeEvent> events = never.WaitForEvents(never.Topic("t"), 3, worker.get());
  ASSERT_EQ(events.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].op(), "c");
    EXPECT_EQ(events[i].key, absl::StrCat("{\"id\":", i + 1, "}"));
  }
  EXPECT_NE(never.WorkerLog().find("snapshot.mode=never: streaming from the binlog's start"),
            std::string::npos)
      << never.WorkerLog();
  never.StopWorker(worker);

  CdcRun only("modeonly", /*schemas=*/false, server());
  only.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  only.Sql("INSERT INTO t VALUES (1), (2)");
  only.WriteConnectorConfig({{"snapshot.mode", "initial_only"}});
  worker = only.StartWorker();
  events = only.WaitForEvents(only.Topic("t"), 2, worker.get());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].op(), "r");
  only.Sql("INSERT INTO t VALUES (3)");
  absl::SleepFor(absl::Seconds(2));
  only.StopWorker(worker);
  worker = only.StartWorker();
  EXPECT_TRUE(only.WaitForLog("initial_only and the snapshot is done: idle")) << only.WorkerLog();
  EXPECT_EQ(only.WaitForEvents(only.Topic("t"), 2, worker.get()).size(), 2u)
      << "nothing streamed after the snapshot";
  only.StopWorker(worker);
}

// Writes made while the snapshot reads: replaying the events per key ends in the table's final
// state (nothing lost; the snapshot's rows and the streamed changes meet at one position).
TEST_P(MySqlConnector, ASnapshotWithConcurrentWritesThenStreamingLosesNothing) {
  CdcRun run("concurrent", /*schemas=*/false, server());
  constexpr int kRows = 20000;
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
  run.Sql(absl::StrCat("INSERT INTO t SELECT seq, 0 FROM ", Sequence(1, kRows)));
  run.WriteConnectorConfig({{"snapshot.fetch.size", "500"}, {"max.batch.size", "500"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  // While the snapshot runs: updates, deletes and inserts all over the key range.
  int during = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::string log = run.WorkerLog();
    if (log.find("` done:") != std::string::npos) break;
    if (log.find("(table 1 of 1)") != std::string::npos) ++during;
    const int id = 1 + (i * 97) % kRows;
    run.Sql(absl::StrCat("UPDATE t SET v = ", i + 1, " WHERE id = ", id));
    if (i % 10 == 0) run.Sql(absl::StrCat("DELETE FROM t WHERE id = ", 1 + (i * 31) % kRows));
    if (i % 7 == 0) run.Sql(absl::StrCat("INSERT INTO t VALUES (", kRows + i + 1, ", ", i, ")"));
  }
  std::cout << during << " write rounds while the snapshot read the table" << std::endl;
  EXPECT_GT(during, 0) << "no write overlapped the snapshot";
  // The final state, as the database has it.
  std::map<int, int> expected;
  {
    absl::StatusOr<mysql::QueryResult> rows =
        run.admin().Query(absl::StrCat("SELECT id, v FROM ", run.db(), ".t"));
    ASSERT_TRUE(rows.ok()) << rows.status();
    for (const auto& row : rows->rows) expected[std::stoi(*row[0])] = std::stoi(*row[1]);
  }
  // Replay until the events describe that state.
  std::map<int, int> replayed;
  const absl::Time deadline = absl::Now() + absl::Seconds(90);
  while (absl::Now() < deadline) {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(KafkaBootstrap(), run.Topic("t"), absl::Seconds(10));
    if (read.ok()) {
      replayed.clear();
      for (const ConsumedRecord& record : *read) {
        if (!record.value.has_value()) continue;
        rapidjson::Document value;
        value.Parse(record.value->c_str());
        const std::string op = value["op"].GetString();
        if (op == "d") {
          replayed.erase(value["before"]["id"].GetInt());
        } else {
          replayed[value["after"]["id"].GetInt()] = value["after"]["v"].GetInt();
        }
      }
      if (replayed == expected) break;
    }
    absl::SleepFor(absl::Milliseconds(500));
  }
  EXPECT_EQ(replayed.size(), expected.size());
  EXPECT_TRUE(replayed == expected) << "the events do not replay to the table's state; log:\n"
                                    << run.WorkerLog();
  run.StopWorker(worker);
}

// Which lock the snapshot takes is in the log: none on MariaDB (its consistent snapshot records
// the position); on the locking path (MySQL's, taken on MariaDB here with
// internal.snapshot.locking.on.mariadb) a global read lock when the account has RELOAD. MySQL
// has only the locking path: the setting changes nothing there.
TEST_P(MySqlConnector, TheSnapshotLogsWhichLockItTook) {
  for (bool locking : {false, true}) {
    const bool global_lock = locking || server() == TestServer::kMySql;
    CdcRun run(locking ? "globallock" : "nolock", /*schemas=*/false, server());
    run.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
    run.Sql("INSERT INTO t VALUES (1)");
    run.WriteConnectorConfig(
        {{"internal.snapshot.locking.on.mariadb", locking ? "true" : "false"}});
    std::unique_ptr<Subprocess> worker = run.StartWorker();
    ASSERT_EQ(run.WaitForEvents(run.Topic("t"), 1, worker.get()).size(), 1u);
    EXPECT_NE(
        run.WorkerLog().find(global_lock ? "snapshot lock: FLUSH TABLES WITH READ LOCK (global)"
                                         : "snapshot lock: none (MariaDB's"),
        std::string::npos)
        << run.WorkerLog();
    run.StopWorker(worker);
  }
}

// A CDC account of this run's own (named after its database), so a test that looks for its
// binlog dump thread in the server's process list does not see other tests' connectors running
// on the same server in parallel, or a test can take a grant away. Password `pw`; `grants` from
// server_dialect.h.
std::string CreateOwnCdcAccount(CdcRun& run, const std::string& grants) {
  const std::string user = run.db();  // unique, and short enough for a user name
  for (const char* host : {"127.0.0.1", "localhost"}) {
    run.Sql(absl::StrCat("CREATE USER '", user, "'@'", host, "' IDENTIFIED BY 'pw'"));
    run.Sql(absl::StrCat("GRANT ", grants, " ON *.* TO '", user, "'@'", host, "'"));
  }
  return user;
}

void DropOwnCdcAccount(CdcRun& run, const std::string& user) {
  for (const char* host : {"127.0.0.1", "localhost"}) {
    run.Sql(absl::StrCat("DROP USER '", user, "'@'", host, "'"));
  }
}

std::string DumpThreadsOf(const std::string& user) {
  return absl::StrCat("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '", user,
                      "' AND COMMAND LIKE 'Binlog Dump%'");
}

// An account without RELOAD (managed MySQL's case) cannot take FLUSH TABLES WITH READ LOCK: the
// snapshot locks the captured tables with LOCK TABLES ... READ instead while it takes its view
// and position, says so, and stays consistent under concurrent writes.
TEST_P(MySqlConnector, ASnapshotWithoutReloadLocksTheCapturedTablesInstead) {
  CdcRun run("tablelock", /*schemas=*/false, server());
  const std::string user = CreateOwnCdcAccount(run, CdcGrantsWithoutReload(server()));
  constexpr int kRows = 5000;
  run.Sql("CREATE TABLE a (id INT PRIMARY KEY, v INT)");
  run.Sql("CREATE TABLE b (id INT PRIMARY KEY)");
  run.Sql(absl::StrCat("INSERT INTO a SELECT seq, 0 FROM ", Sequence(1, kRows)));
  run.Sql("INSERT INTO b VALUES (1)");
  run.WriteConnectorConfig({{"database.user", user},
                            {"database.password", "pw"},
                            {"internal.snapshot.locking.on.mariadb", "true"},
                            {"snapshot.fetch.size", "100"},
                            {"max.batch.size", "100"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  // Writes while the snapshot starts and reads (they wait out the lock, then go on).
  for (int i = 0; i < 1500; ++i) {
    if (run.WorkerLog().find("` done:") != std::string::npos && i > 100) break;
    run.Sql(absl::StrCat("UPDATE a SET v = ", i + 1, " WHERE id = ", 1 + (i * 37) % kRows));
    if (i % 5 == 0) run.Sql(absl::StrCat("INSERT INTO a VALUES (", kRows + i + 1, ", ", i, ")"));
  }
  const std::string log = run.WorkerLog();
  EXPECT_NE(log.find("snapshot lock: FLUSH TABLES WITH READ LOCK is not allowed for"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find(absl::StrCat("taking LOCK TABLES `", run.db(), "`.`a` READ, `", run.db(),
                                  "`.`b` READ while the binlog position is read instead")),
            std::string::npos)
      << log;

  std::map<int, int> expected;
  absl::StatusOr<mysql::QueryResult> rows = run.admin().Query(
      absl::StrCat("SELECT id, v FROM ", run.db(), ".a"));
  ASSERT_TRUE(rows.ok()) << rows.status();
  for (const auto& row : rows->rows) expected[std::stoi(*row[0])] = std::stoi(*row[1]);
  std::map<int, int> replayed;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(KafkaBootstrap(), run.Topic("a"), absl::Seconds(10));
    if (read.ok()) {
      replayed.clear();
      for (const ConsumedRecord& record : *read) {
        rapidjson::Document value;
        value.Parse(record.value.value_or("null").c_str());
        if (!value.IsObject()) continue;
        replayed[value["after"]["id"].GetInt()] = value["after"]["v"].GetInt();
      }
      if (replayed == expected) break;
    }
    absl::SleepFor(absl::Milliseconds(500));
  }
  EXPECT_TRUE(replayed == expected) << "the events do not replay to the table's state";
  ASSERT_EQ(run.WaitForEvents(run.Topic("b"), 1, worker.get()).size(), 1u);
  run.Sql("INSERT INTO b VALUES (2)");
  EXPECT_EQ(run.WaitForEvents(run.Topic("b"), 2, worker.get()).size(), 2u) << "then it streams";
  run.StopWorker(worker);
  DropOwnCdcAccount(run, user);
}

// The server drops the replication connection (as a restart or a network cut would): the task
// reconnects with back-off and continues where it was, nothing lost, nothing repeated.
TEST_P(MySqlConnector, ALostConnectionIsReopenedWhereStreamingWas) {
  CdcRun run("reconnect", /*schemas=*/false, server());
  const std::string user = CreateOwnCdcAccount(run, CdcGrants(server()));
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  run.Sql("INSERT INTO t VALUES (1)");
  run.WriteConnectorConfig({{"database.user", user}, {"database.password", "pw"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u);
  run.Sql("INSERT INTO t VALUES (2)");
  ASSERT_EQ(run.WaitForEvents(topic, 2, worker.get()).size(), 2u);
  for (int round = 0; round < 2; ++round) {
    absl::StatusOr<mysql::QueryResult> dumps = run.admin().Query(DumpThreadsOf(user));
    ASSERT_TRUE(dumps.ok()) << dumps.status();
    ASSERT_EQ(dumps->rows.size(), 1u) << "one binlog reader";
    run.Sql(absl::StrCat("KILL ", *dumps->rows[0][0]));
    run.Sql(absl::StrCat("INSERT INTO t VALUES (", 3 + round, ")"));
    std::vector<ChangeEvent> events = run.WaitForEvents(topic, 3 + round, worker.get());
    ASSERT_EQ(events.size(), static_cast<size_t>(3 + round));
    EXPECT_EQ(events.back().key, absl::StrCat("{\"id\":", 3 + round, "}"));
  }
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(run.WaitForEvents(topic, 4, worker.get()).size(), 4u) << "nothing repeated";
  EXPECT_NE(run.WorkerLog().find("reconnecting at"), std::string::npos) << run.WorkerLog();
  EXPECT_TRUE(worker->running());
  run.StopWorker(worker);
  DropOwnCdcAccount(run, user);
}

// A stopped worker leaves no binlog dump thread on the server. The server notices a closed
// replication connection only when it next writes to it (the heartbeat, 1-2 s later); a connector
// started again meanwhile with the same server id waited ~100 ms for the server to end that
// thread before its first event. The task ends its dump thread itself when it stops.
TEST_P(MySqlConnector, AStoppedTaskLeavesNoDumpThreadBehind) {
  CdcRun run("nozombie", /*schemas=*/false, server());
  const std::string user = CreateOwnCdcAccount(run, CdcGrants(server()));
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  run.Sql("INSERT INTO t VALUES (1)");
  run.WriteConnectorConfig({{"database.user", user}, {"database.password", "pw"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_EQ(run.WaitForEvents(run.Topic("t"), 1, worker.get()).size(), 1u);
  const std::string dumps_sql = DumpThreadsOf(user);
  absl::StatusOr<mysql::QueryResult> dumps = run.admin().Query(dumps_sql);
  ASSERT_TRUE(dumps.ok()) << dumps.status();
  ASSERT_EQ(dumps->rows.size(), 1u) << "one binlog reader";
  const std::string dump_id = *dumps->rows[0][0];

  run.StopWorker(worker);
  const absl::Time deadline = absl::Now() + absl::Milliseconds(500);
  bool gone = false;
  while (!gone && absl::Now() < deadline) {
    absl::StatusOr<mysql::QueryResult> left =
        run.admin().Query(absl::StrCat(dumps_sql, " AND ID = ", dump_id));
    ASSERT_TRUE(left.ok()) << left.status();
    gone = left->rows.empty();
    if (!gone) absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(gone) << "dump thread " << dump_id << " still on the server 500 ms after the stop";
  DropOwnCdcAccount(run, user);
}

// provide.transaction.metadata: BEGIN and END (with counts per table) on <prefix>.transaction,
// and each event's `transaction` block {id, total_order, data_collection_order}.
TEST_P(MySqlConnector, TransactionMetadataMarksBoundariesAndOrders) {
  CdcRun run("txmeta", /*schemas=*/false, server());
  run.Sql("CREATE TABLE a (id INT PRIMARY KEY)");
  run.Sql("CREATE TABLE b (id INT PRIMARY KEY)");
  run.WriteConnectorConfig({{"provide.transaction.metadata", "true"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (run.WorkerLog().find("streaming from") == std::string::npos && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  run.Sql("BEGIN");
  run.Sql("INSERT INTO a VALUES (1), (2)");
  run.Sql("INSERT INTO b VALUES (1)");
  run.Sql("COMMIT");
  std::vector<ChangeEvent> boundaries =
      run.WaitForEvents(run.prefix() + ".transaction", 2, worker.get());
  ASSERT_EQ(boundaries.size(), 2u);
  const std::string id = boundaries[0].payload()["id"].GetString();
  EXPECT_EQ(boundaries[0].key, absl::StrCat("{\"id\":\"", id, "\"}"));
  EXPECT_EQ(std::string(boundaries[0].payload()["status"].GetString()), "BEGIN");
  EXPECT_TRUE(boundaries[0].payload()["event_count"].IsNull());
  EXPECT_EQ(std::string(boundaries[1].payload()["status"].GetString()), "END");
  EXPECT_EQ(boundaries[1].payload()["event_count"].GetInt(), 3);
  // In Debezium's (Java HashMap's) order of the names, which depends on the database's name.
  size_t capacity = 16;
  std::string collections;
  for (const auto& [name, count] :
       mysql::JavaHashMapOrder({{run.db() + ".a", 2}, {run.db() + ".b", 1}}, &capacity)) {
    absl::StrAppend(&collections, collections.empty() ? "[" : ",", "{\"data_collection\":\"",
                    name, "\",\"event_count\":", count, "}");
  }
  EXPECT_EQ(Json(boundaries[1].payload()["data_collections"]), collections + "]");
  std::vector<ChangeEvent> a = run.WaitForEvents(run.Topic("a"), 2, worker.get());
  std::vector<ChangeEvent> b = run.WaitForEvents(run.Topic("b"), 1, worker.get());
  ASSERT_EQ(a.size(), 2u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(Json(a[1].payload()["transaction"]),
            absl::StrCat("{\"id\":\"", id, "\",\"total_order\":2,\"data_collection_order\":2}"));
  EXPECT_EQ(Json(b[0].payload()["transaction"]),
            absl::StrCat("{\"id\":\"", id, "\",\"total_order\":3,\"data_collection_order\":1}"));
  run.StopWorker(worker);
}

// The snapshot's connection is cut mid-table: after a back-off the task resumes the snapshot after
// its last committed row (repeating rows is allowed, losing them is not) and then streams.
TEST_P(MySqlConnector, ASnapshotWhoseConnectionIsCutResumes) {
  CdcRun run("snapcut", /*schemas=*/false, server());
  // Its own account: only this connector's connections are cut, not those of the tests running
  // beside it on the same server.
  const std::string user = CreateOwnCdcAccount(run, CdcGrants(server()));
  constexpr int kRows = 20000;
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
  run.Sql(absl::StrCat("INSERT INTO t SELECT seq, 0 FROM ", Sequence(1, kRows)));
  run.WriteConnectorConfig({{"database.user", user},
                            {"database.password", "pw"},
                            {"snapshot.fetch.size", "50"},
                            {"max.batch.size", "50"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  bool killed = false;
  while (!killed && absl::Now() < deadline) {
    if (run.WorkerLog().find("(table 1 of 1)") != std::string::npos) {
      absl::StatusOr<mysql::QueryResult> connections = run.admin().Query(
          absl::StrCat("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '", user,
                       "' AND COMMAND NOT LIKE 'Binlog Dump%'"));
      ASSERT_TRUE(connections.ok()) << connections.status();
      for (const auto& row : connections->rows) {
        if (run.admin().Execute(absl::StrCat("KILL ", *row[0])).ok()) killed = true;
      }
    }
    if (!killed) absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_TRUE(killed);
  run.Sql("INSERT INTO t VALUES (0, 1)");
  std::set<int> ids;
  const absl::Time all = absl::Now() + absl::Seconds(90);
  while (absl::Now() < all && ids.size() < static_cast<size_t>(kRows + 1)) {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(KafkaBootstrap(), run.Topic("t"), absl::Seconds(20));
    if (read.ok()) {
      ids.clear();
      for (const ConsumedRecord& record : *read) {
        rapidjson::Document key;
        key.Parse(record.key.value_or("{}").c_str());
        if (key.HasMember("id")) ids.insert(key["id"].GetInt());
      }
    }
    if (ids.size() < static_cast<size_t>(kRows + 1)) absl::SleepFor(absl::Milliseconds(500));
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kRows + 1)) << run.WorkerLog();
  EXPECT_NE(run.WorkerLog().find("retrying in"), std::string::npos) << run.WorkerLog();
  EXPECT_TRUE(worker->running());
  run.StopWorker(worker);
  DropOwnCdcAccount(run, user);
}

// A rough end-to-end rate (binlog → events → JSON → Kafka, acknowledged and committed), for the
// record; run by hand with --gtest_also_run_disabled_tests.
TEST_P(MySqlConnector, DISABLED_StreamingThroughput) {
  CdcRun run("throughput", /*schemas=*/false, server());
  constexpr int kRows = 500000;
  run.Sql(
      "CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(32), c DATETIME(6), d DECIMAL(10,2))");
  run.WriteConnectorConfig({{"snapshot.mode", "no_data"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (run.WorkerLog().find("streaming from") == std::string::npos && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  run.Sql(
      absl::StrCat("INSERT INTO t SELECT seq, seq * 7, CONCAT('row-', seq), NOW(6), seq / 100 "
                   "FROM ",
                   Sequence(1, kRows)));
  const absl::Time start = absl::Now();
  deadline = start + absl::Seconds(300);
  while (absl::Now() < deadline) {
    // An upper bound: reading the topic back is part of the measured time.
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(KafkaBootstrap(), run.Topic("t"), absl::Seconds(30));
    if (read.ok() && read->size() >= static_cast<size_t>(kRows)) break;
    absl::SleepFor(absl::Milliseconds(500));
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::cout << kRows << " rows in " << seconds << " s: " << kRows / seconds << " rows/s"
            << std::endl;
  run.StopWorker(worker);
}

// A kernel figure of a process, in kB ("VmRSS", "VmHWM" = peak RSS), from /proc/<pid>/status.
int64_t ProcessKb(pid_t pid, const std::string& field) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atoll(line.c_str() + field.size() + 1);
  }
  return -1;
}

// max.queue.size.in.bytes bounds what the connector hands over per poll, whatever the
// transaction's size: a 50,000-row transaction of ~1 KB rows (~50 MB) with max.batch.size out of
// the way goes through in hand-overs of about 1 MiB, and the worker's memory stays flat.
TEST_P(MySqlConnector, ALargeTransactionStreamsThroughInBatchesBoundedInBytes) {
  CdcRun run("bytebound", /*schemas=*/false, server());
  constexpr int kRows = 50000;
  constexpr int64_t kBound = 1 << 20;
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(1100))");
  run.WriteConnectorConfig({{"snapshot.mode", "no_data"},
                            {"max.batch.size", "1000000"},
                            {"max.queue.size.in.bytes", absl::StrCat(kBound)}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (run.WorkerLog().find("streaming from") == std::string::npos && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  const int64_t rss_before = ProcessKb(worker->pid(), "VmRSS");
  run.Sql(absl::StrCat("INSERT INTO t SELECT seq, REPEAT('x', 1000) FROM ", Sequence(1, kRows)));
  size_t records = 0;
  const absl::Time all = absl::Now() + absl::Seconds(120);
  while (absl::Now() < all && records < static_cast<size_t>(kRows)) {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(KafkaBootstrap(), run.Topic("t"), absl::Seconds(20));
    if (read.ok()) records = read->size();
    if (records < static_cast<size_t>(kRows)) absl::SleepFor(absl::Milliseconds(300));
  }
  EXPECT_EQ(records, static_cast<size_t>(kRows));
  const int64_t peak_rss = ProcessKb(worker->pid(), "VmHWM");
  run.StopWorker(worker);

  // The connector reports its largest hand-over when the task ends.
  const std::string log = run.WorkerLog();
  const size_t at = log.find("largest hand-over to the worker: ");
  ASSERT_NE(at, std::string::npos) << log;
  int64_t peak_records = 0, peak_bytes = 0;
  ASSERT_EQ(std::sscanf(log.c_str() + at, "largest hand-over to the worker: %ld records, about %ld",
                        &peak_records, &peak_bytes),
            2)
      << log.substr(at, 200);
  std::cout << "largest hand-over: " << peak_records << " records, " << peak_bytes
            << " bytes; worker RSS " << rss_before / 1024 << " MB before the transaction, peak "
            << peak_rss / 1024 << " MB" << std::endl;
  EXPECT_LE(peak_bytes, kBound + 2048) << "one row past the bound at most";
  EXPECT_LT(peak_records, kRows / 20) << "the transaction went through in many hand-overs";
  EXPECT_GT(peak_records, 100) << "and not in tiny ones";
  // The transaction is ~50 MB of rows and ~75 MB of JSON; none of it is held whole. Measured
  // here (before the default bound went from 32 to 8 MiB): ~22 MB of growth (mostly the
  // producer's buffer) with
  // the bound, ~77 MB without it (hand-overs of ~20,000 records / 25 MB).
  EXPECT_LT(peak_rss - rss_before, 64 * 1024) << "worker memory grew with the transaction";
}

// A backlog of one-row transactions is handed over many transactions per poll (up to
// max.batch.size): the connector hands over at a transaction boundary only when nothing more has
// arrived from the server. One poll per source transaction was a Kafka transaction per row with
// exactly-once at the default boundary (docs/benchmarks.md).
TEST_P(MySqlConnector, ABacklogOfSmallTransactionsIsHandedOverManyAtATime) {
  CdcRun run("handover", /*schemas=*/false, server());
  constexpr int kRows = 1500;
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
  run.WriteConnectorConfig({{"snapshot.mode", "no_data"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (run.WorkerLog().find("streaming from") == std::string::npos && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  // A first row, so that the stopped task has an offset to resume from behind the backlog.
  run.Sql("INSERT INTO t VALUES (0, 0)");
  auto wait_for_records = [&](size_t expected) {
    size_t records = 0;
    const absl::Time all = absl::Now() + absl::Seconds(120);
    while (absl::Now() < all && records < expected) {
      absl::StatusOr<std::vector<ConsumedRecord>> read =
          ReadWholeTopic(KafkaBootstrap(), run.Topic("t"), absl::Seconds(20));
      if (read.ok()) records = read->size();
      if (records < expected) absl::SleepFor(absl::Milliseconds(300));
    }
    return records;
  };
  ASSERT_EQ(wait_for_records(1), 1u);
  run.StopWorker(worker);
  for (int i = 1; i <= kRows; ++i) run.Sql(absl::StrCat("INSERT INTO t VALUES (", i, ", 0)"));
  worker = run.StartWorker();
  EXPECT_EQ(wait_for_records(kRows + 1), static_cast<size_t>(kRows + 1));
  run.StopWorker(worker);
  // The second run's report, the log's last.
  const std::string log = run.WorkerLog();
  const size_t at = log.rfind("largest hand-over to the worker: ");
  ASSERT_NE(at, std::string::npos) << log;
  int64_t peak_records = 0;
  ASSERT_EQ(std::sscanf(log.c_str() + at, "largest hand-over to the worker: %ld records",
                        &peak_records),
            1)
      << log.substr(at, 200);
  EXPECT_GT(peak_records, 100) << "the backlog went through one transaction per poll";
}

// The snapshot respects the byte bound too: a hand-over ends inside a chunk and the next poll
// reads on from the last row handed over (keyset for a keyed table, OFFSET without a key), so every
// row arrives once and the first/last markers stay where they belong.
TEST_P(MySqlConnector, ASnapshotHandsOverInBatchesBoundedInBytes) {
  CdcRun run("snapbytes", /*schemas=*/false, server());
  run.Sql("CREATE TABLE a (id INT PRIMARY KEY, pad VARCHAR(1100))");
  run.Sql("CREATE TABLE b (n INT, pad VARCHAR(1100))");
  run.Sql(absl::StrCat("INSERT INTO a SELECT seq, REPEAT('a', 1000) FROM ", Sequence(1, 3000)));
  run.Sql(absl::StrCat("INSERT INTO b SELECT seq, REPEAT('b', 1000) FROM ", Sequence(1, 500)));
  run.WriteConnectorConfig({{"snapshot.fetch.size", "100"},
                            {"max.batch.size", "100000"},
                            {"max.queue.size.in.bytes", "20000"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  std::vector<ChangeEvent> a = run.WaitForEvents(run.Topic("a"), 3000, worker.get());
  std::vector<ChangeEvent> b = run.WaitForEvents(run.Topic("b"), 500, worker.get());
  absl::SleepFor(absl::Seconds(1));
  a = run.WaitForEvents(run.Topic("a"), 3000, worker.get());
  b = run.WaitForEvents(run.Topic("b"), 500, worker.get());
  ASSERT_EQ(a.size(), 3000u);
  ASSERT_EQ(b.size(), 500u);
  std::set<int> ids, ns;
  for (const ChangeEvent& event : a) ids.insert(event.payload()["after"]["id"].GetInt());
  for (const ChangeEvent& event : b) ns.insert(event.payload()["after"]["n"].GetInt());
  EXPECT_EQ(ids.size(), 3000u);
  EXPECT_EQ(ns.size(), 500u);
  EXPECT_EQ(std::string(a.front().payload()["source"]["snapshot"].GetString()), "first");
  EXPECT_EQ(std::string(a.back().payload()["source"]["snapshot"].GetString()),
            "last_in_data_collection");
  EXPECT_EQ(std::string(b.front().payload()["source"]["snapshot"].GetString()),
            "first_in_data_collection");
  EXPECT_EQ(std::string(b.back().payload()["source"]["snapshot"].GetString()), "last");
  run.StopWorker(worker);
  const std::string log = run.WorkerLog();
  const size_t at = log.find("largest hand-over to the worker: ");
  ASSERT_NE(at, std::string::npos);
  int64_t records = 0, bytes = 0;
  ASSERT_EQ(std::sscanf(log.c_str() + at, "largest hand-over to the worker: %ld records, about %ld",
                        &records, &bytes),
            2);
  EXPECT_LE(bytes, 20000 + 2048);
}

// kill -9 in the middle of one large transaction: the restart re-reads the transaction from its
// start, skips the events and rows the committed offset counts, and loses nothing.
TEST_P(MySqlConnector, KillNineInsideALargeTransactionLosesNothing) {
  CdcRun run("kill9", /*schemas=*/false, server());
  constexpr int kRows = 200000;
  run.Sql("CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(20))");
  run.Sql("INSERT INTO big VALUES (0, 'marker')");
  run.WriteConnectorConfig({{"max.batch.size", "1000"}, {"provide.transaction.metadata", "true"}});
  // A small in-flight bound keeps the drain of the transaction to several seconds, so commits
  // (every 300 ms) land inside it whatever the machine's speed; unbounded it took about one.
  run.AddWorkerSettings({{"producer.buffer.memory", "65536"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("big");
  ASSERT_EQ(run.WaitForEvents(topic, 1, worker.get()).size(), 1u);
  run.Sql(absl::StrCat("INSERT INTO big SELECT seq, 'row' FROM ", Sequence(1, kRows)));
  // Kill as soon as an offset inside the transaction (with `event`) is committed: its records are
  // in Kafka by then.
  std::optional<std::string> offset = run.KillInsideATransaction(worker);
  std::cout << "committed offset at the kill: " << offset.value_or("<none>") << std::endl;
  EXPECT_NE(offset.value_or("").find("\"event\":"), std::string::npos)
      << "the kill should land inside the transaction";

  worker = run.StartWorker();
  // Replays count too: wait for every distinct key, not for a number of records.
  const CdcRun::KeysRead seen = run.WaitForDistinctIds(topic, kRows + 1, absl::Seconds(120));
  const size_t records = seen.records;
  EXPECT_EQ(seen.ids.size(), static_cast<size_t>(kRows + 1)) << "rows lost";
  std::cout << records - (kRows + 1) << " rows replayed after the kill" << std::endl;
  // The transaction's END, written after the restart, still counts every row of it.
  std::vector<ChangeEvent> boundaries;
  const absl::Time end_deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < end_deadline) {
    boundaries = run.WaitForEvents(run.prefix() + ".transaction", 2, worker.get());
    if (!boundaries.empty() && boundaries.back().value.has_value() &&
        std::string(boundaries.back().payload()["status"].GetString()) == "END") {
      break;
    }
    absl::SleepFor(absl::Milliseconds(300));
  }
  ASSERT_FALSE(boundaries.empty());
  const rapidjson::Value& end = boundaries.back().payload();
  EXPECT_EQ(std::string(end["status"].GetString()), "END");
  EXPECT_EQ(end["event_count"].GetInt(), kRows);
  run.StopWorker(worker);
}

}  // namespace
}  // namespace sluice::testing
