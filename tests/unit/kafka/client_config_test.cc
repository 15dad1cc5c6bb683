#include "runtime/kafka/client_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::kafka {
namespace {

TEST(ClientConfigTest, EveryClientSendsSmallRequestsWithoutNagleDelay) {
  absl::StatusOr<ConfHandle> conf = BuildConf({{"client.id", "a"}}, {}, "producer.");
  ASSERT_TRUE(conf.ok()) << conf.status();
  EXPECT_EQ(ConfValue(conf->get(), "socket.nagle.disable"), "true");
  EXPECT_EQ(ConfValue(conf->get(), "client.id"), "a");
}

TEST(ClientConfigTest, TheUsersSettingWinsOverEveryDefault) {
  absl::StatusOr<ConfHandle> conf =
      BuildConf({{"client.id", "a"}}, {{"socket.nagle.disable", "false"}, {"client.id", "b"}},
                "producer.");
  ASSERT_TRUE(conf.ok()) << conf.status();
  EXPECT_EQ(ConfValue(conf->get(), "socket.nagle.disable"), "false");
  EXPECT_EQ(ConfValue(conf->get(), "client.id"), "b");
}

TEST(ClientConfigTest, ARefusedOverrideNamesTheWorkerProperty) {
  absl::StatusOr<ConfHandle> conf = BuildConf({}, {{"linger.ms", "soon"}}, "producer.");
  ASSERT_FALSE(conf.ok());
  EXPECT_EQ(conf.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(conf.status().message(), ::testing::HasSubstr("`producer.linger.ms`=\"soon\""));
}

}  // namespace
}  // namespace sluice::kafka
