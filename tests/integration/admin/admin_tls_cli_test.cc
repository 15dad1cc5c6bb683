// Mutual TLS on the admin API (certificates made with openssl here), and the `sluice` CLI against
// a real worker: output, exit codes, messages.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "rapidjson/document.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/subprocess.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `command` with sh, returns its exit code; stdout and stderr go to `out`.
int Shell(const std::string& command, std::string* out) {
  const std::string file = absl::StrCat(::testing::TempDir(), "/shell_out_", ::getpid());
  const int rc = std::system(absl::StrCat("(", command, ") > ", file, " 2>&1").c_str());
  *out = Slurp(file);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

class AdminTls : public AdminFixture {
 protected:
  // A CA, a server certificate for 127.0.0.1 and localhost, and a client certificate, all signed by
  // the CA; and a second CA whose client certificate the worker must refuse.
  void MakeCertificates() {
    const std::string d = directory_;
    std::string out;
    const std::string script = absl::StrCat(
        "set -e; cd ", d, ";",
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca -keyout ca.key -out "
        "ca.pem;",
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=rogue-ca -keyout rogue.key "
        "-out rogue.pem;",
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > server.ext;",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out "
        "server.csr;",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 "
        "-extfile server.ext "
        "-out server.pem;",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=admin -keyout client.key -out client.csr;",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -out "
        "client.pem;",
        "openssl req -newkey rsa:2048 -nodes -subj /CN=intruder -keyout intruder.key -out "
        "intruder.csr;",
        "openssl x509 -req -in intruder.csr -CA rogue.pem -CAkey rogue.key -CAcreateserial -days 1 "
        "-out intruder.pem");
    ASSERT_EQ(Shell(script, &out), 0) << out;
  }

  grpc::Status Call(const std::string& cert, const std::string& key, bool tls = true) {
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    if (tls) {
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = Slurp(directory_ + "/ca.pem");
      if (!cert.empty()) ssl.pem_cert_chain = Slurp(directory_ + "/" + cert);
      if (!key.empty()) ssl.pem_private_key = Slurp(directory_ + "/" + key);
      credentials = grpc::SslCredentials(ssl);
    } else {
      credentials = grpc::InsecureChannelCredentials();
    }
    auto stub = pb::Admin::NewStub(grpc::CreateChannel(Address(), credentials));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    pb::WorkerInfo info;
    return stub->GetWorkerInfo(&context, pb::GetWorkerInfoRequest(), &info);
  }
};

TEST_F(AdminTls, MutualTlsRefusesAClientWithoutAValidCertificate) {
  MakeCertificates();
  StartWorker({{"sluice.admin.ssl.certificate.location", directory_ + "/server.pem"},
               {"sluice.admin.ssl.key.location", directory_ + "/server.key"},
               {"sluice.admin.ssl.client.ca.location", directory_ + "/ca.pem"}});
  ASSERT_TRUE(server_->tls());
  grpc::Status ok = Call("client.pem", "client.key");
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_FALSE(Call("", "").ok()) << "no client certificate";
  EXPECT_FALSE(Call("intruder.pem", "intruder.key").ok()) << "a certificate from another CA";
  EXPECT_FALSE(Call("", "", /*tls=*/false).ok()) << "plaintext";

  // The CLI: refused without a certificate (exit 8), served with one.
  const std::string sluice =
      absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice --worker ", Address(),
                   " --ca ", directory_, "/ca.pem");
  std::string out;
  EXPECT_EQ(Shell(sluice + " connectors list", &out), 8) << out;
  EXPECT_THAT(out, HasSubstr("refused"));
  const std::string plaintext =
      absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice --worker ", Address());
  EXPECT_EQ(Shell(plaintext + " connectors list", &out), 8) << out;
  EXPECT_THAT(out, HasSubstr("refused a plaintext connection"));
  EXPECT_EQ(Shell(absl::StrCat(sluice, " --cert ", directory_, "/client.pem --key ", directory_,
                               "/client.key connectors list"),
                  &out),
            0)
      << out;
}

TEST_F(AdminFixture, CliCommandsTablesJsonAndExitCodes) {
  const std::string sluice =
      absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice --worker ", Address());
  const std::string name = prefix_ + "-cli";
  const std::string file = directory_ + "/conn.json";
  std::ofstream(file) << absl::StrCat(
      R"({"name":")", name, R"(","config":{"connector.class":"generator",)",
      R"("tasks.max":1,"topic":")", prefix_, R"(.data","rate.per.sec":"100"}})");
  std::string out;
  ASSERT_EQ(Shell(absl::StrCat(sluice, " connectors create -f ", file), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("created"));
  EXPECT_EQ(Shell(absl::StrCat(sluice, " connectors create -f ", file), &out), 5) << out;
  ASSERT_TRUE(WaitForState(name, "RUNNING"));

  ASSERT_EQ(Shell(sluice + " connectors list", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("NAME"));
  EXPECT_THAT(out, HasSubstr(name));
  ASSERT_EQ(Shell(sluice + " -o json connectors status " + name, &out), 0) << out;
  rapidjson::Document doc;
  doc.Parse(out.c_str());
  ASSERT_TRUE(doc.IsObject()) << out;
  EXPECT_STREQ(doc["connector"]["state"].GetString(), "RUNNING");  // Kafka Connect's shape

  EXPECT_EQ(Shell(sluice + " connectors pause " + name, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("PAUSED"));
  EXPECT_EQ(Shell(sluice + " connectors offsets reset " + name, &out), 7) << out;
  EXPECT_EQ(Shell(sluice + " connectors stop " + name, &out), 0) << out;
  EXPECT_EQ(Shell(sluice + " connectors offsets reset " + name, &out), 0) << out;
  EXPECT_EQ(Shell(sluice + " connectors resume " + name, &out), 0) << out;
  EXPECT_EQ(Shell(sluice + " connectors config patch " + name + " rate.per.sec=50", &out), 0)
      << out;
  EXPECT_EQ(Shell(sluice + " connectors get " + name, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("rate.per.sec"));
  EXPECT_EQ(Shell(sluice + " connectors restart " + name + " --include-tasks", &out), 0) << out;
  EXPECT_EQ(Shell(sluice + " plugins list", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("generator"));

  std::ofstream(directory_ + "/bad.json")
      << R"({"name":"x","config":{"connector.class":"generator","batch.size":"x"}})";
  EXPECT_EQ(Shell(absl::StrCat(sluice, " validate -f ", directory_, "/bad.json"), &out), 6) << out;
  EXPECT_THAT(out, HasSubstr("batch.size"));
  EXPECT_EQ(Shell(sluice + " connectors get nope", &out), 4) << out;
  EXPECT_THAT(out, HasSubstr("not found"));
  EXPECT_EQ(Shell(sluice + " connectors delete " + name, &out), 0) << out;
  EXPECT_EQ(Shell(sluice + " connectors frobnicate", &out), 2) << out;

  // Nobody listening: exit 3 and a message that says where it looked.
  const std::string nowhere =
      absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice --worker 127.0.0.1:1");
  EXPECT_EQ(Shell(nowhere + " connectors list", &out), 3) << out;
  EXPECT_THAT(out, HasSubstr("no worker answered at 127.0.0.1:1"));
}

// With `sluice.admin.token.file` every Admin call needs the token, on loopback too: the CLI
// sends it from --token-file or $SLUICE_TOKEN and without it exits 8 saying what to pass.
TEST_F(AdminFixture, WithATokenFileTheCliNeedsTheToken) {
  const std::string token_file = directory_ + "/admin.token";
  std::ofstream(token_file) << "6b1f0c3e9a7d4e21b0c8f5a2d3e4f6a7\n";
  ::chmod(token_file.c_str(), 0600);
  StartWorker({{"sluice.admin.token.file", token_file}});
  ASSERT_TRUE(server_->token_required());
  pb::ListConnectorsResponse list;
  grpc::Status plain = stub_->ListConnectors(Ctx().get(), pb::ListConnectorsRequest(), &list);
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  const std::string sluice =
      absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice --worker ", Address());
  std::string out;
  EXPECT_EQ(Shell(sluice + " connectors list", &out), 8) << out;
  EXPECT_THAT(out, HasSubstr("asks for an admin token"));
  EXPECT_EQ(Shell(absl::StrCat(sluice, " --token-file ", token_file, " connectors list"), &out), 0)
      << out;
  EXPECT_EQ(Shell(absl::StrCat("SLUICE_TOKEN=$(cat ", token_file, ") ", sluice,
                               " connectors list"),
                  &out),
            0)
      << out;
  EXPECT_EQ(Shell(absl::StrCat("SLUICE_TOKEN=6b1f0c3e9a7d4e21b0c8f5a2d3e4f6a8 ", sluice,
                               " connectors list"),
                  &out),
            8)
      << out;
  EXPECT_THAT(out, HasSubstr("refused the token of $SLUICE_TOKEN"));
}

// The real binary end to end: `sluice worker` serves the API, a connector created through the CLI
// survives SIGTERM and a new process, in its target state.
TEST(SluiceWorkerBinary, ServesTheAdminApiAndBringsConnectorsBackAfterARestart) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string prefix = UniqueName("binary");
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", prefix);
  std::filesystem::create_directories(dir);
  const std::string address = absl::StrCat("127.0.0.1:", FreePort());
  const std::string bin = absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice");
  std::ofstream(dir + "/worker.properties") << WorkerProperties(prefix, KafkaBootstrap(), address);
  std::ofstream(dir + "/running.json")
      << absl::StrCat(R"({"name":"running","config":{"connector.class":"generator","topic":")",
                      prefix, R"(.a","rate.per.sec":"50"}})");
  std::ofstream(dir + "/paused.json")
      << absl::StrCat(R"({"name":"paused","config":{"connector.class":"generator","topic":")",
                      prefix, R"(.b","rate.per.sec":"50"}})");
  const std::string cli = absl::StrCat(bin, " --worker ", address);
  const std::string log = dir + "/worker.log";
  std::string out;

  auto start = [&] {
    auto worker = std::make_unique<Subprocess>(
        std::vector<std::string>{bin, "worker", "--config", dir + "/worker.properties"}, log);
    EXPECT_TRUE(Eventually([&] {
      return Shell(cli + " connectors list", &out) == 0 || !worker->running();
    })) << ReadFileForMessage(log);
    return worker;
  };
  std::unique_ptr<Subprocess> worker = start();
  ASSERT_TRUE(worker->running()) << ReadFileForMessage(log);
  ASSERT_EQ(Shell(absl::StrCat(cli, " connectors create -f ", dir, "/running.json"), &out), 0)
      << out;
  ASSERT_EQ(Shell(absl::StrCat(cli, " connectors create --paused -f ", dir, "/paused.json"), &out),
            0)
      << out;
  worker->Signal(SIGTERM);
  ASSERT_EQ(worker->Wait(absl::Seconds(30)), 0) << ReadFileForMessage(log);

  worker = start();
  ASSERT_TRUE(worker->running()) << ReadFileForMessage(log);
  ASSERT_EQ(Shell(cli + " -o json connectors status running", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(R"("connector":{"state":"RUNNING")"));
  ASSERT_EQ(Shell(cli + " -o json connectors status paused", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(R"("connector":{"state":"PAUSED")"));
  worker->Signal(SIGTERM);
  EXPECT_EQ(worker->Wait(absl::Seconds(30)), 0) << ReadFileForMessage(log);
}

// Two workers on one admin port used to both listen (gRPC's SO_REUSEPORT), and calls landed on
// either at random. The second now stops at start, before it reaches Kafka, naming the port and
// the setting; the first goes on answering every call.
TEST(SluiceWorkerBinary, ASecondWorkerOnTheSameAdminPortFailsToStartNamingThePort) {
  ASSERT_TRUE(CheckServiceReachable("kafka", KafkaPort()).ok());
  const std::string prefix = UniqueName("port");
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", prefix);
  std::filesystem::create_directories(dir);
  const int port = FreePort();
  const std::string address = absl::StrCat("127.0.0.1:", port);
  const std::string bin = absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice");
  std::ofstream(dir + "/a.properties") << WorkerProperties(prefix + "a", KafkaBootstrap(), address);
  std::ofstream(dir + "/b.properties") << WorkerProperties(prefix + "b", KafkaBootstrap(), address);
  const std::string cli = absl::StrCat(bin, " --worker ", address);
  std::string out;
  Subprocess first({bin, "worker", "--config", dir + "/a.properties"}, dir + "/a.log");
  ASSERT_TRUE(Eventually([&] { return Shell(cli + " connectors list", &out) == 0; }))
      << ReadFileForMessage(dir + "/a.log");

  Subprocess second({bin, "worker", "--config", dir + "/b.properties"}, dir + "/b.log");
  EXPECT_EQ(second.Wait(absl::Seconds(20)), 1) << ReadFileForMessage(dir + "/b.log");
  const std::string log = ReadFileForMessage(dir + "/b.log");
  EXPECT_THAT(log, HasSubstr(absl::StrCat("port ", port, " is already in use")));
  EXPECT_THAT(log, HasSubstr("sluice.admin.listener"));
  EXPECT_THAT(log, Not(HasSubstr("connecting to the Kafka cluster"))) << "it stopped before Kafka";
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(Shell(cli + " -o json connectors list", &out), 0) << out;
  }
  first.Signal(SIGTERM);
  EXPECT_EQ(first.Wait(absl::Seconds(30)), 0) << ReadFileForMessage(dir + "/a.log");
}

// No broker at bootstrap.servers: the worker says from the first second what it waits for, its
// admin API answers that it is starting, and it gives up after sluice.startup.broker.timeout.ms
// with a message and exit 1. A worker file without bootstrap.servers is refused at once.
TEST(SluiceWorkerBinary, WithoutABrokerItSaysWhatItWaitsForAndGivesUp) {
  const std::string prefix = UniqueName("nobroker");
  const std::string dir = absl::StrCat(::testing::TempDir(), "/", prefix);
  std::filesystem::create_directories(dir);
  const std::string nowhere = absl::StrCat("127.0.0.1:", FreePort());
  const std::string address = absl::StrCat("127.0.0.1:", FreePort());
  const std::string bin = absl::StrCat(std::getenv("SLUICE_BINARY_DIR"), "/runtime/cli/sluice");
  std::ofstream(dir + "/worker.properties")
      << WorkerProperties(prefix, nowhere, address) << "sluice.startup.broker.timeout.ms=8000\n";
  const std::string log = dir + "/worker.log";
  const absl::Time start = absl::Now();
  Subprocess worker({bin, "worker", "--config", dir + "/worker.properties"}, log);
  auto logged = [&](const std::string& text) {
    return Eventually([&] { return ReadFileForMessage(log).find(text) != std::string::npos; },
                      absl::Seconds(10));
  };
  ASSERT_TRUE(logged("connecting to the Kafka cluster at " + nowhere)) << ReadFileForMessage(log);
  // From the first second (a loaded test machine gets some slack).
  EXPECT_LT(absl::Now() - start, absl::Seconds(4)) << ReadFileForMessage(log);
  ASSERT_TRUE(logged("waiting for the Kafka cluster at " + nowhere)) << ReadFileForMessage(log);
  EXPECT_THAT(ReadFileForMessage(log), HasSubstr(prefix + ".offsets"));
  std::string out;
  EXPECT_EQ(Shell(absl::StrCat(bin, " --worker ", address, " connectors list"), &out), 3) << out;
  EXPECT_THAT(out, HasSubstr("is still starting"));

  EXPECT_EQ(worker.Wait(absl::Seconds(30)), 1) << ReadFileForMessage(log);
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
  EXPECT_THAT(ReadFileForMessage(log),
              HasSubstr(absl::StrCat("no broker of the Kafka cluster at ", nowhere)));
  EXPECT_THAT(ReadFileForMessage(log), HasSubstr("within 8s (`sluice.startup.broker.timeout.ms`)"));

  std::ofstream(dir + "/unnamed.properties")
      << "group.id=g\noffset.storage.topic=o\nconfig.storage.topic=c\nstatus.storage.topic=s\n"
         "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
         "value.converter=org.apache.kafka.connect.json.JsonConverter\n";
  EXPECT_EQ(Shell(absl::StrCat(bin, " worker --config ", dir, "/unnamed.properties"), &out), 1)
      << out;
  EXPECT_THAT(out, HasSubstr("missing required key `bootstrap.servers`"));
}

}  // namespace
}  // namespace sluice::testing
