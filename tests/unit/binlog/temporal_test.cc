#include "sluice/binlog/temporal.h"

#include "gtest/gtest.h"

namespace sluice::binlog {
namespace {

TEST(Temporal, DaysSinceEpoch) {
  EXPECT_EQ(DaysSinceEpoch(1970, 1, 1), 0);
  EXPECT_EQ(DaysSinceEpoch(1969, 12, 31), -1);
  EXPECT_EQ(DaysSinceEpoch(2000, 3, 1), 11017);
  EXPECT_EQ(DaysSinceEpoch(2024, 2, 29), 19782);
  EXPECT_EQ(DaysSinceEpoch(9999, 12, 31), 2932896);
  EXPECT_EQ(DaysSinceEpoch(1000, 1, 1), -354285);
  EXPECT_EQ(DaysSinceEpoch(1, 1, 1), -719162);
  EXPECT_EQ(DaysSinceEpoch(Date{2038, 1, 19}), 24855);
}

TEST(Temporal, MicrosSinceEpoch) {
  EXPECT_EQ(MicrosSinceEpoch(DateTime{1970, 1, 1, 0, 0, 0, 1}), 1);
  EXPECT_EQ(MicrosSinceEpoch(DateTime{2038, 1, 19, 3, 14, 7, 0}), int64_t{2147483647} * 1000000);
  EXPECT_EQ(MicrosSinceEpoch(DateTime{1969, 12, 31, 23, 59, 59, 999999}), -1);
  EXPECT_EQ(MicrosSinceEpoch(Timestamp{1700000000, 5}), int64_t{1700000000} * 1000000 + 5);
}

TEST(Temporal, CalendarValidity) {
  EXPECT_TRUE(HasValidCalendarDate(2024, 2, 29));
  EXPECT_FALSE(HasValidCalendarDate(2023, 2, 29));
  EXPECT_FALSE(HasValidCalendarDate(1900, 2, 29));
  EXPECT_TRUE(HasValidCalendarDate(2000, 2, 29));
  EXPECT_FALSE(HasValidCalendarDate(2024, 0, 0));
  EXPECT_FALSE(HasValidCalendarDate(0, 0, 0));
  EXPECT_FALSE(HasValidCalendarDate(2024, 4, 31));
}

}  // namespace
}  // namespace sluice::binlog
