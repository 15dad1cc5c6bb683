// The events that may carry changes no record can carry (unreadable_events.h): what passes, what
// the task must stop on or warn about, and the words it says.
#include "connectors/mysql/connector/unreadable_events.h"

#include <string>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

using binlog::Event;
using binlog::EventType;

Event Skipped(EventType type, bool unknown_type, uint16_t flags = 0) {
  Event event;
  event.header.type = type;
  event.header.flags = flags;
  event.body = binlog::SkippedEvent{unknown_type, {}};
  return event;
}

TEST(UnreadableEvents, UnknownTypesUnlessIgnorableAndIncidentsMayHoldChanges) {
  // Known types with nothing for a record (group replication's, heartbeats): they pass.
  EXPECT_FALSE(UnreadableEventReason(Skipped(EventType::kViewChange, false)).has_value());
  EXPECT_FALSE(UnreadableEventReason(Skipped(EventType::kHeartbeatV2, false)).has_value());
  // BEGIN_LOAD_QUERY (17), unknown to the decoder: statement-based LOAD DATA's file.
  std::optional<std::string> why = UnreadableEventReason(Skipped(static_cast<EventType>(17), true));
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("a type Sluice cannot read"), std::string::npos) << *why;
  EXPECT_NE(why->find("binlog_format=ROW"), std::string::npos) << *why;
  // The server marks some events safe to skip for a reader that does not know them.
  EXPECT_FALSE(
      UnreadableEventReason(Skipped(static_cast<EventType>(60), true, binlog::kFlagIgnorable))
          .has_value());

  Event incident;
  incident.header.type = EventType::kIncident;
  const std::string message = "error writing to the binary log";
  incident.body = binlog::IncidentEvent{1, message};
  why = UnreadableEventReason(incident);
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(*why,
            "the server logged an incident (LOST_EVENTS: error writing to the binary log): changes "
            "around this point may be missing from the binlog");

  Event heartbeat;
  heartbeat.body = binlog::HeartbeatEvent{};
  EXPECT_FALSE(UnreadableEventReason(heartbeat).has_value());
}

TEST(UnreadableEvents, StatementBasedChangesMatterOnlyForCapturedTables) {
  ConnectorConfig config;
  config.database_include = {"shop"};
  config.table_exclude = {"shop\\.scratch"};
  Filters filters(config);
  auto reason = [&filters](absl::string_view sql, const std::string& db) {
    return StatementChangeReason(DmlTables(sql, db), db, sql, filters);
  };
  std::optional<std::string> why = reason("INSERT INTO orders VALUES (@x, RAND())", "shop");
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(why->rfind("a statement-based change of `shop.orders` (`INSERT INTO orders VALUES (@x, "
                       "RAND())`): ",
                       0),
            0u)
      << *why;
  EXPECT_NE(why->find("binlog_format=STATEMENT or MIXED"), std::string::npos);
  // pt-table-checksum writes its own table, reading a captured one.
  EXPECT_FALSE(reason("REPLACE INTO percona.checksums SELECT COUNT(*) FROM shop.orders", "shop")
                   .has_value());
  EXPECT_FALSE(reason("DELETE FROM scratch", "shop").has_value()) << "an excluded table";
  EXPECT_FALSE(reason("UPDATE t SET a = 1", "other").has_value()) << "an uncaptured database";
  EXPECT_TRUE(reason("UPDATE other.t JOIN shop.orders o SET o.a = 1", "other").has_value())
      << "a join may write any of its tables";
  EXPECT_TRUE(reason("WITH c AS (SELECT 1) DELETE FROM orders", "shop").has_value())
      << "tables it cannot tell, in a captured database";
  EXPECT_FALSE(reason("CREATE TABLE orders2 (a INT)", "shop").has_value()) << "not DML";
  const std::string long_sql = "INSERT INTO orders VALUES " + std::string(200, '1');
  why = reason(long_sql, "shop");
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("...`)"), std::string::npos) << "the statement cut at 100 characters";
}

}  // namespace
}  // namespace sluice::mysql
