// librdkafka's statistics (`statistics.interval.ms`, a JSON document per interval per client)
// reduced to the producer figures /metrics shows, kept per client in a process-wide table: the
// producers register as librdkafka reports, /metrics reads a copy at each scrape.
//
// Why process-wide: a producer lives deep inside a task; its figures are wanted only at a
// scrape, and a table keyed by the client's name reaches them without plumbing through the task.
//
// Threads: Update from librdkafka's poll threads (once per interval, never per record), Forget
// from a producer's destructor, Snapshot from any thread; one mutex.
#ifndef SLUICE_RUNTIME_KAFKA_CLIENT_STATS_H_
#define SLUICE_RUNTIME_KAFKA_CLIENT_STATS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace sluice::kafka {

// One producer's figures as librdkafka last reported them (its statistics JSON's top level).
struct ProducerStats {
  std::string name;       // "rdkafka#producer-3" (`name`)
  std::string client_id;  // `client_id`
  int64_t messages_sent = 0;   // `txmsgs`: records sent to brokers
  int64_t bytes_sent = 0;      // `txmsg_bytes`: their bytes
  int64_t requests_sent = 0;   // `tx`: requests sent
  int64_t responses = 0;       // `rx`: responses received
  int64_t queued_messages = 0; // `msg_cnt`: records in the producer's queues
  int64_t queued_bytes = 0;    // `msg_size`: their bytes
};

// The interval librdkafka reports at, unless `producer.statistics.interval.ms` says otherwise.
inline constexpr char kStatisticsIntervalMs[] = "5000";

// Parses `json` (librdkafka's statistics) and keeps it as `json`'s client's latest; a document
// that does not parse is ignored.
void UpdateClientStats(absl::string_view json);
void ForgetClientStats(const std::string& name);
std::vector<ProducerStats> ProducerStatsSnapshot();

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_CLIENT_STATS_H_
