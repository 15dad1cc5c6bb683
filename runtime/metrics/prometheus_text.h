// Prometheus's text exposition format (version 0.0.4): one `# HELP` and `# TYPE` line per
// family, then its samples, label values escaped. The one writer /metrics uses.
//
// Threads: one writer per scrape.
#ifndef SLUICE_RUNTIME_METRICS_PROMETHEUS_TEXT_H_
#define SLUICE_RUNTIME_METRICS_PROMETHEUS_TEXT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace sluice::metrics {

inline constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

using Labels = std::vector<std::pair<std::string, std::string>>;

struct Sample {
  Labels labels;
  double value = 0;
  // Appended to the family's name: a histogram's "_bucket" (with an `le` label), "_sum", "_count".
  std::string suffix = {};
};

// A histogram's samples for one label set, for a family of type "histogram": one `_bucket` per
// upper bound (`le`, cumulative counts) and +Inf, then `_sum` and `_count`. `bounds` and `counts`
// are per bucket, `counts` one longer (the +Inf bucket).
void AppendHistogramSamples(const Labels& labels, const std::vector<double>& bounds,
                            const std::vector<int64_t>& counts, double sum,
                            std::vector<Sample>& out);

class PrometheusText {
 public:
  // `type` is "counter", "gauge", "histogram" or "untyped". A family without samples is left
  // out.
  void Family(absl::string_view name, absl::string_view type, absl::string_view help,
              const std::vector<Sample>& samples);
  // One sample without labels.
  void Single(absl::string_view name, absl::string_view type, absl::string_view help,
              double value) {
    Family(name, type, help, {Sample{{}, value}});
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// A label value or HELP text escaped as the format asks (backslash, double quote in label values,
// newline).
std::string EscapeLabelValue(absl::string_view value);

}  // namespace sluice::metrics

#endif  // SLUICE_RUNTIME_METRICS_PROMETHEUS_TEXT_H_
