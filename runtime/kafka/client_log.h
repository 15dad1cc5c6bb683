// librdkafka's own log lines (connection errors, broker changes, and with `debug=...` its debug
// output) routed to the worker's log with their level, as logger `librdkafka`.
//
// librdkafka calls a plain function with no context of ours, so the sink is process-wide: set it
// once at start, before the first client is made (BuildConf installs the callback on every
// conf). Until it is set, lines go to stderr as "LEVEL librdkafka: ...".
//
// Threads: librdkafka calls from its own threads; SetClientLogSink from any.
#ifndef SLUICE_RUNTIME_KAFKA_CLIENT_LOG_H_
#define SLUICE_RUNTIME_KAFKA_CLIENT_LOG_H_

#include <librdkafka/rdkafka.h>

#include "runtime/common/log.h"

namespace sluice::kafka {

inline constexpr char kClientLogger[] = "librdkafka";

void SetClientLogSink(LogSink sink);

// syslog's levels (librdkafka's) as ours: 0-3 ERROR, 4 WARN, 5-6 INFO, 7 DEBUG.
LogLevel ClientLogLevel(int syslog_level);

// Makes `conf`'s client log through the process-wide sink.
void RouteClientLog(rd_kafka_conf_t* conf);

}  // namespace sluice::kafka

#endif  // SLUICE_RUNTIME_KAFKA_CLIENT_LOG_H_
