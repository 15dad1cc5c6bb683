// A real Prometheus server (Debian's `prometheus`) scraping a worker's /metrics while the MySQL
// connector streams from MariaDB: promtool finds nothing to say about the scrape, and the server
// holds the worker, task, Debezium and process metrics with sane values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "httplib.h"
#include "rapidjson/document.h"
#include "runtime/rest/rest_server.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/integration/admin/mysql_test_config.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/subprocess.h"

namespace sluice::testing {
namespace {

// `program`'s path on PATH, or "" (Subprocess execs a path, not a name).
std::string Which(const std::string& program) {
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path != nullptr ? path : "", ':')) {
    const std::string candidate = absl::StrCat(dir, "/", program);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

class PrometheusScrapeTest : public AdminFixture {
 protected:
  void SetUp() override {
    if (Which("prometheus").empty() || Which("promtool").empty()) {
      GTEST_SKIP() << "Debian's prometheus is not installed (scripts/setup installs it)";
    }
    ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok());
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

    db_ = UniqueName("metrics");
    absl::StatusOr<mysql::Connection> admin = OpenOverTls(MariaDbAdmin());
    ASSERT_TRUE(admin.ok()) << admin.status();
    admin_.emplace(std::move(*admin));
    ASSERT_TRUE(admin_->Execute(absl::StrCat("CREATE DATABASE ", db_)).ok());
    ASSERT_TRUE(
        admin_->Execute(absl::StrCat("CREATE TABLE ", db_, ".t (id INT PRIMARY KEY, v INT)")).ok());
    ASSERT_TRUE(admin_->Execute(absl::StrCat("INSERT INTO ", db_, ".t VALUES (1,1),(2,2),(3,3)"))
                    .ok());
  }

  void TearDown() override {
    prometheus_.reset();
    rest_.reset();
    AdminFixture::TearDown();
    if (admin_.has_value()) (void)admin_->Execute(absl::StrCat("DROP DATABASE IF EXISTS ", db_));
  }

  // The value of the first series `query` returns on the Prometheus server, or nullopt.
  std::optional<double> Query(httplib::Client& client, const std::string& query) {
    httplib::Params params{{"query", query}};
    httplib::Result r = client.Get("/api/v1/query", params, httplib::Headers());
    if (!r || r->status != 200) return std::nullopt;
    rapidjson::Document doc;
    doc.Parse(r->body.c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("data")) return std::nullopt;
    const rapidjson::Value& result = doc["data"]["result"];
    if (!result.IsArray() || result.Empty()) return std::nullopt;
    double value = 0;
    if (!absl::SimpleAtod(result[0]["value"][1].GetString(), &value)) return std::nullopt;
    return value;
  }

  std::unique_ptr<rest::RestServer> rest_;
  std::unique_ptr<Subprocess> prometheus_;
  std::string db_;
  std::optional<mysql::Connection> admin_;
};

TEST_F(PrometheusScrapeTest, APrometheusServerScrapesEveryFamilyWithSaneValues) {
  const std::string name = db_;
  ASSERT_TRUE(Create(name, MySqlConnectorConfig(MariaDbCdc(), db_, 30000)).ok());
  ASSERT_TRUE(WaitForState(name, "RUNNING"));
  ASSERT_TRUE(admin_->Execute(absl::StrCat("INSERT INTO ", db_, ".t VALUES (4,4),(5,5)")).ok());
  httplib::Client worker("127.0.0.1", rest_->port());
  const std::string server = absl::StrCat("server=\"", db_, "\"");
  // Streaming, with the five rows written (by the snapshot or the stream, whichever saw the
  // inserts; the schema change the connector may add counts too).
  std::string scrape;
  ASSERT_TRUE(Eventually([&] {
    httplib::Result r = worker.Get("/metrics");
    if (!r || r->status != 200) return false;
    scrape = r->body;
    return scrape.find(absl::StrCat("debezium_mysql_connector_metrics_connected{context="
                                    "\"streaming\",",
                                    server, "} 1")) != std::string::npos &&
           scrape.find(absl::StrCat("source_record_write_total{connector=\"", name,
                                    "\",task=\"0\"} ")) != std::string::npos;
  })) << scrape << "\n" << log_.Text();

  // promtool's lint and parse of a real scrape.
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", db_);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/scrape.txt") << scrape;
  const int promtool = std::system(absl::StrCat("promtool check metrics < ", dir,
                                                "/scrape.txt > ", dir, "/promtool.txt 2>&1")
                                       .c_str());
  EXPECT_EQ(promtool, 0) << ReadFileForMessage(dir + "/promtool.txt");
  EXPECT_EQ(ReadFileForMessage(dir + "/promtool.txt"), "");

  // A Prometheus server on loopback, scraping every second.
  const int port = FreePort();
  std::ofstream(dir + "/prometheus.yml")
      << "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
      << "scrape_configs:\n  - job_name: sluice\n    static_configs:\n"
      << "      - targets: ['127.0.0.1:" << rest_->port() << "']\n";
  prometheus_ = std::make_unique<Subprocess>(
      std::vector<std::string>{Which("prometheus"), "--config.file=" + dir + "/prometheus.yml",
                               "--storage.tsdb.path=" + dir + "/data",
                               absl::StrCat("--web.listen-address=127.0.0.1:", port)},
      dir + "/prometheus.log");
  httplib::Client prom("127.0.0.1", port);
  std::optional<double> up;
  ASSERT_TRUE(Eventually([&] {
    up = Query(prom, "up{job=\"sluice\"}");
    return (up.has_value() && *up == 1) || !prometheus_->running();
  })) << ReadFileForMessage(dir + "/prometheus.log");
  ASSERT_TRUE(prometheus_->running()) << ReadFileForMessage(dir + "/prometheus.log");

  auto value = [&](const std::string& query) {
    std::optional<double> v;
    EXPECT_TRUE(Eventually([&] { return (v = Query(prom, query)).has_value(); },
                           absl::Seconds(20)))
        << query << " never answered";
    return v.value_or(-1);
  };
  const std::string task = absl::StrCat("{connector=\"", name, "\",task=\"0\"}");
  EXPECT_GE(value("kafka_connect_connect_worker_metrics_connector_count"), 1);
  EXPECT_GE(value("kafka_connect_connect_worker_metrics_task_count"), 1);
  EXPECT_EQ(value(absl::StrCat("kafka_connect_connect_worker_metrics_connector_running_task_count"
                               "{connector=\"", name, "\"}")),
            1);
  EXPECT_TRUE(Eventually([&] {
    return Query(prom, absl::StrCat("kafka_connect_source_task_metrics_source_record_write_total",
                                    task)).value_or(0) >= 5;
  })) << "the five rows written";
  EXPECT_GE(value(absl::StrCat("kafka_connect_source_task_metrics_source_record_poll_total", task)),
            5);
  EXPECT_EQ(value(absl::StrCat("kafka_connect_connector_task_metrics_status{connector=\"", name,
                               "\",status=\"running\"}")),
            1);
  EXPECT_GE(value(absl::StrCat("sluice_task_in_flight_bytes", task)), 0);
  const std::string streaming = absl::StrCat("{context=\"streaming\",", server, "}");
  EXPECT_EQ(value(absl::StrCat("debezium_mysql_connector_metrics_connected", streaming)), 1);
  EXPECT_EQ(value(absl::StrCat("debezium_mysql_connector_metrics_snapshotrunning{context="
                               "\"snapshot\",",
                               server, "}")),
            0);
  const double lag =
      value(absl::StrCat("debezium_mysql_connector_metrics_millisecondsbehindsource", streaming));
  EXPECT_GE(lag, 0);
  EXPECT_LT(lag, 3600 * 1000);
  EXPECT_GT(value(absl::StrCat("debezium_mysql_connector_metrics_binlogposition", streaming)), 0);
  // librdkafka's statistics arrive every 5 s.
  EXPECT_TRUE(Eventually([&] {
    return Query(prom, "max(kafka_producer_producer_metrics_record_send_total)").value_or(0) >= 5;
  })) << "a producer's records sent, from librdkafka's statistics";
  EXPECT_GE(value("max(kafka_producer_producer_metrics_request_total)"), 1);
  EXPECT_GT(value("process_resident_memory_bytes"), 1 << 20);
  EXPECT_GT(value("process_open_fds"), 3);
  EXPECT_GT(value("process_cpu_seconds_total"), 0);
  EXPECT_GT(value("process_start_time_seconds"), 1.7e9);
}

}  // namespace
}  // namespace sluice::testing
