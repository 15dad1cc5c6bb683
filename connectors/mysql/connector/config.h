#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_CONFIG_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_CONFIG_H_

// The connector's configuration: Debezium's MySQL/MariaDB property names and defaults, parsed
// and validated once, here: what others read of it (Filters) is already split and checked. Every refusal is InvalidArgument naming the key and how to fix it.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/mysql/connector/column_policy_rules.h"
#include "connectors/mysql/server/connection.h"
#include "sluice/connector.h"

namespace sluice::mysql {

enum class SnapshotMode { kInitial, kInitialOnly, kWhenNeeded, kNever, kNoData };
enum class DecimalMode { kPrecise, kDouble, kString };
enum class TimePrecisionMode { kAdaptiveTimeMicroseconds, kConnect };
enum class BigintUnsignedMode { kLong, kPrecise };
enum class BinaryMode { kBytes, kBase64, kBase64UrlSafe, kHex };
// offsets.missing.policy: what a task does that finds no committed offset although the host says
// the connector wrote to topics before (its offsets were lost).
enum class MissingOffsetsPolicy { kFail, kStartOver };
// event.processing.failure.handling.mode: what an event the connector cannot turn into records
// does (docs/mysql-connector.md, "Events Sluice cannot read"). `ignore` reads as `skip`.
enum class FailureMode { kFail, kWarn, kSkip };
// schema.model.unparseable.handling.mode: what a DDL statement the schema model cannot apply (or
// a table map that contradicts the model) does: fail stops the task naming the statement and its
// position; warn logs the same, forgets the table's model and describes it from the catalog
// (table: null when that is not the statement's position).
enum class ModelFailureMode { kFail, kWarn };

struct ConnectorConfig {
  std::string connector_name;  // the worker's `name`
  // "mysql" or "mariadb": source.connector and the Source schema's namespace, chosen from
  // connector.class (Debezium's MariaDbConnector class name selects "mariadb").
  std::string flavor = "mysql";
  ConnectionOptions connection;
  uint32_t server_id = 0;
  std::string topic_prefix;

  // The include/exclude lists: each a list of regular expressions (from comma-separated text, each
  // checked to compile), matched by Filters.
  std::vector<std::string> database_include, database_exclude;
  std::vector<std::string> table_include, table_exclude;
  std::vector<std::string> column_include, column_exclude;
  // message.key.columns ("<db.table regex>:<col>,<col>;..."): the key columns of matching tables.
  struct KeyColumns {
    std::string table_pattern;
    std::vector<std::string> columns;
  };
  std::vector<KeyColumns> message_key_columns;

  SnapshotMode snapshot_mode = SnapshotMode::kInitial;
  std::string snapshot_locking_mode = "minimal";
  // internal.snapshot.locking.on.mariadb: MySQL's locking snapshot on MariaDB too (tests).
  bool snapshot_locking_on_mariadb = false;
  // Test seams, Sluice's own (docs/mysql-connector.md lists them): internal.snapshot.fail.after.lock
  // fails the snapshot while it holds its lock; internal.snapshot.chunk.delay.ms pauses after each
  // chunk, so a test can write, stop or kill while a snapshot runs.
  bool snapshot_fail_after_lock = false;
  int64_t snapshot_chunk_delay_ms = 0;
  bool include_schema_changes = true;
  bool tombstones_on_delete = true;
  DecimalMode decimal_mode = DecimalMode::kPrecise;
  TimePrecisionMode time_precision_mode = TimePrecisionMode::kAdaptiveTimeMicroseconds;
  BigintUnsignedMode bigint_unsigned_mode = BigintUnsignedMode::kLong;
  BinaryMode binary_mode = BinaryMode::kBytes;
  // unavailable.value.placeholder: a BLOB/TEXT column a row image left out
  // (binlog_row_image=NOBLOB) carries this text (or its bytes), as Debezium writes it.
  std::string unavailable_placeholder = "__debezium_unavailable_value";
  FailureMode failure_mode = FailureMode::kFail;
  ModelFailureMode model_failure_mode = ModelFailureMode::kWarn;
  int64_t heartbeat_interval_ms = 0;
  // transaction.boundary.max.records: the most change events in one connector-defined Kafka
  // transaction (a larger source transaction is split; docs/mysql-connector.md).
  int64_t transaction_max_records = 10000;
  bool provide_transaction_metadata = false;
  // include.query: each row's source.query is the statement that wrote it (MariaDB's
  // ANNOTATE_ROWS, MySQL's ROWS_QUERY with binlog_rows_query_log_events=ON), secrets redacted.
  bool include_query = false;
  // skipped.operations: which of c, u, d, t are not emitted (Debezium's default skips truncates).
  bool skip_create = false, skip_update = false, skip_delete = false, skip_truncate = true;
  int32_t max_batch_size = 2048;
  int32_t max_queue_size = 8192;
  int64_t max_queue_size_in_bytes = 0;
  // Thresholds of the binlog purge headroom warning (binlog_headroom.h); 0: off.
  int64_t purge_warning_bytes = 0;
  int64_t purge_warning_seconds = 3600;
  int32_t snapshot_fetch_size = 1024;
  MissingOffsetsPolicy missing_offsets = MissingOffsetsPolicy::kFail;
  // The topics the host says this connector wrote to before (SLUICE_TASK_CONFIG_ACTIVE_TOPICS);
  // none when the host cannot tell.
  std::optional<std::vector<std::string>> active_topics;
  // errors.max.retries (Debezium's key and default): failed attempts in a row to reach the server
  // after which the task fails; -1 = no limit (retry for ever), 0 = fail at the first.
  int64_t errors_max_retries = -1;
  // column.truncate/mask/propagate keys (column_policies.h), checked, in the order they apply.
  std::vector<ColumnPolicyRule> column_policies;
  // "`key`: ..." for each key accepted without effect (key_fates.h); the connector logs them once,
  // when it starts.
  std::vector<std::string> warnings;
};

// The keys the connector declares to the host (the ABI's config definition): those it acts on,
// then every other key of Debezium's MySQL connector with what becomes of it (key_fates.h).
const sluice_config_def* ConfigDefs();
size_t ConfigDefCount();

// Parses a configuration (after the host applied defaults and types).
absl::StatusOr<ConnectorConfig> ParseConnectorConfig(const std::map<std::string, std::string>& raw);

// A comma-separated list of regular expressions (`key`'s value), each trimmed and checked to
// compile as Filters and the column policies compile them (ECMAScript, ignoring case);
// InvalidArgument naming `key` and the expression that does not.
absl::StatusOr<std::vector<std::string>> RegexList(const std::string& key,
                                                   const std::string& value);

// The configuration as a map, copied out of the borrowed entries.
std::map<std::string, std::string> ConfigMap(const sluice_config_entry* entries, size_t count);

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_CONFIG_H_
