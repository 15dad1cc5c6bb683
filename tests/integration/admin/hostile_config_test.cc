// Configs and offsets a careless or hostile client sends through the admin API: connector client
// overrides the worker's policy refuses (None by default; settings that run code on the host only
// when the worker allows them by name), at validate and at create; offsets the connector does
// not accept, refused before anything is written.
#include <filesystem>
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/admin/admin_fixture.h"

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

}  // namespace
}  // namespace sluice::testing
