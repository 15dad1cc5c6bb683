// The schema cache's answer for a table map (schema_cache.h) when the decoder has dropped the map
// it answered last: at each binlog file's FORMAT_DESCRIPTION it drops them all, so the first
// table maps of a new file are made while the old ones may be freed. A new map, of any table, at
// the address of the last one answered must still be answered for its own table: the version of
// another table failed the first rows event of a new file ("a binlog value of an unexpected
// kind"), and the answer of a table the filters exclude lost its rows.
// (MySqlConnectorBinlogRotation.* shows it on the real servers.)
#include "connectors/mysql/connector/schema_cache.h"

#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "connectors/mysql/connector/event_builders.h"
#include "connectors/mysql/connector/filters.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

// A host table with what building schemas calls: each schema is a distinct address.
sluice_status CreateSchema(sluice_ctx*, const sluice_schema_spec*, const sluice_schema** out) {
  static std::vector<std::unique_ptr<char>> schemas;
  schemas.push_back(std::make_unique<char>());
  *out = reinterpret_cast<const sluice_schema*>(schemas.back().get());
  return SLUICE_OK;
}
void IgnoreLog(sluice_ctx*, sluice_log_level, sluice_str) {}
Host SchemaHost() {
  static const sluice_host_api api = [] {
    sluice_host_api table{};
    table.struct_size = sizeof table;
    table.log = &IgnoreLog;
    table.schema_create = &CreateSchema;
    return table;
  }();
  return Host(&api, nullptr);
}

// A catalog with nothing to add to the table maps (no BOOLEAN, no defaults).
class EmptyCatalog final : public Catalog {
 public:
  bool mariadb() const override { return false; }
  absl::StatusOr<std::vector<TableName>> BaseTables(const std::optional<std::string>&) override {
    return std::vector<TableName>{};
  }
  absl::StatusOr<std::vector<CatalogColumn>> Columns(const std::string&,
                                                     const std::string&) override {
    return std::vector<CatalogColumn>{};
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
  explicit SchemaCacheTest(std::vector<std::string> table_exclude = {}) {
    config_.table_exclude = std::move(table_exclude);
    filters_ = std::make_unique<Filters>(config_);
    builders_ = std::make_unique<EventBuilders>(host_, config_);
    cache_ = std::make_unique<SchemaCache>(config_, *filters_, builders_->tables,
                                           []() -> absl::StatusOr<std::unique_ptr<Catalog>> {
                                             return std::make_unique<EmptyCatalog>();
                                           });
  }

  Host host_ = SchemaHost();
  ConnectorConfig config_;
  std::unique_ptr<Filters> filters_;
  std::unique_ptr<EventBuilders> builders_;
  std::unique_ptr<SchemaCache> cache_;
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

}  // namespace
}  // namespace sluice::mysql
