// The worker's log as an operator and a log shipper meet it: `sluice worker` with log.format=json
// and DEBUG levels writes one JSON object per line (timestamp, level, logger, connector/task,
// message), librdkafka's lines among them; levels change at run time through PUT /admin/loggers
// and `sluice loggers set`; and no secret of the run (a producer password, the admin token, a
// connector password resolved from ${env:...}) appears in any line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "httplib.h"
#include "rapidjson/document.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_files.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kProducerPassword[] = "producer-pw-7Qk2ZxV9";
constexpr char kToken[] = "0d2c5a9e8f7b6a5c4d3e2f1a0b9c8d7e";
constexpr char kConnectorPassword[] = "connector-pw-Hx83LmQa";

std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

TEST(WorkerLogging, JsonLinesLevelsAtRunTimeAndNoSecrets) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string prefix = UniqueName("logs");
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", prefix);
  std::filesystem::create_directories(dir);
  const int rest_port = FreePort();
  const std::string admin = absl::StrCat("127.0.0.1:", FreePort());
  const std::string token_file = dir + "/admin.token";
  std::ofstream(token_file) << kToken << "\n";
  ::chmod(token_file.c_str(), 0600);
  ::setenv("SLUICE_LOG_TEST_PASSWORD", kConnectorPassword, 1);
  const std::string bin_dir = absl::StrCat(BinaryDir(), "/runtime/cli");
  std::ofstream(dir + "/worker.properties")
      << WorkerProperties(prefix, KafkaBootstrap(), admin)
      << "listeners=http://127.0.0.1:" << rest_port << "\n"
      << "sluice.admin.token.file=" << token_file << "\n"
      << "log.format=json\n"
      << "log4j.rootLogger=DEBUG, stdout\n"
      << "log4j.logger.librdkafka=DEBUG\n"
      << "producer.debug=broker\n"
      << "producer.sasl.password=" << kProducerPassword << "\n";
  const std::string log = dir + "/worker.log";
  Subprocess worker({bin_dir + "/sluice", "worker", "--config", dir + "/worker.properties"}, log);
  httplib::Client client("127.0.0.1", rest_port);
  client.set_bearer_token_auth(kToken);
  ASSERT_TRUE(Eventually([&] {
    httplib::Result listed = client.Get("/connectors");
    return (listed && listed->status == 200) || !worker.running();
  })) << ReadFileForMessage(log);
  ASSERT_TRUE(worker.running()) << ReadFileForMessage(log);

  httplib::Result created = client.Post(
      "/connectors",
      absl::StrCat(R"({"name":"gen","config":{"connector.class":"generator","topic":")", prefix,
                   R"(.gen","rate.per.sec":"50","database.password":"${env:SLUICE_LOG_TEST_PASSWORD}"}})"),
      "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  ASSERT_TRUE(Eventually([&] {
    httplib::Result logger = client.Get("/admin/loggers/connector.gen.task.0");
    return logger && logger->status == 200;
  })) << ReadFileForMessage(log);

  // Through the REST API: Kafka Connect's answer, the names set.
  httplib::Result set = client.Put("/admin/loggers/connector.gen", R"({"level":"WARN"})",
                                   "application/json");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  EXPECT_EQ(set->body, R"(["connector.gen","connector.gen.task.0"])");
  // Through the CLI: the same levels.
  const std::string cli = absl::StrCat(bin_dir, "/sluice --worker ", admin, " --token-file ",
                                       token_file, " loggers ");
  EXPECT_THAT(Shell(cli + "set librdkafka INFO"), HasSubstr("librdkafka"));
  EXPECT_THAT(Shell(cli + "get connector.gen.task.0"), HasSubstr("WARN"));
  const std::string listed = Shell(cli + "list");
  EXPECT_THAT(listed, HasSubstr("root"));
  EXPECT_THAT(listed, HasSubstr("librdkafka"));
  httplib::Result rdkafka = client.Get("/admin/loggers/librdkafka");
  ASSERT_TRUE(rdkafka);
  EXPECT_THAT(rdkafka->body, HasSubstr(R"("level":"INFO")"));
  const std::string log_before_stop = ReadFileForMessage(log);

  worker.Signal(SIGTERM);
  EXPECT_EQ(worker.Wait(absl::Seconds(30)), 0) << ReadFileForMessage(log);

  const std::string text = ReadFileForMessage(log);
  int lines = 0;
  int librdkafka_debug = 0;
  int task_lines = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    ++lines;
    for (const char* secret : {kProducerPassword, kToken, kConnectorPassword}) {
      EXPECT_EQ(line.find(secret), absl::string_view::npos) << "a secret in: " << line;
    }
    rapidjson::Document doc;
    doc.Parse(line.data(), line.size());
    ASSERT_FALSE(doc.HasParseError()) << "not JSON: " << line;
    ASSERT_TRUE(doc.IsObject() && doc.HasMember("timestamp") && doc.HasMember("level") &&
                doc.HasMember("logger") && doc.HasMember("message"))
        << line;
    const std::string ts = doc["timestamp"].GetString();
    EXPECT_EQ(ts.size(), 24u) << line;  // 2026-12-07T08:20:17.123Z
    EXPECT_EQ(ts.back(), 'Z') << line;
    const std::string logger = doc["logger"].GetString();
    const std::string level = doc["level"].GetString();
    if (logger == "librdkafka" && level == "DEBUG") ++librdkafka_debug;
    if (logger == "connector.gen.task.0") {
      ++task_lines;
      EXPECT_STREQ(doc["connector"].GetString(), "gen");
      EXPECT_EQ(doc["task"].GetInt(), 0);
    }
  }
  EXPECT_GT(lines, 10);
  EXPECT_GT(librdkafka_debug, 0) << "librdkafka's debug lines should reach the log";
  EXPECT_GT(task_lines, 0);
  // After the PUT, the task's INFO lines (its stop) are no longer written.
  const std::string after = text.substr(log_before_stop.size());
  EXPECT_THAT(after, ::testing::Not(HasSubstr(R"("level":"INFO","logger":"connector.gen.task.0")")));
}

}  // namespace
}  // namespace sluice::testing
