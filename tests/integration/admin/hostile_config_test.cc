// Configs and offsets a careless or hostile client sends through the admin API: connector client
// overrides the worker's policy refuses (None by default; settings that run code on the host only
// when the worker allows them by name), at validate and at create; offsets the connector does
// not accept, refused before anything is written.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/support/test_files.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

// Per key, the errors ValidateConfig gives `config`.
std::map<std::string, std::string> ValidationErrors(pb::Admin::Stub& stub,
                                                    grpc::ClientContext* context,
                                                    const std::map<std::string, std::string>& config) {
  pb::ValidateConfigRequest validate;
  for (const auto& [key, value] : config) (*validate.mutable_config())[key] = value;
  pb::ValidateConfigResponse verdict;
  grpc::Status status = stub.ValidateConfig(context, validate, &verdict);
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::map<std::string, std::string> errors;
  for (const pb::ConfigValueResult& value : verdict.values()) {
    for (const std::string& error : value.errors()) absl::StrAppend(&errors[value.name()], error);
  }
  return errors;
}

TEST_F(AdminFixture, ClientOverridesAreRefusedByDefaultAtValidateAndCreate) {
  const std::string pwned = directory_ + "/pwned";
  auto config = GeneratorConfig(prefix_ + ".data", /*rate=*/0, /*max_records=*/5);
  config["producer.override.sasl.kerberos.kinit.cmd"] = "touch " + pwned;
  config["producer.override.linger.ms"] = "5";

  std::map<std::string, std::string> errors = ValidationErrors(*stub_, Ctx().get(), config);
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors["producer.override.linger.ms"],
              HasSubstr("connector.client.config.override.policy=None"));
  EXPECT_THAT(errors["producer.override.sasl.kerberos.kinit.cmd"], HasSubstr("names a command"));
  EXPECT_THAT(errors["producer.override.sasl.kerberos.kinit.cmd"],
              HasSubstr("sluice.client.host.settings.allowed"));

  grpc::Status created = Create(prefix_ + "-c", config);
  EXPECT_EQ(created.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(created.error_message(), HasSubstr("`producer.override.linger.ms`"));
  EXPECT_THAT(created.error_message(), HasSubstr("`producer.override.sasl.kerberos.kinit.cmd`"));
  EXPECT_FALSE(std::filesystem::exists(pwned));
}

TEST_F(AdminFixture, UnderPolicyAllOverridesApplyButCommandsStillNeedTheWorkersLeave) {
  StartWorker({{"connector.client.config.override.policy", "All"}});
  const std::string pwned = directory_ + "/pwned";
  auto config = GeneratorConfig(prefix_ + ".data", /*rate=*/0, /*max_records=*/5);
  config["producer.override.sasl.kerberos.kinit.cmd"] = "touch " + pwned;
  config["producer.override.plugin.library.paths"] = directory_ + "/evil.so";
  config["producer.override.linger.ms"] = "5";
  std::map<std::string, std::string> errors = ValidationErrors(*stub_, Ctx().get(), config);
  EXPECT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors["producer.override.plugin.library.paths"], HasSubstr("names a library"));
  EXPECT_EQ(Create(prefix_ + "-refused", config).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // A harmless override is applied to the task's producer: a bad value fails the task, naming it.
  config.erase("producer.override.sasl.kerberos.kinit.cmd");
  config.erase("producer.override.plugin.library.paths");
  ASSERT_TRUE(Create(prefix_ + "-c", config).ok());
  EXPECT_TRUE(WaitForState(prefix_ + "-c", "RUNNING"));
  config["producer.override.linger.ms"] = "not-a-number";
  ASSERT_TRUE(Create(prefix_ + "-bad", config).ok());
  ASSERT_TRUE(Eventually([&] {
    const pb::ConnectorStatus status = Status(prefix_ + "-bad");
    return status.tasks_size() == 1 && status.tasks(0).state_name() == "FAILED";
  })) << Status(prefix_ + "-bad").DebugString();
  EXPECT_THAT(Status(prefix_ + "-bad").tasks(0).trace(),
              HasSubstr("producer.override.* settings are applied"));
  EXPECT_FALSE(std::filesystem::exists(pwned));
}

// A MySQL connector, created STOPPED (it never connects): its offsets can be set at once.
std::map<std::string, std::string> MySqlConfig(const std::string& prefix) {
  return {{"connector.class", "mysql"},          {"database.hostname", "127.0.0.1"},
          {"database.port", "1"},                {"database.user", "u"},
          {"database.password", "${env:HOME}"},  {"database.server.id", "4242"},
          {"topic.prefix", prefix}};
}

pb::AlterOffsetsRequest OffsetsRequest(const std::string& name, const std::string& server,
                                       const std::vector<std::string>& offsets) {
  pb::AlterOffsetsRequest request;
  request.set_name(name);
  for (const std::string& offset : offsets) {
    pb::PartitionOffset* po = request.add_offsets();
    po->set_partition_json(absl::StrCat(R"({"server":")", server, R"("})"));
    po->set_offset_json(offset);
  }
  return request;
}

TEST_F(AdminFixture, TheMySqlConnectorRefusesOffsetsItCannotReadBeforeAnyIsWritten) {
  const std::string name = prefix_ + "-mysql";
  const std::string server = prefix_ + "_server";
  ASSERT_TRUE(Create(name, MySqlConfig(server), pb::TARGET_STATE_STOPPED).ok());
  auto offsets_now = [&] {
    pb::ConnectorOffsets offsets;
    EXPECT_TRUE(stub_->GetOffsets(Ctx().get(), Ref(name), &offsets).ok());
    return offsets;
  };
  pb::AlterOffsetsResponse altered;

  struct Refusal {
    std::string server, offset, says;
  };
  for (const Refusal& refusal : std::vector<Refusal>{
           {server, R"({"file":"binlog.000001","pos":"notanumber"})", "`pos` that is not a whole number"},
           {server, R"({"file":"binlog.000001","pos":-4})", "negative `pos`"},
           {server, R"({"file":"binlog.000001"})", "neither `file` and `pos` nor `gtids`"},
           {server, R"({"gtids":"not-a-gtid"})", "neither a MariaDB GTID position"},
           {server, R"({"file":"binlog.000001","pos":4,"event":"x"})", "`event`"},
           {"another", R"({"file":"binlog.000001","pos":4})", "only source partition"},
       }) {
    grpc::Status status = stub_->AlterOffsets(
        Ctx().get(), OffsetsRequest(name, refusal.server, {refusal.offset}), &altered);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << refusal.offset;
    EXPECT_THAT(status.error_message(), HasSubstr(refusal.says)) << refusal.offset;
    EXPECT_THAT(status.error_message(), HasSubstr("no offset was written"));
  }
  // One bad offset among good ones: none is written.
  grpc::Status status = stub_->AlterOffsets(
      Ctx().get(),
      OffsetsRequest(name, server,
                     {R"({"file":"binlog.000001","pos":4})", R"({"gtids":"0-1-x"})"}),
      &altered);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(offsets_now().offsets_size(), 0) << offsets_now().DebugString();

  // What the connector writes itself is accepted.
  for (const char* good :
       {R"({"ts_sec":1,"file":"binlog.000001","pos":154,"row":1,"server_id":1,"event":2})",
        R"({"gtids":"0-1-42"})",
        R"({"file":"binlog.000002","pos":4,"gtids":"3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"})"}) {
    status = stub_->AlterOffsets(Ctx().get(), OffsetsRequest(name, server, {good}), &altered);
    EXPECT_TRUE(status.ok()) << good << ": " << status.error_message();
  }
  ASSERT_EQ(offsets_now().offsets_size(), 1);
  EXPECT_THAT(offsets_now().offsets(0).offset_json(), HasSubstr("binlog.000002"));

  // The CLI says the same and exits non-zero.
  const std::string file = directory_ + "/offsets.json";
  std::ofstream(file) << absl::StrCat(R"({"offsets":[{"partition":{"server":")", server,
                                      R"("},"offset":{"file":"b.000001","pos":"notanumber"}}]})");
  const std::string out_file = directory_ + "/cli.out";
  const int rc = std::system(absl::StrCat(BinaryDir(),
                                          "/runtime/cli/sluice --worker ", Address(),
                                          " connectors offsets set ", name, " -f ", file, " > ",
                                          out_file, " 2>&1")
                                 .c_str());
  std::stringstream out;
  out << std::ifstream(out_file).rdbuf();
  EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) != 0) << out.str();
  EXPECT_THAT(out.str(), HasSubstr("`pos` that is not a whole number"));
  EXPECT_THAT(offsets_now().offsets(0).offset_json(), HasSubstr("binlog.000002"));
}

}  // namespace
}  // namespace sluice::testing
