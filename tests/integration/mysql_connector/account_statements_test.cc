// Passwords never reach Kafka: every account statement form the server takes (CREATE/ALTER USER
// ... IDENTIFIED BY/WITH/VIA/AS, SET PASSWORD, GRANT ... IDENTIFIED BY, CREATE SERVER's
// PASSWORD, CHANGE MASTER's, in executable comments and odd spelling) run with a captured
// database current, on MariaDB 10.11 and MySQL 9.7. No topic the run wrote (changes, schema
// changes, transactions, heartbeats, offsets, configs, statuses) and not the worker's log holds
// the canary passwords or the hashes the server stored for them; the schema-change topic holds
// only the structure statements, with a credential in one of them redacted.
#include <unistd.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_connector/cdc_run.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

constexpr char kCanary[] = "SluiceCanary";

struct Scenario {
  TestServer server;
  std::vector<std::string> users;            // created by the statements; dropped at the end
  std::vector<std::string> account_statements;  // each carries kCanary
};

std::string User(int i) { return absl::StrCat("sluice_canary", i, "_", getpid() % 100000); }

Scenario MariaDb() {
  const std::string u1 = User(1), u2 = User(2), u3 = User(3), u4 = User(4), u5 = User(5);
  return {TestServer::kMariaDb,
          {u1, u2, u3, u4, u5},
          {
              absl::StrCat("CREATE USER '", u1, "'@'localhost' IDENTIFIED BY 'SluiceCanary-A1'"),
              absl::StrCat("ALTER USER '", u1, "'@'localhost' IDENTIFIED BY 'SluiceCanary-A2'"),
              absl::StrCat("CREATE USER ", u2,
                           "@localhost IDENTIFIED VIA mysql_native_password USING "
                           "PASSWORD('SluiceCanary-A3')"),
              absl::StrCat("ALTER USER ", u2, "@localhost IDENTIFIED VIA mysql_native_password "
                                              "USING PASSWORD('SluiceCanary-A4') OR unix_socket"),
              absl::StrCat("SET PASSWORD FOR ", u1, "@localhost = PASSWORD('SluiceCanary-A5')"),
              absl::StrCat("GRANT SELECT ON *.* TO ", u1,
                           "@localhost IDENTIFIED BY 'SluiceCanary-A6'"),
              absl::StrCat("GRANT SELECT ON *.* TO '", u3,
                           "'@'localhost' IDENTIFIED BY 'SluiceCanary-A7' WITH GRANT OPTION"),
              "CREATE SERVER sluice_canary_server FOREIGN DATA WRAPPER mysql OPTIONS (USER 'u', "
              "PASSWORD 'SluiceCanary-A8', HOST '127.0.0.1', DATABASE 'x')",
              "DROP SERVER sluice_canary_server",
              "CHANGE MASTER 'sluice_canary' TO MASTER_HOST='127.0.0.1', MASTER_PORT=1, "
              "MASTER_USER='u', MASTER_PASSWORD='SluiceCanary-A9'",
              "RESET SLAVE 'sluice_canary' ALL",
              absl::StrCat("/*!100000 CREATE USER ", u4,
                           "@localhost IDENTIFIED BY 'SluiceCanary-A10' */"),
              absl::StrCat("cReAtE /* x */ uSeR ", u5,
                           "@localhost -- y\n  IdEnTiFiEd\t\tBy\n'SluiceCanary-A11'"),
              absl::StrCat("SET PASSWORD FOR ", u5, "@localhost = PASSWORD('SluiceCanary-A12')"),
          }};
}

Scenario MySql() {
  const std::string u1 = User(1), u2 = User(2), u3 = User(3), u4 = User(4);
  return {TestServer::kMySql,
          {u1, u2, u3, u4},
          {
              absl::StrCat("CREATE USER '", u1, "'@'localhost' IDENTIFIED BY 'SluiceCanary-B1'"),
              absl::StrCat("ALTER USER '", u1, "'@'localhost' IDENTIFIED BY 'SluiceCanary-B2'"),
              absl::StrCat("CREATE USER ", u2,
                           "@localhost IDENTIFIED WITH caching_sha2_password BY "
                           "'SluiceCanary-B3'"),
              absl::StrCat("SET PASSWORD FOR ", u1, "@localhost = 'SluiceCanary-B4'"),
              "CREATE SERVER sluice_canary_server FOREIGN DATA WRAPPER mysql OPTIONS (USER 'u', "
              "PASSWORD 'SluiceCanary-B5', HOST '127.0.0.1', DATABASE 'x')",
              "DROP SERVER sluice_canary_server",
              "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=1, "
              "SOURCE_USER='u', SOURCE_PASSWORD='SluiceCanary-B6' FOR CHANNEL 'sluice_canary'",
              "RESET REPLICA ALL FOR CHANNEL 'sluice_canary'",
              absl::StrCat("/*!80000 CREATE USER ", u3,
                           "@localhost IDENTIFIED BY 'SluiceCanary-B7' */"),
              absl::StrCat("cReAtE /* x */ uSeR ", u4,
                           "@localhost -- y\n  IdEnTiFiEd\t\tBy\n'SluiceCanary-B8'"),
          }};
}

// The password hashes the server stores for the canary users now: the binlog carries them in
// place of the password on MySQL. Hex, and the printable tail (the digest) when there is one.
void CollectHashes(CdcRun& run, std::set<std::string>* hashes) {
  absl::StatusOr<mysql::QueryResult> rows = run.admin().Query(
      "SELECT HEX(authentication_string), authentication_string FROM mysql.user "
      "WHERE user LIKE 'sluice\\_canary%' AND authentication_string <> ''");
  ASSERT_TRUE(rows.ok()) << rows.status();
  for (const auto& row : rows->rows) {
    hashes->insert(std::string(row[0].value_or("")));
    const std::string raw(row[1].value_or(""));
    if (raw.size() >= 24) hashes->insert(raw.substr(raw.size() - 20));
  }
}

// Where any of `needles` occurs in a record of a topic this run wrote.
std::vector<std::string> FindInTopics(const CdcRun& run, const std::set<std::string>& needles) {
  std::vector<std::string> found;
  absl::StatusOr<std::vector<std::string>> topics = ListTopics(KafkaBootstrap());
  EXPECT_TRUE(topics.ok()) << topics.status();
  if (!topics.ok()) return found;
  int read = 0;
  for (const std::string& topic : *topics) {
    if (!absl::StrContains(topic, run.name())) continue;
    ++read;
    absl::StatusOr<std::vector<ConsumedRecord>> records = ReadWholeTopic(KafkaBootstrap(), topic);
    EXPECT_TRUE(records.ok()) << topic << ": " << records.status();
    if (!records.ok()) continue;
    for (const ConsumedRecord& record : *records) {
      std::string text = absl::StrCat(record.key.value_or(""), "\n", record.value.value_or(""));
      for (const auto& [name, value] : record.headers) absl::StrAppend(&text, "\n", name, value);
      for (const std::string& needle : needles) {
        if (absl::StrContains(text, needle)) {
          found.push_back(absl::StrCat(topic, "@", record.offset, " holds ", needle, ": ",
                                       text.substr(text.find(needle) > 200 ? text.find(needle) - 200 : 0, 400)));
        }
      }
    }
  }
  // The table's, the schema changes', transactions', heartbeats', offsets', configs', statuses'.
  EXPECT_GE(read, 7) << "topics of " << run.name();
  return found;
}

void RunAccountStatements(const Scenario& scenario, const std::string& name) {
  CdcRun run(name, /*schemas=*/true, scenario.server);
  for (const std::string& user : scenario.users) {
    run.Sql(absl::StrCat("DROP USER IF EXISTS '", user, "'@'localhost'"));
  }
  run.Sql("CREATE TABLE t (id INT PRIMARY KEY, password VARCHAR(40))");
  run.Sql("INSERT INTO t VALUES (1, 'hash')");
  run.WriteConnectorConfig({{"provide.transaction.metadata", "true"},
                            {"heartbeat.interval.ms", "200"}});
  std::unique_ptr<Subprocess> worker = run.StartWorker();
  ASSERT_EQ(run.WaitForEvents(run.Topic("t"), 1, worker.get()).size(), 1u) << run.WorkerLog();

  std::set<std::string> secrets = {kCanary};
  for (const std::string& statement : scenario.account_statements) {
    ASSERT_NO_FATAL_FAILURE(run.Sql(statement));
    ASSERT_NO_FATAL_FAILURE(CollectHashes(run, &secrets));
  }
  // Structure statements are published, with what looks like a credential redacted.
  run.Sql("CREATE TABLE f (id INT PRIMARY KEY) /* IDENTIFIED BY 'SluiceCanary-S1' */");
  run.Sql("CREATE VIEW v AS SELECT id FROM t WHERE password = 'SluiceCanary-S2'");
  for (const std::string& user : scenario.users) {
    run.Sql(absl::StrCat("DROP USER IF EXISTS '", user, "'@'localhost'"));
  }
  run.Sql("INSERT INTO t VALUES (2, 'marker')");
  ASSERT_EQ(run.WaitForEvents(run.Topic("t"), 2, worker.get()).size(), 2u) << run.WorkerLog();

  // The snapshot's CREATE TABLE t, then CREATE TABLE f and the view: nothing else.
  std::vector<ChangeEvent> changes = run.WaitForEvents(run.prefix(), 3, worker.get());
  run.StopWorker(worker);
  EXPECT_GT(secrets.size(), 1u) << "the server stored no hash for the canary users";
  for (const std::string& found : FindInTopics(run, secrets)) ADD_FAILURE() << found;
  const std::string log = run.WorkerLog();
  for (const std::string& secret : secrets) {
    EXPECT_FALSE(absl::StrContains(log, secret)) << secret << " in the worker's log";
  }
  ASSERT_EQ(changes.size(), 3u);
  std::vector<std::string> ddl;
  for (const ChangeEvent& change : changes) ddl.push_back(change.payload()["ddl"].GetString());
  EXPECT_TRUE(absl::StartsWith(ddl[0], "CREATE TABLE `t`")) << ddl[0];
  EXPECT_EQ(ddl[1], "CREATE TABLE f (id INT PRIMARY KEY) /* IDENTIFIED BY '<secret>' */");
  EXPECT_TRUE(absl::StrContains(ddl[2], "VIEW")) << ddl[2];
  EXPECT_TRUE(absl::StrContains(ddl[2], "'<secret>'")) << ddl[2];
}

TEST(AccountStatements, NoPasswordReachesKafkaOnMariaDb) {
  ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok());
  RunAccountStatements(MariaDb(), "secrets_maria");
}

TEST(AccountStatements, NoPasswordOrHashReachesKafkaOnMySql) {
  ASSERT_TRUE(CheckServiceReachable("mysql", MySqlPort()).ok());
  RunAccountStatements(MySql(), "secrets_mysql");
}

}  // namespace
}  // namespace sluice::testing
