#include "connectors/mysql/connector/filters.h"

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

TEST(MySqlFilters, IncludeListsMatchWholeNames) {
  ConnectorConfig config;
  config.database_include = {"shop", "crm_.*"};
  config.table_include = {"shop\\.orders", "crm_eu\\..*"};
  config.column_exclude = {"shop\\.orders\\.card_.*"};
  Filters filters(config);
  EXPECT_TRUE(filters.IncludeDatabase("shop"));
  EXPECT_FALSE(filters.IncludeDatabase("shopping")) << "a pattern matches the whole name";
  EXPECT_TRUE(filters.IncludeTable("shop", "orders"));
  EXPECT_FALSE(filters.IncludeTable("shop", "orders_archive"));
  EXPECT_TRUE(filters.IncludeTable("crm_eu", "contacts"));
  EXPECT_FALSE(filters.IncludeTable("crm_us", "contacts"));
  EXPECT_FALSE(filters.IncludeColumn("shop", "orders", "card_number"));
  EXPECT_TRUE(filters.IncludeColumn("shop", "orders", "amount"));
}

TEST(MySqlFilters, ExcludeListsAndSystemDatabases) {
  ConnectorConfig config;
  config.database_exclude = {"tmp.*"};
  Filters filters(config);
  EXPECT_TRUE(filters.IncludeTable("shop", "orders"));
  EXPECT_FALSE(filters.IncludeTable("tmp1", "x"));
  EXPECT_FALSE(filters.IncludeTable("mysql", "user"));
  EXPECT_FALSE(filters.IncludeDatabase("information_schema"));
  EXPECT_TRUE(filters.IncludeColumn("shop", "orders", "anything"));
}

TEST(MySqlFilters, MessageKeyColumnsPerTable) {
  ConnectorConfig config;
  config.message_key_columns = {{"shop\\.orders", {"id", "region"}}, {"(.*)\\.audit", {"seq"}}};
  Filters filters(config);
  EXPECT_EQ(filters.KeyColumns("shop", "orders"), (std::vector<std::string>{"id", "region"}));
  EXPECT_EQ(filters.KeyColumns("crm", "audit"), (std::vector<std::string>{"seq"}));
  EXPECT_TRUE(filters.KeyColumns("shop", "items").empty());
}

}  // namespace
}  // namespace sluice::mysql
