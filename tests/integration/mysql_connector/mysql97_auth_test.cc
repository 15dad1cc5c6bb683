// The connector's authentication on a real MySQL 9.7 (fixture `mysql`), end to end through its
// config: caching_sha2_password (the server's default) over TLS and over plaintext
// (`database.ssl.mode=disabled`), where an account whose password the server has not cached yet
// must send it encrypted with the server's RSA key; and an account that may not log in over
// plaintext fails the task with a message naming the setting that fixes it.
#include <signal.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;

// A fresh account with the CDC grants scripts/services/mysql gives sluice_cdc, `require` added
// to CREATE USER (e.g. "REQUIRE SSL"). FLUSH PRIVILEGES empties the server's cache of
// caching_sha2_password hashes, so the account's first login has no cached hash to match: over
// plaintext that takes the full exchange with the server's RSA key.
struct Account {
  std::string user, password, name;  // name: 'user'@'127.0.0.1'
};

Account FreshCdcAccount(CdcRun& run, const std::string& suffix, const std::string& require) {
  Account account;
  account.user = run.name().substr(0, 24) + suffix;
  account.password = "pw-" + account.user;
  account.name = absl::StrCat("'", account.user, "'@'127.0.0.1'");
  run.Sql(absl::StrCat("CREATE USER ", account.name, " IDENTIFIED BY '", account.password, "' ",
                       require));
  run.Sql(
      absl::StrCat("GRANT SELECT, RELOAD, SHOW DATABASES, LOCK TABLES, REPLICATION SLAVE, "
                   "REPLICATION CLIENT ON *.* TO ",
                   account.name));
  run.Sql("FLUSH PRIVILEGES");
  return account;
}

// The connector config that logs in as `account`, plus `tls` (database.ssl.*).
std::map<std::string, std::string> LoginAs(const Account& account,
                                           std::map<std::string, std::string> tls) {
  tls["database.user"] = account.user;
  tls["database.password"] = account.password;
  tls["include.schema.changes"] = "false";
  return tls;
}

// The TLS cipher of every connection `user` has open on the server ("" for plaintext).
std::vector<std::string> CiphersOf(CdcRun& run, const std::string& user) {
  absl::StatusOr<mysql::QueryResult> result = run.admin().Query(absl::StrCat(
      "SELECT s.VARIABLE_VALUE FROM performance_schema.threads t JOIN "
      "performance_schema.status_by_thread s USING (THREAD_ID) WHERE s.VARIABLE_NAME = "
      "'Ssl_cipher' AND t.PROCESSLIST_USER = '",
      user, "'"));
  EXPECT_TRUE(result.ok()) << result.status();
  std::vector<std::string> ciphers;
  if (result.ok()) {
    for (const auto& row : result->rows) ciphers.push_back(row[0].value_or("?"));
  }
  return ciphers;
}

// Runs the connector as `account` with `tls`: a row of the snapshot, then a streamed one, arrive.
// Returns the ciphers of the account's connections while the worker runs (the binlog stream's
// among them).
std::vector<std::string> SnapshotAndStreamAs(CdcRun& run, const Account& account,
                                             const std::map<std::string, std::string>& tls) {
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  run.Sql("INSERT INTO t VALUES (1)");
  run.WriteConnectorConfig(LoginAs(account, tls));
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const std::string topic = run.Topic("t");
  EXPECT_EQ(OpsAndIds(run.WaitForEvents(topic, 1, worker.get())), (std::vector<std::string>{"r1"}))
      << run.WorkerLog();
  run.Sql("INSERT INTO t VALUES (2)");
  EXPECT_EQ(OpsAndIds(run.WaitForEvents(topic, 2, worker.get())),
            (std::vector<std::string>{"r1", "c2"}))
      << run.WorkerLog();
  std::vector<std::string> ciphers = CiphersOf(run, account.user);
  run.StopWorker(worker);
  run.Sql(absl::StrCat("DROP USER ", account.name));
  return ciphers;
}

TEST(MySql97Auth, PlaintextConnectorAuthenticatesWithTheServersRsaKey) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97plain", /*schemas=*/false, TestServer::kMySql);
  const Account account = FreshCdcAccount(run, "_p", "");
  const std::vector<std::string> ciphers =
      SnapshotAndStreamAs(run, account, {{"database.ssl.mode", "disabled"}});
  EXPECT_FALSE(ciphers.empty()) << "the connector's connections are " << account.user << "'s";
  for (const std::string& cipher : ciphers) EXPECT_EQ(cipher, "") << "a TLS connection";
}

TEST(MySql97Auth, TlsConnectorAuthenticatesAnAccountThatRequiresTls) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97tls", /*schemas=*/false, TestServer::kMySql);
  const Account account = FreshCdcAccount(run, "_t", "REQUIRE SSL");
  const std::vector<std::string> ciphers = SnapshotAndStreamAs(
      run, account,
      {{"database.ssl.mode", "verify_ca"}, {"database.ssl.ca", MySqlTlsFile("ca.pem")}});
  EXPECT_FALSE(ciphers.empty()) << "the connector's connections are " << account.user << "'s";
  for (const std::string& cipher : ciphers) EXPECT_NE(cipher, "") << "a plaintext connection";
}

// MySQL refuses a REQUIRE SSL account over plaintext as it refuses a wrong password (1045): the
// task fails, and its message names database.ssl.mode next to the credentials.
TEST(MySql97Auth, AnAccountThatRequiresTlsFailsOverPlaintextNamingTheFix) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  CdcRun run("my97reqssl", /*schemas=*/false, TestServer::kMySql);
  const Account account = FreshCdcAccount(run, "_r", "REQUIRE SSL");
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY)");
  run.WriteConnectorConfig(LoginAs(account, {{"database.ssl.mode", "disabled"}}));
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  while (run.WorkerLog().find("database.ssl.mode=required") == std::string::npos &&
         absl::Now() < deadline && worker->running()) {
    absl::SleepFor(absl::Milliseconds(200));
  }
  const std::string log = run.WorkerLog();
  EXPECT_THAT(log, HasSubstr("Access denied"));
  EXPECT_THAT(log, HasSubstr("whether the account requires TLS (REQUIRE SSL): then set "
                             "database.ssl.mode=required or stronger"));
  worker->Signal(SIGTERM);
  worker->Wait(absl::Seconds(30));
  run.Sql(absl::StrCat("DROP USER ", account.name));
}

}  // namespace
}  // namespace sluice::testing
