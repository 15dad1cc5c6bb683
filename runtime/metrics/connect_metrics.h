// Kafka Connect's and Debezium's metrics, as the Prometheus JMX exporter names them with
// `lowercaseOutputName: true` (Strimzi's and Debezium's example configs): an MBean
// `kafka.connect:type=source-task-metrics,connector=orders,task=0` attribute
// `source-record-poll-total` becomes `kafka_connect_source_task_metrics_source_record_poll_total
// {connector="orders",task="0"}`; `debezium.mysql:type=connector-metrics,context=streaming,
// server=shop` attribute `MilliSecondsBehindSource` becomes
// `debezium_mysql_connector_metrics_millisecondsbehindsource{context="streaming",server="shop"}`.
// docs/metrics.md lists every family, its type and meaning, and what Sluice does not have yet.
#ifndef SLUICE_RUNTIME_METRICS_CONNECT_METRICS_H_
#define SLUICE_RUNTIME_METRICS_CONNECT_METRICS_H_

#include <vector>

#include "runtime/herder/herder_types.h"
#include "runtime/kafka/client_stats.h"
#include "runtime/metrics/prometheus_text.h"

namespace sluice::metrics {

// The worker, connector and task families (connect-worker-metrics, connector-metrics,
// connector-task-metrics, source-task-metrics) and Sluice's own task figures.
void AppendConnectMetrics(const std::vector<herder::ConnectorFigures>& connectors,
                          PrometheusText& out);

// Debezium's streaming and snapshot families for the MySQL/MariaDB connectors' tasks, from their
// progress reports.
void AppendDebeziumMetrics(const std::vector<herder::ConnectorFigures>& connectors,
                           PrometheusText& out);

// librdkafka's producer figures (runtime/kafka/client_stats.h) under the Java producer's
// producer-metrics names, labelled by client id and librdkafka's client name.
void AppendProducerMetrics(const std::vector<kafka::ProducerStats>& producers, PrometheusText& out);

}  // namespace sluice::metrics

#endif  // SLUICE_RUNTIME_METRICS_CONNECT_METRICS_H_
