#include "runtime/rest/metrics_route.h"

#include "runtime/metrics/connect_metrics.h"
#include "runtime/metrics/process_metrics.h"
#include "runtime/metrics/prometheus_text.h"
#include "runtime/rest_json/rest_json.h"

namespace sluice::rest {

RestResponse RouteMetrics(herder::Herder& herder, const RestRequest& request) {
  if (request.method != "GET") return {405, ErrorJson(405, "HTTP 405 Method Not Allowed"), ""};
  const std::vector<herder::ConnectorFigures> figures = herder.Figures();
  metrics::PrometheusText text;
  metrics::AppendConnectMetrics(figures, text);
  metrics::AppendDebeziumMetrics(figures, text);
  metrics::AppendProducerMetrics(kafka::ProducerStatsSnapshot(), text);
  metrics::AppendProcessMetrics(text);
  RestResponse out{200, text.text(), ""};
  out.content_type = metrics::kPrometheusContentType;
  return out;
}

}  // namespace sluice::rest
