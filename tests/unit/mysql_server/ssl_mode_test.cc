#include "connectors/mysql/server/ssl_mode.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

TEST(SslMode, ParsesDebeziumSpellingsInAnyCase) {
  EXPECT_EQ(*ParseSslMode("disabled"), SslMode::kDisabled);
  EXPECT_EQ(*ParseSslMode("preferred"), SslMode::kPreferred);
  EXPECT_EQ(*ParseSslMode("REQUIRED"), SslMode::kRequired);
  EXPECT_EQ(*ParseSslMode("verify_ca"), SslMode::kVerifyCa);
  EXPECT_EQ(*ParseSslMode("Verify_Identity"), SslMode::kVerifyIdentity);
  for (SslMode mode : {SslMode::kDisabled, SslMode::kPreferred, SslMode::kRequired,
                       SslMode::kVerifyCa, SslMode::kVerifyIdentity}) {
    EXPECT_EQ(*ParseSslMode(SslModeName(mode)), mode);
  }
}

TEST(SslMode, AnUnknownModeNamesTheKeyAndTheChoices) {
  absl::StatusOr<SslMode> mode = ParseSslMode("verify-full");
  ASSERT_FALSE(mode.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(mode.status()));
  EXPECT_THAT(mode.status().message(), ::testing::HasSubstr("database.ssl.mode"));
  EXPECT_THAT(mode.status().message(), ::testing::HasSubstr("verify_identity"));
}

}  // namespace
}  // namespace sluice::mysql
