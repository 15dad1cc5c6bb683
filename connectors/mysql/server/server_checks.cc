#include "connectors/mysql/server/server_checks.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace sluice::mysql {
namespace {

struct RequiredSetting {
  const char* variable;
  const char* value;
  // A second value that serves too (nullptr: none).
  const char* also;
  // How to fix it: a statement for settings that can change at run time, a config line otherwise.
  const char* fix;
};

constexpr RequiredSetting kRequiredSettings[] = {
    {"log_bin", "ON", nullptr,
     "add `log-bin` to the server's configuration and restart it (log_bin cannot change at run "
     "time)"},
    {"binlog_format", "ROW", nullptr,
     "run SET GLOBAL binlog_format = 'ROW'; and set binlog_format=ROW in the server's "
     "configuration so it survives a restart"},
    // NOBLOB, as Debezium accepts it: the BLOB/TEXT columns a change did not touch carry
    // unavailable.value.placeholder. MINIMAL leaves out columns no record can do without.
    {"binlog_row_image", "FULL", "NOBLOB",
     "run SET GLOBAL binlog_row_image = 'FULL'; and set binlog_row_image=FULL in the server's "
     "configuration"},
    {"binlog_row_metadata", "FULL", nullptr,
     "run SET GLOBAL binlog_row_metadata = 'FULL'; and set binlog_row_metadata=FULL in the "
     "server's configuration"},
};

bool Has(const std::vector<std::string>& privileges, absl::string_view wanted) {
  return std::find(privileges.begin(), privileges.end(), wanted) != privileges.end() ||
         std::find(privileges.begin(), privileges.end(), "ALL PRIVILEGES") != privileges.end();
}

}  // namespace

absl::Status CheckBinlogSettings(Connection& connection) {
  std::vector<std::string> problems;
  for (const RequiredSetting& setting : kRequiredSettings) {
    absl::StatusOr<std::string> value = connection.GlobalVariable(setting.variable);
    if (absl::IsNotFound(value.status())) {
      problems.push_back(absl::StrCat(
          setting.variable,
          " does not exist on this server: change data capture needs MySQL 8.0.1+ or MariaDB "
          "10.5+, whose binlog carries each table's column names and keys"));
      continue;
    }
    if (!value.ok()) return value.status();
    if (!absl::EqualsIgnoreCase(*value, setting.value) &&
        (setting.also == nullptr || !absl::EqualsIgnoreCase(*value, setting.also))) {
      problems.push_back(absl::StrCat(setting.variable, " is ", *value, ", must be ",
                                      setting.value,
                                      setting.also != nullptr ? absl::StrCat(" (or ", setting.also, ")")
                                                              : std::string(),
                                      ": ", setting.fix));
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("the server at ", connection.endpoint(),
                   " is not set up for change data capture: ", absl::StrJoin(problems, "; ")));
}

std::vector<std::string> GlobalPrivilegesIn(absl::string_view grant_statement) {
  std::vector<std::string> privileges;
  absl::string_view statement = absl::StripAsciiWhitespace(grant_statement);
  if (!absl::ConsumePrefix(&statement, "GRANT ")) return privileges;
  // "GRANT <privileges> ON <object> TO <account>": only grants on *.* count here.
  const size_t on = statement.find(" ON ");
  if (on == absl::string_view::npos) return privileges;
  absl::string_view object = statement.substr(on + 4);
  if (!absl::StartsWith(object, "*.*")) return privileges;
  for (absl::string_view privilege : absl::StrSplit(statement.substr(0, on), ',')) {
    privileges.push_back(absl::AsciiStrToUpper(absl::StripAsciiWhitespace(privilege)));
    // MySQL 8 spells dynamic privileges with underscores; one spelling is enough for the checks.
    std::replace(privileges.back().begin(), privileges.back().end(), '_', ' ');
  }
  return privileges;
}

absl::Status CheckReplicationGrants(Connection& connection, bool for_locking_snapshot) {
  absl::StatusOr<QueryResult> grants = connection.Query("SHOW GRANTS FOR CURRENT_USER()");
  if (!grants.ok()) return grants.status();
  std::vector<std::string> privileges;
  for (const auto& row : grants->rows) {
    if (row.empty() || !row[0].has_value()) continue;
    for (std::string& privilege : GlobalPrivilegesIn(*row[0])) privileges.push_back(privilege);
  }
  std::vector<std::string> missing;
  if (!Has(privileges, "REPLICATION SLAVE")) missing.push_back("REPLICATION SLAVE");
  const bool monitor = Has(privileges, "BINLOG MONITOR") || Has(privileges, "REPLICATION CLIENT") ||
                       Has(privileges, "SUPER");
  if (!monitor) {
    missing.push_back(connection.is_mariadb() ? "BINLOG MONITOR" : "REPLICATION CLIENT");
  }
  // RELOAD for FLUSH TABLES WITH READ LOCK; without it the snapshot locks the captured tables
  // with LOCK TABLES instead, so either one will do.
  if (for_locking_snapshot && !Has(privileges, "RELOAD") && !Has(privileges, "LOCK TABLES")) {
    missing.push_back("RELOAD");
    missing.push_back("LOCK TABLES");
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      connection.endpoint(), " lacks privileges change data capture needs: ",
      absl::StrJoin(missing, ", "), ". Grant them with: GRANT ", absl::StrJoin(missing, ", "),
      " ON *.* TO <the connector's user>;"));
}

absl::Status CheckServerIdDiffers(Connection& connection, uint32_t replica_server_id) {
  absl::StatusOr<std::string> value = connection.GlobalVariable("server_id");
  if (!value.ok()) return value.status();
  uint32_t server_id = 0;
  if (absl::SimpleAtoi(*value, &server_id) && server_id == replica_server_id) {
    return absl::InvalidArgumentError(absl::StrCat(
        "database.server.id ", replica_server_id, " is the server_id of the server at ",
        connection.endpoint(),
        " itself; choose a number no server or replica in the topology uses"));
  }
  return absl::OkStatus();
}

}  // namespace sluice::mysql
