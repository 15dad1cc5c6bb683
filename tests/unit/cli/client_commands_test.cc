// The client commands against an in-process admin API with canned answers (fake_admin.h): what
// each sends, how each answer prints, and the documented exit code of each outcome.
#include "runtime/cli/client_commands.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/unit/cli/fake_admin.h"

namespace sluice::cli {
namespace {

using testing::FakeWorker;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result RunCli(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  const int code = RunClientCommand(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

class ClientCommands : public ::testing::Test {
 protected:
  // `sluice --worker <the fake> ARGS...`
  Result Sluice(std::vector<std::string> args) {
    args.insert(args.begin(), {"--worker", worker_.address()});
    return RunCli(std::move(args));
  }

  static std::string File(const std::string& name, const std::string& text) {
    const std::string path = ::testing::TempDir() + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  FakeWorker worker_;
};

TEST_F(ClientCommands, ListPrintsATableKafkaConnectsJsonOrTheProtos) {
  Result r = Sluice({"connectors", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "NAME    STATE    TARGET   TASKS        CLASS\n"
            "audit   PAUSED   PAUSED   0/1 running  generator\n"
            "orders  RUNNING  STARTED  1/2 running  mysql\n");
  // Global options after the command, and -o's spellings. json: Kafka Connect's
  // GET /connectors?expand=status&expand=info.
  for (std::vector<std::string> json :
       {std::vector<std::string>{"connectors", "list", "-o", "json"},
        {"-ojson", "connectors", "list"},
        {"--output=json", "connectors", "list"}}) {
    r = Sluice(json);
    ASSERT_EQ(r.code, 0) << r.err;
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    ASSERT_TRUE(doc.IsObject()) << r.out;
    EXPECT_STREQ(doc["orders"]["info"]["name"].GetString(), "orders");
    EXPECT_STREQ(doc["orders"]["status"]["connector"]["state"].GetString(), "RUNNING");
    EXPECT_STREQ(doc["audit"]["status"]["tasks"][0]["state"].GetString(), "PAUSED");
  }
  // proto: the admin API's answer, every field.
  for (std::vector<std::string> proto : {std::vector<std::string>{"-o", "proto", "connectors", "list"},
                                         {"-oproto", "connectors", "list"},
                                         {"connectors", "list", "--output=proto"}}) {
    r = Sluice(proto);
    ASSERT_EQ(r.code, 0) << r.err;
    rapidjson::Document doc;
    doc.Parse(r.out.c_str());
    ASSERT_TRUE(doc.IsObject()) << r.out;
    EXPECT_STREQ(doc["connectors"][1]["name"].GetString(), "orders");
    EXPECT_STREQ(doc["connectors"][1]["status"]["state_name"].GetString(), "RUNNING");
  }
}

// `-o json` is the body Kafka Connect's REST API answers for the call; the unit tests of
// rest_json.h prove those shapes, and the integration test CliJson compares with a real worker's.
TEST_F(ClientCommands, JsonIsKafkaConnectsRestBody) {
  Result r = Sluice({"-o", "json", "connectors", "status", "orders"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            R"({"name":"orders","connector":{"state":"RUNNING","worker_id":"127.0.0.1:8083"},)"
            R"("tasks":[{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:8083"},)"
            R"({"id":1,"state":"FAILED","worker_id":"127.0.0.1:8083",)"
            R"("trace":"lost the server\n  at reconnect"}],"type":"source"})"
            "\n");
  r = Sluice({"-o", "json", "connectors", "get", "audit"});
  EXPECT_EQ(r.out,
            R"({"name":"audit","config":{"connector.class":"generator","topic":"audit.data"},)"
            R"("tasks":[{"connector":"audit","task":0}],"type":"source"})"
            "\n");
  r = Sluice({"-o", "json", "connectors", "config", "get", "audit"});
  EXPECT_EQ(r.out, R"({"connector.class":"generator","topic":"audit.data"})" "\n");
  r = Sluice({"connectors", "config", "get", "audit"});
  EXPECT_EQ(r.out,
            "KEY              VALUE\n"
            "connector.class  generator\n"
            "topic            audit.data\n");
  r = Sluice({"-o", "json", "connectors", "tasks", "orders"});
  EXPECT_EQ(r.out,
            R"([{"id":{"connector":"orders","task":0},"config":{"task.id":"0","topic.prefix":"shop"}},)"
            R"({"id":{"connector":"orders","task":1},"config":{"task.id":"1","topic.prefix":"shop"}}])"
            "\n");
  r = Sluice({"connectors", "tasks", "orders"});
  EXPECT_EQ(r.out,
            "TASK  KEY           VALUE\n"
            "0     task.id       0\n"
            "0     topic.prefix  shop\n"
            "1     task.id       1\n"
            "1     topic.prefix  shop\n");
  r = Sluice({"-o", "json", "connectors", "topics", "orders"});
  EXPECT_EQ(r.out, R"({"orders":{"topics":["shop","shop.inventory.customers"]}})" "\n");
  r = Sluice({"-o", "json", "plugins", "list"});
  EXPECT_EQ(r.out, R"([{"class":"generator","type":"source","version":"1.0.0"}])" "\n");
  r = Sluice({"-o", "json", "connectors", "offsets", "reset", "audit"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith(R"({"message":")"));
}

TEST_F(ClientCommands, StatusShowsOffsetsTasksAndEachTasksProgress) {
  Result r = Sluice({"connectors", "status", "orders"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "CONNECTOR  STATE    WORKER          TRACE\n"
            "orders     RUNNING  127.0.0.1:8083\n"
            "\n"
            "PARTITION          COMMITTED OFFSET\n"
            "{\"server\":\"shop\"}  {\"file\":\"mariadb-bin.000003\",\"pos\":1234}\n"
            "\n"
            "TASK  STATE    WORKER          TRACE\n"
            "0     RUNNING  127.0.0.1:8083\n"
            "1     FAILED   127.0.0.1:8083  lost the server ...\n"
            "\n"
            "task 0: streaming, lag 35 ms at mariadb-bin.000003:1234\n");
  r = Sluice({"connectors", "status", "audit"});
  EXPECT_THAT(r.out, HasSubstr("\nthe committed offsets say a snapshot is running"));
  EXPECT_THAT(r.out, HasSubstr("audit      PAUSED  127.0.0.1:8083\n"
                               "warning: `tasks.max` is 4 but mysql runs 1 task(s) for this "
                               "config; the others are not started\n"));
  // The state commands answer with the status too.
  r = Sluice({"connectors", "pause", "orders"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("CONNECTOR  STATE   WORKER          TRACE\n"
                                "orders     PAUSED  127.0.0.1:8083\n"));
  EXPECT_EQ(worker_.admin().last_method(), "PauseConnector");
}

TEST_F(ClientCommands, EachOutcomeHasItsDocumentedExitCodeAndTheWorkersMessage) {
  Result r = Sluice({"connectors", "get", "nope"});
  EXPECT_EQ(r.code, 4);
  EXPECT_EQ(r.err, "sluice: connector `nope` not found\n");
  r = Sluice({"connectors", "create", "-f", File("dup.json", R"({"name":"orders","config":{}})")});
  EXPECT_EQ(r.code, 5);
  EXPECT_THAT(r.err, HasSubstr("already exists"));
  r = Sluice({"connectors", "offsets", "reset", "orders"});
  EXPECT_EQ(r.code, 7);
  EXPECT_THAT(r.err, HasSubstr("stop it first"));
  const std::vector<std::pair<grpc::StatusCode, int>> codes = {
      {grpc::StatusCode::INVALID_ARGUMENT, 6},
      {grpc::StatusCode::INTERNAL, 1},
      {grpc::StatusCode::UNAUTHENTICATED, 8},
      {grpc::StatusCode::PERMISSION_DENIED, 8}};
  for (const auto& [code, exit_code] : codes) {
    worker_.admin().FailWith(grpc::Status(code, "canned failure"));
    r = Sluice({"connectors", "list"});
    EXPECT_EQ(r.code, exit_code) << code;
    EXPECT_THAT(r.err, HasSubstr("canned failure"));
    r = Sluice({"watch"});  // a stream fails the same way
    EXPECT_EQ(r.code, exit_code) << code;
  }
  // UNAVAILABLE from a worker that is listening: it refused us.
  worker_.admin().FailWith(grpc::Status(grpc::StatusCode::UNAVAILABLE, "Socket closed"));
  r = Sluice({"connectors", "list"});
  EXPECT_EQ(r.code, 8);
  EXPECT_THAT(r.err, HasSubstr("refused a plaintext connection"));
  worker_.admin().FailWith(std::nullopt);
  r = RunCli({"--worker", "127.0.0.1:1", "connectors", "list"});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr("no worker answered at 127.0.0.1:1"));
  r = Sluice({"--ca", "/nonexistent/ca.pem", "connectors", "list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "sluice: --ca: cannot read `/nonexistent/ca.pem`\n");
}

TEST_F(ClientCommands, ARestartSaysWhatItRestarted) {
  Result r = Sluice({"connectors", "restart", "orders", "--only-failed"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::StartsWith("restarted task(s) 1 of connector orders\n\n"));
  r = Sluice({"connectors", "restart", "orders"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out,
              ::testing::StartsWith("restarted connector orders and its 2 task(s)\n\nCONNECTOR"));
  r = Sluice({"connectors", "restart", "orders", "--task", "0"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::StartsWith("restarted task(s) 0 of connector orders\n"));
}

// The admin token: from --token-file (which wins) or $SLUICE_TOKEN, sent as bearer metadata on
// unary calls and streams alike; a worker's UNAUTHENTICATED says what to pass, exit 8.
TEST_F(ClientCommands, TheAdminTokenComesFromAFileOrTheEnvironmentAndARefusalSaysWhatToPass) {
  ASSERT_EQ(Sluice({"connectors", "list"}).code, 0);
  EXPECT_EQ(worker_.admin().last_authorization(), "") << "no token configured, none sent";
  const std::string file = File("admin.token", "file-token-0123456789\n");
  Result r = Sluice({"--token-file", file, "connectors", "list"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(worker_.admin().last_authorization(), "Bearer file-token-0123456789");
  ::setenv("SLUICE_TOKEN", "env-token-0123456789", 1);
  ASSERT_EQ(Sluice({"watch"}).code, 0);
  EXPECT_EQ(worker_.admin().last_authorization(), "Bearer env-token-0123456789");
  ASSERT_EQ(Sluice({"connectors", "list", "--token-file", file}).code, 0);
  EXPECT_EQ(worker_.admin().last_authorization(), "Bearer file-token-0123456789");

  worker_.admin().FailWith(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "token mismatch"));
  r = Sluice({"connectors", "list"});
  EXPECT_EQ(r.code, 8);
  EXPECT_THAT(r.err, HasSubstr("refused the token of $SLUICE_TOKEN"));
  EXPECT_THAT(r.err, HasSubstr("token mismatch"));
  ::unsetenv("SLUICE_TOKEN");
  r = Sluice({"connectors", "list"});
  EXPECT_EQ(r.code, 8);
  EXPECT_THAT(r.err, HasSubstr("asks for an admin token: pass --token-file FILE or set "
                               "$SLUICE_TOKEN"));
  worker_.admin().FailWith(std::nullopt);
  r = Sluice({"--token-file", "/nonexistent/token", "connectors", "list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "sluice: --token-file: cannot read `/nonexistent/token`\n");
}

// A worker that listens but has not finished starting (it waits for Kafka) is not "refusing".
TEST_F(ClientCommands, AWorkerStillStartingIsReportedAsSuch) {
  worker_.admin().FailWith(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                        "the worker is starting (reaching the Kafka cluster)"));
  Result r = Sluice({"connectors", "list"});
  EXPECT_EQ(r.code, 3);
  EXPECT_THAT(r.err, HasSubstr("is still starting"));
  EXPECT_THAT(r.err, Not(HasSubstr("refused")));
}

TEST_F(ClientCommands, RequestsCarryWhatTheCommandLineSays) {
  ASSERT_EQ(Sluice({"connectors", "restart", "orders", "--include-tasks", "--only-failed"}).code,
            0);
  EXPECT_EQ(worker_.admin().last_method(), "RestartConnector");
  EXPECT_EQ(worker_.admin().last_request(),
            R"(name: "orders" include_tasks: true only_failed: true)");
  ASSERT_EQ(Sluice({"connectors", "restart", "orders", "--task", "1"}).code, 0);
  EXPECT_EQ(worker_.admin().last_method(), "RestartTask");
  EXPECT_EQ(worker_.admin().last_request(), R"(connector: "orders" task: 1)");

  Result r =
      Sluice({"connectors", "config", "patch", "orders", "rate=5", "--unset", "topic.prefix"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "connector orders reconfigured (RUNNING)\n");
  EXPECT_EQ(worker_.admin().last_request(),
            R"(name: "orders" set { key: "rate" value: "5" } remove: "topic.prefix")");

  // Kafka Connect's shape; numbers and booleans become strings, null drops the key.
  const std::string conn = File("conn.json", R"({"name":"fresh","config":{"connector.class":
      "generator","tasks.max":1,"flag":true,"gone":null}})");
  r = Sluice({"connectors", "create", "--paused", "-f", conn});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "connector fresh created (PAUSED)\n");
  EXPECT_EQ(worker_.admin().last_request(),
            R"(name: "fresh" config { key: "connector.class" value: "generator" } )"
            R"(config { key: "flag" value: "true" } config { key: "tasks.max" value: "1" } )"
            R"(initial_state: TARGET_STATE_PAUSED)");

  const std::string offsets = File("offsets.json", R"({"offsets":[{"partition":{"server":"audit"},
      "offset":{"file":"b.000001","pos":4}},{"partition":{"server":"x"},"offset":null}]})");
  r = Sluice({"connectors", "offsets", "set", "audit", "-f", offsets});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "offsets of `audit` changed: 2 partition(s)\n");
  EXPECT_EQ(worker_.admin().last_request(),
            R"(name: "audit" offsets { partition_json: "{\"server\":\"audit\"}" )"
            R"(offset_json: "{\"file\":\"b.000001\",\"pos\":4}" } )"
            R"(offsets { partition_json: "{\"server\":\"x\"}" })");
}

TEST_F(ClientCommands, AnswersWithTheirOwnShapes) {
  // Kafka Connect's GET .../offsets: a partition without an offset is left out.
  Result r = Sluice({"-o", "json", "connectors", "offsets", "get", "orders"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            R"({"offsets":[{"partition":{"server":"shop"},"offset":{"file":"mariadb-bin.000003",)"
            R"("pos":1234}}]})"
            "\n");
  r = Sluice({"connectors", "offsets", "get", "orders"});
  EXPECT_THAT(r.out, StartsWith("PARTITION          OFFSET\n"));
  r = Sluice({"-o", "json", "connectors", "delete", "orders"});
  EXPECT_EQ(r.out, "{}\n");
  r = Sluice({"connectors", "delete", "orders"});
  EXPECT_EQ(r.out, "connector orders deleted\n");
  r = Sluice({"connectors", "topics", "orders"});
  EXPECT_EQ(r.out, "shop\nshop.inventory.customers\n");
  ASSERT_EQ(Sluice({"connectors", "topics", "orders", "--reset"}).code, 0);
  EXPECT_EQ(worker_.admin().last_method(), "ResetConnectorTopics");
  r = Sluice({"-o", "json", "connectors", "config", "set", "orders", "-f",
              File("bare.json", R"({"connector.class":"generator"})")});
  ASSERT_EQ(r.code, 0) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_TRUE(doc.IsObject()) << r.out;
  EXPECT_STREQ(doc["name"].GetString(), "orders");  // the connector, not the response around it
  r = Sluice({"plugins", "list"});
  EXPECT_EQ(r.out,
            "NAME       VERSION  ABI  FILE                             ALIASES\n"
            "generator  1.0.0    1.3  /plugins/libsluice_generator.so  gen, Generator\n");
}

TEST_F(ClientCommands, ValidateExitsSixWhenTheConfigHasErrors) {
  const std::string bad =
      File("bad.json", R"({"name":"v","config":{"connector.class":"generator","batch.size":"x"}})");
  Result r = Sluice({"validate", "-f", bad});
  EXPECT_EQ(r.code, 6);
  EXPECT_EQ(r.out,
            "KEY              VALUE      ERRORS                            WARNINGS\n"
            "batch.size       x          not a number; must be at least 1\n"
            "connector.class  generator\n"
            "\n"
            "1 error(s), 0 warning(s) (plugin generator)\n");
  EXPECT_EQ(Sluice({"connectors", "validate", "-f", bad, "-o", "json"}).code, 6);
  const std::string good = File("good.json", R"({"connector.class":"generator"})");
  EXPECT_EQ(Sluice({"validate", "--file", good}).code, 0);
}

TEST_F(ClientCommands, WatchPrintsEachEventAndAProgressLineOnlyWhenItChanges) {
  Result r = Sluice({"watch", "orders"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(worker_.admin().last_request(), R"(connectors: "orders")");
  EXPECT_EQ(r.out,
            "orders  FAILED  lost the server ...\n"
            "orders-1  RUNNING\n"
            "orders-0  1200 records sent, 40.2/s, 4096 bytes awaiting Kafka's ack\n"
            "orders-0  idle\n"
            "orders-0  1200 records sent, 40.2/s, 4096 bytes awaiting Kafka's ack\n"
            "audit  progress (snapshot running): {\"server\":\"audit\"} @ {\"snapshot\":true}\n"
            "audit  deleted\n");
  r = Sluice({"-o", "json", "connectors", "watch"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    EXPECT_TRUE(doc.IsObject()) << line;
  }
  EXPECT_EQ(count, 6);
}

TEST_F(ClientCommands, BadCommandLinesExitTwoSayingWhatIsWrong) {
  Result r = Sluice({"connectors", "frobnicate"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err,
              StartsWith("sluice: connectors: unknown command `frobnicate` (list, create, "));
  EXPECT_THAT(r.err, HasSubstr("\nusage: sluice"));
  r = Sluice({"connectors", "offsets"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("sluice: connectors offsets: which command? (get, set, reset)\n"));
  r = Sluice({"connectors", "get"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("sluice: connectors get: expected connectors get NAME\n"));
  r = Sluice({"connectors", "status", "orders", "--task", "1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("sluice: connectors status: expected connectors status NAME\n"));
  r = Sluice({"connectors", "restart", "orders", "--bogus"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("sluice: connectors restart: unexpected `--bogus`\n"));
  r = Sluice({"connectors", "config", "patch", "orders", "novalue"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("expected key=value, not `novalue`"));
  r = Sluice({"-o", "yaml", "connectors", "list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, StartsWith("sluice: -o takes table, json or proto, not `yaml`\n"));
  r = Sluice({"connectors", "create", "-f", "/nonexistent/conn.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "sluice: cannot read `/nonexistent/conn.json`\n");
  r = Sluice({"connectors", "create", "-f", File("noname.json", R"({"config":{}})")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("names no connector"));
  r = Sluice({"connectors", "offsets", "set", "audit", "-f", File("list.json", "[1]")});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr(R"(expected {"offsets":[{"partition":{...},"offset":{...}}]})"));
  EXPECT_EQ(worker_.admin().last_method(), "");  // none of these reached the worker
}

TEST_F(ClientCommands, HelpListsEveryCommandOfTheTable) {
  Result r = RunCli({"connectors", "--help"});
  ASSERT_EQ(r.code, 0);
  for (const char* command :
       {"connectors list",
        "connectors create -f conn.json [--paused|--stopped]",
        "connectors get NAME",
        "connectors status NAME",
        "connectors pause NAME",
        "connectors resume NAME",
        "connectors stop NAME",
        "connectors delete NAME",
        "connectors restart NAME [--include-tasks] [--only-failed] [--task N]",
        "connectors config set NAME -f config.json",
        "connectors config patch NAME key=value ... [--unset key ...]",
        "connectors offsets get NAME",
        "connectors offsets set NAME -f offsets.json",
        "connectors offsets reset NAME",
        "connectors topics NAME [--reset]",
        "connectors validate -f conn.json",
        "(also: sluice validate)",
        "connectors watch [NAME ...]",
        "(also: sluice watch)",
        "plugins list",
        "--worker host:port",
        "--timeout SECONDS",
        "8 refused"}) {
    EXPECT_THAT(r.out, HasSubstr(command));
  }
  EXPECT_EQ(ClientCommandUsage("plugins"), "plugins list");
  EXPECT_EQ(ClientCommandUsage("validate"), "validate -f conn.json");
  EXPECT_THAT(ClientCommandUsage("connectors"), StartsWith("connectors <list|create|get|"));
  EXPECT_TRUE(IsClientCommand("watch"));
  EXPECT_FALSE(IsClientCommand("worker"));
}

}  // namespace
}  // namespace sluice::cli
