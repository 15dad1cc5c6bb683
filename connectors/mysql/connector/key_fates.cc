#include "connectors/mysql/connector/key_fates.h"

#include "absl/strings/ascii.h"
#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace sluice::mysql {
namespace {

using F = DebeziumKeyFate;

// Reasons shared by several keys.
constexpr absl::string_view kNoHistory =
    "no schema history is kept: every table map carries its table's schema "
    "(binlog_row_metadata=FULL), so history settings change no record";
constexpr absl::string_view kTuning =
    "a tuning or timing setting of Debezium's Java runtime; records are the same without it";
constexpr absl::string_view kMetrics = "metrics only; no record changes";
constexpr absl::string_view kNoSignals =
    "acts only through signals or incremental snapshots, which are not supported here (see "
    "signal.data.collection); ignoring it changes no record";
constexpr absl::string_view kOpenLineage =
    "acts only with openlineage.integration.enabled=true, which is refused; ignoring it changes no "
    "record";
constexpr absl::string_view kNotMySql =
    "Debezium's MySQL connector does not use it either (a setting of other connectors)";
constexpr absl::string_view kColumnPolicyLater =
    "column masking, truncation and source-type parameters are not supported yet; remove the key "
    "(or exclude the column with column.exclude.list) rather than publish the value unchanged";

}  // namespace

const std::vector<DebeziumKey>& DebeziumKeys() {
  static const auto* keys = new std::vector<DebeziumKey>{
      {"binlog.buffer.size", F::kWarned, "", "transactions stream through in bounded memory here; "
       "the look-ahead buffer changes no record"},
      {"binlog.net.read.timeout", F::kWarned, "", kTuning},
      {"binlog.net.write.timeout", F::kWarned, "", kTuning},
      {"column.mask.hash.<algorithm>.with.salt.<salt>", F::kRefused, "", kColumnPolicyLater},
      {"column.mask.with.<N>.chars", F::kRefused, "", kColumnPolicyLater},
      {"column.truncate.to.<N>.chars", F::kRefused, "", kColumnPolicyLater},
      {"column.propagate.source.type", F::kRefused, "", kColumnPolicyLater},
      {"datatype.propagate.source.type", F::kRefused, "", kColumnPolicyLater},
      {"connect.keep.alive", F::kWarned, "", "the binlog connection is kept and re-opened by the "
       "task itself; records are the same"},
      {"connect.keep.alive.interval.ms", F::kWarned, "", kTuning},
      {"connection.validation.timeout.ms", F::kWarned, "", kTuning},
      {"converters", F::kRefused, "", "custom converters are Java classes, which are not loaded "
       "here; remove `converters` and its settings"},
      {"custom.metric.tags", F::kWarned, "", kMetrics},
      {"custom.sanitize.pattern", F::kWarned, "", kMetrics},
      {"database.dbname", F::kWarned, "", kNotMySql},
      {"database.initial.statements", F::kRefused, "", "statements run on each connection could "
       "change the values read; not supported: remove it"},
      {"database.jdbc.driver", F::kWarned, "", "no JDBC: the server is reached through MariaDB "
       "Connector/C; records are the same"},
      {"database.protocol", F::kWarned, "", "no JDBC: the server is reached through MariaDB "
       "Connector/C; records are the same"},
      {"database.query.timeout.ms", F::kWarned, "", kTuning},
      {"database.server.id.offset", F::kWarned, "", "used by Debezium only for the server ids of "
       "its own helper connections; records are the same"},
      {"database.ssl.keystore", F::kRefused, "", "Java keystores are not read; set "
       "database.ssl.cert and database.ssl.key to PEM files instead"},
      {"database.ssl.keystore.password", F::kRefused, "", "Java keystores are not read; set "
       "database.ssl.cert and database.ssl.key to PEM files instead"},
      {"database.ssl.truststore", F::kRefused, "", "Java truststores are not read; set "
       "database.ssl.ca to the PEM file of the CA instead"},
      {"database.ssl.truststore.password", F::kRefused, "", "Java truststores are not read; set "
       "database.ssl.ca to the PEM file of the CA instead"},
      {"ddl.parser.type", F::kWarned, "", "Sluice reads DDL with its own schema model, not "
       "Debezium's parsers; row schemas come from the binlog's table maps; records are the same"},
      {"enable.time.adjuster", F::kWarned, "", "MySQL 8+ and MariaDB have no two-digit YEAR "
       "columns, so no value is adjusted either way"},
      {"event.converting.failure.handling.mode", F::kOnly, "fail", "a value that cannot be "
       "converted fails the task naming its position; warn and skip are not supported"},
      {"event.deserialization.failure.handling.mode", F::kRefused, "", "Debezium's deprecated "
       "name; use event.processing.failure.handling.mode"},
      {"executor.shutdown.timeout.ms", F::kWarned, "", kTuning},
      {"extended.headers.enabled", F::kOnly, "false", "Debezium's __debezium.context.* headers are "
       "not written; set it to false"},
      {"field.name.adjustment.mode", F::kOnly, "none", "field names are written as the columns "
       "are named; avro adjustment is not supported"},
      {"gtid.ignore.on.recovery", F::kWarned, "", "MariaDB recovery hint of Debezium's; the "
       "position is resumed from the committed offset either way"},
      {"gtid.source.excludes", F::kRefused, "", "filtering transactions by GTID source is not "
       "supported; remove it"},
      {"gtid.source.includes", F::kRefused, "", "filtering transactions by GTID source is not "
       "supported; remove it"},
      {"gtid.source.filter.dml.events", F::kWarned, "", "acts only with gtid.source.includes or "
       ".excludes, which are refused"},
      {"guardrail.collections.limit.action", F::kWarned, "", "acts only with "
       "guardrail.collections.max, which is refused"},
      {"guardrail.collections.max", F::kRefused, "", "a limit on the number of captured tables is "
       "not supported; narrow table.include.list instead"},
      {"include.schema.comments", F::kOnly, "false", "column comments are not added to schemas"},
      {"inconsistent.schema.handling.mode", F::kWarned, "", "schemas come from each event's table "
       "map, so a schema never disagrees with its rows"},
      {"incremental.snapshot.allow.schema.changes", F::kWarned, "", kNoSignals},
      {"incremental.snapshot.chunk.size", F::kWarned, "", kNoSignals},
      {"incremental.snapshot.watermarking.strategy", F::kWarned, "", kNoSignals},
      {"internal.advanced.metrics.enable", F::kWarned, "", kMetrics},
      {"internal.custom.retriable.exception", F::kWarned, "", "Java exception classes; failures "
       "are classified here by their error codes"},
      {"internal.log.position.check.enable", F::kWarned, "", "the committed position is checked "
       "against the server's binlogs at each start anyway"},
      {"internal.schema.history.internal.ddl.filter", F::kWarned, "", kNoHistory},
      {"internal.snapshot.scan.all.columns.force", F::kWarned, "", "snapshots select the captured "
       "columns; records are the same"},
      {"legacy.snapshot.max.threads", F::kWarned, "", kTuning},
      {"memory.management.schemas.class", F::kWarned, "", kTuning},
      {"memory.management.tables.class", F::kWarned, "", kTuning},
      {"min.row.count.to.stream.results", F::kWarned, "", "snapshots always read in keyset chunks "
       "(snapshot.fetch.size); records are the same"},
      {"notification.enabled.channels", F::kRefused, "", "notifications are not sent; remove it"},
      {"notification.sink.topic.name", F::kWarned, "", "acts only with "
       "notification.enabled.channels, which is refused"},
      {"openlineage.integration.config.file.path", F::kWarned, "", kOpenLineage},
      {"openlineage.integration.dataset.kafka.bootstrap.servers", F::kWarned, "", kOpenLineage},
      {"openlineage.integration.enabled", F::kOnly, "false", "OpenLineage events are not sent"},
      {"openlineage.integration.job.description", F::kWarned, "", kOpenLineage},
      {"openlineage.integration.job.namespace", F::kWarned, "", kOpenLineage},
      {"openlineage.integration.job.owners", F::kWarned, "", kOpenLineage},
      {"openlineage.integration.job.tags", F::kWarned, "", kOpenLineage},
      {"poll.interval.ms", F::kWarned, "", "a poll returns as soon as records are ready; latency "
       "only, no record changes"},
      {"post.processors", F::kRefused, "", "post processors are Java classes, which are not "
       "loaded here; remove it"},
      {"query.fetch.size", F::kWarned, "", kTuning},
      {"queue.provider.type", F::kWarned, "", kTuning},
      {"read.only", F::kWarned, "", kNoSignals},
      {"retriable.restart.connector.wait.ms", F::kWarned, "", "a task that lost the server "
       "retries with its own back-off (errors.max.retries); records are the same"},
      {"schema.exclude.list", F::kWarned, "", kNotMySql},
      {"schema.include.list", F::kWarned, "", kNotMySql},
      {"schema.history.internal", F::kWarned, "", kNoHistory},
      {"schema.history.internal.connector.class", F::kWarned, "", kNoHistory},
      {"schema.history.internal.connector.id", F::kWarned, "", kNoHistory},
      {"schema.history.internal.kafka.bootstrap.servers", F::kWarned, "", kNoHistory},
      {"schema.history.internal.kafka.buffer.batch.size", F::kWarned, "", kNoHistory},
      {"schema.history.internal.kafka.create.timeout.ms", F::kWarned, "", kNoHistory},
      {"schema.history.internal.kafka.query.timeout.ms", F::kWarned, "", kNoHistory},
      {"schema.history.internal.kafka.recovery.attempts", F::kWarned, "", kNoHistory},
      {"schema.history.internal.kafka.recovery.poll.interval.ms", F::kWarned, "", kNoHistory},
      {"schema.history.internal.kafka.topic", F::kWarned, "", kNoHistory},
      {"schema.history.internal.name", F::kWarned, "", kNoHistory},
      {"schema.history.internal.prefer.ddl", F::kWarned, "", kNoHistory},
      {"schema.history.internal.skip.unparseable.ddl", F::kWarned, "", kNoHistory},
      {"schema.history.internal.store.only.captured.databases.ddl", F::kWarned, "", kNoHistory},
      {"schema.history.internal.store.only.captured.tables.ddl", F::kWarned, "", kNoHistory},
      {"schema.name.adjustment.mode", F::kOnly, "none", "schema names are written as Debezium "
       "names them by default; avro adjustment is not supported"},
      {"signal.data.collection", F::kRefused, "", "signals (ad-hoc and incremental snapshots, "
       "pause, resume) are not supported; remove it"},
      {"signal.enabled.channels", F::kOnly, "source", "only the source channel, which reads "
       "nothing without signal.data.collection; kafka, file, jmx and in-process channels are "
       "not supported"},
      {"signal.file", F::kWarned, "", kNoSignals},
      {"signal.kafka.bootstrap.servers", F::kWarned, "", kNoSignals},
      {"signal.kafka.groupId", F::kWarned, "", kNoSignals},
      {"signal.kafka.poll.timeout.ms", F::kWarned, "", kNoSignals},
      {"signal.kafka.topic", F::kWarned, "", kNoSignals},
      {"signal.poll.interval.ms", F::kWarned, "", kNoSignals},
      {"skip.messages.without.change", F::kOnly, "false", "every update is emitted, also one that "
       "changed no captured column"},
      {"snapshot.delay.ms", F::kWarned, "", "timing only; the snapshot's records are the same"},
      {"snapshot.include.collection.list", F::kRefused, "", "every captured table is snapshotted; "
       "narrowing the snapshot is not supported: remove it"},
      {"snapshot.lock.timeout.ms", F::kWarned, "", kTuning},
      {"snapshot.locking.mode.custom.name", F::kRefused, "", "custom locking modes are Java "
       "classes, which are not loaded here; remove it"},
      {"snapshot.max.threads", F::kWarned, "", kTuning},
      {"snapshot.max.threads.multiplier", F::kWarned, "", kTuning},
      {"snapshot.mode.configuration.based.snapshot.data", F::kWarned, "", "acts only with "
       "snapshot.mode=configuration_based, which is refused"},
      {"snapshot.mode.configuration.based.snapshot.on.data.error", F::kWarned, "", "acts only with "
       "snapshot.mode=configuration_based, which is refused"},
      {"snapshot.mode.configuration.based.snapshot.on.schema.error", F::kWarned, "", "acts only "
       "with snapshot.mode=configuration_based, which is refused"},
      {"snapshot.mode.configuration.based.snapshot.schema", F::kWarned, "", "acts only with "
       "snapshot.mode=configuration_based, which is refused"},
      {"snapshot.mode.configuration.based.start.stream", F::kWarned, "", "acts only with "
       "snapshot.mode=configuration_based, which is refused"},
      {"snapshot.mode.custom.name", F::kWarned, "", "acts only with snapshot.mode=custom, which "
       "is refused"},
      {"snapshot.query.mode", F::kOnly, "select_all", "snapshots select every captured column; "
       "custom queries are not supported"},
      {"snapshot.query.mode.custom.name", F::kWarned, "", "acts only with "
       "snapshot.query.mode=custom, which is refused"},
      {"snapshot.select.statement.overrides", F::kRefused, "", "snapshot queries cannot be "
       "replaced; remove it (filter rows downstream)"},
      {"snapshot.tables.order.by.row.count", F::kWarned, "", "tables are snapshotted in name "
       "order; each topic's records are the same"},
      {"sourceinfo.struct.maker", F::kRefused, "", "the source block is built here as Debezium's "
       "default maker builds it; other makers are Java classes: remove it"},
      {"statistics.metrics.enabled", F::kWarned, "", kMetrics},
      {"streaming.delay.ms", F::kWarned, "", "timing only; records are the same"},
      {"table.ignore.builtin", F::kOnly, "true", "the server's own databases (mysql, sys, "
       "information_schema, performance_schema) are never captured"},
      {"topic.cache.size", F::kWarned, "", kTuning},
      {"topic.delimiter", F::kOnly, ".", "topic names are <topic.prefix>.<db>.<table>"},
      {"topic.heartbeat.name", F::kWarned, "", "heartbeats go to "
       "__debezium-heartbeat.<topic.prefix>; Debezium's own default strategy ignores it too"},
      {"topic.heartbeat.prefix", F::kOnly, "__debezium-heartbeat", "heartbeats go to "
       "__debezium-heartbeat.<topic.prefix>"},
      {"heartbeat.topics.prefix", F::kOnly, "__debezium-heartbeat", "heartbeats go to "
       "__debezium-heartbeat.<topic.prefix>"},
      {"heartbeat.action.query", F::kRefused, "", "statements run on the server at each heartbeat "
       "are not supported; remove it"},
      {"topic.naming.strategy", F::kOnly,
       "io.debezium.schema.DefaultTopicNamingStrategy|io.debezium.schema.SchemaTopicNamingStrategy",
       "topic names are <topic.prefix>.<db>.<table>, as both name them for MySQL"},
      {"topic.transaction", F::kOnly, "transaction", "transaction metadata goes to "
       "<topic.prefix>.transaction"},
      {"transaction.metadata.factory", F::kOnly,
       "io.debezium.pipeline.txmetadata.DefaultTransactionMetadataFactory", "transaction metadata "
       "is built as Debezium's default factory builds it; other factories are Java classes"},
      {"use.nongraceful.disconnect", F::kWarned, "", kTuning},
  };
  return *keys;
}

bool KeyMatches(absl::string_view pattern, absl::string_view key) {
  const size_t open = pattern.find('<');
  const size_t close = open == absl::string_view::npos ? open : pattern.find('>', open);
  if (close == absl::string_view::npos) return pattern == key;
  if (key.substr(0, open) != pattern.substr(0, open)) return false;
  const absl::string_view rest = pattern.substr(close + 1);
  for (size_t end = open + 1; end <= key.size(); ++end) {  // the placeholder takes >= 1 char
    if (KeyMatches(rest, key.substr(end))) return true;
  }
  return false;
}

absl::Status CheckDebeziumKeys(const std::map<std::string, std::string>& raw,
                               std::vector<std::string>* warnings) {
  for (const auto& [key, value] : raw) {
    for (const DebeziumKey& entry : DebeziumKeys()) {
      if (!KeyMatches(entry.key, key)) continue;
      const std::string given = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value));
      switch (entry.fate) {
        case F::kRefused:
          return absl::InvalidArgumentError(absl::StrCat("`", key, "`: ", entry.why));
        case F::kOnly:
          if (!absl::c_linear_search(absl::StrSplit(absl::AsciiStrToLower(entry.only), '|'),
                                     given)) {
            return absl::InvalidArgumentError(
                absl::StrCat("`", key, "` is '", value, "'; only ",
                             absl::StrJoin(absl::StrSplit(entry.only, '|'), " or "),
                             " is supported: ", entry.why));
          }
          break;
        case F::kWarned:
          warnings->push_back(absl::StrCat("`", key, "`: accepted without effect: ", entry.why));
          break;
      }
      break;
    }
  }
  return absl::OkStatus();
}

}  // namespace sluice::mysql
