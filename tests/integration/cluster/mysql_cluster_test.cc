// The MySQL/MariaDB connector in a cluster (docs/cluster.md): killed with its worker (kill -9), it
// resumes on another worker from its committed position without losing a row and without two
// workers ever streaming the binlog under its database.server.id (the server would end one of
// the streams, "another replica connected"), and it is never given to a worker that lacks the
// plugin.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/integration/admin/mysql_test_config.h"
#include "tests/integration/cluster/cluster_run.h"
#include "tests/support/eventually.h"
#include "tests/support/kafka_reader.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

constexpr absl::Duration kSession = absl::Seconds(6);  // session.timeout.ms in ClusterRun

// The ids of the rows whose change events reached `topic` (a replay counts once).
std::set<int64_t> IdsIn(const std::string& topic) {
  std::set<int64_t> ids;
  absl::StatusOr<std::vector<ConsumedRecord>> consumed = ReadWholeTopic(KafkaBootstrap(), topic);
  if (!consumed.ok()) return ids;
  for (const ConsumedRecord& record : *consumed) {
    if (!record.value) continue;
    rapidjson::Document value;
    value.Parse(record.value->c_str());
    if (!value.IsObject() || !value.HasMember("after") || !value["after"].IsObject()) continue;
    ids.insert(value["after"]["id"].GetInt64());
  }
  return ids;
}

bool HasAll(const std::set<int64_t>& ids, int64_t last) {
  for (int64_t id = 1; id <= last; ++id) {
    if (!ids.contains(id)) return false;
  }
  return true;
}

TEST(ClusterMySql, AKilledWorkersMySqlConnectorResumesElsewhereWithoutAServerIdCollision) {
  const std::string db = absl::StrCat("cluster_", getpid());
  absl::StatusOr<mysql::Connection> admin = OpenOverTls(MariaDbAdmin());
  ASSERT_TRUE(admin.ok()) << admin.status();
  ASSERT_TRUE(admin->Execute(absl::StrCat("DROP DATABASE IF EXISTS ", db)).ok());
  ASSERT_TRUE(admin->Execute(absl::StrCat("CREATE DATABASE ", db)).ok());
  ASSERT_TRUE(
      admin->Execute(absl::StrCat("CREATE TABLE ", db, ".t (id INT PRIMARY KEY, v INT)")).ok());
  auto insert = [&](int64_t from, int64_t to) {
    for (int64_t id = from; id <= to; ++id) {
      ASSERT_TRUE(
          admin->Execute(absl::StrCat("INSERT INTO ", db, ".t VALUES (", id, ", ", id, ")")).ok());
    }
  };
  insert(1, 50);

  // Worker 0 has only the generator: the MySQL connector must never go there.
  const std::string binary_dir = std::getenv("SLUICE_BINARY_DIR");
  const std::string generator_only =
      absl::StrCat(binary_dir, "/tests/integration/cluster/generator-only");
  std::filesystem::create_directories(generator_only);
  std::error_code ignored;
  std::filesystem::create_symlink(binary_dir + "/plugins/sluice_generator.so",
                                  generator_only + "/sluice_generator.so", ignored);
  ClusterRun run("cluster-mysql");
  // The leader checks a config against its own plugins (as Kafka Connect's): worker 0 must not
  // lead, so its id sorts after the others' (the group's first member by id leads).
  run.StartAndJoin(0, generator_only, "rest.advertised.host.name=localhost\n");
  run.StartAndJoin(1);
  run.StartAndJoin(2);
  const MariaDbAccount cdc = MariaDbCdc();
  // A secret is stored as a reference that every worker resolves (here, on one host, one file).
  const std::string secrets = absl::StrCat(binary_dir, "/tests/integration/cluster/", db, ".secrets");
  std::ofstream(secrets) << "password=" << cdc.password << "\n";
  const std::string c = run.CreateConnector(
      1, "mysql",
      {{"connector.class", "mysql"},
       {"tasks.max", "1"},
       {"database.hostname", cdc.host},
       {"database.port", absl::StrCat(cdc.port)},
       {"database.user", cdc.user},
       {"database.password", absl::StrCat("${file:", secrets, ":password}")},
       {"database.server.id", absl::StrCat(5400 + getpid() % 1000)},
       {"database.ssl.mode", "required"},
       {"topic.prefix", db},
       {"database.include.list", db}});
  const std::string topic = absl::StrCat(db, ".", db, ".t");
  int owner = -1;
  ASSERT_TRUE(Eventually([&] { return (owner = run.OwnerOf(c, {0, 1, 2})) >= 0; },
                         absl::Seconds(30), absl::Milliseconds(200)))
      << run.log(0) << run.log(1) << run.log(2);
  ASSERT_NE(owner, 0) << run.log(0);
  ASSERT_TRUE(Eventually([&] { return HasAll(IdsIn(topic), 50); }, absl::Seconds(60),
                         absl::Seconds(1)))
      << run.log(owner);
  absl::SleepFor(absl::Seconds(1));  // an offset commit after the snapshot's last rows

  run.worker(owner).Signal(SIGKILL);
  ASSERT_EQ(run.worker(owner).Wait(absl::Seconds(10)), 128 + SIGKILL);
  insert(51, 100);  // while nobody streams
  const size_t other = owner == 1 ? 2 : 1;
  ASSERT_TRUE(Eventually([&] { return run.OwnerOf(c, {0, other}) == static_cast<int>(other); },
                         kSession + absl::Seconds(20), absl::Milliseconds(200)))
      << run.log(0) << run.log(other);
  insert(101, 120);  // and once it streams again
  EXPECT_TRUE(Eventually([&] { return HasAll(IdsIn(topic), 120); }, absl::Seconds(60),
                         absl::Seconds(1)))
      << run.log(other);
  EXPECT_TRUE(run.RunningOn(0).empty()) << run.log(0);
  for (size_t i = 0; i < run.size(); ++i) {
    EXPECT_EQ(run.log(i).find("another replica connected"), std::string::npos) << run.log(i);
  }
  run.StopWorker(0);
  run.StopWorker(other);
  (void)admin->Execute(absl::StrCat("DROP DATABASE IF EXISTS ", db));
}

}  // namespace
}  // namespace sluice::testing
