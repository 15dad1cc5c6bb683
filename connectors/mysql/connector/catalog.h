#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_CATALOG_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_CATALOG_H_

// What the server's catalog says about tables: the one place the connector reads
// information_schema (the snapshot's table list and columns, the columns' extras while streaming,
// the structure of schema-change events). Facts come back as the server states them, in its
// dialect (MariaDB quotes a literal COLUMN_DEFAULT, MySQL shows it bare); what they mean for events
// is decided by the callers (column_def.h, table_structure.h). Callers hold a Catalog&, so the SQL
// and the client library that sends it stay behind this interface.
//
// Thread: whichever thread owns the connection an implementation reads through.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::mysql {

struct TableName {
  std::string db, table;
};

// One column as information_schema.COLUMNS describes it.
struct CatalogColumn {
  std::string name;
  int32_t position = 0;      // ORDINAL_POSITION, from 1
  std::string data_type;     // DATA_TYPE: "int", "varchar", "enum", ...
  std::string column_type;   // COLUMN_TYPE: "int(10) unsigned", "tinyint(1)", "enum('a','b')"
  bool nullable = true;      // IS_NULLABLE
  std::optional<std::string> charset;  // CHARACTER_SET_NAME; none for non-character columns
  int32_t numeric_precision = 0;       // NUMERIC_PRECISION (BIT: its length); 0 when none
  int32_t numeric_scale = 0;           // NUMERIC_SCALE; 0 when none
  int32_t datetime_precision = 0;      // DATETIME_PRECISION (fractional digits); 0 when none
  std::optional<std::string> column_default;  // COLUMN_DEFAULT, as the server shows it
  std::string extra;  // EXTRA: "auto_increment", "DEFAULT_GENERATED", "VIRTUAL GENERATED", ...
};

class Catalog {
 public:
  virtual ~Catalog() = default;

  // The server is MariaDB (its COLUMN_DEFAULT dialect; JSON as a LONGTEXT with a check).
  virtual bool mariadb() const = 0;
  // The base tables (no views, no system views), ordered by database and name; those of `db`
  // alone when it is given.
  virtual absl::StatusOr<std::vector<TableName>> BaseTables(
      const std::optional<std::string>& db) = 0;
  // The table's columns in table order; empty when there is no such table.
  virtual absl::StatusOr<std::vector<CatalogColumn>> Columns(const std::string& db,
                                                             const std::string& table) = 0;
  // The primary key's columns in key order; empty when the table has none.
  virtual absl::StatusOr<std::vector<std::string>> PrimaryKey(const std::string& db,
                                                              const std::string& table) = 0;
  // The CHECK_CLAUSE of each of the table's check constraints (MySQL 8.0.16+, MariaDB 10.2+).
  virtual absl::StatusOr<std::vector<std::string>> CheckClauses(const std::string& db,
                                                                const std::string& table) = 0;
  // The character set of the table's default collation; none when the table does not exist.
  virtual absl::StatusOr<std::optional<std::string>> TableCharset(const std::string& db,
                                                                  const std::string& table) = 0;
  // The database's default character set (SCHEMATA); none when there is no such database.
  virtual absl::StatusOr<std::optional<std::string>> DatabaseCharset(const std::string& db) = 0;
  // TABLE_ROWS: the server's estimate of the table's rows (InnoDB samples it; 0 before its first
  // statistics); none when the table does not exist or the engine gives none.
  virtual absl::StatusOr<std::optional<int64_t>> RowEstimate(const std::string& db,
                                                             const std::string& table) = 0;
};

// The catalog read with SQL on information_schema through a Connection (borrowed: it must
// outlive this object, which is cheap to make for each use).
class InformationSchemaCatalog final : public Catalog {
 public:
  explicit InformationSchemaCatalog(Connection& connection) : connection_(connection) {}

  bool mariadb() const override;
  absl::StatusOr<std::vector<TableName>> BaseTables(const std::optional<std::string>& db) override;
  absl::StatusOr<std::vector<CatalogColumn>> Columns(const std::string& db,
                                                     const std::string& table) override;
  absl::StatusOr<std::vector<std::string>> PrimaryKey(const std::string& db,
                                                      const std::string& table) override;
  absl::StatusOr<std::vector<std::string>> CheckClauses(const std::string& db,
                                                        const std::string& table) override;
  absl::StatusOr<std::optional<std::string>> TableCharset(const std::string& db,
                                                          const std::string& table) override;
  absl::StatusOr<std::optional<std::string>> DatabaseCharset(const std::string& db) override;
  absl::StatusOr<std::optional<int64_t>> RowEstimate(const std::string& db,
                                                     const std::string& table) override;

 private:
  Connection& connection_;
};

// The column a MariaDB JSON column's check names: "json_valid(`doc`)" gives "doc"; nullopt for
// any other check. (MariaDB's JSON type is a LONGTEXT with this check.)
std::optional<std::string> JsonValidColumn(absl::string_view check_clause);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_CATALOG_H_
