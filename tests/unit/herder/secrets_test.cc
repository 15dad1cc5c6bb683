// Config provider references and what is stored and shown for secret keys.
#include "runtime/herder/secrets.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "runtime/herder/secret_scrubber.h"

namespace sluice::herder {
namespace {

std::string TempDir(const std::string& name) {
  std::string dir = absl::StrCat(::testing::TempDir(), "/secrets_test_", name, "_", ::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(Secrets, ReferencesAreRecognised) {
  EXPECT_TRUE(IsOnlyReferences("${env:DB_PASSWORD}"));
  EXPECT_TRUE(IsOnlyReferences("${file:/etc/s.properties:db.password}${env:X}"));
  EXPECT_FALSE(IsOnlyReferences("pre-${env:X}"));
  EXPECT_FALSE(IsOnlyReferences("hunter2"));
  EXPECT_FALSE(IsOnlyReferences("${vault:x}"));
  EXPECT_TRUE(HasReference("jdbc://${env:HOST}:3306"));
}

TEST(Secrets, EnvAndFileReferencesResolve) {
  ::setenv("SLUICE_SECRETS_TEST_VAR", "s3cret", 1);
  const std::string dir = TempDir("resolve");
  std::ofstream(dir + "/db.properties") << "db.password=from\\:file\n";
  EXPECT_EQ(ResolveReferences("${env:SLUICE_SECRETS_TEST_VAR}").value(), "s3cret");
  EXPECT_EQ(
      ResolveReferences(absl::StrCat("x=${file:", dir, "/db.properties:db.password}!")).value(),
      "x=from:file!");
  absl::StatusOr<std::string> missing = ResolveReferences("${env:SLUICE_SECRETS_TEST_NOPE}");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("SLUICE_SECRETS_TEST_NOPE"), std::string::npos);
  absl::StatusOr<ConfigMap> config =
      ResolveConfig({{"a", "${file:/nonexistent.properties:k}"}});
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(config.status().message().find("`a`"), std::string::npos);
}

TEST(Secrets, LiteralSecretsAreRefusedWithoutASecretsDir) {
  absl::StatusOr<ConfigMap> stored = ProtectSecrets(
      "c", {{"database.password", "hunter2"}, {"user", "u"}}, {"database.password"}, "");
  EXPECT_EQ(stored.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(stored.status().message().find("`database.password`"), std::string::npos);
  EXPECT_EQ(stored.status().message().find("hunter2"), std::string::npos);
  // References pass as they are.
  EXPECT_TRUE(
      ProtectSecrets("c", {{"database.password", "${env:P}"}}, {"database.password"}, "").ok());
}

TEST(Secrets, LiteralSecretsMoveToAPrivateFileAndAReferenceIsStored) {
  const std::string dir = TempDir("protect");
  absl::StatusOr<ConfigMap> stored =
      ProtectSecrets("orders", {{"database.password", "p=ss word\\"}, {"user", "u"}},
                     {"database.password"}, dir + "/s");
  ASSERT_TRUE(stored.ok()) << stored.status();
  const std::string path = dir + "/s/orders.properties";
  EXPECT_EQ(*stored, (ConfigMap{{"database.password",
                                         absl::StrCat("${file:", path, ":database.password}")},
                                        {"user", "u"}}));
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  absl::StatusOr<ConfigMap> resolved = ResolveConfig(*stored);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ((*resolved)[0].second, "p=ss word\\") << "the value reads back exactly";
}

TEST(Secrets, MaskingShowsReferencesAndHidesLiterals) {
  EXPECT_EQ(MaskSecrets({{"p", "hunter2"}, {"q", "${env:Q}"}, {"u", "user"}}, {"p", "q"}),
            (ConfigMap{{"p", "********"}, {"q", "${env:Q}"}, {"u", "user"}}));
}

TEST(Secrets, ScrubberHidesResolvedValuesInText) {
  SecretScrubber scrubber;
  scrubber.Add("hunter2");
  scrubber.Add("ab");  // too short to scrub safely
  EXPECT_EQ(scrubber.Scrub("login failed for password hunter2 (ab)"),
            "login failed for password ******** (ab)");
}

TEST(Secrets, TaskConfigsGoBackToReferencesBeforeTheyAreStored) {
  const ConfigMap raw{
      {"database.password", "${env:P}"}, {"user", "u"}, {"url", "db:${env:PORT}"}};
  const ConfigMap resolved{
      {"database.password", "hunter2"}, {"user", "u"}, {"url", "db:3306"}};
  std::vector<ConfigMap> tasks = ReverseResolve(raw, resolved,
                                                        {{{"database.password", "hunter2"},
                                                          {"user", "u"},
                                                          {"url", "db:3306"},
                                                          {"copied.password", "hunter2"}}});
  EXPECT_EQ(tasks[0], (ConfigMap{{"database.password", "${env:P}"},
                                         {"user", "u"},
                                         {"url", "db:${env:PORT}"},
                                         {"copied.password", "${env:P}"}}));
}

}  // namespace
}  // namespace sluice::herder
