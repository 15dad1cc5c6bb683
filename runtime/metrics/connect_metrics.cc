#include "runtime/metrics/connect_metrics.h"

#include <iterator>
#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "runtime/herder/connect_records.h"

namespace sluice::metrics {
namespace {

using herder::ConnectorFigures;
using herder::State;
using herder::TaskFigures;

Labels ConnectorLabel(const ConnectorFigures& c) { return {{"connector", c.name}}; }
Labels TaskLabels(const ConnectorFigures& c, const TaskFigures& t) {
  return {{"connector", c.name}, {"task", absl::StrCat(t.id)}};
}
std::string StatusLabel(State state) { return absl::AsciiStrToLower(herder::StateName(state)); }

constexpr char kWorker[] = "kafka_connect_connect_worker_metrics_";
constexpr char kSourceTask[] = "kafka_connect_source_task_metrics_";
constexpr char kTaskError[] = "kafka_connect_task_error_metrics_";

// task-error-metrics: the failures of a task's transforms and converters (errors.tolerance). The
// totals are untyped, as the JMX exporter writes them: a counter's name must end in `_total`, and
// these begin with it. A source task has no dead letter queue, so the deadletterqueue-produce-*
// attributes, always 0 for one in Kafka Connect, are left out.
struct ErrorFamily {
  const char* name;
  const char* type;
  const char* help;
  int64_t worker::TaskErrorFigures::*figure;
};
constexpr ErrorFamily kErrorFamilies[] = {
    {"total_record_failures", "untyped",
     "Failed attempts of the task's transforms and converters, retries included "
     "(total-record-failures).",
     &worker::TaskErrorFigures::record_failures},
    {"total_record_errors", "untyped",
     "Records the task's transforms or converters failed on for good (total-record-errors).",
     &worker::TaskErrorFigures::record_errors},
    {"total_records_skipped", "untyped",
     "Of those, records skipped under errors.tolerance=all (total-records-skipped).",
     &worker::TaskErrorFigures::records_skipped},
    {"total_retries", "untyped", "Attempts retried after a transient failure (total-retries).",
     &worker::TaskErrorFigures::retries},
    {"total_errors_logged", "untyped",
     "Failures logged under errors.log.enable (total-errors-logged).",
     &worker::TaskErrorFigures::errors_logged},
    {"last_error_timestamp", "gauge",
     "When the last record failed, ms since the epoch; 0 when none did (last-error-timestamp).",
     &worker::TaskErrorFigures::last_error_timestamp_ms},
};

}  // namespace

void AppendConnectMetrics(const std::vector<ConnectorFigures>& connectors, PrometheusText& out) {
  int tasks_here = 0;
  std::map<State, std::vector<Sample>> by_state;
  std::vector<Sample> total_tasks, connector_status, task_status, polled, written, in_flight,
      ack_lag, headroom_bytes, headroom_seconds;
  std::vector<Sample> task_errors[std::size(kErrorFamilies)];
  for (const ConnectorFigures& c : connectors) {
    std::map<State, int> counts;
    for (const TaskFigures& t : c.tasks) {
      ++counts[t.state];
      task_status.push_back({{{"connector", c.name},
                              {"task", absl::StrCat(t.id)},
                              {"status", StatusLabel(t.state)}},
                             1});
      if (!t.here) continue;
      ++tasks_here;
      polled.push_back({TaskLabels(c, t), static_cast<double>(t.records_polled)});
      written.push_back({TaskLabels(c, t), static_cast<double>(t.records_sent)});
      in_flight.push_back({TaskLabels(c, t), static_cast<double>(t.in_flight_bytes)});
      for (size_t i = 0; i < std::size(kErrorFamilies); ++i) {
        task_errors[i].push_back(
            {TaskLabels(c, t), static_cast<double>(t.errors.*kErrorFamilies[i].figure)});
      }
      if (t.progress && t.progress->purge_headroom_bytes != -1) {
        headroom_bytes.push_back(
            {TaskLabels(c, t), static_cast<double>(t.progress->purge_headroom_bytes)});
      }
      if (t.progress && t.progress->purge_headroom_seconds != -1) {
        headroom_seconds.push_back(
            {TaskLabels(c, t), static_cast<double>(t.progress->purge_headroom_seconds)});
      }
      for (const TopicLag& lag : t.ack_lags) {
        Labels labels = TaskLabels(c, t);
        labels.emplace_back("topic", lag.topic);
        std::vector<double> bounds;
        for (int64_t ms : kLagBucketBoundsMs) bounds.push_back(static_cast<double>(ms) / 1000);
        AppendHistogramSamples(
            labels, bounds,
            std::vector<int64_t>(lag.counts.buckets.begin(), lag.counts.buckets.end()),
            static_cast<double>(lag.counts.sum_ms) / 1000, ack_lag);
      }
    }
    total_tasks.push_back({ConnectorLabel(c), static_cast<double>(c.tasks.size())});
    for (State s : {State::kRunning, State::kPaused, State::kFailed, State::kUnassigned,
                    State::kRestarting}) {
      by_state[s].push_back({ConnectorLabel(c), static_cast<double>(counts[s])});
    }
    connector_status.push_back(
        {{{"connector", c.name}, {"status", StatusLabel(c.state)}}, 1});
  }
  // The *_count families are untyped, as the JMX exporter writes them: Prometheus reserves the
  // `_count` suffix for histograms and summaries, and its lint lets untyped families keep it.
  out.Single(absl::StrCat(kWorker, "connector_count"), "untyped",
             "Connectors this worker knows (connect-worker-metrics connector-count).",
             static_cast<double>(connectors.size()));
  out.Single(absl::StrCat(kWorker, "task_count"), "untyped",
             "Tasks running on this worker (connect-worker-metrics task-count).", tasks_here);
  out.Family(absl::StrCat(kWorker, "connector_total_task_count"), "untyped",
             "The connector's tasks (connector-total-task-count).", total_tasks);
  const std::pair<State, const char*> kByState[] = {
      {State::kRunning, "running"},   {State::kPaused, "paused"},
      {State::kFailed, "failed"},     {State::kUnassigned, "unassigned"},
      {State::kRestarting, "restarting"}};
  for (const auto& [state, word] : kByState) {
    out.Family(absl::StrCat(kWorker, "connector_", word, "_task_count"), "untyped",
               absl::StrCat("The connector's tasks in state ", herder::StateName(state),
                            " (connector-", word, "-task-count)."),
               by_state[state]);
  }
  out.Family("kafka_connect_connector_metrics_status", "gauge",
             "1 for the connector's state, as the label `status` (connector-metrics status).",
             connector_status);
  out.Family("kafka_connect_connector_task_metrics_status", "gauge",
             "1 for the task's state, as the label `status` (connector-task-metrics status).",
             task_status);
  out.Family(absl::StrCat(kSourceTask, "source_record_poll_total"), "counter",
             "Records the task's connector produced since the task started "
             "(source-record-poll-total).",
             polled);
  out.Family(absl::StrCat(kSourceTask, "source_record_write_total"), "counter",
             "Records the task handed to Kafka since it started (source-record-write-total; "
             "the poll total less what transforms filtered and errors.tolerance skipped).",
             written);
  out.Family("sluice_task_in_flight_bytes", "gauge",
             "Record bytes the task handed to Kafka that Kafka has not acknowledged yet.",
             in_flight);
  for (size_t i = 0; i < std::size(kErrorFamilies); ++i) {
    const ErrorFamily& family = kErrorFamilies[i];
    out.Family(absl::StrCat(kTaskError, family.name), family.type, family.help, task_errors[i]);
  }
  out.Family("sluice_task_commit_to_ack_lag_seconds", "histogram",
             "Seconds from when a change happened at the source (a binlog event's time) to "
             "Kafka's acknowledgement of its record, per topic written (one per table).",
             ack_lag);
  out.Family("sluice_task_purge_headroom_bytes", "gauge",
             "Bytes of the source's log kept behind the task's position (the binlogs before it): "
             "what the server may purge before it purges what the task still needs.",
             headroom_bytes);
  out.Family("sluice_task_purge_headroom_seconds", "gauge",
             "Seconds until the server's binlog expiry could purge the task's position "
             "(binlog_expire_logs_seconds minus the position's age; absent without expiry).",
             headroom_seconds);
}

void AppendDebeziumMetrics(const std::vector<ConnectorFigures>& connectors, PrometheusText& out) {
  // Family name suffix -> samples, per domain (debezium_mysql, debezium_mariadb).
  std::map<std::string, std::vector<Sample>> families;
  for (const ConnectorFigures& c : connectors) {
    const std::string cls = absl::AsciiStrToLower(c.connector_class);
    const char* domain = absl::StrContains(cls, "mariadb") ? "debezium_mariadb"
                         : absl::StrContains(cls, "mysql") ? "debezium_mysql"
                                                           : nullptr;
    if (domain == nullptr) continue;
    const std::string server = c.topic_prefix.empty() ? c.name : c.topic_prefix;
    const Labels streaming_labels = {{"context", "streaming"}, {"server", server}};
    const Labels snapshot_labels = {{"context", "snapshot"}, {"server", server}};
    auto add = [&](const char* attribute, const Labels& labels, double value) {
      families[absl::StrCat(domain, "_connector_metrics_", attribute)].push_back({labels, value});
    };
    for (const TaskFigures& t : c.tasks) {
      if (!t.here) continue;
      const bool running = t.state == State::kRunning;
      const plugin::TaskPhase phase =
          t.progress ? t.progress->phase : plugin::TaskPhase::kUnknown;
      const bool snapshotting = running && phase == plugin::TaskPhase::kSnapshot;
      const bool streaming = running && (phase == plugin::TaskPhase::kStreaming ||
                                         phase == plugin::TaskPhase::kIdle);
      add("connected", streaming_labels, streaming ? 1 : 0);
      add("snapshotrunning", snapshot_labels, snapshotting ? 1 : 0);
      if (!t.progress) continue;
      const plugin::TaskProgress& p = *t.progress;
      if (streaming && p.lag_ms >= 0) {
        add("millisecondsbehindsource", streaming_labels, static_cast<double>(p.lag_ms));
      }
      // "file:pos": BinlogPosition, with BinlogFilename as a label (the exporter drops strings).
      if (streaming) {
        const size_t colon = p.position.rfind(':');
        int64_t pos = 0;
        if (colon != std::string::npos &&
            absl::SimpleAtoi(absl::string_view(p.position).substr(colon + 1), &pos)) {
          Labels labels = streaming_labels;
          labels.emplace_back("binlogfilename", p.position.substr(0, colon));
          add("binlogposition", labels, static_cast<double>(pos));
        }
      }
      const Labels& phase_labels = snapshotting ? snapshot_labels : streaming_labels;
      if (p.events_seen >= 0) {
        add("totalnumberofeventsseen", phase_labels, static_cast<double>(p.events_seen));
      }
      if (p.committed_transactions >= 0) {
        add("numberofcommittedtransactions", streaming_labels,
            static_cast<double>(p.committed_transactions));
      }
      if (p.queue_remaining_capacity >= 0) {
        add("queueremainingcapacity", phase_labels,
            static_cast<double>(p.queue_remaining_capacity));
      }
      if (p.snapshot_completed >= 0) {
        add("snapshotcompleted", snapshot_labels, p.snapshot_completed > 0 ? 1 : 0);
      }
      if (p.snapshot_duration_ms >= 0) {
        add("snapshotdurationinseconds", snapshot_labels,
            static_cast<double>(p.snapshot_duration_ms / 1000));
      }
      if (snapshotting && p.tables_total >= 0 && p.tables_done >= 0) {
        add("totaltablecount", snapshot_labels, static_cast<double>(p.tables_total));
        add("remainingtablecount", snapshot_labels, static_cast<double>(p.tables_total - p.tables_done));
      }
      if (snapshotting && !p.table.empty() && p.table_rows_done >= 0) {
        Labels labels = snapshot_labels;
        labels.emplace_back("table", p.table);
        add("rowsscanned", labels, static_cast<double>(p.table_rows_done));
      }
    }
  }
  static const std::map<std::string, std::pair<const char*, const char*>> kHelp = {
      {"connected", {"gauge", "1 while the task streams the binlog (Connected)."}},
      {"snapshotrunning", {"gauge", "1 while the task runs a snapshot (SnapshotRunning)."}},
      {"millisecondsbehindsource",
       {"gauge", "How far the last event read is behind the server's clock, in ms "
                 "(MilliSecondsBehindSource)."}},
      {"binlogposition",
       {"gauge", "The binlog position read; the file is the label binlogfilename "
                 "(BinlogPosition, BinlogFilename)."}},
      {"totaltablecount", {"gauge", "Tables the snapshot reads (TotalTableCount)."}},
      {"remainingtablecount",
       {"gauge", "Tables the snapshot has not finished yet (RemainingTableCount)."}},
      {"rowsscanned",
       {"gauge", "Rows the snapshot has read of the table it is reading (RowsScanned)."}},
      {"totalnumberofeventsseen",
       {"untyped", "Change events the task read since it started (TotalNumberOfEventsSeen)."}},
      {"numberofcommittedtransactions",
       {"untyped", "Source transactions the task read to their commit since it started "
                   "(NumberOfCommittedTransactions)."}},
      {"queueremainingcapacity",
       {"gauge", "Room left in the queue between the task's binlog reader and its polls, in "
                 "events (QueueRemainingCapacity)."}},
      {"snapshotcompleted",
       {"gauge", "1 once the initial snapshot is complete (SnapshotCompleted)."}},
      {"snapshotdurationinseconds",
       {"gauge", "How long the snapshot ran, or has run while it runs, in whole seconds "
                 "(SnapshotDurationInSeconds)."}},
  };
  for (const auto& [name, samples] : families) {
    const std::string attribute = name.substr(name.rfind('_') + 1);
    auto help = kHelp.find(attribute);
    out.Family(name, help != kHelp.end() ? help->second.first : "gauge",
               help != kHelp.end() ? help->second.second : "", samples);
  }
}

void AppendProducerMetrics(const std::vector<kafka::ProducerStats>& producers,
                           PrometheusText& out) {
  struct Figure {
    const char* name;
    const char* type;
    const char* help;
    int64_t kafka::ProducerStats::*field;
  };
  static constexpr Figure kFigures[] = {
      {"kafka_producer_producer_metrics_record_send_total", "counter",
       "Records the producer sent to brokers (record-send-total; librdkafka's txmsgs).",
       &kafka::ProducerStats::messages_sent},
      {"kafka_producer_producer_metrics_outgoing_byte_total", "counter",
       "Record bytes the producer sent to brokers (librdkafka's txmsg_bytes).",
       &kafka::ProducerStats::bytes_sent},
      {"kafka_producer_producer_metrics_request_total", "counter",
       "Requests sent to brokers (request-total; librdkafka's tx).",
       &kafka::ProducerStats::requests_sent},
      {"kafka_producer_producer_metrics_response_total", "counter",
       "Responses received from brokers (response-total; librdkafka's rx).",
       &kafka::ProducerStats::responses},
      {"sluice_producer_queued_records", "gauge",
       "Records waiting in the producer's queues or in flight (librdkafka's msg_cnt).",
       &kafka::ProducerStats::queued_messages},
      {"sluice_producer_queued_bytes", "gauge",
       "Their bytes (librdkafka's msg_size).", &kafka::ProducerStats::queued_bytes},
  };
  for (const Figure& f : kFigures) {
    std::vector<Sample> samples;
    for (const kafka::ProducerStats& p : producers) {
      samples.push_back({{{"client_id", p.client_id}, {"name", p.name}},
                         static_cast<double>(p.*(f.field))});
    }
    out.Family(f.name, f.type, f.help, samples);
  }
}

}  // namespace sluice::metrics
