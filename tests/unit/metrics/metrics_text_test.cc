#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "runtime/metrics/connect_metrics.h"
#include "runtime/metrics/process_metrics.h"
#include "runtime/metrics/prometheus_text.h"

namespace sluice::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<herder::ConnectorFigures> Figures() {
  herder::ConnectorFigures mysql;
  mysql.name = "shop";
  mysql.connector_class = "io.debezium.connector.mysql.MySqlConnector";
  mysql.topic_prefix = "shopdb";
  mysql.state = herder::State::kRunning;
  herder::TaskFigures streaming;
  streaming.id = 0;
  streaming.state = herder::State::kRunning;
  streaming.here = true;
  streaming.records_polled = 12345678999;  // 98 filtered out by a transform
  streaming.records_sent = 12345678901;
  streaming.in_flight_bytes = 2048;
  streaming.errors.record_failures = 7;
  streaming.errors.record_errors = 5;
  streaming.errors.records_skipped = 5;
  streaming.errors.retries = 2;
  streaming.errors.errors_logged = 5;
  streaming.errors.last_error_timestamp_ms = 1765000000123;
  TopicLag orders{"shopdb.shop.orders", {}};
  orders.counts.buckets[0] = 3;  // <= 0.25 s
  orders.counts.buckets[2] = 1;  // (0.5 s, 1 s]
  orders.counts.buckets[LagHistogram::kBuckets - 1] = 1;  // over an hour
  orders.counts.sum_ms = 4000500;
  streaming.ack_lags.push_back(orders);
  plugin::TaskProgress progress;
  progress.phase = plugin::TaskPhase::kStreaming;
  progress.lag_ms = 250;
  progress.position = "mysql-bin.000003:4711";
  progress.events_seen = 42;
  progress.committed_transactions = 9;
  progress.queue_remaining_capacity = 2000;
  progress.snapshot_completed = 1;
  progress.snapshot_duration_ms = 61500;
  progress.purge_headroom_bytes = 1048576;
  progress.purge_headroom_seconds = -1;  // the server expires nothing
  streaming.progress = progress;
  mysql.tasks.push_back(streaming);

  herder::ConnectorFigures gen;
  gen.name = "gen \"quoted\"";
  gen.connector_class = "generator";
  gen.state = herder::State::kPaused;
  herder::TaskFigures snap;
  snap.id = 1;
  snap.state = herder::State::kPaused;
  gen.tasks.push_back(snap);

  herder::ConnectorFigures maria;
  maria.name = "maria";
  maria.connector_class = "io.debezium.connector.mariadb.MariaDbConnector";
  maria.state = herder::State::kRunning;
  herder::TaskFigures reading;
  reading.state = herder::State::kRunning;
  reading.here = true;
  plugin::TaskProgress snapshot;
  snapshot.phase = plugin::TaskPhase::kSnapshot;
  snapshot.table = "shop.orders";
  snapshot.table_rows_done = 120;
  snapshot.tables_done = 2;
  snapshot.tables_total = 5;
  reading.progress = snapshot;
  maria.tasks.push_back(reading);
  return {mysql, gen, maria};
}

std::string Render() {
  PrometheusText text;
  AppendConnectMetrics(Figures(), text);
  AppendDebeziumMetrics(Figures(), text);
  AppendProducerMetrics({kafka::ProducerStats{"rdkafka#producer-1", "c", 1, 2, 3, 4, 5, 6}}, text);
  AppendProcessMetrics(text);
  return text.text();
}

TEST(MetricsText, WorkerAndTaskFamiliesAsTheJmxExporterNamesThem) {
  const std::string text = Render();
  EXPECT_THAT(text, HasSubstr("# TYPE kafka_connect_connect_worker_metrics_connector_count untyped\n"
                              "kafka_connect_connect_worker_metrics_connector_count 3\n"));
  EXPECT_THAT(text, HasSubstr("kafka_connect_connect_worker_metrics_task_count 2\n"));
  EXPECT_THAT(text, HasSubstr("kafka_connect_connect_worker_metrics_connector_paused_task_count{"
                              "connector=\"gen \\\"quoted\\\"\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE kafka_connect_source_task_metrics_source_record_write_total "
                              "counter\n"));
  EXPECT_THAT(text, HasSubstr("kafka_connect_source_task_metrics_source_record_write_total{"
                              "connector=\"shop\",task=\"0\"} 12345678901\n"));
  EXPECT_THAT(text, HasSubstr("kafka_connect_source_task_metrics_source_record_poll_total{"
                              "connector=\"shop\",task=\"0\"} 12345678999\n"));
  EXPECT_THAT(text, HasSubstr("kafka_connect_connector_task_metrics_status{connector=\"gen "
                              "\\\"quoted\\\"\",task=\"1\",status=\"paused\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("sluice_task_in_flight_bytes{connector=\"shop\",task=\"0\"} 2048\n"));
  // A task that runs elsewhere has a status here but no counts.
  EXPECT_THAT(text, Not(HasSubstr("source_record_write_total{connector=\"gen")));
}

TEST(MetricsText, TaskErrorFamiliesAsTheJmxExporterNamesThem) {
  const std::string text = Render();
  EXPECT_THAT(text, HasSubstr("# TYPE kafka_connect_task_error_metrics_total_record_failures "
                              "untyped\n"));
  for (const char* sample :
       {"kafka_connect_task_error_metrics_total_record_failures{connector=\"shop\",task=\"0\"} 7\n",
        "kafka_connect_task_error_metrics_total_record_errors{connector=\"shop\",task=\"0\"} 5\n",
        "kafka_connect_task_error_metrics_total_records_skipped{connector=\"shop\",task=\"0\"} 5\n",
        "kafka_connect_task_error_metrics_total_retries{connector=\"shop\",task=\"0\"} 2\n",
        "kafka_connect_task_error_metrics_total_errors_logged{connector=\"shop\",task=\"0\"} 5\n",
        "kafka_connect_task_error_metrics_last_error_timestamp{connector=\"shop\",task=\"0\"} "
        "1765000000123\n",
        "kafka_connect_task_error_metrics_total_record_errors{connector=\"maria\",task=\"0\"} 0\n"}) {
    EXPECT_THAT(text, HasSubstr(sample));
  }
  EXPECT_THAT(text, Not(HasSubstr("deadletterqueue")));
}

TEST(MetricsText, DebeziumCountersAndThePurgeHeadroomFromAbi16Progress) {
  const std::string text = Render();
  const std::string streaming = "{context=\"streaming\",server=\"shopdb\"} ";
  const std::string snapshot = "{context=\"snapshot\",server=\"shopdb\"} ";
  EXPECT_THAT(text, HasSubstr("debezium_mysql_connector_metrics_totalnumberofeventsseen" +
                              streaming + "42\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mysql_connector_metrics_numberofcommittedtransactions" +
                              streaming + "9\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mysql_connector_metrics_queueremainingcapacity" +
                              streaming + "2000\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mysql_connector_metrics_snapshotcompleted" + snapshot +
                              "1\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mysql_connector_metrics_snapshotdurationinseconds" +
                              snapshot + "61\n"));
  EXPECT_THAT(text, HasSubstr("sluice_task_purge_headroom_bytes{connector=\"shop\",task=\"0\"} "
                              "1048576\n"));
  EXPECT_THAT(text, Not(HasSubstr("sluice_task_purge_headroom_seconds{")));
  // A task that reports none of them (the MariaDB snapshot here) has none.
  EXPECT_THAT(text, Not(HasSubstr("debezium_mariadb_connector_metrics_totalnumberofeventsseen")));
}

TEST(MetricsText, CommitToAckLagIsAHistogramPerTaskAndTopic) {
  const std::string text = Render();
  const std::string series =
      "sluice_task_commit_to_ack_lag_seconds_bucket{connector=\"shop\",task=\"0\","
      "topic=\"shopdb.shop.orders\",le=";
  EXPECT_THAT(text, HasSubstr("# TYPE sluice_task_commit_to_ack_lag_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr(series + "\"0.25\"} 3\n" + series + "\"0.5\"} 3\n" + series +
                              "\"1\"} 4\n"));
  EXPECT_THAT(text, HasSubstr(series + "\"3600\"} 4\n" + series + "\"+Inf\"} 5\n"));
  EXPECT_THAT(text, HasSubstr("sluice_task_commit_to_ack_lag_seconds_sum{connector=\"shop\","
                              "task=\"0\",topic=\"shopdb.shop.orders\"} 4000.5\n"));
  EXPECT_THAT(text, HasSubstr("sluice_task_commit_to_ack_lag_seconds_count{connector=\"shop\","
                              "task=\"0\",topic=\"shopdb.shop.orders\"} 5\n"));
}

TEST(MetricsText, DebeziumStreamingAndSnapshotFamiliesFromProgress) {
  const std::string text = Render();
  EXPECT_THAT(text, HasSubstr("debezium_mysql_connector_metrics_millisecondsbehindsource{context="
                              "\"streaming\",server=\"shopdb\"} 250\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mysql_connector_metrics_connected{context=\"streaming\","
                              "server=\"shopdb\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mysql_connector_metrics_binlogposition{context="
                              "\"streaming\",server=\"shopdb\",binlogfilename=\"mysql-bin.000003\"}"
                              " 4711\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mysql_connector_metrics_snapshotrunning{context="
                              "\"snapshot\",server=\"shopdb\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mariadb_connector_metrics_snapshotrunning{context="
                              "\"snapshot\",server=\"maria\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mariadb_connector_metrics_remainingtablecount{context="
                              "\"snapshot\",server=\"maria\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("debezium_mariadb_connector_metrics_rowsscanned{context=\"snapshot\""
                              ",server=\"maria\",table=\"shop.orders\"} 120\n"));
  EXPECT_THAT(text, Not(HasSubstr("debezium_generator")));
}

TEST(MetricsText, ProcessFiguresFromProc) {
  const std::string text = Render();
  for (const char* name : {"process_cpu_seconds_total ", "process_resident_memory_bytes ",
                           "process_open_fds ", "process_max_fds ", "process_start_time_seconds "}) {
    EXPECT_THAT(text, HasSubstr(absl::StrCat("\n", name))) << name;
  }
}

// Debian's promtool (package prometheus, installed by scripts/setup) finds nothing to say.
TEST(MetricsText, PromtoolChecksTheScrapeClean) {
  if (std::system("command -v promtool > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool is not installed (scripts/setup installs Debian's prometheus)";
  }
  const std::string path = absl::StrCat(::testing::TempDir(), "/metrics_scrape.txt");
  std::ofstream(path) << Render();
  const std::string out_path = path + ".promtool";
  const int rc = std::system(absl::StrCat("promtool check metrics < ", path, " > ", out_path,
                                          " 2>&1").c_str());
  std::ifstream in(out_path);
  const std::string verdict((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << verdict;
  EXPECT_EQ(verdict, "") << verdict;
}

TEST(MetricsText, ProducerFiguresFromLibrdkafkaStatistics) {
  kafka::UpdateClientStats(
      R"({"name":"rdkafka#producer-7","client_id":"sluice-orders-0","type":"producer",)"
      R"("msg_cnt":3,"msg_size":300,"tx":40,"rx":39,"txmsgs":1200,"txmsg_bytes":96000,)"
      R"("brokers":{}})");
  kafka::UpdateClientStats(R"({"name":"rdkafka#consumer-1","type":"consumer","rx":5})");
  kafka::UpdateClientStats("not json");
  PrometheusText text;
  AppendProducerMetrics(kafka::ProducerStatsSnapshot(), text);
  const std::string labels = "{client_id=\"sluice-orders-0\",name=\"rdkafka#producer-7\"}";
  EXPECT_THAT(text.text(), HasSubstr(absl::StrCat(
                               "kafka_producer_producer_metrics_record_send_total", labels, " 1200\n")));
  EXPECT_THAT(text.text(), HasSubstr(absl::StrCat(
                               "kafka_producer_producer_metrics_outgoing_byte_total", labels,
                               " 96000\n")));
  EXPECT_THAT(text.text(), HasSubstr(absl::StrCat("sluice_producer_queued_records", labels, " 3\n")));
  EXPECT_THAT(text.text(), Not(HasSubstr("consumer")));
  kafka::ForgetClientStats("rdkafka#producer-7");
  EXPECT_TRUE(kafka::ProducerStatsSnapshot().empty());
}

TEST(PrometheusText, EscapesAndLeavesEmptyFamiliesOut) {
  PrometheusText text;
  text.Family("a_total", "counter", "help with \\ and\nnewline", {{{{"l", "x\"y\\z\nw"}}, 1.5}});
  text.Family("empty", "gauge", "nothing", {});
  EXPECT_EQ(text.text(),
            "# HELP a_total help with \\\\ and\\nnewline\n# TYPE a_total counter\n"
            "a_total{l=\"x\\\"y\\\\z\\nw\"} 1.5\n");
}

}  // namespace
}  // namespace sluice::metrics
