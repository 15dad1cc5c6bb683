#include "runtime/config/worker_config.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace sluice::config {
namespace {

// Kafka Connect worker keys Sluice accepts without acting on them (REST server, group protocol
// tuning, security settings of the Java clients). Warned about as "not used", not as unknown, so
// a user can tell a typo from a setting we do not have yet.
const absl::flat_hash_set<absl::string_view>& ConnectKeysNotUsed() {
  static const auto* keys =
      new absl::flat_hash_set<absl::string_view>{"rest.host.name",
                                                 "rest.port",
                                                 "admin.listeners",
                                                 "access.control.allow.origin",
                                                 "access.control.allow.methods",
                                                 "rest.extension.classes",
                                                 "response.http.headers.config",
                                                 "worker.sync.timeout.ms",
                                                 "worker.unsync.backoff.ms",
                                                 "connect.protocol",
                                                 "inter.worker.key.generation.algorithm",
                                                 "inter.worker.key.size",
                                                 "inter.worker.key.ttl.ms",
                                                 "inter.worker.signature.algorithm",
                                                 "inter.worker.verification.algorithms",
                                                 "metadata.max.age.ms",
                                                 "client.id",
                                                 "send.buffer.bytes",
                                                 "receive.buffer.bytes",
                                                 "reconnect.backoff.ms",
                                                 "reconnect.backoff.max.ms",
                                                 "retry.backoff.ms",
                                                 "request.timeout.ms",
                                                 "connections.max.idle.ms",
                                                 "security.protocol",
                                                 "header.converter",
                                                 "metric.reporters",
                                                 "metrics.num.samples",
                                                 "metrics.recording.level",
                                                 "metrics.sample.window.ms",
                                                 "offset.storage.file.filename",
                                                 "internal.key.converter",
                                                 "internal.value.converter",
                                                 "socket.connection.setup.timeout.ms",
                                                 "socket.connection.setup.timeout.max.ms",
                                                 "auto.include.jmx.reporter",
                                                 "key.converter.plugin.version",
                                                 "value.converter.plugin.version",
                                                 "header.converter.plugin.version"};
  return *keys;
}

// Where a value came from, for messages: "`offset.flush.interval.ms` (line 7)".
std::string Where(const Property& p) {
  return p.line > 0 ? absl::StrCat("`", p.key, "` (line ", p.line, ")")
                    : absl::StrCat("`", p.key, "`");
}

absl::Status BadValue(const Property& p, absl::string_view allowed) {
  return absl::InvalidArgumentError(
      absl::StrCat("worker config: ", Where(p), " has invalid value \"", p.value, "\"; ", allowed));
}

absl::StatusOr<int64_t> ParseInteger(const Property& p, int64_t min, int64_t max,
                                     absl::string_view allowed) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(p.value), &v) || v < min || v > max) {
    return BadValue(p, allowed);
  }
  return v;
}

// Kafka Connect's PARTITIONS / REPLICATION_FACTOR validators: a positive number, or -1 for the
// broker's default.
absl::StatusOr<int64_t> ParseTopicCount(const Property& p, int64_t max) {
  absl::StatusOr<int64_t> v = ParseInteger(p, -1, max,
                                           absl::StrCat("expected a positive whole number up to ",
                                                        max, ", or -1 for the broker's default"));
  if (v.ok() && *v == 0)
    return BadValue(p, "expected a positive whole number, or -1 for the broker's default");
  return v;
}

absl::StatusOr<absl::Duration> ParseMillis(const Property& p) {
  absl::StatusOr<int64_t> v = ParseInteger(p, 0, std::numeric_limits<int64_t>::max(),
                                           "expected a whole number of milliseconds, 0 or more");
  if (!v.ok()) return v.status();
  return absl::Milliseconds(*v);
}

// ConfigDef BOOLEAN: "true" or "false", any case, surrounding blanks ignored.
absl::StatusOr<bool> ParseBool(const Property& p) {
  std::string v = absl::AsciiStrToLower(absl::StripAsciiWhitespace(p.value));
  if (v == "true") return true;
  if (v == "false") return false;
  return BadValue(p, "expected true or false");
}

std::string Trimmed(const Property& p) { return std::string(absl::StripAsciiWhitespace(p.value)); }

absl::Status ParseConverterClass(const Property& p, ConverterSettings& out) {
  std::string v = Trimmed(p);
  if (v != kJsonConverterClass) {
    return BadValue(p, absl::StrCat("supported converters: ", kJsonConverterClass));
  }
  out.class_name = std::move(v);
  return absl::OkStatus();
}

absl::Status ParseConverterProperty(const Property& p, absl::string_view name,
                                    ConverterSettings& out) {
  if (name == "schemas.enable") {
    absl::StatusOr<bool> b = ParseBool(p);
    if (!b.ok()) return b.status();
    out.schemas_enable = *b;
  }
  out.properties[std::string(name)] = Trimmed(p);
  return absl::OkStatus();
}

using Handler = std::function<absl::Status(const Property&, WorkerConfig&)>;

const absl::flat_hash_map<absl::string_view, Handler>& ExactKeyHandlers() {
  static const auto* handlers = [] {
    auto* h = new absl::flat_hash_map<absl::string_view, Handler>;
    auto topic_name = [](InternalTopicSettings WorkerConfig::*field) {
      return [field](const Property& p, WorkerConfig& c) -> absl::Status {
        std::string v = Trimmed(p);
        if (v.empty()) return BadValue(p, "expected a topic name");
        (c.*field).name = std::move(v);
        return absl::OkStatus();
      };
    };
    auto partitions = [](InternalTopicSettings WorkerConfig::*field) {
      return [field](const Property& p, WorkerConfig& c) -> absl::Status {
        absl::StatusOr<int64_t> v = ParseTopicCount(p, std::numeric_limits<int32_t>::max());
        if (!v.ok()) return v.status();
        (c.*field).partitions = static_cast<int32_t>(*v);
        return absl::OkStatus();
      };
    };
    auto replication = [](InternalTopicSettings WorkerConfig::*field) {
      return [field](const Property& p, WorkerConfig& c) -> absl::Status {
        absl::StatusOr<int64_t> v = ParseTopicCount(p, std::numeric_limits<int16_t>::max());
        if (!v.ok()) return v.status();
        (c.*field).replication_factor = static_cast<int16_t>(*v);
        return absl::OkStatus();
      };
    };
    auto millis = [](absl::Duration WorkerConfig::*field) {
      return [field](const Property& p, WorkerConfig& c) -> absl::Status {
        absl::StatusOr<absl::Duration> v = ParseMillis(p);
        if (!v.ok()) return v.status();
        c.*field = *v;
        return absl::OkStatus();
      };
    };
    (*h)["bootstrap.servers"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      std::vector<std::string> servers = ParseList(p.value);
      if (servers.empty()) return BadValue(p, "expected host:port[,host:port...]");
      c.bootstrap_servers = absl::StrJoin(servers, ",");
      return absl::OkStatus();
    };
    (*h)["group.id"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      c.group_id = Trimmed(p);
      if (c.group_id.empty())
        return BadValue(p, "expected a non-empty group name shared by the cluster's workers");
      return absl::OkStatus();
    };
    (*h)["session.timeout.ms"] = millis(&WorkerConfig::session_timeout);
    (*h)["heartbeat.interval.ms"] = millis(&WorkerConfig::heartbeat_interval);
    (*h)["rebalance.timeout.ms"] = millis(&WorkerConfig::rebalance_timeout);
    (*h)["scheduled.rebalance.max.delay.ms"] =
        millis(&WorkerConfig::scheduled_rebalance_max_delay);
    (*h)["offset.storage.topic"] = topic_name(&WorkerConfig::offset_storage);
    (*h)["offset.storage.partitions"] = partitions(&WorkerConfig::offset_storage);
    (*h)["offset.storage.replication.factor"] = replication(&WorkerConfig::offset_storage);
    (*h)["config.storage.topic"] = topic_name(&WorkerConfig::config_storage);
    (*h)["config.storage.replication.factor"] = replication(&WorkerConfig::config_storage);
    (*h)["status.storage.topic"] = topic_name(&WorkerConfig::status_storage);
    (*h)["status.storage.partitions"] = partitions(&WorkerConfig::status_storage);
    (*h)["status.storage.replication.factor"] = replication(&WorkerConfig::status_storage);
    (*h)["offset.flush.interval.ms"] = millis(&WorkerConfig::offset_flush_interval);
    (*h)["offset.flush.timeout.ms"] = millis(&WorkerConfig::offset_flush_timeout);
    (*h)["task.shutdown.graceful.timeout.ms"] =
        millis(&WorkerConfig::task_shutdown_graceful_timeout);
    (*h)["plugin.path"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      c.plugin_path = ParseList(p.value);
      return absl::OkStatus();
    };
    (*h)["key.converter"] = [](const Property& p, WorkerConfig& c) {
      return ParseConverterClass(p, c.key_converter);
    };
    (*h)["value.converter"] = [](const Property& p, WorkerConfig& c) {
      return ParseConverterClass(p, c.value_converter);
    };
    (*h)["exactly.once.source.support"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      std::string v = absl::AsciiStrToLower(Trimmed(p));
      if (v == "disabled") {
        c.exactly_once_source_support = ExactlyOnceSourceSupport::kDisabled;
      } else if (v == "preparing") {
        c.exactly_once_source_support = ExactlyOnceSourceSupport::kPreparing;
      } else if (v == "enabled") {
        c.exactly_once_source_support = ExactlyOnceSourceSupport::kEnabled;
      } else {
        return BadValue(p, "expected one of disabled, preparing, enabled");
      }
      return absl::OkStatus();
    };
    auto flag = [](bool WorkerConfig::*field) {
      return [field](const Property& p, WorkerConfig& c) -> absl::Status {
        absl::StatusOr<bool> b = ParseBool(p);
        if (!b.ok()) return b.status();
        c.*field = *b;
        return absl::OkStatus();
      };
    };
    auto text = [](std::string WorkerConfig::*field, absl::string_view what) {
      return [field, what](const Property& p, WorkerConfig& c) -> absl::Status {
        std::string v = Trimmed(p);
        if (v.empty()) return BadValue(p, what);
        c.*field = std::move(v);
        return absl::OkStatus();
      };
    };
    (*h)["sluice.admin.listener"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      std::string v = Trimmed(p);
      const size_t colon = v.rfind(':');
      int port = 0;
      if (colon == std::string::npos || colon == 0 || !absl::SimpleAtoi(v.substr(colon + 1), &port) || port < 0 ||
          port > 65535) {
        return BadValue(p, "expected host:port, e.g. 127.0.0.1:8083");
      }
      c.admin_listener = std::move(v);
      return absl::OkStatus();
    };
    (*h)["sluice.admin.ssl.certificate.location"] =
        text(&WorkerConfig::admin_ssl_certificate, "expected the path of a PEM certificate chain");
    (*h)["sluice.admin.ssl.key.location"] = text(&WorkerConfig::admin_ssl_key, "expected the path of a PEM private key");
    (*h)["sluice.admin.ssl.client.ca.location"] =
        text(&WorkerConfig::admin_ssl_client_ca, "expected the path of a PEM CA bundle");
    (*h)["sluice.admin.token.file"] =
        text(&WorkerConfig::admin_token_file, "expected the path of a file holding the token");
    (*h)["sluice.admin.insecure.listener.allowed"] =
        flag(&WorkerConfig::admin_insecure_listener_allowed);
    // Kafka Connect's REST listener: one `http://host:port` or `https://host:port` (an empty host
    // listens on every address). A second listener is refused.
    (*h)["listeners"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      std::vector<std::string> listeners = ParseList(p.value);
      if (listeners.empty()) return absl::OkStatus();
      if (listeners.size() > 1) {
        return BadValue(p, "the REST API serves one listener for now; give one http://host:port");
      }
      absl::string_view v = listeners.front();
      c.rest_https = absl::StartsWithIgnoreCase(v, "https://");
      if (!c.rest_https && !absl::StartsWithIgnoreCase(v, "http://")) {
        return BadValue(p, "expected http://host:port or https://host:port, e.g. "
                           "http://127.0.0.1:8083");
      }
      v.remove_prefix(c.rest_https ? 8 : 7);
      const size_t colon = v.rfind(':');
      int port = 0;
      if (colon == absl::string_view::npos || !absl::SimpleAtoi(v.substr(colon + 1), &port) ||
          port < 0 || port > 65535) {
        return BadValue(p, "expected http://host:port or https://host:port, e.g. "
                           "http://127.0.0.1:8083");
      }
      c.rest_listener = std::string(v);
      return absl::OkStatus();
    };
    (*h)["rest.advertised.host.name"] =
        text(&WorkerConfig::rest_advertised_host_name, "expected a host name");
    (*h)["rest.advertised.port"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      absl::StatusOr<int64_t> v = ParseInteger(p, 1, 65535, "expected a port, 1 to 65535");
      if (!v.ok()) return v.status();
      c.rest_advertised_port = static_cast<int>(*v);
      return absl::OkStatus();
    };
    (*h)["rest.advertised.listener"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      std::string v = absl::AsciiStrToLower(Trimmed(p));
      if (v != "http" && v != "https") return BadValue(p, "expected http or https");
      c.rest_advertised_listener = std::move(v);
      return absl::OkStatus();
    };
    // The https listener's TLS files, in Kafka's PEM store form (a JKS or PKCS12 store would need
    // a Java keystore reader).
    auto pem_only = [](const Property& p, WorkerConfig&) -> absl::Status {
      if (absl::AsciiStrToUpper(Trimmed(p)) == "PEM") return absl::OkStatus();
      return BadValue(p, "Sluice reads PEM stores only: set PEM, and give the PEM file's path "
                         "(convert a JKS or PKCS12 store with keytool and openssl)");
    };
    (*h)["listeners.https.ssl.keystore.type"] = pem_only;
    (*h)["listeners.https.ssl.truststore.type"] = pem_only;
    (*h)["listeners.https.ssl.keystore.location"] = text(
        &WorkerConfig::rest_ssl_keystore,
        "expected the path of a PEM file holding the private key and its certificate chain");
    (*h)["listeners.https.ssl.key.password"] =
        text(&WorkerConfig::rest_ssl_key_password, "expected the private key's password");
    (*h)["listeners.https.ssl.truststore.location"] =
        text(&WorkerConfig::rest_ssl_truststore, "expected the path of a PEM CA bundle");
    (*h)["listeners.https.ssl.client.authentication"] = [](const Property& p,
                                                           WorkerConfig& c) -> absl::Status {
      std::string v = absl::AsciiStrToLower(Trimmed(p));
      if (v != "none" && v != "required") {
        return BadValue(p, "expected none or required (`requested` is not supported: a client "
                           "certificate is either checked or not asked for)");
      }
      c.rest_ssl_client_auth_required = v == "required";
      return absl::OkStatus();
    };
    (*h)["sluice.rest.insecure.listener.allowed"] =
        flag(&WorkerConfig::rest_insecure_listener_allowed);
    (*h)["sluice.startup.broker.timeout.ms"] = millis(&WorkerConfig::startup_broker_timeout);
    (*h)["sluice.secrets.dir"] = text(&WorkerConfig::secrets_dir, "expected a directory");
    (*h)["connector.client.config.override.policy"] = [](const Property& p,
                                                          WorkerConfig& c) -> absl::Status {
      std::optional<ClientOverridePolicy> policy = ParseClientOverridePolicy(p.value);
      if (!policy) return BadValue(p, "expected None, Principal or All");
      c.client_overrides.policy = *policy;
      return absl::OkStatus();
    };
    (*h)["sluice.client.host.settings.allowed"] = [](const Property& p,
                                                      WorkerConfig& c) -> absl::Status {
      for (const std::string& setting : ParseList(p.value)) {
        if (!RunsCodeOnTheHost(setting)) {
          return BadValue(p, absl::StrCat("`", setting,
                                          "` runs no code on the host; expected some of "
                                          "sasl.kerberos.kinit.cmd, plugin.library.paths, "
                                          "ssl.engine.location, ssl.providers"));
        }
        c.client_overrides.host_settings_allowed.insert(setting);
      }
      return absl::OkStatus();
    };
    (*h)["config.providers"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      c.config_providers = ParseList(p.value);
      return absl::OkStatus();
    };
    (*h)["topic.creation.enable"] = flag(&WorkerConfig::topic_creation_enable);
    (*h)["sluice.cluster.enable"] = flag(&WorkerConfig::cluster_enable);
    (*h)["log.format"] = [](const Property& p, WorkerConfig& c) -> absl::Status {
      const std::string v = absl::AsciiStrToLower(Trimmed(p));
      if (v == "text") {
        c.log_format = LogFormat::kText;
      } else if (v == "json") {
        c.log_format = LogFormat::kJson;
      } else {
        return BadValue(p, "expected text or json");
      }
      return absl::OkStatus();
    };
    (*h)["topic.creation.default.partitions"] = [](const Property& p,
                                                   WorkerConfig& c) -> absl::Status {
      absl::StatusOr<int64_t> v = ParseTopicCount(p, std::numeric_limits<int32_t>::max());
      if (!v.ok()) return v.status();
      c.topic_creation_default_partitions = static_cast<int32_t>(*v);
      return absl::OkStatus();
    };
    (*h)["topic.creation.default.replication.factor"] = [](const Property& p,
                                                           WorkerConfig& c) -> absl::Status {
      absl::StatusOr<int64_t> v = ParseTopicCount(p, std::numeric_limits<int16_t>::max());
      if (!v.ok()) return v.status();
      c.topic_creation_default_replication_factor = static_cast<int16_t>(*v);
      return absl::OkStatus();
    };
    return h;
  }();
  return *handlers;
}

// The Java producer settings Sluice enforces itself rather than passing to librdkafka.
absl::Status ParseProducerOverride(const Property& p, absl::string_view name, WorkerConfig& c) {
  if (name == "buffer.memory") {
    absl::StatusOr<int64_t> v = ParseInteger(p, 1, std::numeric_limits<int64_t>::max(),
                                             "expected a positive number of bytes");
    if (!v.ok()) return v.status();
    c.producer_buffer_memory = *v;
    return absl::OkStatus();
  }
  if (name == "max.block.ms") {
    absl::StatusOr<absl::Duration> v = ParseMillis(p);
    if (!v.ok()) return v.status();
    c.producer_max_block = *v;
    return absl::OkStatus();
  }
  if (name.empty()) return BadValue(p, "expected producer.<librdkafka property>");
  c.producer_overrides[std::string(name)] = Trimmed(p);
  return absl::OkStatus();
}

// `log4j.rootLogger=INFO, stdout` or `log4j.logger.<name>=DEBUG`: the level is the first item.
absl::Status ParseLogLevel(const Property& p, absl::string_view logger, WorkerConfig& c) {
  std::vector<std::string> items = ParseList(p.value);
  static constexpr absl::string_view kLevels[] = {"ALL",  "TRACE", "DEBUG", "INFO",
                                                  "WARN", "ERROR", "FATAL", "OFF"};
  const std::string level = items.empty() ? "" : absl::AsciiStrToUpper(items.front());
  if (logger.empty() || std::find(std::begin(kLevels), std::end(kLevels), level) ==
                            std::end(kLevels)) {
    return BadValue(p, "expected a log4j level (ALL, TRACE, DEBUG, INFO, WARN, ERROR, FATAL, "
                       "OFF), optionally followed by appender names");
  }
  c.log_levels.emplace_back(std::string(logger), level);
  return absl::OkStatus();
}

absl::Status RequirePresent(const Properties& props, absl::string_view key,
                            absl::string_view what) {
  if (props.Find(key) != nullptr) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("worker config: missing required key `", key, "` (", what, ")"));
}

}  // namespace

bool WorkerActsOn(absl::string_view key) {
  if (ExactKeyHandlers().contains(key)) return true;
  if (ConnectKeysNotUsed().contains(key)) return false;  // before the prefixes: admin.listeners
  if (key == "log4j.rootLogger") return true;
  for (absl::string_view prefix :
       {"key.converter.", "value.converter.", "producer.", "consumer.", "admin.",
        "config.providers.", "log4j.logger."}) {
    if (absl::StartsWith(key, prefix)) return true;
  }
  return false;
}

std::vector<std::string> WorkerKeysActedOn() {
  std::vector<std::string> keys;
  for (const auto& [key, handler] : ExactKeyHandlers()) keys.emplace_back(key);
  return keys;
}

absl::StatusOr<ParsedWorkerConfig> ParseWorkerConfig(const Properties& props) {
  ParsedWorkerConfig out;
  WorkerConfig& c = out.config;
  const auto& handlers = ExactKeyHandlers();
  for (const Property& p : props.entries()) {
    absl::Status status;
    absl::string_view key = p.key;
    absl::string_view rest;
    if (auto it = handlers.find(key); it != handlers.end()) {
      status = it->second(p, c);
    } else if (ConnectKeysNotUsed().contains(key)) {
      // Before the prefixes: `admin.listeners` is not an admin client setting.
      out.warnings.push_back(absl::StrCat(
          "worker config: ", Where(p), " is a Kafka Connect setting Sluice does not use; ignored"));
    } else if (rest = key; absl::ConsumePrefix(&rest, "key.converter.")) {
      status = ParseConverterProperty(p, rest, c.key_converter);
    } else if (rest = key; absl::ConsumePrefix(&rest, "value.converter.")) {
      status = ParseConverterProperty(p, rest, c.value_converter);
    } else if (rest = key; absl::ConsumePrefix(&rest, "producer.")) {
      status = ParseProducerOverride(p, rest, c);
    } else if (rest = key; absl::ConsumePrefix(&rest, "consumer.")) {
      c.consumer_overrides[std::string(rest)] = Trimmed(p);
    } else if (rest = key; absl::ConsumePrefix(&rest, "admin.")) {
      c.admin_overrides[std::string(rest)] = Trimmed(p);
    } else if (absl::StartsWith(key, "config.providers.")) {
      c.config_provider_properties[p.key] = p.value;
    } else if (key == "log4j.rootLogger") {
      status = ParseLogLevel(p, "root", c);
    } else if (rest = key; absl::ConsumePrefix(&rest, "log4j.logger.")) {
      status = ParseLogLevel(p, rest, c);
    } else if (absl::StartsWith(key, "log4j.")) {
      out.warnings.push_back(absl::StrCat(
          "worker config: ", Where(p),
          " ignored: Sluice writes its log to stderr; only log4j.rootLogger and "
          "log4j.logger.<name> levels are read (docs/logging.md)"));
    } else {
      out.warnings.push_back(absl::StrCat("worker config: unknown key ", Where(p), " ignored"));
    }
    if (!status.ok()) return status;
  }

  for (auto [key, what] : {std::pair<absl::string_view, absl::string_view>{
                               "bootstrap.servers", "the Kafka cluster, e.g. 127.0.0.1:9092"},
                           {"group.id", "the name of this worker cluster"},
                           {"offset.storage.topic", "e.g. connect-offsets"},
                           {"config.storage.topic", "e.g. connect-configs"},
                           {"status.storage.topic", "e.g. connect-status"},
                           {"key.converter", kJsonConverterClass},
                           {"value.converter", kJsonConverterClass}}) {
    if (absl::Status s = RequirePresent(props, key, what); !s.ok()) return s;
  }
  const std::string* names[] = {&c.offset_storage.name, &c.config_storage.name,
                                &c.status_storage.name};
  for (int i = 0; i < 3; ++i) {
    for (int j = i + 1; j < 3; ++j) {
      if (*names[i] == *names[j]) {
        return absl::InvalidArgumentError(
            absl::StrCat("worker config: offset.storage.topic, config.storage.topic and "
                         "status.storage.topic must differ; `",
                         *names[i], "` is used twice"));
      }
    }
  }
  for (const auto& [prefix, settings] :
       {std::pair<absl::string_view, const std::map<std::string, std::string>*>{
            "producer.", &c.producer_overrides},
        {"consumer.", &c.consumer_overrides},
        {"admin.", &c.admin_overrides}}) {
    if (absl::Status s = CheckWorkerClientSettings(prefix, *settings,
                                                   c.client_overrides.host_settings_allowed);
        !s.ok()) {
      return s;
    }
  }
  for (const std::string& provider : c.config_providers) {
    std::string class_key = absl::StrCat("config.providers.", provider, ".class");
    if (!c.config_provider_properties.contains(class_key)) {
      return absl::InvalidArgumentError(absl::StrCat("worker config: config provider `", provider,
                                                     "` is listed in `config.providers` but `",
                                                     class_key, "` is not set"));
    }
  }
  if (c.rest_advertised_listener.empty()) c.rest_advertised_listener = c.rest_https ? "https" : "http";
  if (c.rest_https && c.rest_ssl_keystore.empty()) {
    return absl::InvalidArgumentError(
        "worker config: an https:// `listeners` needs its certificate: set "
        "`listeners.https.ssl.keystore.location` to a PEM file holding the private key and its "
        "certificate chain (and `listeners.https.ssl.keystore.type=PEM`)");
  }
  if (c.rest_ssl_client_auth_required && c.rest_ssl_truststore.empty()) {
    return absl::InvalidArgumentError(
        "worker config: `listeners.https.ssl.client.authentication=required` needs the CAs client "
        "certificates must chain to: set `listeners.https.ssl.truststore.location` (PEM)");
  }
  if (c.admin_ssl_certificate.empty() != c.admin_ssl_key.empty()) {
    return absl::InvalidArgumentError(
        "worker config: `sluice.admin.ssl.certificate.location` and `sluice.admin.ssl.key.location` go together; "
        "set both for TLS, or neither");
  }
  if (!c.admin_ssl_client_ca.empty() && c.admin_ssl_certificate.empty()) {
    return absl::InvalidArgumentError(
        "worker config: `sluice.admin.ssl.client.ca.location` (mutual TLS) needs the server's own certificate: set "
        "`sluice.admin.ssl.certificate.location` and `sluice.admin.ssl.key.location`");
  }
  return out;
}

}  // namespace sluice::config
