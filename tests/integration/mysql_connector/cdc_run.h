#ifndef SLUICE_TESTS_INTEGRATION_MYSQL_CONNECTOR_CDC_RUN_H_
#define SLUICE_TESTS_INTEGRATION_MYSQL_CONNECTOR_CDC_RUN_H_

// One scenario: its own database on a test server (MariaDB or MySQL), its own topics, a worker
// config and a connector config, the worker as a child process, and reading the change events back.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connectors/mysql/server/connection.h"
#include "rapidjson/document.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/subprocess.h"

namespace sluice::testing {

struct ChangeEvent {
  std::optional<std::string> key;    // raw JSON
  std::optional<std::string> value;  // raw JSON; nullopt = tombstone
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<rapidjson::Document> json;  // parsed value (null for tombstones)
  std::string op() const;
  const rapidjson::Value& payload() const;  // the envelope (unwrapped when schemas are on)
};

// "r1", "c2", "u1", "d2", ...: each change event's op and its row's `id` (the after image, the
// before image for a delete); tombstones left out.
std::vector<std::string> OpsAndIds(const std::vector<ChangeEvent>& events);

// The database server a scenario runs against.
enum class TestServer {
  kMariaDb,         // the shared MariaDB 10.11 (fixture `mariadb`, TLS)
  kMariaDbScratch,  // MariaDB 10.11 that may be restarted (fixture `mariadb_scratch`, plaintext)
  kMySql,           // MySQL 9.7 (fixture `mysql`, TLS, caching_sha2_password)
  kMySqlScratch,    // MySQL 9.7 that may be restarted (fixture `mysql_scratch`, TLS)
};

// The server's accounts (tests/support/service_endpoints.h): the admin one, and the CDC one with
// only the grants a connector needs.
MariaDbAccount AdminAccount(TestServer server);
MariaDbAccount CdcAccount(TestServer server);

class CdcRun {
 public:
  // `bootstrap`: the broker the worker writes to and the run reads from; empty for the shared
  // test broker (KafkaBootstrap()), KafkaScratchBootstrap() for a test that kills the broker.
  explicit CdcRun(const std::string& name, bool schemas = false,
                  TestServer server = TestServer::kMariaDb, std::string bootstrap = "");
  ~CdcRun();

  const std::string& name() const { return name_; }
  TestServer server() const { return server_; }
  const std::string& db() const { return db_; }
  const std::string& prefix() const { return prefix_; }
  const std::string& bootstrap() const { return bootstrap_; }
  const std::string& log_path() const { return log_path_; }
  // The scenario's folder (configs, the worker's log) in the build tree.
  const std::string& directory() const { return directory_; }
  // The admin account's connection options for this server (a second writer's connection).
  mysql::ConnectionOptions AdminOptions() const;
  std::string Topic(const std::string& table) const { return prefix_ + "." + db_ + "." + table; }

  // Runs SQL as the admin account, in this scenario's database. Fails the test on error.
  void Sql(const std::string& statement);
  mysql::Connection& admin() { return *admin_; }
  // Opens the admin connection again (after the server restarted).
  void ReconnectAdmin();

  // Adds worker settings (key=value lines) to the common ones; before StartWorker.
  void AddWorkerSettings(const std::map<std::string, std::string>& settings);
  // Writes the connector config: the common keys plus `extra` (key=value lines).
  void WriteConnectorConfig(const std::map<std::string, std::string>& extra = {});
  std::unique_ptr<Subprocess> StartWorker();
  // SIGTERM and a clean exit expected.
  void StopWorker(std::unique_ptr<Subprocess>& worker);

  // Waits until `topic` holds at least `count` records (or 60 s), then returns them all.
  std::vector<ChangeEvent> WaitForEvents(const std::string& topic, size_t count,
                                         Subprocess* worker);
  std::string WorkerLog() const;
  // Waits until the worker's log holds `needle` (a task failure's message, say), or 60 s.
  bool WaitForLog(const std::string& needle) const;
  // Kills the worker (SIGKILL) as soon as the committed offset lies inside a transaction (it has
  // `event`), or after 60 s; returns that offset. For kill -9 scenarios: the records before it
  // are in Kafka.
  std::optional<std::string> KillInsideATransaction(std::unique_ptr<Subprocess>& worker);
  // Reads `topic` whole until its keys hold `expected` distinct `id`s (or `timeout` passes):
  // replays count once. Returns the ids seen and the number of records read.
  struct KeysRead {
    std::set<int> ids;
    size_t records = 0;
  };
  KeysRead WaitForDistinctIds(const std::string& topic, size_t expected, absl::Duration timeout);
  // The committed offset value (JSON) under Kafka Connect's key for this connector.
  std::optional<std::string> CommittedOffset() const;
  // Writes `value` (JSON) as the committed offset, to the partition Kafka Connect would pick for
  // the key, as a hand-over from Debezium does. Only while the worker is stopped.
  void CommitOffset(const std::string& value);

 private:
  absl::Status OpenAdmin();

  std::string name_, db_, prefix_, directory_, worker_config_, connector_config_, log_path_;
  std::string bootstrap_;
  TestServer server_ = TestServer::kMariaDb;
  std::optional<mysql::Connection> admin_;
};

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_INTEGRATION_MYSQL_CONNECTOR_CDC_RUN_H_
