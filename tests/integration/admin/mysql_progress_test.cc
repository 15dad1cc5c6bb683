// The MySQL connector's progress, as the admin API and the CLI show it, on the real MariaDB and
// broker: during the snapshot the table being read with its rows done out of the server's
// estimate and the tables done; then streaming with the lag behind the server and the binlog
// position, which moves with new changes and drops to 0 once the server says it is idle.
//
// To see the snapshot mid-way, deterministically, the second table is write-locked by the test:
// the snapshot reads the first table, then waits for the lock (MariaDB's metadata lock blocks its
// SELECT), holding its last report still for the test to read.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "connectors/mysql/server/connection.h"
#include "gmock/gmock.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/integration/admin/mysql_test_config.h"
#include "tests/support/service_endpoints.h"
#include "tests/support/test_files.h"

namespace sluice::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

constexpr int kRows = 200;
constexpr int kFetch = 10;

int Cli(const std::string& address, const std::vector<std::string>& args, std::string* out) {
  const std::string bin = absl::StrCat(BinaryDir(), "/runtime/cli/sluice");
  const std::string file = absl::StrCat(::testing::TempDir(), "/cli_out_", ::getpid());
  const int rc = std::system(
      absl::StrCat(bin, " --worker ", address, " ", absl::StrJoin(args, " "), " > ", file, " 2>&1")
          .c_str());
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

absl::StatusOr<mysql::Connection> AdminConnection() { return OpenOverTls(MariaDbAdmin()); }

class MySqlProgressTest : public AdminFixture {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CheckServiceReachable("mariadb", MariaDbPort()).ok());
    AdminFixture::SetUp();
    db_ = UniqueName("progress");
    absl::StatusOr<mysql::Connection> admin = AdminConnection();
    ASSERT_TRUE(admin.ok()) << admin.status();
    admin_.emplace(std::move(*admin));
    Sql(absl::StrCat("CREATE DATABASE ", db_));
    Sql(absl::StrCat("CREATE TABLE ", db_, ".a (id INT PRIMARY KEY, v VARCHAR(20))"));
    std::vector<std::string> rows;
    for (int i = 1; i <= kRows; ++i) rows.push_back(absl::StrCat("(", i, ", 'row ", i, "')"));
    Sql(absl::StrCat("INSERT INTO ", db_, ".a VALUES ", absl::StrJoin(rows, ", ")));
    Sql(absl::StrCat("CREATE TABLE ", db_, ".b (id INT PRIMARY KEY)"));
    Sql(absl::StrCat("INSERT INTO ", db_, ".b VALUES (1), (2), (3)"));
    // Fresh statistics, so information_schema's row estimate (TABLE_ROWS) is near the truth.
    (void)admin_->Query(absl::StrCat("ANALYZE TABLE ", db_, ".a, ", db_, ".b"));
  }

  void TearDown() override {
    // Unlocked first: a snapshot waiting on the lock could not stop.
    if (locker_.has_value()) (void)locker_->Execute("UNLOCK TABLES");
    AdminFixture::TearDown();  // the connector stops before its database goes
    if (admin_.has_value()) (void)admin_->Execute(absl::StrCat("DROP DATABASE IF EXISTS ", db_));
  }

  void Sql(const std::string& statement) {
    absl::Status status = admin_->Execute(statement);
    ASSERT_TRUE(status.ok()) << statement << ": " << status;
  }

  std::map<std::string, std::string> ConnectorConfig() const {
    std::map<std::string, std::string> config = MySqlConnectorConfig(MariaDbCdc(), db_, 20000);
    config["snapshot.fetch.size"] = absl::StrCat(kFetch);
    return config;
  }

  template <typename Predicate>
  pb::ConnectorStatus WaitForProgress(const std::string& name, Predicate done,
                                      absl::Duration timeout = absl::Seconds(60)) {
    pb::ConnectorStatus status;
    EXPECT_TRUE(Eventually(
        [&] {
          status = Status(name);
          return status.tasks_size() == 1 && status.tasks(0).has_progress() &&
                 done(status.tasks(0).progress());
        },
        timeout))
        << status.DebugString() << "\n"
        << log_.Text();
    return status;
  }

  std::string db_;
  std::optional<mysql::Connection> admin_;
  std::optional<mysql::Connection> locker_;
};

TEST_F(MySqlProgressTest, ASnapshotShowsRowsOfTheEstimateThenStreamingShowsLagAndPosition) {
  // Hold table b: the snapshot reads all of a, then waits on b.
  absl::StatusOr<mysql::Connection> locker = AdminConnection();
  ASSERT_TRUE(locker.ok()) << locker.status();
  locker_.emplace(std::move(*locker));
  ASSERT_TRUE(locker_->Execute(absl::StrCat("LOCK TABLES ", db_, ".b WRITE")).ok());

  const std::string name = db_;
  ASSERT_TRUE(Create(name, ConnectorConfig()).ok());
  // Chunks of kFetch rows: after the second-to-last chunk of a the snapshot reports, reads the last
  // chunk and, finding it is the last, looks into b for rows, which waits for the lock.
  const std::string table_a = db_ + ".a";
  pb::ConnectorStatus status = WaitForProgress(name, [&](const pb::TaskProgress& p) {
    return p.table() == table_a && p.table_rows_done() == kRows - kFetch;
  });
  ASSERT_TRUE(status.tasks_size() == 1 && status.tasks(0).has_progress());
  {
    const pb::TaskProgress& p = status.tasks(0).progress();
    EXPECT_EQ(p.phase(), pb::TASK_PHASE_SNAPSHOT);
    ASSERT_TRUE(p.has_table_rows_total()) << "information_schema gives an estimate";
    EXPECT_GT(p.table_rows_total(), kRows / 2);
    EXPECT_LT(p.table_rows_total(), kRows * 2);
    EXPECT_EQ(p.tables_done(), 0);
    EXPECT_EQ(p.tables_total(), 2);
    EXPECT_FALSE(p.has_lag_ms());
    EXPECT_THAT(p.position(), MatchesRegex(".+\\.[0-9]+:[0-9]+")) << "where streaming will start";
    EXPECT_TRUE(status.snapshot_running());

    std::string out;
    ASSERT_EQ(Cli(Address(), {"connectors", "status", name}, &out), 0) << out;
    EXPECT_THAT(out, HasSubstr(absl::StrCat("\ntask 0: snapshot ", table_a, " ", kRows - kFetch,
                                            "/", p.table_rows_total(), " rows (")));
    EXPECT_THAT(out, HasSubstr("%), table 1/2\n")) << out;
  }
  // Still there a moment later: the report stays while the task is blocked.
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Status(name).tasks(0).progress().table_rows_done(), kRows - kFetch);

  // Let go of b: the snapshot finishes and streaming starts at the snapshot's position.
  ASSERT_TRUE(locker_->Execute("UNLOCK TABLES").ok());
  status = WaitForProgress(
      name, [](const pb::TaskProgress& p) { return p.phase() == pb::TASK_PHASE_STREAMING; });
  const std::string first_position = status.tasks(0).progress().position();
  EXPECT_THAT(first_position, MatchesRegex(".+\\.[0-9]+:[0-9]+"));
  EXPECT_FALSE(status.snapshot_running());

  // A change: the position moves past it, and the lag is measured from its time on the server
  // (whole seconds there, so at most about a second plus the time to read it).
  Sql(absl::StrCat("INSERT INTO ", db_, ".a VALUES (", kRows + 1, ", 'new')"));
  status = WaitForProgress(name, [&](const pb::TaskProgress& p) {
    return p.phase() == pb::TASK_PHASE_STREAMING && p.position() != first_position &&
           p.has_lag_ms();
  });
  EXPECT_GE(status.tasks(0).progress().lag_ms(), 0);
  EXPECT_LT(status.tasks(0).progress().lag_ms(), 30000);

  // Idle at the end of the binlog: the server's heartbeat (every second) says so, lag 0.
  status = WaitForProgress(
      name, [](const pb::TaskProgress& p) { return p.has_lag_ms() && p.lag_ms() == 0; },
      absl::Seconds(20));
  EXPECT_THAT(status.tasks(0).progress().position(), MatchesRegex(".+\\.[0-9]+:[0-9]+"));
  std::string out;
  ASSERT_EQ(Cli(Address(), {"connectors", "status", name}, &out), 0) << out;
  EXPECT_THAT(out, ::testing::ContainsRegex(
                       "\ntask 0: streaming, lag [0-9]+ ms at [^ ]+\\.[0-9]+:[0-9]+\n"));
}

// A port nobody listens on: a port the kernel handed out and that was closed again.
unsigned UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  (void)getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

TEST_F(MySqlProgressTest, AServerNobodyListensOnShowsConnectingThenFailsAfterErrorsMaxRetries) {
  const unsigned port = UnusedPort();
  const std::string name = UniqueName("unreachable");
  std::map<std::string, std::string> config = ConnectorConfig();
  config["database.port"] = absl::StrCat(port);
  // 7 attempts: with the worker's back-off (100 ms doubling) about 6 s of connecting to watch.
  config["errors.max.retries"] = "6";
  ASSERT_TRUE(Create(name, config).ok());
  const std::string server = absl::StrCat("127.0.0.1:", port);
  pb::ConnectorStatus status = WaitForProgress(name, [&](const pb::TaskProgress& p) {
    return p.position().find(absl::StrCat("connecting to ", server,
                                          " (attempt 2 of 7, last error: ")) != std::string::npos;
  });
  EXPECT_EQ(status.tasks(0).state_name(), "RUNNING");
  std::string out;
  ASSERT_EQ(Cli(Address(), {"connectors", "status", name}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(absl::StrCat("task 0: phase unknown at connecting to ", server)));

  ASSERT_TRUE(Eventually(
      [&] {
        status = Status(name);
        return status.tasks_size() == 1 && status.tasks(0).state_name() == "FAILED";
      },
      absl::Seconds(60)))
      << status.DebugString() << "\n"
      << log_.Text();
  EXPECT_THAT(status.tasks(0).trace(),
              HasSubstr(absl::StrCat("cannot reach the database server at ", server,
                                     ": 7 attempt(s) in a row failed (errors.max.retries=6)")));
}

}  // namespace
}  // namespace sluice::testing
