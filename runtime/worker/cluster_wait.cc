#include "runtime/worker/cluster_wait.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "runtime/worker/retry_backoff.h"

namespace sluice::worker {
namespace {

constexpr char kWho[] = "worker";
constexpr char kTimeoutKey[] = "sluice.startup.broker.timeout.ms";

}  // namespace

absl::Status WaitForCluster(const ClusterProbe& probe, const config::WorkerConfig& config,
                            const LogSink& log) {
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + config.startup_broker_timeout;
  const std::string where =
      absl::StrCat("the Kafka cluster at ", config.bootstrap_servers, " (`bootstrap.servers`)");
  const std::string topics =
      absl::StrCat("its topics `", config.offset_storage.name, "`, `", config.config_storage.name,
                   "` and `", config.status_storage.name, "`");
  log(LogLevel::kInfo, kWho, absl::StrCat("connecting to ", where, " for ", topics));
  RetryBackoff backoff;
  for (int attempt = 1;; ++attempt) {
    const absl::Status answer = probe(kClusterProbeTimeout);
    if (answer.ok()) {
      if (attempt > 1) {
        log(LogLevel::kInfo, kWho,
            absl::StrCat(where, " answered after ",
                         absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Seconds(1)))));
      }
      return absl::OkStatus();
    }
    const absl::Time now = absl::Now();
    if (now >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no broker of ", where, " answered within ",
          absl::FormatDuration(config.startup_broker_timeout), " (`", kTimeoutKey,
          "`): ", answer.message(), "; check that Kafka runs there and that this host reaches it"));
    }
    const absl::Duration wait = std::min(backoff.Next(), deadline - now);
    log(LogLevel::kWarn, kWho,
        absl::StrCat("waiting for ", where, ", which holds ", topics, ": ", answer.message(),
                     "; attempt ", attempt, ", next in ",
                     absl::FormatDuration(absl::Trunc(wait, absl::Milliseconds(1))),
                     "; giving up ",
                     absl::FormatDuration(absl::Ceil(deadline - now, absl::Seconds(1))),
                     " from now (`", kTimeoutKey, "`)"));
    absl::SleepFor(wait);
  }
}

}  // namespace sluice::worker
