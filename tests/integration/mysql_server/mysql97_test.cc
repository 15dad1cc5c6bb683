// The connector's server side against a real MySQL 9.7 (fixture `mysql`, scripts/services/mysql):
// caching_sha2_password over TLS, the prerequisite checks, and a GTID-based binlog stream that
// carries untagged, tagged (8.3+) and compressed (TRANSACTION_PAYLOAD) transactions, every row of
// which the decoder reads back.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/gtid/mysql_gtid_set.h"
#include "connectors/mysql/server/binlog_position.h"
#include "connectors/mysql/server/binlog_stream.h"
#include "connectors/mysql/server/server_checks.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sluice/binlog/decoder.h"
#include "sluice/binlog/transaction_payload.h"
#include "tests/integration/mysql_server/test_connections.h"

namespace sluice::mysql {
namespace {

using ::testing::HasSubstr;
using sluice::testing::MySqlAdmin;
using sluice::testing::MySqlCdc;
using sluice::testing::MySqlTlsFile;
using sluice::testing::UniqueName;

ConnectionOptions MySqlOptions(const testing::MariaDbAccount& account, SslMode mode) {
  ConnectionOptions options = OptionsFor(account, mode);
  if (mode == SslMode::kVerifyCa || mode == SslMode::kVerifyIdentity) {
    options.ssl_ca_file = MySqlTlsFile("ca.pem");
  }
  return options;
}

Connection MustConnectMySql(const testing::MariaDbAccount& account) {
  absl::StatusOr<Connection> connection =
      Connection::Open(MySqlOptions(account, SslMode::kVerifyCa));
  if (!connection.ok()) {
    ADD_FAILURE() << connection.status();
    std::abort();
  }
  return *std::move(connection);
}

std::string ExecutedGtids(Connection& connection) {
  absl::StatusOr<QueryResult> result = connection.Query("SELECT @@gtid_executed");
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? result->rows[0][0].value_or("") : "";
}

TEST(MySql97, CachingSha2OverTlsAsTheCdcAccount) {
  Connection cdc = MustConnectMySql(MySqlCdc());
  absl::StatusOr<QueryResult> who = cdc.Query("SELECT CURRENT_USER(), VERSION()");
  ASSERT_TRUE(who.ok()) << who.status();
  EXPECT_EQ(who->rows[0][0].value_or(""), "sluice_cdc@127.0.0.1");
  EXPECT_THAT(who->rows[0][1].value_or(""), ::testing::StartsWith("9.7"));
  Connection admin = MustConnectMySql(MySqlAdmin());
  absl::StatusOr<QueryResult> plugin = admin.Query(
      "SELECT plugin FROM mysql.user WHERE user = 'sluice_cdc' AND host = '127.0.0.1'");
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_EQ(plugin->rows[0][0].value_or(""), "caching_sha2_password");
}

// caching_sha2_password's first login of an account over plaintext has no cached hash to match:
// the password must travel RSA-encrypted with the server's key (database.ssl.mode=disabled).
TEST(MySql97, PlaintextFirstLoginAuthenticatesWithTheServersRsaKey) {
  Connection admin = MustConnectMySql(MySqlAdmin());
  const std::string user = UniqueName("plain");
  ASSERT_TRUE(
      admin.Execute(absl::StrCat("CREATE USER '", user, "'@'127.0.0.1' IDENTIFIED BY 'pw-", user, "'"))
          .ok());
  testing::MariaDbAccount account = MySqlCdc();
  account.user = user;
  account.password = absl::StrCat("pw-", user);
  absl::StatusOr<Connection> plain = Connection::Open(MySqlOptions(account, SslMode::kDisabled));
  ASSERT_TRUE(plain.ok()) << plain.status();
  absl::StatusOr<QueryResult> cipher = plain->Query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  ASSERT_TRUE(cipher.ok()) << cipher.status();
  EXPECT_EQ(cipher->rows[0][1].value_or("?"), "") << "the connection is plaintext";
  // A wrong password is still refused, saying which account.
  account.password = "wrong";
  absl::StatusOr<Connection> wrong = Connection::Open(MySqlOptions(account, SslMode::kDisabled));
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(absl::IsPermissionDenied(wrong.status())) << wrong.status();
  ASSERT_TRUE(admin.Execute(absl::StrCat("DROP USER '", user, "'@'127.0.0.1'")).ok());
}

TEST(MySql97, TheTestServerPassesThePrerequisiteChecks) {
  Connection cdc = MustConnectMySql(MySqlCdc());
  EXPECT_TRUE(CheckBinlogSettings(cdc).ok()) << CheckBinlogSettings(cdc);
  EXPECT_TRUE(CheckReplicationGrants(cdc, /*for_locking_snapshot=*/true).ok())
      << CheckReplicationGrants(cdc, true);
  EXPECT_TRUE(CheckServerIdDiffers(cdc, 5501).ok());
}

TEST(MySql97, CurrentBinlogPositionWithoutShowMasterStatus) {
  Connection cdc = MustConnectMySql(MySqlCdc());
  EXPECT_FALSE(cdc.Query("SHOW MASTER STATUS").ok()) << "MySQL 8.4 removed it";
  absl::StatusOr<ServerBinlogPosition> position = ReadServerBinlogPosition(cdc);
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_THAT(position->file, ::testing::StartsWith("mysql-bin."));
  EXPECT_GT(position->position, 4u);
  EXPECT_EQ(position->executed_gtids, MysqlGtidSet::Parse(ExecutedGtids(cdc))->ToString());
  EXPECT_THAT(position->executed_gtids, ::testing::Not(HasSubstr("\n")));
  absl::StatusOr<std::string> oldest = ReadOldestBinlogFile(cdc);
  ASSERT_TRUE(oldest.ok()) << oldest.status();
  EXPECT_LE(*oldest, position->file);
}

// Everything decoded from a stream until its end: GTIDs in text, and rows as "insert id value".
struct Drained {
  std::vector<std::string> gtids;
  std::vector<std::string> rows;
  uint64_t unknown_events = 0;
  int payloads = 0;
};

void Note(const binlog::Event& event, const std::string& table, Drained& out) {
  if (const auto* gtid = event.As<binlog::MysqlGtidEvent>()) out.gtids.push_back(gtid->ToString());
  const auto* rows = event.As<binlog::RowsEvent>();
  if (rows == nullptr || rows->table->table != table) return;
  binlog::RowReader reader(*rows);
  binlog::RowChange change;
  while (true) {
    absl::StatusOr<bool> next = reader.Next(change);
    ASSERT_TRUE(next.ok()) << next.status();
    if (!*next) break;
    const std::vector<binlog::ColumnValue>& image =
        rows->kind == binlog::RowsKind::kDelete ? change.before : change.after;
    const char* verb = rows->kind == binlog::RowsKind::kWrite    ? "insert"
                       : rows->kind == binlog::RowsKind::kDelete ? "delete"
                                                                 : "update";
    const std::string_view value = image[1].string();
    out.rows.push_back(
        absl::StrCat(verb, " ", image[0].i64(), " ", absl::string_view(value.data(), value.size())));
  }
}

Drained DrainAndDecode(BinlogStream& stream, const std::string& table) {
  Drained out;
  binlog::BinlogDecoder decoder;
  for (int i = 0; i < 100000; ++i) {
    absl::StatusOr<absl::Span<const uint8_t>> raw = stream.Next();
    if (absl::IsOutOfRange(raw.status())) break;
    EXPECT_TRUE(raw.ok()) << raw.status();
    if (!raw.ok()) break;
    absl::StatusOr<binlog::Event> event =
        decoder.Decode(std::span<const uint8_t>(raw->data(), raw->size()));
    EXPECT_TRUE(event.ok()) << event.status();
    if (!event.ok()) break;
    Note(*event, table, out);
    if (const auto* payload = event->As<binlog::TransactionPayloadEvent>()) {
      ++out.payloads;
      binlog::PayloadReader reader(*payload);
      std::shared_ptr<const std::vector<uint8_t>> inner;
      while (true) {
        absl::StatusOr<bool> more = reader.Next(&inner);
        EXPECT_TRUE(more.ok()) << more.status();
        if (!more.ok() || !*more) break;
        absl::StatusOr<binlog::Event> embedded = decoder.DecodeEmbedded(inner, *event);
        EXPECT_TRUE(embedded.ok()) << embedded.status();
        if (!embedded.ok()) break;
        Note(*embedded, table, out);
      }
    }
  }
  out.unknown_events = decoder.stats().unknown_events;
  return out;
}

// A GTID start from a set that holds a tag goes to the server in the tagged encoding, and the
// stream after it carries tagged and compressed transactions the decoder reads whole.
TEST(MySql97, GtidStreamAfterATaggedSetCarriesTaggedAndCompressedTransactions) {
  Connection admin = MustConnectMySql(MySqlAdmin());
  const std::string database = UniqueName("gtids");
  ASSERT_TRUE(admin.Execute(absl::StrCat("CREATE DATABASE ", database)).ok());
  ASSERT_TRUE(admin
                  .Execute(absl::StrCat("CREATE TABLE ", database,
                                        ".t (id INT PRIMARY KEY, v VARCHAR(20))"))
                  .ok());
  ASSERT_TRUE(admin.Execute("SET gtid_next = 'AUTOMATIC:sluice_start'").ok());
  ASSERT_TRUE(admin.Execute(absl::StrCat("INSERT INTO ", database, ".t VALUES (0, 'start')")).ok());
  ASSERT_TRUE(admin.Execute("SET gtid_next = 'AUTOMATIC'").ok());
  const std::string start = ExecutedGtids(admin);
  ASSERT_THAT(start, HasSubstr(":sluice_start:"));
  ASSERT_TRUE(MysqlGtidSet::Parse(start).ok()) << start;

  const std::string t = absl::StrCat(database, ".t");
  for (const std::string& statement : std::vector<std::string>{
           absl::StrCat("INSERT INTO ", t, " VALUES (1, 'plain')"),
           "SET gtid_next = 'AUTOMATIC:sluice_tag'",
           absl::StrCat("INSERT INTO ", t, " VALUES (2, 'tagged')"),
           "SET gtid_next = 'AUTOMATIC'",
           "SET SESSION binlog_transaction_compression = ON",
           absl::StrCat("INSERT INTO ", t, " VALUES (3, 'compressed'), (4, 'compressed')"),
           "SET gtid_next = 'AUTOMATIC:sluice_tag'",
           absl::StrCat("UPDATE ", t, " SET v = 'both' WHERE id = 1"),
           "SET gtid_next = 'AUTOMATIC'",
           "SET SESSION binlog_transaction_compression = OFF",
           absl::StrCat("DELETE FROM ", t, " WHERE id = 0"),
       }) {
    ASSERT_TRUE(admin.Execute(statement).ok()) << statement;
  }

  BinlogStreamOptions options;
  options.server_id = 5502;
  options.stop_at_end = true;
  absl::StatusOr<BinlogStream> stream =
      BinlogStream::Open(MustConnectMySql(MySqlCdc()), BinlogStart::AfterGtids(start), options);
  ASSERT_TRUE(stream.ok()) << stream.status();
  const Drained drained = DrainAndDecode(*stream, "t");
  EXPECT_EQ(drained.rows, (std::vector<std::string>{"insert 1 plain", "insert 2 tagged",
                                                    "insert 3 compressed", "insert 4 compressed",
                                                    "update 1 both", "delete 0 start"}));
  EXPECT_EQ(drained.payloads, 2);
  EXPECT_EQ(drained.unknown_events, 0u);
  // Exactly the transactions after `start`, tagged ones under their tag, as the server counts them.
  MysqlGtidSet streamed;
  for (const std::string& gtid : drained.gtids) {
    absl::StatusOr<MysqlGtidSet> one = MysqlGtidSet::Parse(gtid);
    ASSERT_TRUE(one.ok()) << gtid;
    streamed.AddAll(*one);
  }
  absl::StatusOr<MysqlGtidSet> before = MysqlGtidSet::Parse(start);
  absl::StatusOr<MysqlGtidSet> after = MysqlGtidSet::Parse(ExecutedGtids(admin));
  ASSERT_TRUE(before.ok() && after.ok());
  // The stream ended before `after` was read, so other tests' transactions may be in `after` only.
  EXPECT_TRUE(after->Subtract(*before).ContainsAll(streamed))
      << streamed.ToString() << " vs " << after->Subtract(*before).ToString();
  EXPECT_FALSE(streamed.Contains(before->sources().begin()->first.uuid, 1))
      << "the stream started after " << start;
  EXPECT_GE(drained.gtids.size(), 5u);
  EXPECT_THAT(streamed.ToString(), HasSubstr(":sluice_tag:"));
  ASSERT_TRUE(admin.Execute(absl::StrCat("DROP DATABASE ", database)).ok());
}

}  // namespace
}  // namespace sluice::mysql
