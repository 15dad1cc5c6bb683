// A MySQL connector whose committed offsets vanished (the offsets topic deleted or emptied) while
// its config and its history stayed says so and fails, instead of snapshotting again in silence
// and skipping every change made since (issue 19); offsets.missing.policy=start_over starts over
// on purpose, and so does an offsets reset through the admin API, which forgets the connector's
// topics too. On the real MariaDB and broker, with the worker as `sluice worker` runs it.
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/connection.h"
#include "gmock/gmock.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/integration/admin/mysql_test_config.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

// Writes a null value for `key` to `topic`, in the partition Kafka Connect's Java producer picks.
void WriteTombstone(const std::string& topic, const std::string& key) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [name, value] : std::map<std::string, std::string>{
           {"bootstrap.servers", KafkaBootstrap()}, {"partitioner", "murmur2_random"}}) {
    ASSERT_EQ(rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof error),
              RD_KAFKA_CONF_OK)
        << error;
  }
  std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> producer(
      rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error), rd_kafka_destroy);
  ASSERT_NE(producer, nullptr) << error;
  ASSERT_EQ(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
                              RD_KAFKA_V_KEY(key.data(), key.size()),
                              RD_KAFKA_V_VALUE(nullptr, 0), RD_KAFKA_V_END),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_flush(producer.get(), 30000), RD_KAFKA_RESP_ERR_NO_ERROR);
}

class MySqlOffsetsLost : public AdminFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok());
    AdminFixture::SetUp();
    db_ = UniqueName("offlost");
    absl::StatusOr<mysql::Connection> connection = OpenOverTls(MariaDbAdmin());
    ASSERT_TRUE(connection.ok()) << connection.status();
    admin_.emplace(std::move(*connection));
    ASSERT_TRUE(admin_->Execute(absl::StrCat("CREATE DATABASE ", db_)).ok());
    ASSERT_TRUE(admin_->Execute(absl::StrCat("CREATE TABLE ", db_, ".t (id INT PRIMARY KEY)")).ok());
    ASSERT_TRUE(admin_->Execute(absl::StrCat("INSERT INTO ", db_, ".t VALUES (1), (2), (3)")).ok());
  }

  void TearDown() override {
    AdminFixture::TearDown();
    if (admin_.has_value()) (void)admin_->Execute(absl::StrCat("DROP DATABASE IF EXISTS ", db_));
  }

  std::map<std::string, std::string> ConnectorConfig() const {
    std::map<std::string, std::string> config = MySqlConnectorConfig(MariaDbCdc(), db_, 40000);
    config["include.schema.changes"] = "false";
    return config;
  }

  size_t Records() const {
    absl::StatusOr<std::vector<ConsumedRecord>> read =
        ReadWholeTopic(KafkaBootstrap(), db_ + "." + db_ + ".t", absl::Seconds(10));
    return read.ok() ? read->size() : 0;
  }

  // The connector's committed offset once its snapshot is done.
  bool SnapshotCommitted(const std::string& name) {
    return Eventually([&] {
      pb::ConnectorOffsets offsets;
      return stub_->GetOffsets(Ctx().get(), Ref(name), &offsets).ok() &&
             offsets.offsets_size() == 1 &&
             offsets.offsets(0).offset_json().find("snapshot") == std::string::npos;
    });
  }

  std::string db_;
  std::optional<mysql::Connection> admin_;
};

TEST_F(MySqlOffsetsLost, LostOffsetsFailTheTaskUnlessThePolicyOrAResetSaysStartOver) {
  const std::string name = db_;
  ASSERT_TRUE(Create(name, ConnectorConfig()).ok());
  ASSERT_TRUE(Eventually([&] { return Records() == 3; })) << log_.Text();
  ASSERT_TRUE(SnapshotCommitted(name)) << log_.Text();

  // The offsets vanish while the worker is down, as a deleted offsets topic's would.
  StopWorker();
  ASSERT_NO_FATAL_FAILURE(WriteTombstone(
      prefix_ + ".offsets", absl::StrCat("[\"", name, "\",{\"server\":\"", db_, "\"}]")));
  StartWorker();
  pb::ConnectorStatus status;
  ASSERT_TRUE(Eventually([&] {
    status = Status(name);
    return status.tasks_size() == 1 && status.tasks(0).state_name() == "FAILED";
  })) << status.DebugString()
      << log_.Text();
  EXPECT_THAT(status.tasks(0).trace(), HasSubstr("its offsets were lost"));
  EXPECT_THAT(status.tasks(0).trace(), HasSubstr("offsets.missing.policy=start_over"));
  EXPECT_EQ(Records(), 3u) << "nothing snapshot again";

  // Starting over on purpose: a new snapshot, with a warning.
  pb::PatchConnectorConfigRequest patch;
  patch.set_name(name);
  (*patch.mutable_set())["offsets.missing.policy"] = "start_over";
  pb::Connector patched;
  ASSERT_TRUE(stub_->PatchConnectorConfig(Ctx().get(), patch, &patched).ok());
  pb::ConnectorStatus restarted;
  (void)stub_->RestartConnector(Ctx().get(), [&] {
    pb::RestartConnectorRequest request;
    request.set_name(name);
    request.set_include_tasks(true);
    return request;
  }(), &restarted);
  ASSERT_TRUE(Eventually([&] { return Records() == 6; })) << log_.Text();
  EXPECT_THAT(log_.Text(), HasSubstr("offsets.missing.policy=start_over: starting over"));
  ASSERT_TRUE(SnapshotCommitted(name)) << log_.Text();

  // An offsets reset forgets the connector's topics too: the next start is a new connector's.
  (*patch.mutable_set())["offsets.missing.policy"] = "fail";
  ASSERT_TRUE(stub_->PatchConnectorConfig(Ctx().get(), patch, &patched).ok());
  ASSERT_TRUE(stub_->StopConnector(Ctx().get(), Ref(name), &status).ok());
  pb::AlterOffsetsResponse reset;
  ASSERT_TRUE(
      UntilNotAborted([&] { return stub_->ResetOffsets(Ctx().get(), Ref(name), &reset); }).ok());
  pb::ConnectorTopics topics;
  ASSERT_TRUE(stub_->GetConnectorTopics(Ctx().get(), Ref(name), &topics).ok());
  EXPECT_EQ(topics.topics_size(), 0);
  ASSERT_TRUE(stub_->ResumeConnector(Ctx().get(), Ref(name), &status).ok());
  ASSERT_TRUE(Eventually([&] { return Records() == 9; })) << log_.Text();
  EXPECT_TRUE(WaitForState(name, "RUNNING")) << Status(name).DebugString();
}

}  // namespace
}  // namespace sluice::testing
