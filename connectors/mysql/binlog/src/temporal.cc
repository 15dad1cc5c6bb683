#include "sluice/binlog/temporal.h"

namespace sluice::binlog {

// The civil-to-days conversion of the proleptic Gregorian calendar, in 400-year eras so it is
// exact for every year MySQL allows (0..9999).
int64_t DaysSinceEpoch(int year, unsigned month, unsigned day) {
  const int64_t y = static_cast<int64_t>(year) - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                                             // [0, 399]
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;  // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

int64_t MicrosSinceEpoch(const DateTime& d) {
  const int64_t days = DaysSinceEpoch(d.year, d.month, d.day);
  const int64_t seconds = days * 86400 + int64_t{d.hour} * 3600 + int64_t{d.minute} * 60 + d.second;
  return seconds * 1000000 + d.micros;
}

bool HasValidCalendarDate(int year, unsigned month, unsigned day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace sluice::binlog
