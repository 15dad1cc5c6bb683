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

// The commit-to-ack lag histogram counts every change the stream wrote, per table's topic, and
// none of the snapshot's rows (they have no binlog time).
TEST_F(PrometheusScrapeTest, TheCommitToAckLagHistogramCountsTheChangesWrittenPerTable) {
  const std::string name = db_;
  ASSERT_TRUE(
      admin_->Execute(absl::StrCat("CREATE TABLE ", db_, ".u (id INT PRIMARY KEY, v INT)")).ok());
  ASSERT_TRUE(Create(name, MySqlConnectorConfig(MariaDbCdc(), db_, 31000)).ok());
  ASSERT_TRUE(WaitForState(name, "RUNNING"));
  httplib::Client worker("127.0.0.1", rest_->port());
  auto scrape = [&] {
    httplib::Result r = worker.Get("/metrics");
    return r && r->status == 200 ? r->body : std::string();
  };
  std::string text;
  ASSERT_TRUE(Eventually([&] {
    text = scrape();
    return text.find(absl::StrCat("debezium_mysql_connector_metrics_connected{context="
                                  "\"streaming\",server=\"", db_, "\"} 1")) != std::string::npos;
  })) << text << "\n" << log_.Text();
  // Three changes to t (an insert, an update, a delete and its tombstone: four records) and two
  // inserts into u, all after the snapshot.
  ASSERT_TRUE(admin_->Execute(absl::StrCat("INSERT INTO ", db_, ".t VALUES (10,10)")).ok());
  ASSERT_TRUE(admin_->Execute(absl::StrCat("UPDATE ", db_, ".t SET v = 11 WHERE id = 10")).ok());
  ASSERT_TRUE(admin_->Execute(absl::StrCat("DELETE FROM ", db_, ".t WHERE id = 10")).ok());
  ASSERT_TRUE(admin_->Execute(absl::StrCat("INSERT INTO ", db_, ".u VALUES (1,1),(2,2)")).ok());
  const std::string family = "sluice_task_commit_to_ack_lag_seconds";
  auto series = [&](const std::string& table) {
    return absl::StrCat("{connector=\"", name, "\",task=\"0\",topic=\"", db_, ".", db_, ".",
                        table, "\"");
  };
  const std::string t_count = absl::StrCat(family, "_count", series("t"), "} 4\n");
  const std::string u_count = absl::StrCat(family, "_count", series("u"), "} 2\n");
  ASSERT_TRUE(Eventually([&] {
    text = scrape();
    return text.find(t_count) != std::string::npos && text.find(u_count) != std::string::npos;
  })) << text;
  EXPECT_THAT(text, ::testing::HasSubstr(absl::StrCat("# TYPE ", family, " histogram\n")));
  // Every lag is in a finite bucket (under an hour) and in +Inf.
  EXPECT_THAT(text, ::testing::HasSubstr(
                        absl::StrCat(family, "_bucket", series("t"), ",le=\"3600\"} 4\n")));
  EXPECT_THAT(text, ::testing::HasSubstr(
                        absl::StrCat(family, "_bucket", series("u"), ",le=\"+Inf\"} 2\n")));
  // Stays put: nothing else is counted (no snapshot row, no heartbeat).
  absl::SleepFor(absl::Seconds(2));
  text = scrape();
  EXPECT_THAT(text, ::testing::HasSubstr(t_count));
  EXPECT_THAT(text, ::testing::HasSubstr(u_count));
  // promtool accepts the histogram.
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", db_, "-lag");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/scrape.txt") << text;
  EXPECT_EQ(std::system(absl::StrCat("promtool check metrics < ", dir, "/scrape.txt > ", dir,
                                     "/promtool.txt 2>&1")
                            .c_str()),
            0)
      << ReadFileForMessage(dir + "/promtool.txt");
}

// The value of the first sample of `series` (name and labels up to the closing brace) in a
// scrape, or nullopt.
std::optional<double> SampleValue(const std::string& scrape, const std::string& series) {
  const size_t at = scrape.find(series);
  if (at == std::string::npos) return std::nullopt;
  const size_t end = scrape.find('\n', at);
  double value = 0;
  if (!absl::SimpleAtod(scrape.substr(at + series.size(), end - at - series.size()), &value)) {
    return std::nullopt;
  }
  return value;
}

// Binlog purge headroom: moving the server's oldest binlog up to the connector's shrinks the
// gauge to the connector's position in its file, and the task's status warns; Debezium's counters
// count the changes and transactions the stream read.
TEST_F(PrometheusScrapeTest, PurgingBinlogsShrinksTheHeadroomAndTheStatusWarns) {
  const std::string name = db_;
  std::map<std::string, std::string> config = MySqlConnectorConfig(MariaDbCdc(), db_, 32000);
  config["binlog.purge.headroom.warning.bytes"] = absl::StrCat(int64_t{100} << 20);
  ASSERT_TRUE(Create(name, config).ok());
  ASSERT_TRUE(WaitForState(name, "RUNNING"));
  httplib::Client worker("127.0.0.1", rest_->port());
  auto scrape = [&] {
    httplib::Result r = worker.Get("/metrics");
    return r && r->status == 200 ? r->body : std::string();
  };
  const std::string task = absl::StrCat("{connector=\"", name, "\",task=\"0\"} ");
  const std::string bytes_series = absl::StrCat("sluice_task_purge_headroom_bytes", task);
  std::string text;
  ASSERT_TRUE(Eventually([&] {
    text = scrape();
    return text.find(absl::StrCat("debezium_mysql_connector_metrics_connected{context="
                                  "\"streaming\",server=\"", db_, "\"} 1")) != std::string::npos;
  })) << text << "\n" << log_.Text();
  // A new binlog file, and a change in it: the connector reads from the new file.
  ASSERT_TRUE(admin_->Execute("FLUSH BINARY LOGS").ok());
  ASSERT_TRUE(admin_->Execute(absl::StrCat("INSERT INTO ", db_, ".t VALUES (20,20)")).ok());
  absl::StatusOr<mysql::QueryResult> logs = admin_->Query("SHOW MASTER STATUS");
  ASSERT_TRUE(logs.ok() && !logs->rows.empty() && logs->rows[0][0].has_value()) << logs.status();
  const std::string current = *logs->rows[0][0];
  // Measured every 10 s: the headroom still counts the files before the current one.
  std::optional<double> before;
  ASSERT_TRUE(Eventually(
      [&] {
        text = scrape();
        before = SampleValue(text, bytes_series);
        return text.find(absl::StrCat("binlogfilename=\"", current, "\"")) != std::string::npos &&
               before.has_value();
      },
      absl::Seconds(60)))
      << text;
  std::optional<double> after;
  ASSERT_TRUE(Eventually(
      [&] {
        // Again until it takes: the server skips a file a replica's dump thread still holds (an
        // earlier test's, until the server notices its connection is gone).
        EXPECT_TRUE(
            admin_->Execute(absl::StrCat("PURGE BINARY LOGS TO '", current, "'")).ok());
        text = scrape();
        after = SampleValue(text, bytes_series);
        return after.has_value() && *after < *before;
      },
      absl::Seconds(30)))
      << "before " << *before << "\n" << text;
  EXPECT_GT(*after, 0) << "the connector's position in the oldest file";
  EXPECT_LT(*after, 100 << 20);
  // The status warns (the threshold is 100 MiB; the new file holds far less).
  std::string warning;
  ASSERT_TRUE(Eventually([&] {
    pb::ConnectorStatus status = Status(name);
    if (status.tasks_size() != 1) return false;
    warning = status.tasks(0).progress().warning();
    return !warning.empty();
  })) << text;
  EXPECT_THAT(warning, ::testing::HasSubstr("binlog purge headroom"));
  EXPECT_THAT(warning, ::testing::HasSubstr("(under 104857600)"));
  // The status carries the figure too (measured again since, as the server's binlog grows).
  const pb::TaskProgress progress = Status(name).tasks(0).progress();
  ASSERT_TRUE(progress.has_purge_headroom_bytes());
  EXPECT_LT(progress.purge_headroom_bytes(), 100 << 20);
  // Seconds: only when the server expires binlogs by time.
  absl::StatusOr<mysql::QueryResult> expire =
      admin_->Query("SELECT @@GLOBAL.binlog_expire_logs_seconds");
  ASSERT_TRUE(expire.ok()) << expire.status();
  const std::string expire_text = expire->rows[0][0].value_or("0");
  if (expire_text == "0") {
    EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("sluice_task_purge_headroom_seconds")));
  } else {
    std::optional<double> seconds =
        SampleValue(text, absl::StrCat("sluice_task_purge_headroom_seconds", task));
    ASSERT_TRUE(seconds.has_value()) << text;
    EXPECT_LE(*seconds, std::stod(expire_text));
  }
  // Debezium's counters: the streamed insert, and its transaction.
  const std::string streaming = absl::StrCat("{context=\"streaming\",server=\"", db_, "\"} ");
  const std::string seen =
      absl::StrCat("debezium_mysql_connector_metrics_totalnumberofeventsseen", streaming);
  const std::string transactions =
      absl::StrCat("debezium_mysql_connector_metrics_numberofcommittedtransactions", streaming);
  EXPECT_TRUE(Eventually([&] {
    text = scrape();
    return SampleValue(text, seen).value_or(-1) >= 1 &&
           SampleValue(text, transactions).value_or(-1) >= 1;
  })) << text;
  EXPECT_GE(SampleValue(text, absl::StrCat("debezium_mysql_connector_metrics_queueremainingcapacity",
                                           streaming))
                .value_or(-1),
            1);
  const std::string snapshot = absl::StrCat("{context=\"snapshot\",server=\"", db_, "\"} ");
  EXPECT_EQ(SampleValue(text, absl::StrCat("debezium_mysql_connector_metrics_snapshotcompleted",
                                           snapshot)),
            1);
  EXPECT_GE(SampleValue(text, absl::StrCat(
                                  "debezium_mysql_connector_metrics_snapshotdurationinseconds",
                                  snapshot))
                .value_or(-1),
            0);
}

}  // namespace
}  // namespace sluice::testing
