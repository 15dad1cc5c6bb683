#include "runtime/metrics/prometheus_text.h"

#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace sluice::metrics {
namespace {

// Whole numbers as integers (counters of records and bytes), others with full precision.
std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::fabs(v) < 9.0e15 && v == std::floor(v)) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  return absl::StrFormat("%.15g", v);
}

std::string EscapeHelp(absl::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string EscapeLabelValue(absl::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void PrometheusText::Family(absl::string_view name, absl::string_view type,
                            absl::string_view help, const std::vector<Sample>& samples) {
  if (samples.empty()) return;
  absl::StrAppend(&text_, "# HELP ", name, " ", EscapeHelp(help), "\n# TYPE ", name, " ", type,
                  "\n");
  for (const Sample& s : samples) {
    absl::StrAppend(&text_, name, s.suffix);
    if (!s.labels.empty()) {
      text_ += '{';
      for (size_t i = 0; i < s.labels.size(); ++i) {
        absl::StrAppend(&text_, i == 0 ? "" : ",", s.labels[i].first, "=\"",
                        EscapeLabelValue(s.labels[i].second), "\"");
      }
      text_ += '}';
    }
    absl::StrAppend(&text_, " ", Number(s.value), "\n");
  }
}

void AppendHistogramSamples(const Labels& labels, const std::vector<double>& bounds,
                            const std::vector<int64_t>& counts, double sum,
                            std::vector<Sample>& out) {
  int64_t cumulative = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    Labels with_le = labels;
    with_le.emplace_back("le", i < bounds.size() ? Number(bounds[i]) : "+Inf");
    out.push_back({std::move(with_le), static_cast<double>(cumulative), "_bucket"});
  }
  out.push_back({labels, sum, "_sum"});
  out.push_back({labels, static_cast<double>(cumulative), "_count"});
}

}  // namespace sluice::metrics
