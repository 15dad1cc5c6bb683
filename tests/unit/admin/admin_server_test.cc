// The admin server's safety rules without a worker behind it: the token, the listener's
// exposure, port sharing and the TLS files, each checked before anything is served. Until a
// herder is attached every admitted call answers UNAVAILABLE, which is how these tests see that a
// call got past authentication.
#include "runtime/admin/admin_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "runtime/admin/admin_token.h"
#include "runtime/admin/listener_exposure.h"
#include "runtime/admin/tls_files.h"
#include "sluice/admin/v1/admin.grpc.pb.h"

namespace sluice::admin {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "0123456789abcdef0123456789abcdef";

class AdminServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The process id too: two test runs on one machine (two checkouts) must not share a folder.
    dir_ = absl::StrCat(::testing::TempDir(), "/admin_server_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "_",
                        getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_.admin_listener = "127.0.0.1:0";
  }

  std::string Write(const std::string& name, const std::string& text, mode_t mode = 0600) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }

  LogSink Sink() {
    return [this](LogLevel level, std::string_view, std::string_view message) {
      absl::MutexLock lock(&mu_);
      absl::StrAppend(&log_, level == LogLevel::kWarn ? "WARN " : "", std::string(message), "\n");
    };
  }
  std::string Log() {
    absl::MutexLock lock(&mu_);
    return log_;
  }

  // GetWorkerInfo on `port` in plaintext, with `authorization` metadata unless empty.
  static grpc::Status Call(int port, const std::string& authorization) {
    auto stub = v1::Admin::NewStub(grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                                       grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    v1::WorkerInfo info;
    return stub->GetWorkerInfo(&context, v1::GetWorkerInfoRequest(), &info);
  }

  // A CA, a server certificate and key it signed, and a second key that belongs to nothing.
  void MakeCertificates() {
    const std::string script = absl::StrCat(
        "set -e; cd ", dir_, "; exec >openssl.log 2>&1;",
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=ca -keyout ca.key -out "
        "ca.pem;",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out "
        "server.csr;",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -out "
        "server.pem;",
        "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other.key");
    ASSERT_EQ(std::system(script.c_str()), 0) << "openssl failed, see " << dir_ << "/openssl.log";
  }

  std::string dir_;
  config::WorkerConfig config_;
  absl::Mutex mu_;
  std::string log_;
};

TEST_F(AdminServerTest, WithATokenFileEveryAdminCallMustCarryTheToken) {
  config_.admin_token_file = Write("token", absl::StrCat(kToken, "\n"));
  absl::StatusOr<std::unique_ptr<AdminServer>> server = AdminServer::Start(config_, Sink());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE((*server)->token_required());

  grpc::Status none = Call((*server)->port(), "");
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(none.error_message(), HasSubstr("sluice.admin.token.file"));
  EXPECT_THAT(none.error_message(), HasSubstr("--token-file"));
  grpc::Status wrong = Call((*server)->port(), "Bearer 0123456789abcdef0123456789abcdeX");
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(wrong.error_message(), HasSubstr("does not match"));
  EXPECT_THAT(wrong.error_message(), Not(HasSubstr(kToken)));
  EXPECT_EQ(Call((*server)->port(), kToken).error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "the token without the Bearer scheme";
  // Admitted: no herder yet, so the worker says it is starting.
  grpc::Status right = Call((*server)->port(), absl::StrCat("Bearer ", kToken));
  EXPECT_EQ(right.error_code(), grpc::StatusCode::UNAVAILABLE) << right.error_message();
  EXPECT_THAT(right.error_message(), HasSubstr("starting"));
}

TEST_F(AdminServerTest, WithoutATokenFileCallsNeedNoToken) {
  absl::StatusOr<std::unique_ptr<AdminServer>> server = AdminServer::Start(config_, Sink());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_FALSE((*server)->token_required());
  EXPECT_EQ(Call((*server)->port(), "").error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(AdminServerTest, ATokenFileOthersMayReadOrAShortTokenIsRefused) {
  config_.admin_token_file = Write("token", kToken, 0644);
  absl::StatusOr<std::unique_ptr<AdminServer>> readable = AdminServer::Start(config_, Sink());
  ASSERT_FALSE(readable.ok());
  EXPECT_EQ(readable.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(readable.status().message(), HasSubstr("mode 0644"));
  EXPECT_THAT(readable.status().message(), HasSubstr("chmod 600"));

  config_.admin_token_file = Write("short", "secret\n");
  absl::StatusOr<std::unique_ptr<AdminServer>> short_token = AdminServer::Start(config_, Sink());
  ASSERT_FALSE(short_token.ok());
  EXPECT_THAT(short_token.status().message(), HasSubstr("at least 16"));

  EXPECT_THAT(ReadAdminToken(Write("empty", "\n")).status().message(), HasSubstr("is empty"));
  EXPECT_THAT(ReadAdminToken(Write("blank", "0123456789 abcdef0123")).status().message(),
              HasSubstr("printable ASCII"));
  EXPECT_THAT(ReadAdminToken(dir_ + "/missing").status().message(),
              HasSubstr("cannot be read: No such file"));
  EXPECT_THAT(ReadAdminToken(dir_).status().message(), HasSubstr("not a regular file"));
}

TEST(AdminToken, MatchesOnlyTheSameBytes) {
  EXPECT_TRUE(TokenMatches(kToken, kToken));
  EXPECT_FALSE(TokenMatches("0123456789abcdef0123456789abcdeX", kToken));
  EXPECT_FALSE(TokenMatches("0123456789abcdef", kToken)) << "a prefix";
  EXPECT_FALSE(TokenMatches("", kToken));
}

TEST_F(AdminServerTest, APortInUseIsNotSharedAndTheMessageNamesItAndTheSetting) {
  absl::StatusOr<std::unique_ptr<AdminServer>> first = AdminServer::Start(config_, Sink());
  ASSERT_TRUE(first.ok()) << first.status();
  config_.admin_listener = absl::StrCat("127.0.0.1:", (*first)->port());
  absl::StatusOr<std::unique_ptr<AdminServer>> second = AdminServer::Start(config_, Sink());
  ASSERT_FALSE(second.ok()) << "gRPC's SO_REUSEPORT would let both listen";
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(),
              HasSubstr(absl::StrCat("port ", (*first)->port(), " is already in use")));
  EXPECT_THAT(second.status().message(), HasSubstr("sluice.admin.listener"));
}

TEST_F(AdminServerTest, APlaintextListenerOtherHostsReachIsRefusedUnlessAllowedByName) {
  config_.admin_listener = "0.0.0.0:0";
  absl::StatusOr<std::unique_ptr<AdminServer>> refused = AdminServer::Start(config_, Sink());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("reachable from other hosts"));
  EXPECT_THAT(refused.status().message(), HasSubstr("sluice.admin.ssl.certificate.location"));
  EXPECT_THAT(refused.status().message(), HasSubstr("sluice.admin.insecure.listener.allowed=true"));

  config_.admin_insecure_listener_allowed = true;
  absl::StatusOr<std::unique_ptr<AdminServer>> allowed = AdminServer::Start(config_, Sink());
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_THAT(Log(), HasSubstr("WARN INSECURE"));
  EXPECT_THAT(Log(), HasSubstr("sluice.admin.insecure.listener.allowed=true"));
}

TEST(ListenerExposure, OnlyLoopbackAddressesAreLoopback) {
  EXPECT_TRUE(IsLoopbackListener("127.0.0.1:8083"));
  EXPECT_TRUE(IsLoopbackListener("127.1.2.3:0"));
  EXPECT_TRUE(IsLoopbackListener("[::1]:8083"));
  EXPECT_TRUE(IsLoopbackListener("localhost:8083"));
  EXPECT_TRUE(IsLoopbackListener("LocalHost:8083"));
  EXPECT_FALSE(IsLoopbackListener("0.0.0.0:8083"));
  EXPECT_FALSE(IsLoopbackListener("[::]:8083"));
  EXPECT_FALSE(IsLoopbackListener(":8083"));
  EXPECT_FALSE(IsLoopbackListener("10.1.2.3:8083"));
  EXPECT_FALSE(IsLoopbackListener("name.that.does.not.resolve.invalid:8083"));
}

TEST_F(AdminServerTest, TlsWithoutClientCertificatesOrTokenOnAnOpenAddressIsWarnedAbout) {
  MakeCertificates();
  config_.admin_listener = "0.0.0.0:0";
  config_.admin_ssl_certificate = dir_ + "/server.pem";
  config_.admin_ssl_key = dir_ + "/server.key";
  absl::StatusOr<std::unique_ptr<AdminServer>> server = AdminServer::Start(config_, Sink());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE((*server)->tls());
  EXPECT_THAT(Log(), HasSubstr("WARN the admin API on 0.0.0.0:0 is reachable from other hosts and "
                               "asks callers for neither"));
}

TEST_F(AdminServerTest, TheRealTlsErrorIsReportedBeforeListening) {
  MakeCertificates();
  config_.admin_ssl_certificate = dir_ + "/server.pem";
  config_.admin_ssl_key = dir_ + "/other.key";
  absl::StatusOr<std::unique_ptr<AdminServer>> mismatch = AdminServer::Start(config_, Sink());
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(mismatch.status().message(), HasSubstr("does not belong to the certificate"));
  EXPECT_THAT(mismatch.status().message(), HasSubstr(dir_ + "/other.key"));
  EXPECT_THAT(mismatch.status().message(), Not(HasSubstr("in use")));

  Write("garbage.pem", "not a certificate\n");
  struct Case {
    std::string certificate, key, client_ca, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"garbage.pem", "server.key", "",
            "`sluice.admin.ssl.certificate.location`: `DIR/garbage.pem` holds no PEM certificate"},
           {"server.pem", "server.pem", "",
            "`sluice.admin.ssl.key.location`: `DIR/server.pem` holds no unencrypted PEM private "
            "key"},
           {"server.pem", "nowhere.key", "",
            "`sluice.admin.ssl.key.location`: `DIR/nowhere.key` cannot be read: No such file"},
           {"server.pem", "server.key", "other.key",
            "`sluice.admin.ssl.client.ca.location`: `DIR/other.key` holds no PEM certificate"}}) {
    config_.admin_ssl_certificate = dir_ + "/" + c.certificate;
    config_.admin_ssl_key = dir_ + "/" + c.key;
    config_.admin_ssl_client_ca = c.client_ca.empty() ? "" : dir_ + "/" + c.client_ca;
    std::string expected = c.expected;
    expected.replace(expected.find("DIR"), 3, dir_);
    EXPECT_THAT(LoadTlsFiles(config_).status().message(), HasSubstr(expected));
  }
  config_.admin_ssl_client_ca = dir_ + "/ca.pem";
  absl::StatusOr<TlsFiles> good = LoadTlsFiles(config_);
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_THAT(good->client_ca, HasSubstr("BEGIN CERTIFICATE"));
}

}  // namespace
}  // namespace sluice::admin
