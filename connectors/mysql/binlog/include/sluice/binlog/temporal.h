// Epoch arithmetic for decoded temporal values: what Debezium's io.debezium.time.Date,
// Timestamp, MicroTimestamp and MicroTime carry (FORMATS.md, "Column types"). DATETIME is a
// wall clock with no zone; Debezium reads it as UTC, and so do these functions. Zero dates
// ('0000-00-00') and dates with a zero month or day have no epoch value: check is_zero() and
// HasValidCalendarDate() first and apply the connector's rule (NULL or the epoch).
#ifndef SLUICE_BINLOG_TEMPORAL_H_
#define SLUICE_BINLOG_TEMPORAL_H_

#include <cstdint>

#include "sluice/binlog/column_value.h"

namespace sluice::binlog {

// Days from 1970-01-01 to the date in the proleptic Gregorian calendar (negative before).
int64_t DaysSinceEpoch(int year, unsigned month, unsigned day);
inline int64_t DaysSinceEpoch(Date d) { return DaysSinceEpoch(d.year, d.month, d.day); }

// Microseconds from 1970-01-01 00:00:00 UTC to the wall-clock DATETIME read as UTC.
int64_t MicrosSinceEpoch(const DateTime& d);

inline int64_t MicrosSinceEpoch(const Timestamp& t) {
  return int64_t{t.seconds} * 1000000 + t.micros;
}

// True when month is 1..12 and day exists in that month (leap years included); false for zero
// and partial-zero dates such as '2024-00-00', which MySQL accepts with ALLOW_INVALID_DATES
// or without NO_ZERO_IN_DATE.
bool HasValidCalendarDate(int year, unsigned month, unsigned day);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_TEMPORAL_H_
