// The worker's configuration, under Kafka Connect's property names and defaults (DistributedConfig
// / WorkerConfig), so an existing connect-distributed.properties works unchanged.
#ifndef SLUICE_RUNTIME_CONFIG_WORKER_CONFIG_H_
#define SLUICE_RUNTIME_CONFIG_WORKER_CONFIG_H_

#include <cstdint>
#include <map>
#include <utility>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "runtime/config/client_overrides.h"
#include "runtime/config/properties.h"

namespace sluice::config {

// `log.format`: how the worker writes its log lines (runtime/logging/log_line.h).
enum class LogFormat { kText, kJson };

// `exactly.once.source.support` (Kafka Connect's KIP-618): disabled and preparing run source
// tasks at-least-once (preparing is the step of a rolling upgrade that has every worker ready
// before any turns it on); enabled gives each task a transactional producer that commits the
// records and their source offsets in one Kafka transaction (runtime/worker/source_task.h).
enum class ExactlyOnceSourceSupport { kDisabled, kPreparing, kEnabled };

// One of the worker's compacted internal topics (offsets, configs, statuses).
struct InternalTopicSettings {
  std::string name;
  // -1 means "the broker's default" (Kafka Connect accepts -1 for both since 2.4).
  int32_t partitions = 1;
  int16_t replication_factor = 3;
};

// `key.converter` / `value.converter` and every `key.converter.*` / `value.converter.*` property.
struct ConverterSettings {
  std::string class_name;      // as Kafka Connect users write it, e.g.
                               // org.apache.kafka.connect.json.JsonConverter
  bool schemas_enable = true;  // JsonConverter's default
  // All `<prefix>.converter.<name>` properties with the prefix removed (schemas.enable included),
  // for converter options this struct does not model.
  std::map<std::string, std::string> properties;
};

// The converter class names the worker knows, in the order shown in error messages.
inline constexpr const char* kJsonConverterClass = "org.apache.kafka.connect.json.JsonConverter";

struct WorkerConfig {
  // Required: Kafka Connect defaults it to localhost:9092, but a worker that silently waits for
  // a broker nobody named is worse than one that refuses to start and says which key is missing.
  std::string bootstrap_servers;
  // `sluice.startup.broker.timeout.ms`: how long the worker waits at start for the cluster at
  // `bootstrap.servers` to answer before it gives up and exits (it says what it waits for from
  // the first second on).
  absl::Duration startup_broker_timeout = absl::Milliseconds(60000);
  std::string group_id;  // required

  // The cluster (docs/cluster.md): workers sharing `group.id` share the connectors, as Kafka
  // Connect's distributed workers do; `sluice.cluster.enable=false` makes a single worker, which
  // refuses to run beside other members of its group (cluster/single_worker_guard.h). The rest
  // are Kafka Connect's DistributedConfig names and defaults.
  bool cluster_enable = true;
  absl::Duration session_timeout = absl::Milliseconds(10000);
  absl::Duration heartbeat_interval = absl::Milliseconds(3000);
  absl::Duration rebalance_timeout = absl::Milliseconds(60000);
  absl::Duration scheduled_rebalance_max_delay = absl::Milliseconds(300000);

  InternalTopicSettings offset_storage{"", 25, 3};
  InternalTopicSettings config_storage{"", 1,
                                       3};  // always one partition: configs are totally ordered
  InternalTopicSettings status_storage{"", 5, 3};

  absl::Duration offset_flush_interval = absl::Milliseconds(60000);
  absl::Duration offset_flush_timeout = absl::Milliseconds(5000);
  absl::Duration task_shutdown_graceful_timeout = absl::Milliseconds(5000);

  std::vector<std::string> plugin_path;  // comma-separated directories

  ConverterSettings key_converter;    // required
  ConverterSettings value_converter;  // required

  // `producer.*`, `consumer.*`, `admin.*` with the prefix removed, in key order. Passed to
  // librdkafka as they are (it rejects names it does not know, naming them), except the
  // producer settings below, which are Java producer names librdkafka lacks and Sluice enforces.
  std::map<std::string, std::string> producer_overrides;
  std::map<std::string, std::string> consumer_overrides;
  std::map<std::string, std::string> admin_overrides;

  // Bound on record bytes handed to the producer and not yet acknowledged, per producer: the Java
  // producer's `buffer.memory`, written `producer.buffer.memory`. When it is reached the task
  // stops polling its connector until deliveries free room. Default 8 MiB, not Java's 32 MiB:
  // Java counts compressed batches, Sluice each record's uncompressed bytes plus 512, so 8 MiB is
  // ~7,000 records of 677 bytes in flight, several round trips' worth even over a 20 ms link;
  // 32 MiB only made a backlog drain hold ~25 MB more (docs/benchmarks.md).
  int64_t producer_buffer_memory = 8 * 1024 * 1024;
  // How long a send may wait for room before the task fails: Java's `max.block.ms` (60 s).
  absl::Duration producer_max_block = absl::Milliseconds(60000);

  ExactlyOnceSourceSupport exactly_once_source_support = ExactlyOnceSourceSupport::kDisabled;

  // `config.providers` names, and every `config.providers.<name>.*` property (prefix kept).
  std::vector<std::string> config_providers;
  std::map<std::string, std::string> config_provider_properties;

  // `topic.creation.enable`: create a connector's data topics on first use.
  bool topic_creation_enable = true;
  // Defaults for data topics created on first use. Kafka Connect takes these from the connector
  // (`topic.creation.default.*`); the worker-level keys are a Sluice fallback. -1 = broker default.
  int32_t topic_creation_default_partitions = -1;
  int16_t topic_creation_default_replication_factor = -1;

  // The gRPC admin API (Sluice's own keys).
  // `sluice.admin.listener`: host:port; loopback by default so nothing is exposed unasked.
  std::string admin_listener = "127.0.0.1:8083";
  // `sluice.admin.ssl.certificate.location` / `.key.location`: PEM files; both set = TLS.
  std::string admin_ssl_certificate;
  std::string admin_ssl_key;
  // `sluice.admin.ssl.client.ca.location`: PEM CA bundle; set = mutual TLS, every client must
  // present a certificate this CA signed.
  std::string admin_ssl_client_ca;
  // `sluice.admin.token.file`: a file (mode 0600 or stricter) holding a bearer token; set = every
  // Admin RPC must carry `authorization: Bearer <token>`, on loopback too.
  std::string admin_token_file;
  // `sluice.admin.insecure.listener.allowed`: serve plaintext on an address other hosts can reach.
  // Refused at start unless this is true, and then a WARN naming this key on every start.
  bool admin_insecure_listener_allowed = false;
  // Kafka Connect's REST API (runtime/rest, docs/rest-api.md).
  // `listeners`: host:port of its one `http://host:port` or `https://host:port` (empty host =
  // every address); empty = no REST listener.
  std::string rest_listener;
  bool rest_https = false;  // the listener is https://
  // `listeners.https.ssl.*` (Kafka Connect's keys; PEM stores only, `ssl.keystore.type=PEM`):
  // the keystore holds the server's private key and certificate chain; the truststore the CAs a
  // client certificate must chain to, asked for when `ssl.client.authentication=required`.
  std::string rest_ssl_keystore;
  std::string rest_ssl_key_password;
  std::string rest_ssl_truststore;
  bool rest_ssl_client_auth_required = false;
  // `rest.advertised.host.name` / `.port` / `.listener`: how other workers and clients should
  // reach this one (logged at start; request forwarding in a cluster is a later slice). Empty / 0
  // = the listener's own host and port; the listener defaults to the listener's scheme.
  std::string rest_advertised_host_name;
  int rest_advertised_port = 0;
  std::string rest_advertised_listener;
  // `sluice.rest.insecure.listener.allowed`: serve the REST API (plaintext, no authentication) on
  // an address other hosts can reach. Refused at start unless true; then a WARN on every start
  // (the admin listener's rule, runtime/admin/listener_exposure.h).
  bool rest_insecure_listener_allowed = false;
  // `connector.client.config.override.policy` (default None, not Kafka Connect's All) and
  // `sluice.client.host.settings.allowed`: what connector configs may override of the clients,
  // and which settings that run code on the host the worker's own client settings may use.
  ClientOverrideRules client_overrides;
  // `sluice.secrets.dir`: where the worker keeps literal secrets it was given, so the config
  // topic stores a ${file:...} reference instead of the secret. Empty: literal secrets are refused.
  std::string secrets_dir;
  // The log (runtime/logging, docs/logging.md). `log.format`: text (default) or json.
  LogFormat log_format = LogFormat::kText;
  // Logger levels in the order given, as log4j 1 properties spell them (Kafka Connect's
  // connect-log4j.properties, Strimzi's `logging`): `log4j.rootLogger=LEVEL[, appender...]` gives
  // {"root", LEVEL}, `log4j.logger.<name>=LEVEL` gives {<name>, LEVEL}. Levels are checked
  // (ALL, TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF); appenders are ignored.
  std::vector<std::pair<std::string, std::string>> log_levels;
};

struct ParsedWorkerConfig {
  WorkerConfig config;
  // One line per ignored key ("unknown key `foo` (line 3) ignored"), for the log at start-up.
  std::vector<std::string> warnings;
};

// Validates and types `props`. A missing required key or a bad value is InvalidArgument naming
// the key, its line when known, the value, and what is allowed. Unknown keys are warnings, not
// errors, as in Kafka Connect.
absl::StatusOr<ParsedWorkerConfig> ParseWorkerConfig(const Properties& props);

// True when ParseWorkerConfig acts on `key` (its values checked); false when it only warns
// (a Kafka Connect setting not used here, or a key nobody knows). docs/configuration.md's worker
// table says the same; a unit test keeps them in step.
bool WorkerActsOn(absl::string_view key);
// The exact keys ParseWorkerConfig acts on (the prefixes it passes on are not among them).
std::vector<std::string> WorkerKeysActedOn();

}  // namespace sluice::config

#endif  // SLUICE_RUNTIME_CONFIG_WORKER_CONFIG_H_
