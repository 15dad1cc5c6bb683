// A MySQL connector stopped or paused while its snapshot holds a lock lets go of it at once, on
// MariaDB (taking MySQL's locking path) and on MySQL 9.7, while the worker lives on (issues 13 and
// 19: a task that stops or fails while it holds FLUSH TABLES WITH READ LOCK must not keep the
// user's writes waiting). snapshot.locking.mode=extended holds the lock for the whole snapshot, and
// internal.snapshot.chunk.delay.ms keeps the snapshot going long enough to stop it mid-way.
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "connectors/mysql/server/connection.h"
#include "gtest/gtest.h"
#include "tests/integration/admin/admin_fixture.h"
#include "tests/integration/admin/mysql_test_config.h"
#include "tests/support/service_endpoints.h"

namespace sluice::testing {
namespace {

constexpr int kRows = 200;

enum class HowStopped { kStop, kPause };

// One test per server and way of stopping (a parameterised name would hold a '/', which the
// fixture puts into its topic names).
class MySqlSnapshotStop : public AdminFixture {
 protected:
  bool mysql() const { return mysql_; }

  // The server's database of this test: `kRows` rows in `t`.
  void Prepare(bool on_mysql) {
    mysql_ = on_mysql;
    ASSERT_TRUE(CheckServiceReachable(mysql() ? "mysql" : "mariadb",
                                      mysql() ? MySqlPort() : MariaDbPort())
                    .ok());
    db_ = UniqueName("snapstop");
    absl::StatusOr<mysql::Connection> admin =
        OpenOverTls(mysql() ? MySqlAdmin() : MariaDbAdmin());
    ASSERT_TRUE(admin.ok()) << admin.status();
    admin_.emplace(std::move(*admin));
    Sql(absl::StrCat("CREATE DATABASE ", db_));
    Sql(absl::StrCat("CREATE TABLE ", db_, ".t (id INT PRIMARY KEY, v INT)"));
    std::vector<std::string> rows;
    for (int i = 1; i <= kRows; ++i) rows.push_back(absl::StrCat("(", i, ", 0)"));
    Sql(absl::StrCat("INSERT INTO ", db_, ".t VALUES ", absl::StrJoin(rows, ", ")));
  }

  void StopMidSnapshot(bool on_mysql, HowStopped how);

  void TearDown() override {
    AdminFixture::TearDown();  // the connector stops before its database goes
    if (admin_.has_value()) (void)admin_->Execute(absl::StrCat("DROP DATABASE IF EXISTS ", db_));
  }

  void Sql(const std::string& statement) {
    absl::Status status = admin_->Execute(statement);
    ASSERT_TRUE(status.ok()) << statement << ": " << status;
  }

  std::map<std::string, std::string> ConnectorConfig() const {
    std::map<std::string, std::string> config =
        MySqlConnectorConfig(mysql() ? MySqlCdc() : MariaDbCdc(), db_, 30000);
    config["include.schema.changes"] = "false";
    config["snapshot.locking.mode"] = "extended";
    config["internal.snapshot.locking.on.mariadb"] = "true";
    config["snapshot.fetch.size"] = "10";
    config["internal.snapshot.chunk.delay.ms"] = "300";
    return config;
  }

  // A write to the captured table with the given lock wait, from a connection of its own.
  absl::Status Write(int seconds, int id) {
    absl::StatusOr<mysql::Connection> writer =
        OpenOverTls(mysql() ? MySqlAdmin() : MariaDbAdmin());
    if (!writer.ok()) return writer.status();
    absl::Status status = writer->Execute(absl::StrCat("SET SESSION lock_wait_timeout = ", seconds));
    if (!status.ok()) return status;
    return writer->Execute(absl::StrCat("INSERT INTO ", db_, ".t VALUES (", id, ", 1)"));
  }

  bool mysql_ = false;
  std::string db_;
  std::optional<mysql::Connection> admin_;
};

void MySqlSnapshotStop::StopMidSnapshot(bool on_mysql, HowStopped how) {
  ASSERT_NO_FATAL_FAILURE(Prepare(on_mysql));
  const std::string name = db_;
  ASSERT_TRUE(Create(name, ConnectorConfig()).ok());
  // The snapshot is reading rows, under the lock extended mode holds throughout.
  pb::ConnectorStatus status;
  ASSERT_TRUE(Eventually([&] {
    status = Status(name);
    return status.tasks_size() == 1 && status.tasks(0).has_progress() &&
           status.tasks(0).progress().table_rows_done() > 0;
  })) << status.DebugString()
      << "\n"
      << log_.Text();
  ASSERT_NE(log_.Text().find("the lock is held until the snapshot's rows are read"),
            std::string::npos)
      << log_.Text();
  EXPECT_FALSE(Write(1, kRows + 1).ok()) << "the lock is held while the snapshot reads";

  pb::ConnectorStatus stopped;
  if (how == HowStopped::kStop) {
    ASSERT_TRUE(stub_->StopConnector(Ctx().get(), Ref(name), &stopped).ok());
  } else {
    ASSERT_TRUE(stub_->PauseConnector(Ctx().get(), Ref(name), &stopped).ok());
  }
  // With the worker running on, writes go through at once.
  absl::Status write = Write(5, kRows + 2);
  EXPECT_TRUE(write.ok()) << write << "\n" << log_.Text();
}

TEST_F(MySqlSnapshotStop, StoppingTheTaskWhileItsSnapshotHoldsTheLockReleasesItOnMariaDb) {
  StopMidSnapshot(/*on_mysql=*/false, HowStopped::kStop);
}

TEST_F(MySqlSnapshotStop, StoppingTheTaskWhileItsSnapshotHoldsTheLockReleasesItOnMySql97) {
  StopMidSnapshot(/*on_mysql=*/true, HowStopped::kStop);
}

TEST_F(MySqlSnapshotStop, PausingTheTaskWhileItsSnapshotHoldsTheLockReleasesItOnMariaDb) {
  StopMidSnapshot(/*on_mysql=*/false, HowStopped::kPause);
}

TEST_F(MySqlSnapshotStop, PausingTheTaskWhileItsSnapshotHoldsTheLockReleasesItOnMySql97) {
  StopMidSnapshot(/*on_mysql=*/true, HowStopped::kPause);
}

}  // namespace
}  // namespace sluice::testing
