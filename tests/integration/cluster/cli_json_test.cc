// The CLI's `-o json` prints Kafka Connect's REST bodies (runtime/cli/kafka_connect_json.h): for
// each command with a REST equivalent, the JSON the CLI prints through the admin API equals the
// body the same worker's REST API answers for the same state.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/cluster/cluster_run.h"
#include "tests/support/eventually.h"

namespace sluice::testing {
namespace {

// Both answered, both parse, and the documents are equal (objects compared member by member,
// whatever their order). What differed, for the failure message.
std::string Difference(const ClusterRun& run, const std::vector<std::string>& cli_args,
                       const std::string& method, const std::string& path,
                       const std::string& body = "") {
  std::vector<std::string> args = {"-o", "json"};
  args.insert(args.end(), cli_args.begin(), cli_args.end());
  const ClusterRun::CliAnswer cli = run.Cli(0, args);
  const ClusterRun::RestAnswer rest = run.Rest(0, method, path, body);
  if (cli.code != 0 || rest.status != 200) {
    return absl::StrCat("cli exit ", cli.code, ": ", cli.output, "\nREST ", rest.status, ": ",
                        rest.body);
  }
  rapidjson::Document from_cli, from_rest;
  from_cli.Parse(cli.output.c_str());
  from_rest.Parse(rest.body.c_str());
  if (from_cli.HasParseError() || from_rest.HasParseError() || from_cli != from_rest) {
    return absl::StrCat("cli: ", cli.output, "\nREST: ", rest.body);
  }
  return "";
}

// The state can move between the two calls (a logger logs for the first time, a status is
// written): compared again until equal, for a while.
void ExpectSame(const ClusterRun& run, const std::vector<std::string>& cli_args,
                const std::string& method, const std::string& path, const std::string& body = "") {
  std::string difference;
  EXPECT_TRUE(Eventually(
      [&] {
        difference = Difference(run, cli_args, method, path, body);
        return difference.empty();
      },
      absl::Seconds(20), absl::Milliseconds(300)))
      << path << "\n"
      << difference;
}

TEST(CliJson, EachCommandPrintsTheRestBodyOfTheSameWorker) {
  ClusterRun run("cli-json");
  run.StartAndJoin(0);
  // A generator that has made all its records: offsets and topics stay as they are.
  const std::string c = run.CreateGenerator(0, "g0", 200, 10, 1000);
  ASSERT_TRUE(Eventually(
      [&] {
        const std::vector<int64_t> seqs = run.CommittedSeqs(c);
        return !seqs.empty() && seqs.back() == 199;
      },
      absl::Seconds(60), absl::Milliseconds(200)))
      << run.log(0);
  const std::string path = "/connectors/" + c;

  ExpectSame(run, {"connectors", "list"}, "GET", "/connectors?expand=status&expand=info");
  ExpectSame(run, {"connectors", "get", c}, "GET", path);
  ExpectSame(run, {"connectors", "config", "get", c}, "GET", path + "/config");
  ExpectSame(run, {"connectors", "status", c}, "GET", path + "/status");
  ExpectSame(run, {"connectors", "tasks", c}, "GET", path + "/tasks");
  ExpectSame(run, {"connectors", "topics", c}, "GET", path + "/topics");
  ExpectSame(run, {"connectors", "offsets", "get", c}, "GET", path + "/offsets");
  ExpectSame(run, {"plugins", "list"}, "GET", "/connector-plugins");
  ExpectSame(run, {"loggers", "list"}, "GET", "/admin/loggers");
  // Setting a level answers the loggers set; then one logger, with when it was set.
  ExpectSame(run, {"loggers", "set", "herder", "DEBUG"}, "PUT", "/admin/loggers/herder",
             R"({"level":"DEBUG"})");
  ExpectSame(run, {"loggers", "get", "herder"}, "GET", "/admin/loggers/herder");
  // A config change answers the connector (ConnectorInfo), as PUT .../config does.
  const ClusterRun::CliAnswer patched =
      run.Cli(0, {"-o", "json", "connectors", "config", "patch", c, "rate.per.sec=500"});
  ASSERT_EQ(patched.code, 0) << patched.output;
  rapidjson::Document doc;
  doc.Parse(patched.output.c_str());
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("config") && doc.HasMember("tasks"))
      << patched.output;
  EXPECT_STREQ(doc["config"]["rate.per.sec"].GetString(), "500");
  ExpectSame(run, {"connectors", "get", c}, "GET", path);
  run.StopWorker(0);
}

}  // namespace
}  // namespace sluice::testing
