// Connections to real MariaDB servers: credentials, unreachable servers, streamed results and
// every database.ssl.mode, including the refusals that must never fall back to plaintext.
#include "connectors/mysql/server/connection.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_server/test_connections.h"

namespace sluice::mysql {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using sluice::testing::MariaDbAdmin;
using sluice::testing::MariaDbCdc;
using sluice::testing::MariaDbScratchCdc;
using sluice::testing::MariaDbTlsFile;

TEST(Connection, OpensAsTheCdcAccountAndReadsServerVariables) {
  Connection connection = MustConnect(MariaDbCdc());
  EXPECT_TRUE(connection.is_mariadb());
  EXPECT_THAT(connection.server_version(), HasSubstr("MariaDB"));
  absl::StatusOr<std::string> format = connection.GlobalVariable("binlog_format");
  ASSERT_TRUE(format.ok()) << format.status();
  EXPECT_EQ(*format, "ROW");
  EXPECT_TRUE(absl::IsNotFound(connection.GlobalVariable("no_such_variable_here").status()));
}

TEST(Connection, WrongPasswordIsPermissionDeniedAndNeverEchoesThePassword) {
  ConnectionOptions options = OptionsFor(MariaDbCdc());
  options.password = "canary-Secret-9431";
  absl::StatusOr<Connection> connection = Connection::Open(options);
  ASSERT_FALSE(connection.ok());
  EXPECT_TRUE(absl::IsPermissionDenied(connection.status())) << connection.status();
  EXPECT_THAT(connection.status().message(), HasSubstr("database.password"));
  EXPECT_THAT(connection.status().message(), Not(HasSubstr("canary-Secret-9431")));
}

TEST(Connection, UnreachableServerIsUnavailable) {
  ConnectionOptions options = OptionsFor(MariaDbCdc());
  options.port = 1;  // nothing listens on port 1
  absl::StatusOr<Connection> connection = Connection::Open(options);
  ASSERT_FALSE(connection.ok());
  EXPECT_TRUE(absl::IsUnavailable(connection.status())) << connection.status();
}

TEST(Connection, StoredRowsAreReadWhereTheLibraryHoldsThem) {
  Connection connection = MustConnect(MariaDbAdmin());
  // 20,000 generated rows, never materialised as a table; every seventh value NULL, and a value
  // with a zero byte inside, which only the length tells apart.
  absl::StatusOr<StoredRows> rows = connection.QueryStored(
      "SELECT seq, IF(seq % 7 = 0, NULL, CONCAT('row-', seq, CHAR(0), 'x')) "
      "FROM sample.seq_1_to_20000");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 20000u);
  long long sum = 0;
  int nulls = 0;
  for (size_t i = 0; i < rows->size(); ++i) {
    const RowView row = rows->row(i);
    ASSERT_EQ(row.size(), 2u);
    sum += std::stoll(std::string(row[0]));
    if (row.is_null(1)) {
      ++nulls;
      continue;
    }
    EXPECT_EQ(row[1], absl::StrCat("row-", row[0], std::string(1, '\0'), "x"));
  }
  EXPECT_EQ(sum, 20000LL * 20001 / 2);
  EXPECT_EQ(nulls, 20000 / 7);
  // The result is held by `rows`, not by the connection: the next statement may run meanwhile.
  EXPECT_TRUE(connection.Execute("DO 1").ok());
  EXPECT_EQ(rows->row(19999)[0], "20000");

  absl::StatusOr<StoredRows> bad = connection.QueryStored("SELECT * FROM sample.no_such_table");
  EXPECT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("no_such_table"));
}

TEST(ConnectionTls, RequiredEncryptsTheConnection) {
  Connection connection = MustConnect(MariaDbCdc(), SslMode::kRequired);
  EXPECT_FALSE(connection.tls_cipher().empty());
}

TEST(ConnectionTls, RequiredRefusesAServerWithoutTls) {
  absl::StatusOr<Connection> connection =
      Connection::Open(OptionsFor(MariaDbScratchCdc(), SslMode::kRequired));
  ASSERT_FALSE(connection.ok()) << "connected in plaintext although TLS was required";
  EXPECT_TRUE(absl::IsFailedPrecondition(connection.status())) << connection.status();
  EXPECT_THAT(connection.status().message(), HasSubstr("database.ssl.mode=required"));
}

TEST(ConnectionTls, PreferredFallsBackToPlaintextOnlyWhenTheServerHasNoTls) {
  EXPECT_TRUE(MustConnect(MariaDbScratchCdc(), SslMode::kPreferred).tls_cipher().empty());
  EXPECT_FALSE(MustConnect(MariaDbCdc(), SslMode::kPreferred).tls_cipher().empty());
}

TEST(ConnectionTls, VerifyIdentityChecksTheChainAndTheHostName) {
  ConnectionOptions options = OptionsFor(MariaDbCdc(), SslMode::kVerifyIdentity);
  options.ssl_ca_file = MariaDbTlsFile("ca.pem");
  options.host = "localhost";  // the name on the test server's certificate
  absl::StatusOr<Connection> by_name = Connection::Open(options);
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_FALSE(by_name->tls_cipher().empty());

  options.host = "127.0.0.1";  // same server, a name the certificate does not carry
  absl::StatusOr<Connection> by_address = Connection::Open(options);
  ASSERT_FALSE(by_address.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(by_address.status())) << by_address.status();
}

TEST(ConnectionTls, VerifyCaChecksTheChainButNotTheHostName) {
  ConnectionOptions options = OptionsFor(MariaDbCdc(), SslMode::kVerifyCa);
  options.ssl_ca_file = MariaDbTlsFile("ca.pem");
  options.host = "127.0.0.1";
  absl::StatusOr<Connection> connection = Connection::Open(options);
  ASSERT_TRUE(connection.ok()) << connection.status();
  EXPECT_FALSE(connection->tls_cipher().empty());

  // A certificate that is not the CA: the chain does not verify.
  options.ssl_ca_file = MariaDbTlsFile("client-cert.pem");
  absl::StatusOr<Connection> wrong_ca = Connection::Open(options);
  ASSERT_FALSE(wrong_ca.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(wrong_ca.status())) << wrong_ca.status();
  EXPECT_THAT(wrong_ca.status().message(), HasSubstr("does not verify"));
}

TEST(ConnectionTls, VerifyModesRefuseAServerWithoutTlsAndNeedACa) {
  ConnectionOptions options = OptionsFor(MariaDbScratchCdc(), SslMode::kVerifyCa);
  options.ssl_ca_file = MariaDbTlsFile("ca.pem");
  absl::StatusOr<Connection> connection = Connection::Open(options);
  ASSERT_FALSE(connection.ok());
  EXPECT_THAT(connection.status().message(), HasSubstr("does not offer TLS"));

  options.ssl_ca_file.clear();
  connection = Connection::Open(options);
  ASSERT_FALSE(connection.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(connection.status()));
  EXPECT_THAT(connection.status().message(), HasSubstr("database.ssl.ca"));
}

}  // namespace
}  // namespace sluice::mysql
