#include "tests/integration/mysql_connector/cdc_run.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>

#include <librdkafka/rdkafka.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/test_files.h"

namespace sluice::testing {

std::string ChangeEvent::op() const {
  if (json == nullptr) return "";
  const rapidjson::Value& envelope = payload();
  return envelope.HasMember("op") ? envelope["op"].GetString() : "";
}

const rapidjson::Value& ChangeEvent::payload() const {
  if (json->IsObject() && json->HasMember("payload") && json->HasMember("schema")) {
    return (*json)["payload"];
  }
  return *json;
}

std::vector<std::string> OpsAndIds(const std::vector<ChangeEvent>& events) {
  std::vector<std::string> out;
  for (const ChangeEvent& e : events) {
    if (e.json == nullptr) continue;
    const rapidjson::Value& p = e.payload();
    const rapidjson::Value& row = p["after"].IsNull() ? p["before"] : p["after"];
    out.push_back(absl::StrCat(e.op(), row["id"].GetInt()));
  }
  return out;
}

MariaDbAccount AdminAccount(TestServer server) {
  switch (server) {
    case TestServer::kMariaDbScratch:
      return MariaDbScratchAdmin();
    case TestServer::kMySql:
      return MySqlAdmin();
    case TestServer::kMySqlScratch:
      return MySqlScratchAdmin();
    case TestServer::kMariaDb:
      break;
  }
  return MariaDbAdmin();
}

MariaDbAccount CdcAccount(TestServer server) {
  switch (server) {
    case TestServer::kMariaDbScratch:
      return MariaDbScratchCdc();
    case TestServer::kMySql:
      return MySqlCdc();
    case TestServer::kMySqlScratch:
      return MySqlScratchCdc();
    case TestServer::kMariaDb:
      break;
  }
  return MariaDbCdc();
}

CdcRun::CdcRun(const std::string& name, bool schemas, TestServer server, std::string bootstrap)
    : bootstrap_(bootstrap.empty() ? KafkaBootstrap() : std::move(bootstrap)), server_(server) {
  name_ = UniqueName(name);
  for (char& c : name_) {
    if (c == '-' || c == '.') c = '_';
  }
  db_ = name_;
  prefix_ = "cdc_" + name_;
  directory_ = absl::StrCat(BinaryDir(), "/tests/integration/mysql_connector/", name_);
  mkdir(directory_.c_str(), 0755);
  worker_config_ = directory_ + "/worker.properties";
  connector_config_ = directory_ + "/connector.properties";
  log_path_ = directory_ + "/worker.log";
  const std::string schemas_enable = schemas ? "true" : "false";
  WriteFile(
      worker_config_,
      absl::StrCat("bootstrap.servers=", bootstrap_, "\n", "group.id=", name_, "\n",
                   "offset.storage.topic=", name_, ".offsets\n", "config.storage.topic=", name_,
                   ".configs\n", "status.storage.topic=", name_, ".status\n",
                   "offset.storage.replication.factor=1\n"
                   "config.storage.replication.factor=1\n"
                   "status.storage.replication.factor=1\n"
                   "offset.flush.interval.ms=300\n"
                   // A worker restarted after kill -9 waits for its previous process to leave the
                   // group (cluster/single_worker_guard.h): the broker's shortest session.
                   "session.timeout.ms=6000\n"
                   "heartbeat.interval.ms=1000\n"
                   "plugin.path=",
                   BinaryDir(),
                   "/plugins\n"
                   "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
                   "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
                   "key.converter.schemas.enable=",
                   schemas_enable, "\n", "value.converter.schemas.enable=", schemas_enable, "\n",
                   "topic.creation.default.partitions=1\n"
                   "topic.creation.default.replication.factor=1\n"
                   "producer.linger.ms=5\n"));
  absl::Status status = OpenAdmin();
  EXPECT_TRUE(status.ok()) << status;
  if (status.ok()) {
    status = admin_->Execute(absl::StrCat("CREATE DATABASE ", db_));
    EXPECT_TRUE(status.ok()) << status;
  }
}

mysql::ConnectionOptions CdcRun::AdminOptions() const {
  MariaDbAccount admin = AdminAccount(server_);
  mysql::ConnectionOptions options;
  options.host = admin.host;
  options.port = admin.port;
  options.user = admin.user;
  options.password = admin.password;
  options.ssl_mode = server_ == TestServer::kMariaDbScratch ? mysql::SslMode::kDisabled
                                                           : mysql::SslMode::kRequired;
  return options;
}

absl::Status CdcRun::OpenAdmin() {
  admin_.reset();
  absl::StatusOr<mysql::Connection> connection = mysql::Connection::Open(AdminOptions());
  if (!connection.ok()) return connection.status();
  admin_.emplace(std::move(*connection));
  if (server_ == TestServer::kMySql || server_ == TestServer::kMySqlScratch) {
    // SequenceTable's recursive CTE on MySQL counts one recursion per row (1,000 by default).
    return admin_->Execute("SET SESSION cte_max_recursion_depth = 100000000");
  }
  return absl::OkStatus();
}

void CdcRun::ReconnectAdmin() {
  absl::Status status = OpenAdmin();
  ASSERT_TRUE(status.ok()) << status;
}

CdcRun::~CdcRun() {
  if (admin_.has_value()) (void)admin_->Execute(absl::StrCat("DROP DATABASE IF EXISTS ", db_));
}

void CdcRun::Sql(const std::string& statement) {
  ASSERT_TRUE(admin_.has_value());
  absl::Status status = admin_->Execute(absl::StrCat("USE ", db_));
  ASSERT_TRUE(status.ok()) << status;
  status = admin_->Execute(statement);
  ASSERT_TRUE(status.ok()) << statement << ": " << status;
}

void CdcRun::AddWorkerSettings(const std::map<std::string, std::string>& settings) {
  std::ofstream out(worker_config_, std::ios::app);
  for (const auto& [key, value] : settings) out << key << "=" << value << "\n";
}

void CdcRun::WriteConnectorConfig(const std::map<std::string, std::string>& extra) {
  MariaDbAccount cdc = CdcAccount(server_);
  std::map<std::string, std::string> config = {
      {"name", name_},
      {"connector.class", "mysql"},
      {"tasks.max", "1"},
      {"database.hostname", cdc.host},
      {"database.port", absl::StrCat(cdc.port)},
      {"database.user", cdc.user},
      {"database.password", cdc.password},
      {"database.server.id", absl::StrCat(5000 + getpid() % 10000 + rand() % 1000)},
      {"topic.prefix", prefix_},
      {"database.include.list", db_},
      {"database.ssl.mode", server_ == TestServer::kMariaDbScratch ? "disabled" : "required"},
  };
  for (const auto& [key, value] : extra) config[key] = value;
  std::string text;
  for (const auto& [key, value] : config) absl::StrAppend(&text, key, "=", value, "\n");
  WriteFile(connector_config_, text);
}

std::unique_ptr<Subprocess> CdcRun::StartWorker() {
  return std::make_unique<Subprocess>(
      std::vector<std::string>{BinaryDir() + "/runtime/cli/sluice", "worker", "--config",
                               worker_config_, connector_config_},
      log_path_);
}

void CdcRun::StopWorker(std::unique_ptr<Subprocess>& worker) {
  worker->Signal(SIGTERM);
  EXPECT_EQ(worker->Wait(absl::Seconds(30)), 0) << WorkerLog();
  worker.reset();
}

std::string CdcRun::WorkerLog() const { return ReadFileForMessage(log_path_); }

bool CdcRun::WaitForLog(const std::string& needle) const {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    if (WorkerLog().find(needle) != std::string::npos) return true;
    absl::SleepFor(absl::Milliseconds(200));
  }
  return false;
}

std::optional<std::string> CdcRun::KillInsideATransaction(std::unique_ptr<Subprocess>& worker) {
  // Only the offsets topic is read while waiting: reading the data topic too made each check slow
  // enough that a fast worker drained a whole transaction between two.
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (absl::Now() < deadline) {
    std::optional<std::string> committed = CommittedOffset();
    if (committed.has_value() && committed->find("\"event\":") != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  worker->Signal(SIGKILL);
  EXPECT_EQ(worker->Wait(absl::Seconds(10)), 128 + SIGKILL);
  return CommittedOffset();
}

CdcRun::KeysRead CdcRun::WaitForDistinctIds(const std::string& topic, size_t expected,
                                            absl::Duration timeout) {
  KeysRead seen;
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline && seen.ids.size() < expected) {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(bootstrap_, topic, absl::Seconds(20));
    if (read.ok()) {
      seen.ids.clear();
      seen.records = read->size();
      for (const ConsumedRecord& record : *read) {
        if (!record.key.has_value()) continue;
        rapidjson::Document key;
        key.Parse(record.key->c_str());
        if (key.IsObject() && key.HasMember("id") && key["id"].IsInt()) {
          seen.ids.insert(key["id"].GetInt());
        }
      }
    }
    if (seen.ids.size() < expected) absl::SleepFor(absl::Milliseconds(500));
  }
  return seen;
}

std::vector<ChangeEvent> CdcRun::WaitForEvents(const std::string& topic, size_t count,
                                               Subprocess* worker) {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  std::vector<ConsumedRecord> records;
  while (absl::Now() < deadline) {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(bootstrap_, topic, absl::Seconds(10));
    if (read.ok()) {
      records = std::move(*read);
      if (records.size() >= count) break;
    }
    if (worker != nullptr && !worker->running()) break;
    absl::SleepFor(absl::Milliseconds(300));
  }
  std::vector<ChangeEvent> events;
  for (ConsumedRecord& record : records) {
    ChangeEvent event;
    event.key = record.key;
    event.value = record.value;
    event.headers = record.headers;
    if (record.value.has_value()) {
      event.json = std::make_shared<rapidjson::Document>();
      event.json->Parse(record.value->c_str());
    }
    events.push_back(std::move(event));
  }
  EXPECT_GE(events.size(), count) << "topic " << topic << "; worker log:\n" << WorkerLog();
  return events;
}

std::optional<std::string> CdcRun::CommittedOffset() const {
  absl::StatusOr<std::vector<ConsumedRecord>> read =
      ReadWholeTopic(bootstrap_, name_ + ".offsets", absl::Seconds(10));
  if (!read.ok()) return std::nullopt;
  const std::string key = absl::StrCat("[\"", name_, "\",{\"server\":\"", prefix_, "\"}]");
  std::optional<std::string> value;
  for (const ConsumedRecord& record : *read) {
    if (record.key == key) value = record.value;
  }
  return value;
}

void CdcRun::CommitOffset(const std::string& value) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // murmur2_random: a keyed record lands where Kafka Connect's Java producer puts it.
  for (const auto& [key, setting] : std::map<std::string, std::string>{
           {"bootstrap.servers", bootstrap_}, {"partitioner", "murmur2_random"}}) {
    ASSERT_EQ(rd_kafka_conf_set(conf, key.c_str(), setting.c_str(), error, sizeof error),
              RD_KAFKA_CONF_OK)
        << error;
  }
  std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> producer(
      rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error), rd_kafka_destroy);
  ASSERT_NE(producer, nullptr) << error;
  const std::string topic = name_ + ".offsets";
  const std::string key = absl::StrCat("[\"", name_, "\",{\"server\":\"", prefix_, "\"}]");
  ASSERT_EQ(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                              RD_KAFKA_V_KEY(key.data(), key.size()),
                              RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_flush(producer.get(), 30000), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(CommittedOffset(), value);
}

}  // namespace sluice::testing
