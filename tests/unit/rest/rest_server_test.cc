// The REST listener without a herder: off without `listeners`, the admin listener's exposure rule
// with its own allow key, a port never shared, the same port as the admin API refused, 503 until
// the herder is there, and the admin API's token asked for when one is set.
#include "runtime/rest/rest_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "httplib.h"

namespace sluice::rest {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class RestServerTest : public ::testing::Test {
 protected:
  RestServerTest() { config_.admin_listener = "127.0.0.1:0"; }

  LogSink Sink() {
    return [this](LogLevel level, std::string_view, std::string_view message) {
      absl::MutexLock lock(&mu_);
      absl::StrAppend(&log_, level == LogLevel::kWarn ? "WARN " : "INFO ", std::string(message),
                      "\n");
    };
  }
  std::string Log() {
    absl::MutexLock lock(&mu_);
    return log_;
  }

  config::WorkerConfig config_;
  absl::Mutex mu_;
  std::string log_;
};

TEST_F(RestServerTest, NoListenersNoServerAndAnInfoLineSaysSo) {
  absl::StatusOr<std::unique_ptr<RestServer>> server = RestServer::Start(config_, Sink());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(*server, nullptr);
  EXPECT_THAT(Log(), HasSubstr("INFO no REST API: `listeners` is not set"));
}

TEST_F(RestServerTest, AnswersServiceUnavailableUntilTheHerderIsThere) {
  config_.rest_listener = "127.0.0.1:0";
  config_.rest_advertised_host_name = "worker-1.example";
  absl::StatusOr<std::unique_ptr<RestServer>> server = RestServer::Start(config_, Sink());
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_NE(*server, nullptr);
  EXPECT_EQ((*server)->advertised_url(), absl::StrCat("http://worker-1.example:", (*server)->port()));
  EXPECT_THAT(Log(), HasSubstr("advertised as http://worker-1.example:"));
  httplib::Client client("127.0.0.1", (*server)->port());
  httplib::Result got = client.Get("/connectors");
  ASSERT_TRUE(got) << httplib::to_string(got.error());
  EXPECT_EQ(got->status, 503);
  EXPECT_THAT(got->body, HasSubstr(R"("error_code":503)"));
  EXPECT_THAT(got->body, HasSubstr("the worker is starting"));
}

TEST_F(RestServerTest, ThePortIsNeverShared) {
  config_.rest_listener = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<RestServer>> first = RestServer::Start(config_, Sink());
  ASSERT_TRUE(first.ok()) << first.status();
  config_.rest_listener = absl::StrCat("127.0.0.1:", (*first)->port());
  absl::StatusOr<std::unique_ptr<RestServer>> second = RestServer::Start(config_, Sink());
  ASSERT_FALSE(second.ok()) << "SO_REUSEPORT would let both listen";
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("already in use"));
  EXPECT_THAT(second.status().message(), HasSubstr("`listeners`"));
}

TEST_F(RestServerTest, TheAdminApisPortIsRefusedByName) {
  config_.admin_listener = "127.0.0.1:8083";
  config_.rest_listener = "127.0.0.1:8083";
  absl::StatusOr<std::unique_ptr<RestServer>> server = RestServer::Start(config_, Sink());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(server.status().message(), HasSubstr("sluice.admin.listener"));
}

TEST_F(RestServerTest, APlaintextListenerOtherHostsReachIsRefusedUnlessAllowedByName) {
  config_.rest_listener = "0.0.0.0:0";
  absl::StatusOr<std::unique_ptr<RestServer>> refused = RestServer::Start(config_, Sink());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("REST API: `listeners` 0.0.0.0:0 is reachable"));
  EXPECT_THAT(refused.status().message(), HasSubstr("sluice.rest.insecure.listener.allowed=true"));

  config_.rest_insecure_listener_allowed = true;
  absl::StatusOr<std::unique_ptr<RestServer>> allowed = RestServer::Start(config_, Sink());
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_THAT(Log(), HasSubstr("WARN INSECURE: the REST API listens on 0.0.0.0:0"));
}

// The REST API is a second door to the herder: with the admin API's token set it asks for the same
// token (before anything else, also while starting); with client certificates and no token it
// does not open at all, since it cannot check certificates without https.
TEST_F(RestServerTest, AsksForTheAdminTokenWhenOneIsSet) {
  char folder_template[] = "/tmp/sluice-rest-token-XXXXXX";
  ASSERT_NE(mkdtemp(folder_template), nullptr);
  const std::string token_file = absl::StrCat(folder_template, "/token");
  constexpr char kToken[] = "0123456789abcdef0123456789abcdef";
  {
    std::ofstream out(token_file);
    out << kToken << "\n";
  }
  ASSERT_EQ(chmod(token_file.c_str(), 0600), 0);
  config_.rest_listener = "127.0.0.1:0";
  config_.admin_token_file = token_file;
  absl::StatusOr<std::unique_ptr<RestServer>> server = RestServer::Start(config_, Sink());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_THAT(Log(), HasSubstr("bearer token required"));
  httplib::Client client("127.0.0.1", (*server)->port());

  httplib::Result none = client.Get("/connectors");
  ASSERT_TRUE(none) << httplib::to_string(none.error());
  EXPECT_EQ(none->status, 401);
  EXPECT_THAT(none->body, HasSubstr(R"("error_code":401)"));
  EXPECT_THAT(none->body, HasSubstr("sluice.admin.token.file"));
  EXPECT_THAT(none->body, Not(HasSubstr(kToken)));
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer");

  httplib::Result wrong =
      client.Get("/connectors", {{"Authorization", "Bearer 0123456789abcdef0123456789abcdeX"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  httplib::Result bare = client.Get("/connectors", {{"Authorization", kToken}});
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 401) << "the token without the Bearer scheme";

  httplib::Result right =
      client.Get("/connectors", {{"Authorization", absl::StrCat("Bearer ", kToken)}});
  ASSERT_TRUE(right);
  EXPECT_EQ(right->status, 503) << "past the token check: the worker is still starting";
  server->reset();
  std::remove(token_file.c_str());
  rmdir(folder_template);
}

TEST_F(RestServerTest, ClientCertificatesWithoutATokenKeepTheRestApiClosed) {
  config_.rest_listener = "127.0.0.1:0";
  config_.admin_ssl_client_ca = "/etc/sluice/clients-ca.pem";
  absl::StatusOr<std::unique_ptr<RestServer>> refused = RestServer::Start(config_, Sink());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("sluice.admin.ssl.client.ca.location"));
  EXPECT_THAT(refused.status().message(), HasSubstr("sluice.admin.token.file"));
}

// https with `listeners.https.ssl.*` on the test CA (scripts/lib/test_ca.sh): the keystore is one
// PEM file with the key and the chain; a client that trusts the CA and shows its certificate is
// served (the worker is starting: 503) over TLS, one without a certificate is turned away in the
// handshake, and the advertised URL says https. With client certificates required, a worker
// whose admin API asks for them may open the REST API.
TEST_F(RestServerTest, HttpsServesCallersWithACertificateOfTheTruststoresCa) {
  char folder_template[] = "/tmp/sluice-rest-https-XXXXXX";
  ASSERT_NE(mkdtemp(folder_template), nullptr);
  const std::string dir = folder_template;
  const std::string script = absl::StrCat(
      "set -e; . '", SLUICE_SOURCE_DIR, "/scripts/lib/test_ca.sh'; make_test_certificates '", dir,
      "' '", dir, "/openssl.log'; cat '", dir, "/server-key.pem' '", dir, "/server-cert.pem' >'",
      dir, "/rest.pem'");
  ASSERT_EQ(std::system(absl::StrCat("bash -c \"", script, "\"").c_str()), 0)
      << "see " << dir << "/openssl.log";

  config_.rest_listener = "127.0.0.1:0";
  config_.rest_https = true;
  config_.rest_ssl_keystore = dir + "/rest.pem";
  config_.rest_ssl_truststore = dir + "/ca.pem";
  config_.rest_ssl_client_auth_required = true;
  config_.admin_ssl_client_ca = dir + "/ca.pem";  // the admin API asks for certificates too
  absl::StatusOr<std::unique_ptr<RestServer>> server = RestServer::Start(config_, Sink());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->advertised_url(), absl::StrCat("https://127.0.0.1:", (*server)->port()));
  EXPECT_THAT(Log(), HasSubstr("REST API on https://127.0.0.1:"));
  EXPECT_THAT(Log(), HasSubstr("client certificates required"));

  httplib::SSLClient with_certificate("localhost", (*server)->port(), dir + "/client-cert.pem",
                                      dir + "/client-key.pem");
  with_certificate.set_ca_cert_path((dir + "/ca.pem").c_str());
  with_certificate.enable_server_certificate_verification(true);
  httplib::Result served = with_certificate.Get("/health");
  ASSERT_TRUE(served) << httplib::to_string(served.error());
  EXPECT_EQ(served->status, 503);
  EXPECT_THAT(served->body, HasSubstr(R"("status":"starting")"));

  httplib::SSLClient without_certificate("localhost", (*server)->port());
  without_certificate.set_ca_cert_path((dir + "/ca.pem").c_str());
  without_certificate.enable_server_certificate_verification(true);
  EXPECT_FALSE(without_certificate.Get("/health")) << "served without a client certificate";

  httplib::Client plaintext("127.0.0.1", (*server)->port());
  httplib::Result refused = plaintext.Get("/health");
  EXPECT_TRUE(!refused || refused->status != 503) << "plaintext served on the https listener";
  server->reset();

  config_.rest_ssl_keystore = dir + "/missing.pem";
  absl::StatusOr<std::unique_ptr<RestServer>> bad = RestServer::Start(config_, Sink());
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("listeners.https.ssl.keystore.location"));
  std::system(absl::StrCat("rm -rf '", dir, "'").c_str());
}

}  // namespace
}  // namespace sluice::rest
