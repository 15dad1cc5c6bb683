// One line of text for a task's progress report, as `connectors status` and `connectors watch`
// print it:
//   snapshot inventory.orders 120000/1000000 rows (12%), table 2/5
//   streaming, lag 35 ms at mariadb-bin.000003:1234
// Pure functions, unit-tested.
#ifndef SLUICE_RUNTIME_CLI_PROGRESS_LINE_H_
#define SLUICE_RUNTIME_CLI_PROGRESS_LINE_H_

#include <cstdint>
#include <string>

#include "sluice/admin/v1/admin.pb.h"

namespace sluice::cli {

std::string ProgressLine(const ::sluice::admin::v1::TaskProgress& progress);

// "35 ms", "12 s", "4 min", "2 h 5 min": exact where it matters (small lags), coarse otherwise.
std::string FormatLag(int64_t lag_ms);

// " (reported 2 min ago)" when the report is older than 10 s at `now_ms` (Unix ms), else "": a
// task that stopped reporting (blocked in a long query, held back by Kafka) shows as such.
std::string StalenessNote(const ::sluice::admin::v1::TaskProgress& progress, int64_t now_ms);

}  // namespace sluice::cli

#endif  // SLUICE_RUNTIME_CLI_PROGRESS_LINE_H_
