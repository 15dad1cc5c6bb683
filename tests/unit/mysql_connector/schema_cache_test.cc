// The schema cache's answer for a table map (schema_cache.h) when the decoder has dropped the map
// it answered last: at each binlog file's FORMAT_DESCRIPTION it drops them all, so the first
// table maps of a new file are made while the old ones may be freed. A new map, of any table, at
// the address of the last one answered must still be answered for its own table: the version of
// another table failed the first rows event of a new file ("a binlog value of an unexpected
// kind"), and the answer of a table the filters exclude lost its rows.
// (MySqlConnectorBinlogRotation.* shows it on the real servers.)
#include "connectors/mysql/connector/schema_cache.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/connector/event_builders.h"
#include "connectors/mysql/connector/filters.h"
#include "gtest/gtest.h"
#include "tests/support/fake_host_api.h"

namespace sluice::mysql {
namespace {

// Each schema the host makes is a distinct address.
Host SchemaHost() { return Host(testing::FakeHostApi(), nullptr); }

// A catalog describing every table with `columns` (none: nothing to add to the table maps, no
// BOOLEAN, no defaults); borrowed, so a test can change what the next catalog read sees.
class ListedCatalog final : public Catalog {
 public:
  explicit ListedCatalog(const std::vector<CatalogColumn>* columns) : columns_(columns) {}
  bool mariadb() const override { return false; }
  absl::StatusOr<std::vector<TableName>> BaseTables(const std::optional<std::string>&) override {
    return std::vector<TableName>{};
  }
  absl::StatusOr<std::vector<CatalogColumn>> Columns(const std::string&,
                                                     const std::string&) override {
    return columns_ != nullptr ? *columns_ : std::vector<CatalogColumn>{};
  }
  absl::StatusOr<std::vector<std::string>> PrimaryKey(const std::string&,
                                                      const std::string&) override {
    return std::vector<std::string>{};
  }
  absl::StatusOr<std::vector<std::string>> CheckClauses(const std::string&,
                                                        const std::string&) override {
    return std::vector<std::string>{};
  }
  absl::StatusOr<std::optional<std::string>> TableCharset(const std::string&,
                                                          const std::string&) override {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<std::string>> DatabaseCharset(const std::string&) override {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<int64_t>> RowEstimate(const std::string&,
                                                     const std::string&) override {
    return std::nullopt;
  }

 private:
  const std::vector<CatalogColumn>* columns_;
};

// One block of memory that the next allocation takes whenever it is free, as the allocator's
// free list hands a just-freed block to the next allocation of its size: what makes a new table
// map land where a freed one was, here every time.
struct Slot {
  alignas(std::max_align_t) unsigned char bytes[2048];
  bool used = false;
};

template <typename T>
struct SlotAllocator {
  using value_type = T;
  explicit SlotAllocator(Slot* slot) : slot(slot) {}
  template <typename U>
  SlotAllocator(const SlotAllocator<U>& other) : slot(other.slot) {}
  T* allocate(size_t n) {
    if (!slot->used && n * sizeof(T) <= sizeof slot->bytes) {
      slot->used = true;
      return reinterpret_cast<T*>(slot->bytes);
    }
    return static_cast<T*>(::operator new(n * sizeof(T)));
  }
  void deallocate(T* p, size_t) {
    if (reinterpret_cast<unsigned char*>(p) == slot->bytes) {
      slot->used = false;
      return;
    }
    ::operator delete(p);
  }
  template <typename U>
  bool operator==(const SlotAllocator<U>& other) const {
    return slot == other.slot;
  }
  Slot* slot;
};

binlog::ColumnInfo Varchar(const std::string& name) {
  binlog::ColumnInfo column;
  column.type = column.real_type = binlog::ColumnType::kVarchar;
  column.max_length = 40;
  column.charset = 45;  // utf8mb4_general_ci
  column.name = name;
  return column;
}

binlog::ColumnInfo Int(const std::string& name) {
  binlog::ColumnInfo column;
  column.type = column.real_type = binlog::ColumnType::kLong;
  column.name = name;
  return column;
}

// A table map of shop.`table` as a decoder makes it, in `slot` when the slot is free.
std::shared_ptr<const binlog::TableMap> MapIn(Slot& slot, const std::string& table,
                                              binlog::ColumnInfo column) {
  binlog::TableMap map;
  map.table_id = 7;  // a new file may give another table the id an old one had
  map.database = "shop";
  map.table = table;
  map.columns.push_back(std::move(column));
  map.primary_key.push_back(binlog::PrimaryKeyPart{0, 0});
  map.has_column_names = map.has_signedness = map.has_charsets = map.has_primary_key = true;
  return std::allocate_shared<binlog::TableMap>(SlotAllocator<binlog::TableMap>(&slot),
                                                std::move(map));
}

class SchemaCacheTest : public ::testing::Test {
 protected:
  explicit SchemaCacheTest(std::vector<std::string> table_exclude = {},
                           std::vector<std::string> database_exclude = {}) {
    config_.table_exclude = std::move(table_exclude);
    config_.database_exclude = std::move(database_exclude);
    filters_ = std::make_unique<Filters>(config_);
    builders_ = std::make_unique<EventBuilders>(host_, config_);
    cache_ = std::make_unique<SchemaCache>(
        config_, *filters_, builders_->tables,
        [this]() -> absl::StatusOr<std::unique_ptr<Catalog>> {
          return std::make_unique<ListedCatalog>(&catalog_columns_);
        });
  }

  Host host_ = SchemaHost();
  ConnectorConfig config_;
  std::unique_ptr<Filters> filters_;
  std::unique_ptr<EventBuilders> builders_;
  std::unique_ptr<SchemaCache> cache_;
  std::vector<CatalogColumn> catalog_columns_;  // what the catalog says of every table
};

TEST_F(SchemaCacheTest, ANewMapWhereTheLastOneWasIsAnsweredForItsOwnTable) {
  Slot slot;
  std::shared_ptr<const binlog::TableMap> people = MapIn(slot, "people", Varchar("code"));
  absl::StatusOr<const TableSchema*> first = cache_->SchemaFor(people);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_NE(*first, nullptr);
  EXPECT_EQ((*first)->table, "people");
  // The next file's FORMAT_DESCRIPTION: the decoder drops its maps; then the new file's first
  // table map, of another table.
  people.reset();
  std::shared_ptr<const binlog::TableMap> nums = MapIn(slot, "nums", Int("id"));
  absl::StatusOr<const TableSchema*> second = cache_->SchemaFor(nums);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_NE(*second, nullptr);
  EXPECT_EQ((*second)->table, "nums");
  ASSERT_EQ((*second)->defs.size(), 1u);
  EXPECT_EQ((*second)->defs[0].name, "id");
  EXPECT_EQ((*second)->defs[0].kind, FieldKind::kInt32);
  // And the same table's map again later: its version is the one built before.
  nums.reset();
  std::shared_ptr<const binlog::TableMap> people_again = MapIn(slot, "people", Varchar("code"));
  absl::StatusOr<const TableSchema*> third = cache_->SchemaFor(people_again);
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(*third, *first);
}

class SchemaCacheExcludingTest : public SchemaCacheTest {
 protected:
  SchemaCacheExcludingTest() : SchemaCacheTest({"shop\\.hidden"}) {}
};

TEST_F(SchemaCacheExcludingTest, ACapturedTablesMapWhereAnExcludedOnesWasKeepsItsRows) {
  Slot slot;
  std::shared_ptr<const binlog::TableMap> hidden = MapIn(slot, "hidden", Int("id"));
  absl::StatusOr<const TableSchema*> excluded = cache_->SchemaFor(hidden);
  ASSERT_TRUE(excluded.ok()) << excluded.status();
  EXPECT_EQ(*excluded, nullptr) << "table.exclude.list leaves shop.hidden out";
  hidden.reset();
  std::shared_ptr<const binlog::TableMap> people = MapIn(slot, "people", Varchar("code"));
  absl::StatusOr<const TableSchema*> captured = cache_->SchemaFor(people);
  ASSERT_TRUE(captured.ok()) << captured.status();
  ASSERT_NE(*captured, nullptr) << "shop.people is captured: its rows must not be passed over";
  EXPECT_EQ((*captured)->table, "people");
  EXPECT_EQ((*captured)->defs[0].kind, FieldKind::kText);
}

// `a.b`.`c` and `a`.`b.c` are two legal tables whose names joined with a dot are the same,
// "a.b.c". The cache keys them apart (table_id.h): a filter answer of one is never the other's.
std::shared_ptr<const binlog::TableMap> MapOf(const std::string& db, const std::string& table) {
  binlog::TableMap map;
  map.table_id = 11;
  map.database = db;
  map.table = table;
  map.columns.push_back(Int("id"));
  map.primary_key.push_back(binlog::PrimaryKeyPart{0, 0});
  map.has_column_names = map.has_signedness = map.has_charsets = map.has_primary_key = true;
  return std::make_shared<const binlog::TableMap>(std::move(map));
}

class SchemaCacheExcludingDatabaseATest : public SchemaCacheTest {
 protected:
  SchemaCacheExcludingDatabaseATest() : SchemaCacheTest({}, {"a"}) {}
};

TEST_F(SchemaCacheExcludingDatabaseATest, TwoTablesWhoseJoinedNamesAreEqualAreFilteredApart) {
  // The excluded one first: a joined key answered the captured one "excluded" and lost its rows.
  absl::StatusOr<const TableSchema*> excluded = cache_->SchemaFor(MapOf("a", "b.c"));
  ASSERT_TRUE(excluded.ok()) << excluded.status();
  EXPECT_EQ(*excluded, nullptr) << "database.exclude.list=a leaves `a`.`b.c` out";
  absl::StatusOr<const TableSchema*> captured = cache_->SchemaFor(MapOf("a.b", "c"));
  ASSERT_TRUE(captured.ok()) << captured.status();
  ASSERT_NE(*captured, nullptr) << "`a.b`.`c` is captured: its rows must not be passed over";
  EXPECT_EQ((*captured)->db, "a.b");
  EXPECT_EQ((*captured)->table, "c");
  // And the other way round: the captured one's answer does not capture the excluded one.
  absl::StatusOr<const TableSchema*> still_excluded = cache_->SchemaFor(MapOf("a", "b.c"));
  ASSERT_TRUE(still_excluded.ok()) << still_excluded.status();
  EXPECT_EQ(*still_excluded, nullptr);
}

// Both captured, their records would go to one topic, `<topic.prefix>.a.b.c` (Debezium writes
// both there): the second table met is refused, naming both, rather than mixed in silently.
TEST_F(SchemaCacheTest, TwoCapturedTablesWithOneTopicNameAreRefused) {
  absl::StatusOr<const TableSchema*> first = cache_->SchemaFor(MapOf("a.b", "c"));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_NE(*first, nullptr);
  absl::StatusOr<const TableSchema*> second = cache_->SchemaFor(MapOf("a", "b.c"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("`a.b`.`c` and `a`.`b.c`"), absl::string_view::npos)
      << second.status();
  EXPECT_NE(second.status().message().find((*first)->topic), absl::string_view::npos);
  // The first table goes on as before.
  absl::StatusOr<const TableSchema*> again = cache_->SchemaFor(MapOf("a.b", "c"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *first);
}

// A table version is keyed by everything its records are made from: an ALTER that changes only
// one detail of a column (BINARY(n)'s length, a DECIMAL's scale, a DATETIME's fractional digits,
// ...) makes a new version, and the rows after it are written with the new column, not the old.
// Reusing the old version is silent corruption (BINARY(8) values padded to 4 bytes).

binlog::ColumnInfo Typed(binlog::ColumnType type, const std::string& name = "c") {
  binlog::ColumnInfo column;
  column.type = column.real_type = type;
  column.name = name;
  column.nullable = true;
  return column;
}
binlog::ColumnInfo Binary(uint32_t length) {
  binlog::ColumnInfo column = Typed(binlog::ColumnType::kString);
  column.max_length = length;
  column.charset = 63;  // binary
  return column;
}
binlog::ColumnInfo Text(uint32_t charset) {
  binlog::ColumnInfo column = Typed(binlog::ColumnType::kVarchar);
  column.max_length = 40;
  column.charset = charset;
  return column;
}
binlog::ColumnInfo Decimal(uint8_t precision, uint8_t scale) {
  binlog::ColumnInfo column = Typed(binlog::ColumnType::kNewDecimal);
  column.precision = precision;
  column.scale = scale;
  return column;
}
binlog::ColumnInfo Fractional(binlog::ColumnType type, uint8_t fsp) {
  binlog::ColumnInfo column = Typed(type);
  column.fsp = fsp;
  return column;
}
binlog::ColumnInfo Bit(uint16_t length) {
  binlog::ColumnInfo column = Typed(binlog::ColumnType::kBit);
  column.bit_length = length;
  return column;
}
binlog::ColumnInfo SmallInt(bool is_unsigned) {
  binlog::ColumnInfo column = Typed(binlog::ColumnType::kShort);
  column.is_unsigned = is_unsigned;
  return column;
}
binlog::ColumnInfo Enum(std::vector<std::string> members) {
  binlog::ColumnInfo column = Typed(binlog::ColumnType::kString);
  column.real_type = binlog::ColumnType::kEnum;
  column.length_bytes = 1;
  column.enum_or_set_values = std::move(members);
  return column;
}
binlog::ColumnInfo Nullable(bool nullable) {
  binlog::ColumnInfo column = Typed(binlog::ColumnType::kLong);
  column.nullable = nullable;
  return column;
}

// A table map of shop.items with `columns`, whose primary key is the columns at `key`.
std::shared_ptr<const binlog::TableMap> ItemsMap(std::vector<binlog::ColumnInfo> columns,
                                                 std::vector<uint32_t> key = {0}) {
  binlog::TableMap map;
  map.table_id = 9;
  map.database = "shop";
  map.table = "items";
  map.columns = std::move(columns);
  for (uint32_t index : key) map.primary_key.push_back(binlog::PrimaryKeyPart{index, 0});
  map.has_column_names = map.has_signedness = map.has_charsets = map.has_primary_key = true;
  return std::make_shared<const binlog::TableMap>(std::move(map));
}

struct DetailCase {
  std::string detail;
  binlog::ColumnInfo before, after;
  std::function<std::string(const ColumnDef&)> shown;  // the detail as the version holds it
  std::string shown_before, shown_after;
};

std::string Members(const ColumnDef& def) {
  std::string text;
  for (const std::string& value : def.values) absl::StrAppend(&text, "[", value, "]");
  return text;
}

TEST_F(SchemaCacheTest, AnAlterOfOneColumnDetailMakesANewVersionAndTheOldOneIsKept) {
  using binlog::ColumnType;
  const std::vector<DetailCase> cases = {
      {"BINARY(n) length", Binary(4), Binary(8),
       [](const ColumnDef& d) { return absl::StrCat(d.fixed_length); }, "4", "8"},
      {"charset utf8mb4 -> latin1", Text(45), Text(8),
       [](const ColumnDef& d) { return absl::StrCat(d.latin1); }, "0", "1"},
      {"DECIMAL precision", Decimal(10, 2), Decimal(12, 2),
       [](const ColumnDef& d) { return absl::StrCat(d.precision); }, "10", "12"},
      {"DECIMAL scale", Decimal(10, 2), Decimal(10, 4),
       [](const ColumnDef& d) { return absl::StrCat(d.scale); }, "2", "4"},
      {"DATETIME fsp", Fractional(ColumnType::kDateTime2, 0), Fractional(ColumnType::kDateTime2, 3),
       [](const ColumnDef& d) { return absl::StrCat(d.fsp); }, "0", "3"},
      {"TIME fsp", Fractional(ColumnType::kTime2, 0), Fractional(ColumnType::kTime2, 6),
       [](const ColumnDef& d) { return absl::StrCat(d.fsp); }, "0", "6"},
      {"TIMESTAMP fsp", Fractional(ColumnType::kTimestamp2, 0),
       Fractional(ColumnType::kTimestamp2, 6),
       [](const ColumnDef& d) { return absl::StrCat(d.fsp); }, "0", "6"},
      {"BIT length", Bit(3), Bit(5),
       [](const ColumnDef& d) { return absl::StrCat(d.bit_length); }, "3", "5"},
      {"UNSIGNED", SmallInt(false), SmallInt(true),
       [](const ColumnDef& d) { return absl::StrCat(static_cast<int>(d.kind)); },
       absl::StrCat(static_cast<int>(FieldKind::kInt16)),
       absl::StrCat(static_cast<int>(FieldKind::kInt32))},
      // The same members joined by commas: only the list itself tells them apart.
      {"ENUM members", Enum({"a,b", "c"}), Enum({"a", "b,c"}), Members, "[a,b][c]", "[a][b,c]"},
      {"NULL / NOT NULL", Nullable(true), Nullable(false),
       [](const ColumnDef& d) { return absl::StrCat(d.optional); }, "1", "0"},
  };
  for (const DetailCase& c : cases) {
    SCOPED_TRACE(c.detail);
    cache_ = std::make_unique<SchemaCache>(
        config_, *filters_, builders_->tables,
        [this]() -> absl::StatusOr<std::unique_ptr<Catalog>> {
          return std::make_unique<ListedCatalog>(&catalog_columns_);
        });
    absl::StatusOr<const TableSchema*> before = cache_->SchemaFor(ItemsMap({Int("id"), c.before}));
    ASSERT_TRUE(before.ok()) << before.status();
    // The ALTER: its DDL makes the cache read the catalog again; the next map decides.
    cache_->ForgetDatabase("shop");
    absl::StatusOr<const TableSchema*> after = cache_->SchemaFor(ItemsMap({Int("id"), c.after}));
    ASSERT_TRUE(after.ok()) << after.status();
    ASSERT_NE(*after, *before) << "the old version was reused for the altered column";
    ASSERT_EQ((*before)->defs.size(), 2u);
    ASSERT_EQ((*after)->defs.size(), 2u);
    EXPECT_EQ(c.shown((*before)->defs[1]), c.shown_before);
    EXPECT_EQ(c.shown((*after)->defs[1]), c.shown_after);
    // Altered back: the first version again, built once.
    absl::StatusOr<const TableSchema*> back = cache_->SchemaFor(ItemsMap({Int("id"), c.before}));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, *before);
  }
}

TEST_F(SchemaCacheTest, AMapLikeTheLastOneReusesItsVersion) {
  absl::StatusOr<const TableSchema*> first = cache_->SchemaFor(ItemsMap({Int("id"), Binary(4)}));
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<const TableSchema*> second = cache_->SchemaFor(ItemsMap({Int("id"), Binary(4)}));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, *first);
}

TEST_F(SchemaCacheTest, ColumnOrderAndThePrimaryKeyAreEachPartOfTheVersion) {
  const binlog::ColumnInfo a = Int("a"), b = Text(45);
  binlog::ColumnInfo b_named = b;
  b_named.name = "b";
  absl::StatusOr<const TableSchema*> ab = cache_->SchemaFor(ItemsMap({a, b_named}));
  absl::StatusOr<const TableSchema*> ba = cache_->SchemaFor(ItemsMap({b_named, a}));
  absl::StatusOr<const TableSchema*> ab_keyed_b = cache_->SchemaFor(ItemsMap({a, b_named}, {1}));
  ASSERT_TRUE(ab.ok() && ba.ok() && ab_keyed_b.ok());
  EXPECT_NE(*ab, *ba);
  EXPECT_NE(*ab, *ab_keyed_b);
  EXPECT_EQ((*ba)->defs[0].name, "b");
  EXPECT_EQ((*ab)->key_fields, std::vector<int>{0});
  EXPECT_EQ((*ab_keyed_b)->key_fields, std::vector<int>{1});
}

// VARCHAR(n)'s length does not change how a value is decoded (the map's own metadata reads it),
// but the catalog's COLUMN_TYPE it comes with is the source type the column policies put in the
// schema (__debezium.source.column.length): read again after the DDL, it makes a new version.
TEST_F(SchemaCacheTest, ACatalogTypeChangedByAnAlterMakesANewVersion) {
  CatalogColumn id;
  id.name = "id";
  id.position = 1;
  id.data_type = "int";
  id.column_type = "int(11)";
  CatalogColumn c;
  c.name = "c";
  c.position = 2;
  c.data_type = "varchar";
  c.column_type = "varchar(10)";
  c.charset = "utf8mb4";
  catalog_columns_ = {id, c};
  absl::StatusOr<const TableSchema*> before = cache_->SchemaFor(ItemsMap({Int("id"), Text(45)}));
  ASSERT_TRUE(before.ok()) << before.status();
  catalog_columns_[1].column_type = "varchar(20)";
  cache_->ForgetDatabase("shop");
  binlog::ColumnInfo longer = Text(45);
  longer.max_length = 80;
  absl::StatusOr<const TableSchema*> after = cache_->SchemaFor(ItemsMap({Int("id"), longer}));
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_NE(*after, *before);
  EXPECT_EQ((*before)->defs[1].source_type.length, 10);
  EXPECT_EQ((*after)->defs[1].source_type.length, 20);
}

}  // namespace
}  // namespace sluice::mysql
