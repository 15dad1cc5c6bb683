#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_CLOCK_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_CLOCK_H_

// The two clocks the connector reads: the monotonic one for deadlines and intervals, the wall
// clock for the times events carry (ts_ms). Thread-safe.

#include <time.h>

#include <cstdint>

namespace sluice::mysql {

inline int64_t MonotonicNanos() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

// Nanoseconds since the Unix epoch.
inline int64_t WallClockNanos() {
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_CLOCK_H_
