#include "tests/integration/admin/admin_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "runtime/common/string_view_compat.h"
#include "grpcpp/create_channel.h"
#include "rapidjson/document.h"
#include "runtime/config/properties.h"
#include "runtime/config/worker_config.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/test_files.h"

namespace sluice::testing {

LogSink CapturedLog::Sink() {
  return [this](LogLevel level, std::string_view who, std::string_view message) {
    absl::MutexLock lock(&mu_);
    absl::StrAppend(&text_, static_cast<int>(level), " ", ToAbsl(who), ": ", ToAbsl(message), "\n");
  };
}

std::string CapturedLog::Text() const {
  absl::MutexLock lock(&mu_);
  return text_;
}

void AdminFixture::SetUp() {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  prefix_ = UniqueName(::testing::UnitTest::GetInstance()->current_test_info()->name());
  directory_ = absl::StrCat(::testing::TempDir(), "/", prefix_);
  std::filesystem::remove_all(directory_);
  std::filesystem::create_directories(directory_);
  plugin_dir_ = absl::StrCat(BinaryDir(), "/plugins");
  StartWorker();
}

void AdminFixture::TearDown() { StopWorker(); }

void AdminFixture::StartWorker(const std::map<std::string, std::string>& extra) {
  StopWorker();
  config::Properties properties;
  properties.Set("bootstrap.servers", KafkaBootstrap());
  properties.Set("group.id", prefix_);
  properties.Set("offset.storage.topic", prefix_ + ".offsets");
  properties.Set("config.storage.topic", prefix_ + ".configs");
  properties.Set("status.storage.topic", prefix_ + ".status");
  for (const char* topic : {"offset", "config", "status"}) {
    properties.Set(absl::StrCat(topic, ".storage.replication.factor"), "1");
  }
  properties.Set("offset.flush.interval.ms", "200");
  properties.Set("plugin.path", plugin_dir_);
  properties.Set("key.converter", "org.apache.kafka.connect.json.JsonConverter");
  properties.Set("value.converter", "org.apache.kafka.connect.json.JsonConverter");
  properties.Set("key.converter.schemas.enable", "false");
  properties.Set("value.converter.schemas.enable", "false");
  properties.Set("topic.creation.default.replication.factor", "1");
  properties.Set("sluice.admin.listener", "127.0.0.1:0");
  if (with_secrets_dir_) properties.Set("sluice.secrets.dir", directory_ + "/secrets");
  for (const auto& [k, v] : extra) properties.Set(k, v);
  absl::StatusOr<config::ParsedWorkerConfig> parsed = config::ParseWorkerConfig(properties);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<std::unique_ptr<admin::AdminServer>> server =
      admin::AdminServer::Start(parsed->config, log_.Sink());
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  herder::HerderOptions options;
  options.worker_id = "test-worker:0";
  absl::StatusOr<std::unique_ptr<herder::Herder>> herder =
      herder::Herder::Start(parsed->config, log_.Sink(), options);
  ASSERT_TRUE(herder.ok()) << herder.status();
  herder_ = *std::move(herder);
  server_->Serve(herder_.get());
  if (!server_->tls()) {
    stub_ = pb::Admin::NewStub(grpc::CreateChannel(Address(), grpc::InsecureChannelCredentials()));
  }
}

void AdminFixture::StopWorker() {
  stub_.reset();
  server_.reset();
  herder_.reset();
}

std::unique_ptr<grpc::ClientContext> AdminFixture::Ctx() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(90));
  return context;
}

std::map<std::string, std::string> AdminFixture::GeneratorConfig(const std::string& topic,
                                                                 double rate,
                                                                 int64_t max_records) const {
  return {
      {"connector.class", "generator"},          {"topic", topic},     {"tasks.max", "1"},
      {"rate.per.sec", absl::StrCat(rate)},      {"batch.size", "10"}, {"key.cardinality", "10"},
      {"max.records", absl::StrCat(max_records)}};
}

grpc::Status AdminFixture::Create(const std::string& name,
                                  const std::map<std::string, std::string>& config,
                                  pb::TargetState initial, pb::Connector* out) {
  pb::CreateConnectorRequest request;
  request.set_name(name);
  for (const auto& [k, v] : config) (*request.mutable_config())[k] = v;
  request.set_initial_state(initial);
  pb::Connector reply;
  grpc::Status status = stub_->CreateConnector(Ctx().get(), request, &reply);
  if (out != nullptr) *out = reply;
  return status;
}

pb::ConnectorStatus AdminFixture::Status(const std::string& name) {
  pb::ConnectorRef ref;
  ref.set_name(name);
  pb::ConnectorStatus reply;
  grpc::Status status = stub_->GetConnectorStatus(Ctx().get(), ref, &reply);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return reply;
}

bool AdminFixture::WaitForState(const std::string& name, const std::string& state,
                                absl::Duration timeout) {
  return Eventually(
      [&] {
        pb::ConnectorStatus s = Status(name);
        if (s.state_name() != state) return false;
        for (const pb::TaskStatus& t : s.tasks()) {
          if (t.state_name() != state) return false;
        }
        return true;
      },
      timeout);
}

std::vector<int64_t> AdminFixture::Seqs(const std::string& topic) const {
  std::vector<int64_t> seqs;
  absl::StatusOr<std::vector<ConsumedRecord>> consumed = ReadWholeTopic(KafkaBootstrap(), topic);
  if (!consumed.ok()) return seqs;
  for (const ConsumedRecord& record : *consumed) {
    rapidjson::Document value;
    value.Parse(record.value.value_or("null").c_str());
    if (value.IsObject() && value.HasMember("seq")) seqs.push_back(value["seq"].GetInt64());
  }
  return seqs;
}

// A worker.properties for `sluice worker` on `bootstrap` with topics named after `prefix`,
// serving the admin API on `address`.
std::string WorkerProperties(const std::string& prefix, const std::string& bootstrap,
                             const std::string& address) {
  return absl::StrCat(
      "bootstrap.servers=", bootstrap, "\ngroup.id=", prefix,
      "\noffset.storage.topic=", prefix, ".offsets\nconfig.storage.topic=", prefix,
      ".configs\nstatus.storage.topic=", prefix,
      ".status\noffset.storage.replication.factor=1\nconfig.storage.replication.factor=1\n"
      "status.storage.replication.factor=1\nkey.converter=org.apache.kafka.connect.json."
      "JsonConverter\n"
      "value.converter=org.apache.kafka.connect.json.JsonConverter\nplugin.path=",
      BinaryDir(),
      "/plugins\ntopic.creation.default.replication.factor=1\n"
      "sluice.admin.listener=",
      address, "\n");
}

}  // namespace sluice::testing
