#include "connectors/mysql/connector/config.h"

#include <deque>
#include <regex>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "connectors/mysql/connector/key_fates.h"
#include "connectors/mysql/server/ssl_mode.h"

namespace sluice::mysql {
namespace {

constexpr size_t kDefSize = sizeof(sluice_config_def);

// Debezium's names and defaults; the docs are shown by the admin API.
const sluice_config_def kDefs[] = {
    {kDefSize, "database.hostname", SLUICE_CONFIG_STRING, nullptr, 1, 0,
     "Host name or address of the MySQL/MariaDB server."},
    {kDefSize, "database.port", SLUICE_CONFIG_INT, "3306", 0, 0, "TCP port of the server."},
    {kDefSize, "database.user", SLUICE_CONFIG_STRING, nullptr, 1, 0,
     "Account the connector connects as (needs SELECT, REPLICATION SLAVE, BINLOG MONITOR or "
     "REPLICATION CLIENT)."},
    {kDefSize, "database.password", SLUICE_CONFIG_PASSWORD, "", 0, 1,
     "Password of database.user. Never logged or shown."},
    {kDefSize, "database.server.id", SLUICE_CONFIG_LONG, nullptr, 1, 0,
     "Replica id this connector uses to read the binlog; unique among the server's replicas."},
    {kDefSize, "topic.prefix", SLUICE_CONFIG_STRING, nullptr, 1, 0,
     "Logical server name: prefix of every topic and the offsets' source partition."},
    {kDefSize, "database.include.list", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Comma-separated regular expressions of databases to capture (all when unset)."},
    {kDefSize, "database.exclude.list", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Comma-separated regular expressions of databases not to capture."},
    {kDefSize, "table.include.list", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Comma-separated regular expressions of `db.table` names to capture."},
    {kDefSize, "table.exclude.list", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Comma-separated regular expressions of `db.table` names not to capture."},
    {kDefSize, "column.include.list", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Comma-separated regular expressions of `db.table.column` names to include in events."},
    {kDefSize, "column.exclude.list", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Comma-separated regular expressions of `db.table.column` names to leave out of events."},
    {kDefSize, "column.truncate.to.<N>.chars", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Comma-separated regular expressions of `db.table.column` names whose string values are cut "
     "to N characters (binary values to N bytes), as Debezium cuts them."},
    {kDefSize, "column.mask.with.<N>.chars", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Comma-separated regular expressions of `db.table.column` names of character columns whose "
     "values are replaced by N '*'."},
    {kDefSize, "column.mask.hash.<algorithm>.with.salt.<salt>", SLUICE_CONFIG_STRING, nullptr, 0,
     0,
     "Comma-separated regular expressions of `db.table.column` names of character columns whose "
     "values are replaced by Debezium's v1 hash (hex digest of the salt and the Java-serialized "
     "value, cut to the column's length); <algorithm> as Java names it (SHA-256)."},
    {kDefSize, "column.mask.hash.v2.<algorithm>.with.salt.<salt>", SLUICE_CONFIG_STRING, nullptr,
     0, 0,
     "As column.mask.hash.<algorithm>.with.salt.<salt>, with Debezium's v2 hash (the value's "
     "UTF-8 bytes)."},
    {kDefSize, "column.propagate.source.type", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Comma-separated regular expressions of `db.table.column` names whose value fields carry "
     "__debezium.source.column.type, .length, .scale and .name schema parameters."},
    {kDefSize, "datatype.propagate.source.type", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "As column.propagate.source.type, for columns whose `db.table.<type name>` (VARCHAR, "
     "INT UNSIGNED) matches."},
    {kDefSize, "message.key.columns", SLUICE_CONFIG_STRING, nullptr, 0, 0,
     "Key columns for tables: `<db.table regex>:<column>,<column>;...` (e.g. for tables without "
     "a primary key)."},
    {kDefSize, "snapshot.mode", SLUICE_CONFIG_STRING, "initial", 0, 0,
     "initial, initial_only, when_needed, never or no_data."},
    {kDefSize, "snapshot.locking.mode", SLUICE_CONFIG_STRING, "minimal", 0, 0,
     "minimal (a brief lock while the position is read), extended (writes blocked until the "
     "snapshot's rows are read) or none. MariaDB snapshots take no lock whatever this says."},
    {kDefSize, "internal.snapshot.locking.on.mariadb", SLUICE_CONFIG_BOOLEAN, "false", 0, 0,
     "Take MySQL's locking snapshot path on MariaDB too (FLUSH TABLES WITH READ LOCK, or LOCK "
     "TABLES ... READ without RELOAD), for tests of that path."},
    {kDefSize, "internal.snapshot.fail.after.lock", SLUICE_CONFIG_BOOLEAN, "false", 0, 0,
     "Fail the snapshot right after it took its lock, as a refused position read would; for "
     "tests that the lock is released on every way out."},
    {kDefSize, "internal.snapshot.chunk.delay.ms", SLUICE_CONFIG_LONG, "0", 0, 0,
     "Pause this long after each snapshot chunk, so tests can act while a snapshot runs."},
    {kDefSize, "offsets.missing.policy", SLUICE_CONFIG_STRING, "fail", 0, 0,
     "When the connector wrote to topics before but its committed offsets are gone (an offsets "
     "topic deleted or emptied): fail (the task fails saying so) or start_over (a new snapshot "
     "per snapshot.mode, logged as a warning). Sluice's own."},
    {kDefSize, "snapshot.fetch.size", SLUICE_CONFIG_INT, "1024", 0, 0,
     "Rows read per snapshot query (chunk)."},
    {kDefSize, "include.schema.changes", SLUICE_CONFIG_BOOLEAN, "true", 0, 0,
     "Emit schema changes to the <topic.prefix> topic."},
    {kDefSize, "tombstones.on.delete", SLUICE_CONFIG_BOOLEAN, "true", 0, 0,
     "Follow each delete event with a tombstone (null value) for log compaction."},
    {kDefSize, "decimal.handling.mode", SLUICE_CONFIG_STRING, "precise", 0, 0,
     "DECIMAL as precise (Connect Decimal), double or string."},
    {kDefSize, "time.precision.mode", SLUICE_CONFIG_STRING, "adaptive_time_microseconds", 0, 0,
     "adaptive_time_microseconds (Debezium time types) or connect (Kafka Connect's)."},
    {kDefSize, "bigint.unsigned.handling.mode", SLUICE_CONFIG_STRING, "long", 0, 0,
     "BIGINT UNSIGNED as long (int64) or precise (Decimal)."},
    {kDefSize, "binary.handling.mode", SLUICE_CONFIG_STRING, "bytes", 0, 0,
     "Binary columns as bytes, base64, base64-url-safe or hex."},
    {kDefSize, "unavailable.value.placeholder", SLUICE_CONFIG_STRING,
     "__debezium_unavailable_value", 0, 0,
     "What a BLOB/TEXT column carries when the binlog row image left it out "
     "(binlog_row_image=NOBLOB): this text, or its bytes in a binary column."},
    {kDefSize, "event.processing.failure.handling.mode", SLUICE_CONFIG_STRING, "fail", 0, 0,
     "An event the connector cannot turn into records (an unknown event type in a transaction, a "
     "statement-based change of a captured table, a server INCIDENT): fail stops the task naming "
     "its position; warn logs it with its position and goes on; skip (or ignore) goes on."},
    {kDefSize, "schema.model.unparseable.handling.mode", SLUICE_CONFIG_STRING, "warn", 0, 0,
     "A DDL statement of a captured database that the schema model cannot apply, or a table map "
     "that contradicts the model: fail stops the task naming the statement (or table) and its "
     "position; warn logs the same and describes the table from information_schema instead "
     "(table: null in tableChanges where that is not the structure at the statement)."},
    {kDefSize, "heartbeat.interval.ms", SLUICE_CONFIG_LONG, "0", 0, 0,
     "Emit a heartbeat to __debezium-heartbeat.<topic.prefix> this often (0: never)."},
    {kDefSize, "transaction.boundary.max.records", SLUICE_CONFIG_LONG, "10000", 0, 0,
     "With the worker's exactly-once on and transaction.boundary=connector: a source transaction "
     "of more change events than this is split into Kafka transactions of at most this many "
     "(each still exactly once); smaller ones are one Kafka transaction each."},
    {kDefSize, "provide.transaction.metadata", SLUICE_CONFIG_BOOLEAN, "false", 0, 0,
     "Emit transaction boundaries (BEGIN, END with event counts per table) to "
     "<topic.prefix>.transaction, and each event's `transaction` block."},
    {kDefSize, "include.query", SLUICE_CONFIG_BOOLEAN, "false", 0, 0,
     "Put the statement that wrote each row in source.query (MariaDB: ANNOTATE_ROWS, on by "
     "default; MySQL: needs binlog_rows_query_log_events=ON), passwords and keys redacted."},
    {kDefSize, "skipped.operations", SLUICE_CONFIG_STRING, "t", 0, 0,
     "Comma-separated operations not emitted: c, u, d, t, or none."},
    {kDefSize, "database.ssl.mode", SLUICE_CONFIG_STRING, "preferred", 0, 0,
     "disabled, preferred, required, verify_ca or verify_identity."},
    {kDefSize, "database.ssl.ca", SLUICE_CONFIG_STRING, "", 0, 0,
     "PEM file of the CA for verify_ca / verify_identity (Sluice's stand-in for the truststore)."},
    {kDefSize, "database.ssl.cert", SLUICE_CONFIG_STRING, "", 0, 0,
     "PEM client certificate, for servers that require one."},
    {kDefSize, "database.ssl.key", SLUICE_CONFIG_STRING, "", 0, 0, "PEM key of database.ssl.cert."},
    {kDefSize, "connect.timeout.ms", SLUICE_CONFIG_LONG, "30000", 0, 0,
     "How long a connection attempt may take."},
    {kDefSize, "errors.max.retries", SLUICE_CONFIG_LONG, "-1", 0, 0,
     "Failed attempts in a row to reach the server after which the task fails (-1 = no limit, "
     "0 = fail at the first)."},
    {kDefSize, "max.batch.size", SLUICE_CONFIG_INT, "2048", 0, 0,
     "Most records returned by one poll."},
    {kDefSize, "max.queue.size", SLUICE_CONFIG_INT, "8192", 0, 0,
     "Accepted for compatibility; max.batch.size bounds the records of a poll."},
    {kDefSize, "max.queue.size.in.bytes", SLUICE_CONFIG_LONG, "0", 0, 0,
     "About how many bytes of rows one poll hands to the worker (0: 64 MiB); with "
     "producer.buffer.memory, bounds the task's memory whatever a transaction's size."},
    {kDefSize, "binlog.purge.headroom.warning.bytes", SLUICE_CONFIG_LONG, "0", 0, 0,
     "The task's status warns when the server keeps fewer binlog bytes than this behind its "
     "position (0: never; for servers that purge by size or by hand)."},
    {kDefSize, "binlog.purge.headroom.warning.seconds", SLUICE_CONFIG_LONG, "3600", 0, 0,
     "The task's status warns when the server's binlog expiry could purge its position within "
     "this many seconds (0: never)."},
};

class Reader {
 public:
  explicit Reader(const std::map<std::string, std::string>& raw) : raw_(raw) {}

  std::string Get(const std::string& key) const {
    auto it = raw_.find(key);
    if (it != raw_.end()) return it->second;
    for (const sluice_config_def& def : kDefs) {
      if (key == def.name && def.default_value != nullptr) return def.default_value;
    }
    return "";
  }
  bool Has(const std::string& key) const {
    auto it = raw_.find(key);
    return it != raw_.end() && !absl::StripAsciiWhitespace(it->second).empty();
  }
  absl::Status Required(const std::string& key, std::string* out) const {
    *out = std::string(absl::StripAsciiWhitespace(Get(key)));
    if (out->empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("`", key, "` is required; set it in the connector configuration"));
    }
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> Int(const std::string& key, int64_t min, int64_t max) const {
    int64_t value = 0;
    std::string text = std::string(absl::StripAsciiWhitespace(Get(key)));
    if (!absl::SimpleAtoi(text, &value) || value < min || value > max) {
      return absl::InvalidArgumentError(absl::StrCat(
          "`", key, "` is '", text, "'; it must be an integer from ", min, " to ", max));
    }
    return value;
  }
  absl::StatusOr<bool> Bool(const std::string& key) const {
    std::string text = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Get(key)));
    if (text == "true") return true;
    if (text == "false") return false;
    return absl::InvalidArgumentError(
        absl::StrCat("`", key, "` is '", text, "'; it must be true or false"));
  }
  // One of `allowed` (case-insensitive); its index.
  absl::StatusOr<size_t> Choice(const std::string& key,
                                const std::vector<std::string>& allowed) const {
    std::string text = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Get(key)));
    for (size_t i = 0; i < allowed.size(); ++i) {
      if (text == allowed[i]) return i;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "`", key, "` is '", text, "'; set it to one of: ", absl::StrJoin(allowed, ", ")));
  }

 private:
  const std::map<std::string, std::string>& raw_;
};

// A comma-separated list of regular expressions, each trimmed and checked to compile (as Filters
// compiles them).
absl::Status CheckRegex(const std::string& key, const std::string& pattern) {
  try {
    std::regex compiled(pattern, std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error& error) {
    return absl::InvalidArgumentError(absl::StrCat("`", key, "`: '", pattern,
                                                   "' is not a valid regular expression (",
                                                   error.what(), "); fix or remove it"));
  }
  return absl::OkStatus();
}

absl::Status ExclusiveLists(const Reader& reader, const std::string& include,
                            const std::string& exclude) {
  if (reader.Has(include) && reader.Has(exclude)) {
    return absl::InvalidArgumentError(
        absl::StrCat("`", include, "` and `", exclude, "` are both set; set only one of them"));
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// kDefs, then every other key of Debezium's (key_fates.h), so the host knows them all: their doc
// says what becomes of them. Built once; lives until the library is unloaded.
const std::vector<sluice_config_def>& AllDefs() {
  static const auto* defs = [] {
    auto* all = new std::vector<sluice_config_def>(std::begin(kDefs), std::end(kDefs));
    // The names and docs the defs point into; a deque never moves what it holds.
    static std::deque<std::string> texts;
    for (const DebeziumKey& key : DebeziumKeys()) {
      texts.emplace_back(key.key);
      const char* name = texts.back().c_str();
      switch (key.fate) {
        case DebeziumKeyFate::kOnly:
          texts.push_back(absl::StrCat("Only ", absl::StrJoin(absl::StrSplit(key.only, '|'), " or "),
                                       ": ", key.why, "."));
          break;
        case DebeziumKeyFate::kRefused:
          texts.push_back(absl::StrCat("Refused: ", key.why, "."));
          break;
        case DebeziumKeyFate::kWarned:
          texts.push_back(absl::StrCat("Accepted without effect (a warning): ", key.why, "."));
          break;
      }
      all->push_back({kDefSize, name, SLUICE_CONFIG_STRING, nullptr, 0, 0, texts.back().c_str()});
    }
    return all;
  }();
  return *defs;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> RegexList(const std::string& key,
                                                   const std::string& value) {
  std::vector<std::string> patterns;
  for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
    std::string pattern(absl::StripAsciiWhitespace(part));
    absl::Status status = CheckRegex(key, pattern);
    if (!status.ok()) return status;
    patterns.push_back(std::move(pattern));
  }
  return patterns;
}

const sluice_config_def* ConfigDefs() { return AllDefs().data(); }
size_t ConfigDefCount() { return AllDefs().size(); }

std::map<std::string, std::string> ConfigMap(const sluice_config_entry* entries, size_t count) {
  std::map<std::string, std::string> map;
  for (size_t i = 0; i < count; ++i) {
    map[std::string(entries[i].key.ptr, entries[i].key.len)] =
        std::string(entries[i].value.ptr, entries[i].value.len);
  }
  return map;
}

absl::StatusOr<ConnectorConfig> ParseConnectorConfig(
    const std::map<std::string, std::string>& raw) {
  Reader reader(raw);
  ConnectorConfig config;
  if (absl::Status status = CheckDebeziumKeys(raw, &config.warnings); !status.ok()) return status;
  config.connector_name = reader.Get("name");
  const std::string connector_class = absl::AsciiStrToLower(reader.Get("connector.class"));
  if (connector_class.find("mariadb") != std::string::npos) config.flavor = "mariadb";

  absl::Status status = reader.Required("database.hostname", &config.connection.host);
  if (!status.ok()) return status;
  status = reader.Required("database.user", &config.connection.user);
  if (!status.ok()) return status;
  config.connection.password = reader.Get("database.password");
  absl::StatusOr<int64_t> port = reader.Int("database.port", 1, 65535);
  if (!port.ok()) return port.status();
  config.connection.port = static_cast<unsigned>(*port);
  if (!reader.Has("database.server.id")) {
    return absl::InvalidArgumentError(
        "`database.server.id` is required; choose a number from 1 to 4294967295 that no other "
        "replica of this server uses");
  }
  absl::StatusOr<int64_t> server_id = reader.Int("database.server.id", 1, 4294967295LL);
  if (!server_id.ok()) return server_id.status();
  config.server_id = static_cast<uint32_t>(*server_id);
  status = reader.Required("topic.prefix", &config.topic_prefix);
  if (!status.ok()) return status;
  static const std::regex kTopicChars("[A-Za-z0-9._-]+");
  if (!std::regex_match(config.topic_prefix, kTopicChars)) {
    return absl::InvalidArgumentError(
        absl::StrCat("`topic.prefix` is '", config.topic_prefix,
                     "'; use only letters, digits, '.', '_' and '-' (it starts every topic name)"));
  }

  for (auto [include, exclude, include_field, exclude_field] :
       {std::tuple<const char*, const char*, std::vector<std::string>*, std::vector<std::string>*>{
            "database.include.list", "database.exclude.list", &config.database_include,
            &config.database_exclude},
        {"table.include.list", "table.exclude.list", &config.table_include, &config.table_exclude},
        {"column.include.list", "column.exclude.list", &config.column_include,
         &config.column_exclude}}) {
    status = ExclusiveLists(reader, include, exclude);
    if (!status.ok()) return status;
    for (auto [key, field] :
         {std::pair{include, include_field}, std::pair{exclude, exclude_field}}) {
      absl::StatusOr<std::vector<std::string>> patterns = RegexList(key, reader.Get(key));
      if (!patterns.ok()) return patterns.status();
      *field = *std::move(patterns);
    }
  }
  for (absl::string_view entry :
       absl::StrSplit(reader.Get("message.key.columns"), ';', absl::SkipWhitespace())) {
    const size_t colon = entry.rfind(':');
    if (colon == absl::string_view::npos || colon == 0 || colon + 1 == entry.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "`message.key.columns` entry '", entry,
          "' is not `<db.table regex>:<column>[,<column>...]`; separate tables with ';'"));
    }
    ConnectorConfig::KeyColumns rule;
    rule.table_pattern = std::string(absl::StripAsciiWhitespace(entry.substr(0, colon)));
    status = CheckRegex("message.key.columns", rule.table_pattern);
    if (!status.ok()) return status;
    for (absl::string_view column : absl::StrSplit(entry.substr(colon + 1), ',')) {
      column = absl::StripAsciiWhitespace(column);
      if (!column.empty()) rule.columns.emplace_back(column);
    }
    config.message_key_columns.push_back(std::move(rule));
  }

  absl::StatusOr<size_t> choice = reader.Choice(
      "snapshot.mode", {"initial", "initial_only", "when_needed", "never", "no_data"});
  if (!choice.ok()) return choice.status();
  config.snapshot_mode = static_cast<SnapshotMode>(*choice);
  if (absl::AsciiStrToLower(absl::StripAsciiWhitespace(reader.Get("snapshot.locking.mode"))) ==
      "custom") {
    return absl::InvalidArgumentError(
        "`snapshot.locking.mode` is 'custom', which runs a Java class named by "
        "snapshot.locking.mode.custom.name in Debezium; Sluice has no such plugins: set it to "
        "minimal, extended or none");
  }
  choice = reader.Choice("offsets.missing.policy", {"fail", "start_over"});
  if (!choice.ok()) return choice.status();
  config.missing_offsets = static_cast<MissingOffsetsPolicy>(*choice);
  if (auto it = raw.find(SLUICE_TASK_CONFIG_ACTIVE_TOPICS); it != raw.end()) {
    config.active_topics = absl::StrSplit(it->second, ',', absl::SkipWhitespace());
  }
  const std::vector<std::string> locking_modes = {"minimal", "extended", "none"};
  choice = reader.Choice("snapshot.locking.mode", locking_modes);
  if (!choice.ok()) return choice.status();
  config.snapshot_locking_mode = locking_modes[*choice];
  choice = reader.Choice("decimal.handling.mode", {"precise", "double", "string"});
  if (!choice.ok()) return choice.status();
  config.decimal_mode = static_cast<DecimalMode>(*choice);
  choice = reader.Choice("time.precision.mode", {"adaptive_time_microseconds", "connect"});
  if (!choice.ok()) return choice.status();
  config.time_precision_mode = static_cast<TimePrecisionMode>(*choice);
  choice = reader.Choice("bigint.unsigned.handling.mode", {"long", "precise"});
  if (!choice.ok()) return choice.status();
  config.bigint_unsigned_mode = static_cast<BigintUnsignedMode>(*choice);
  choice = reader.Choice("binary.handling.mode", {"bytes", "base64", "base64-url-safe", "hex"});
  if (!choice.ok()) return choice.status();
  config.binary_mode = static_cast<BinaryMode>(*choice);
  choice = reader.Choice("event.processing.failure.handling.mode",
                         {"fail", "warn", "skip", "ignore"});
  if (!choice.ok()) return choice.status();
  config.failure_mode = *choice == 3 ? FailureMode::kSkip : static_cast<FailureMode>(*choice);
  choice = reader.Choice("schema.model.unparseable.handling.mode", {"fail", "warn"});
  if (!choice.ok()) return choice.status();
  config.model_failure_mode = static_cast<ModelFailureMode>(*choice);
  config.unavailable_placeholder = reader.Get("unavailable.value.placeholder");

  for (auto [key, field] :
       {std::pair<const char*, bool*>{"include.schema.changes", &config.include_schema_changes},
        {"tombstones.on.delete", &config.tombstones_on_delete},
        {"provide.transaction.metadata", &config.provide_transaction_metadata},
        {"include.query", &config.include_query},
        {"internal.snapshot.locking.on.mariadb", &config.snapshot_locking_on_mariadb},
        {"internal.snapshot.fail.after.lock", &config.snapshot_fail_after_lock}}) {
    absl::StatusOr<bool> value = reader.Bool(key);
    if (!value.ok()) return value.status();
    *field = *value;
  }

  config.skip_create = config.skip_update = config.skip_delete = config.skip_truncate = false;
  for (absl::string_view part :
       absl::StrSplit(reader.Get("skipped.operations"), ',', absl::SkipWhitespace())) {
    std::string op = absl::AsciiStrToLower(absl::StripAsciiWhitespace(part));
    if (op == "c") {
      config.skip_create = true;
    } else if (op == "u") {
      config.skip_update = true;
    } else if (op == "d") {
      config.skip_delete = true;
    } else if (op == "t") {
      config.skip_truncate = true;
    } else if (op != "none") {
      return absl::InvalidArgumentError(absl::StrCat("`skipped.operations` contains '", op,
                                                     "'; list any of c, u, d, t, or write none"));
    }
  }

  absl::StatusOr<int64_t> number = reader.Int("heartbeat.interval.ms", 0, INT32_MAX);
  if (!number.ok()) return number.status();
  config.heartbeat_interval_ms = *number;
  number = reader.Int("transaction.boundary.max.records", 1, INT32_MAX);
  if (!number.ok()) return number.status();
  config.transaction_max_records = *number;
  number = reader.Int("max.batch.size", 1, 1000000);
  if (!number.ok()) return number.status();
  config.max_batch_size = static_cast<int32_t>(*number);
  number = reader.Int("max.queue.size", 1, INT32_MAX);
  if (!number.ok()) return number.status();
  config.max_queue_size = static_cast<int32_t>(*number);
  number = reader.Int("max.queue.size.in.bytes", 0, INT64_MAX);
  if (!number.ok()) return number.status();
  config.max_queue_size_in_bytes = *number;
  number = reader.Int("binlog.purge.headroom.warning.bytes", 0, INT64_MAX);
  if (!number.ok()) return number.status();
  config.purge_warning_bytes = *number;
  number = reader.Int("binlog.purge.headroom.warning.seconds", 0, INT64_MAX);
  if (!number.ok()) return number.status();
  config.purge_warning_seconds = *number;
  number = reader.Int("snapshot.fetch.size", 1, 1000000);
  if (!number.ok()) return number.status();
  config.snapshot_fetch_size = static_cast<int32_t>(*number);
  number = reader.Int("internal.snapshot.chunk.delay.ms", 0, 60000);
  if (!number.ok()) return number.status();
  config.snapshot_chunk_delay_ms = *number;
  number = reader.Int("connect.timeout.ms", 1, 3600000);
  if (!number.ok()) return number.status();
  config.connection.connect_timeout = absl::Milliseconds(*number);
  number = reader.Int("errors.max.retries", -1, INT32_MAX);
  if (!number.ok()) return number.status();
  config.errors_max_retries = *number;

  absl::StatusOr<std::vector<ColumnPolicyRule>> policies = ParseColumnPolicies(raw);
  if (!policies.ok()) return policies.status();
  config.column_policies = *std::move(policies);

  absl::StatusOr<SslMode> ssl = ParseSslMode(reader.Get("database.ssl.mode"));
  if (!ssl.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("`database.ssl.mode`: ", ssl.status().message()));
  }
  config.connection.ssl_mode = *ssl;
  config.connection.ssl_ca_file = reader.Get("database.ssl.ca");
  config.connection.ssl_cert_file = reader.Get("database.ssl.cert");
  config.connection.ssl_key_file = reader.Get("database.ssl.key");
  if ((*ssl == SslMode::kVerifyCa || *ssl == SslMode::kVerifyIdentity) &&
      config.connection.ssl_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "`database.ssl.mode` verifies the server's certificate but `database.ssl.ca` is not set; "
        "set it to the PEM file of the CA that signed the server's certificate");
  }
  return config;
}

}  // namespace sluice::mysql
