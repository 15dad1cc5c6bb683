#include "runtime/cli/worker_command.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "runtime/plugin/host_context.h"
#include "runtime/admin/admin_server.h"
#include "runtime/admin/admin_token.h"
#include "runtime/cluster/single_worker_guard.h"
#include "runtime/common/string_view_compat.h"
#include "runtime/herder/config_preparer.h"
#include "runtime/kafka/client_log.h"
#include "runtime/logging/process_log.h"
#include "runtime/config/properties.h"
#include "runtime/config/worker_config.h"
#include "runtime/herder/herder.h"
#include "runtime/rest/rest_server.h"
#include "runtime/worker/connector_config.h"
#include "runtime/worker/worker.h"

namespace sluice::cli {
namespace {

constexpr char kUsage[] =
    "usage: sluice worker --config worker.properties [connector.properties ...]\n"
    "  worker.properties     Kafka Connect worker properties (bootstrap.servers, group.id,\n"
    "                        offset.storage.topic, config.storage.topic, status.storage.topic,\n"
    "                        plugin.path, key.converter, ...) and the admin API's\n"
    "                        sluice.admin.* keys\n"
    "  connector.properties  standalone mode: run these connectors (name, connector.class,\n"
    "                        tasks.max and their keys); no admin API, nothing in the config topic;\n"
    "                        refuses to run beside another worker of its group.id\n"
    "Without connector files the worker serves the admin API (sluice.admin.listener, default\n"
    "127.0.0.1:8083) and, when `listeners` is set, Kafka Connect's REST API; keeps connectors in the config and status topics and restores them at "
    "start. Workers sharing a group.id form a cluster and share the connectors\n"
    "(sluice.cluster.enable=false: a single worker, which refuses to run beside others).\n";

int Fail(const std::string& message) {
  std::fprintf(stderr, "sluice worker: %s\n", message.c_str());
  return 1;
}

}  // namespace

int RunWorkerCommand(int argc, char** argv) {
  std::string config_path;
  std::vector<std::string> connector_paths;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      config_path = arg.substr(9);
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "sluice worker: unknown option %s\n%s", arg.c_str(), kUsage);
      return 2;
    } else {
      connector_paths.push_back(arg);
    }
  }
  if (config_path.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }

  absl::StatusOr<config::Properties> properties = config::LoadPropertiesFile(config_path);
  if (!properties.ok()) return Fail(std::string(properties.status().message()));
  absl::StatusOr<config::ParsedWorkerConfig> parsed = config::ParseWorkerConfig(*properties);
  if (!parsed.ok()) return Fail(absl::StrCat(config_path, ": ", parsed.status().message()));
  // The process's one log (runtime/logging): levels per logger, text or JSON, secrets scrubbed.
  // It lives as long as the process: librdkafka's threads may log until the very end.
  auto* process_log = new logging::ProcessLog(parsed->config);
  auto scrubber = std::make_shared<herder::SecretScrubber>();
  for (const config::Property& p : properties->entries()) {
    if (herder::LooksSecret(p.key)) scrubber->Add(p.value);
  }
  if (!parsed->config.admin_token_file.empty()) {
    if (absl::StatusOr<std::string> token = admin::ReadAdminToken(parsed->config.admin_token_file);
        token.ok()) {
      scrubber->Add(*token);
    }
  }
  process_log->SetRedactor(
      [scrubber](std::string_view text) { return scrubber->Scrub(ToAbsl(text)); });
  LogSink log = process_log->Sink();
  kafka::SetClientLogSink(log);
  for (const std::string& warning : parsed->warnings) {
    log(LogLevel::kWarn, "worker", absl::StrCat(config_path, ": ", warning));
  }
  std::vector<worker::ConnectorConfig> connectors;
  for (const std::string& path : connector_paths) {
    absl::StatusOr<worker::ConnectorConfig> connector = worker::LoadConnectorConfigFile(path);
    if (!connector.ok()) return Fail(absl::StrCat(path, ": ", connector.status().message()));
    connectors.push_back(*std::move(connector));
  }

  // Every thread the worker starts inherits this mask, so the signals reach only sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const absl::Duration shutdown_bound = parsed->config.task_shutdown_graceful_timeout +
                                        parsed->config.offset_flush_timeout + absl::Seconds(10);
  // Declared in this order so that on every return the server goes before the herder it serves.
  std::unique_ptr<cluster::GroupMembership> single_worker;  // left after the connectors stopped
  std::unique_ptr<worker::Worker> standalone;
  std::unique_ptr<herder::Herder> herder;
  std::unique_ptr<admin::AdminServer> server;
  std::unique_ptr<rest::RestServer> rest_server;
  if (!connectors.empty()) {
    absl::StatusOr<std::unique_ptr<worker::Worker>> worker =
        worker::Worker::Create(parsed->config, log);
    if (!worker.ok()) return Fail(std::string(worker.status().message()));
    standalone = *std::move(worker);
    // Kafka Connect's standalone mode, but never unnoticed beside another worker of its group.
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    absl::StatusOr<std::unique_ptr<cluster::GroupMembership>> joined = cluster::JoinAsSingleWorker(
        herder::GroupMembershipOptions(parsed->config, absl::StrCat(host, ":", getpid()),
                                       parsed->config.offset_storage.name),
        parsed->config.rebalance_timeout, log);
    if (!joined.ok()) return Fail(std::string(joined.status().message()));
    single_worker = *std::move(joined);
    for (const worker::ConnectorConfig& connector : connectors) {
      if (absl::Status status = standalone->StartConnector(connector); !status.ok()) {
        standalone->StopAll();
        return Fail(std::string(status.message()));
      }
    }
  } else {
    // The admin settings are checked and the port taken before Kafka is reached: a bad file or a
    // port in use is reported at once, and a second worker on the same port stops here, before
    // it starts any connector.
    absl::StatusOr<std::unique_ptr<admin::AdminServer>> serving =
        admin::AdminServer::Start(parsed->config, log);
    if (!serving.ok()) return Fail(std::string(serving.status().message()));
    server = *std::move(serving);
    log(LogLevel::kInfo, "worker",
        absl::StrCat("admin API on ", parsed->config.admin_listener,
                     server->tls() ? " (TLS" : " (plaintext",
                     server->token_required() ? ", token required)" : ")", ", port ",
                     server->port(), "; it answers once the worker has started"));
    // Kafka Connect's REST API, when `listeners` is set: checked and bound before Kafka too.
    absl::StatusOr<std::unique_ptr<rest::RestServer>> rest = rest::RestServer::Start(parsed->config, log);
    if (!rest.ok()) return Fail(std::string(rest.status().message()));
    rest_server = *std::move(rest);
    herder::HerderOptions options;
    // The worker's id (statuses' worker_id, its name in a cluster): Kafka Connect's, the REST
    // API's advertised host:port (rest.advertised.*), or without a REST API the admin listener's
    // as other workers reach it: the port bound (so workers on port 0 differ) and, for a
    // wildcard host, this host's name.
    options.worker_id = rest_server != nullptr ? rest_server->advertised_address()
                                               : server->advertised_address();
    options.admin_address = server->advertised_address();
    options.send_task_configs = server->task_configs_sender();
    options.log_levels = process_log->levels();
    options.scrubber = scrubber;
    absl::StatusOr<std::unique_ptr<herder::Herder>> started =
        herder::Herder::Start(parsed->config, log, options);
    if (!started.ok()) return Fail(std::string(started.status().message()));
    herder = *std::move(started);
    server->Serve(herder.get());
    if (rest_server != nullptr) rest_server->Serve(herder.get());
  }
  log(LogLevel::kInfo, "worker", "running; SIGTERM or SIGINT stops it");

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log(LogLevel::kInfo, "worker",
      absl::StrCat("received ", signal_number == SIGTERM ? "SIGTERM" : "SIGINT",
                   ": stopping tasks, flushing, committing offsets"));
  // A stop that hangs (a broker gone mid-flush) must not keep the process alive for ever.
  std::atomic<bool> stopped{false};
  std::thread watchdog([&stopped, shutdown_bound] {
    const absl::Time deadline = absl::Now() + shutdown_bound;
    while (!stopped.load() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(50));
    if (!stopped.load()) {
      std::fprintf(stderr, "sluice worker: shutdown took longer than %s; exiting anyway\n",
                   absl::FormatDuration(shutdown_bound).c_str());
      _exit(3);
    }
  });
  server.reset();  // no new requests while the connectors stop
  rest_server.reset();
  // Where a clean stop's time goes (docs/cluster.md, "Timings"): the listeners, then the
  // herder's tasks and connectors, its farewell, and the group left.
  log(LogLevel::kDebug, "worker", "admin and REST listeners closed; stopping the herder");
  herder.reset();
  if (standalone != nullptr) standalone->StopAll();
  standalone.reset();
  single_worker.reset();
  stopped.store(true);
  watchdog.join();
  log(LogLevel::kInfo, "worker", "stopped");
  return 0;
}

}  // namespace sluice::cli
