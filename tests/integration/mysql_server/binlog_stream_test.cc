// The binlog stream against real servers: raw events from a file position and from a GTID
// position, a purged start position reported as such, and two readers with one server id.
#include "connectors/mysql/server/binlog_stream.h"

#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/mysql_server/test_connections.h"

namespace sluice::mysql {
namespace {

using ::testing::HasSubstr;
using sluice::testing::MariaDbAdmin;
using sluice::testing::MariaDbCdc;
using sluice::testing::MariaDbScratchAdmin;
using sluice::testing::MariaDbScratchCdc;
using sluice::testing::UniqueName;

constexpr uint8_t kGtidEvent = 162;          // MariaDB GTID_EVENT
constexpr uint8_t kWriteRowsEventV1 = 23;
constexpr uint8_t kXidEvent = 16;

uint32_t LittleEndian32(absl::Span<const uint8_t> bytes, size_t at) {
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) |
         (static_cast<uint32_t>(bytes[at + 3]) << 24);
}

// Event types seen until the end of the binlog, checking each event's framing on the way.
std::map<uint8_t, int> DrainTypes(BinlogStream& stream, std::vector<uint8_t>* order = nullptr) {
  std::map<uint8_t, int> types;
  for (int i = 0; i < 10000; ++i) {
    absl::StatusOr<absl::Span<const uint8_t>> event = stream.Next();
    if (absl::IsOutOfRange(event.status())) break;
    EXPECT_TRUE(event.ok()) << event.status();
    if (!event.ok()) break;
    EXPECT_GE(event->size(), 19u);
    EXPECT_EQ(LittleEndian32(*event, 9), event->size()) << "event length field vs bytes";
    ++types[(*event)[4]];
    if (order != nullptr) order->push_back((*event)[4]);
  }
  return types;
}

// On the scratch server, which this test binary holds alone (RESOURCE_LOCK): the exact counts
// below would take in other tests' writes on the shared server.
TEST(BinlogStream, HandsOutRawEventsFromAFilePosition) {
  Connection admin = MustConnect(MariaDbScratchAdmin());
  const std::string database = UniqueName("stream");
  ASSERT_TRUE(admin.Execute(absl::StrCat("CREATE DATABASE ", database)).ok());
  ASSERT_TRUE(admin.Execute(absl::StrCat("CREATE TABLE ", database, ".t (id INT PRIMARY KEY)")).ok());
  Connection cdc = MustConnect(MariaDbScratchCdc());
  const ServerPosition start = CurrentPosition(cdc);
  ASSERT_TRUE(admin.Execute(absl::StrCat("INSERT INTO ", database, ".t VALUES (1), (2)")).ok());
  ASSERT_TRUE(admin.Execute(absl::StrCat("INSERT INTO ", database, ".t VALUES (3)")).ok());

  BinlogStreamOptions options;
  options.server_id = 5401;
  options.stop_at_end = true;
  absl::StatusOr<BinlogStream> stream =
      BinlogStream::Open(std::move(cdc), BinlogStart::AtFilePosition(start.file, start.position), options);
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_TRUE(stream->checksums());
  std::map<uint8_t, int> types = DrainTypes(*stream);
  EXPECT_EQ(types[kWriteRowsEventV1], 2);
  EXPECT_EQ(types[kXidEvent], 2);
  EXPECT_EQ(types[kGtidEvent], 2);
  ASSERT_TRUE(admin.Execute(absl::StrCat("DROP DATABASE ", database)).ok());
}

// A caller that must not block past a deadline (the connector's poll) asks AwaitNextEvent first:
// it says yes at once for every event already there, also those Connector/C read ahead into its
// cache or OpenSSL holds decrypted (the socket no longer shows them), so none is left unread;
// it waits no longer than asked on an idle stream; and it says yes as soon as a new event comes.
// Plaintext and over TLS.
TEST(BinlogStream, AwaitNextEventNeverMissesAnEventReadAheadAndWaitsNoLongerThanAsked) {
  for (SslMode mode : {SslMode::kDisabled, SslMode::kRequired}) {
    SCOPED_TRACE(mode == SslMode::kDisabled ? "plaintext" : "TLS");
    Connection admin = MustConnect(MariaDbAdmin());
    const std::string database = UniqueName("await");
    ASSERT_TRUE(admin.Execute(absl::StrCat("CREATE DATABASE ", database)).ok());
    ASSERT_TRUE(
        admin.Execute(absl::StrCat("CREATE TABLE ", database, ".t (id INT PRIMARY KEY)")).ok());
    Connection cdc = MustConnect(MariaDbCdc(), mode);
    if (mode == SslMode::kRequired) {
      ASSERT_FALSE(cdc.tls_cipher().empty());
    }
    const ServerPosition start = CurrentPosition(cdc);
    for (int id = 1; id <= 3; ++id) {
      ASSERT_TRUE(admin.Execute(absl::StrCat("INSERT INTO ", database, ".t VALUES (", id, ")")).ok());
    }
    BinlogStreamOptions options;
    options.server_id = mode == SslMode::kDisabled ? 5407 : 5408;
    absl::StatusOr<BinlogStream> stream = BinlogStream::Open(
        std::move(cdc), BinlogStart::AtFilePosition(start.file, start.position), options);
    ASSERT_TRUE(stream.ok()) << stream.status();
    // The three transactions' events arrive in one or two reads: each after the first is read
    // ahead, and must be announced without waiting for the socket (the server's heartbeat is 15 s).
    int xids = 0;
    while (xids < 3) {
      const absl::Time asked = absl::Now();
      ASSERT_TRUE(stream->AwaitNextEvent(5000));
      ASSERT_LT(absl::Now() - asked, absl::Seconds(2)) << "an event already read was not seen";
      absl::StatusOr<absl::Span<const uint8_t>> event = stream->Next();
      ASSERT_TRUE(event.ok()) << event.status();
      if ((*event)[4] == kXidEvent) ++xids;
    }
    // The server is shared with the suite's other tests, whose writes may reach this stream at
    // any moment: an event that comes is read and the wait asked again, until one wait finds
    // the stream idle, and that one must have waited as long as asked, and no longer.
    bool idle_seen = false;
    for (int attempt = 0; attempt < 50 && !idle_seen; ++attempt) {
      const absl::Time asked = absl::Now();
      if (stream->AwaitNextEvent(300)) {
        ASSERT_TRUE(stream->Next().ok());
        continue;
      }
      idle_seen = true;
      EXPECT_GE(absl::Now() - asked, absl::Milliseconds(290));
      EXPECT_LT(absl::Now() - asked, absl::Seconds(2));
    }
    EXPECT_TRUE(idle_seen) << "no wait of 300 ms found the stream idle in 50 tries";
    ASSERT_TRUE(admin.Execute(absl::StrCat("INSERT INTO ", database, ".t VALUES (4)")).ok());
    EXPECT_TRUE(stream->AwaitNextEvent(10000));
    EXPECT_TRUE(stream->Next().ok());
    ASSERT_TRUE(admin.Execute(absl::StrCat("DROP DATABASE ", database)).ok());
  }
}

TEST(BinlogStream, StartsAfterAGtidPosition) {
  Connection admin = MustConnect(MariaDbAdmin());
  const std::string database = UniqueName("gtid");
  ASSERT_TRUE(admin.Execute(absl::StrCat("CREATE DATABASE ", database)).ok());
  ASSERT_TRUE(admin.Execute(absl::StrCat("CREATE TABLE ", database, ".t (id INT PRIMARY KEY)")).ok());
  Connection cdc = MustConnect(MariaDbCdc());
  const ServerPosition before = CurrentPosition(cdc);
  ASSERT_FALSE(before.gtids.empty());
  ASSERT_TRUE(admin.Execute(absl::StrCat("INSERT INTO ", database, ".t VALUES (1)")).ok());

  BinlogStreamOptions options;
  options.server_id = 5402;
  options.stop_at_end = true;
  absl::StatusOr<BinlogStream> stream = BinlogStream::Open(std::move(cdc), BinlogStart::AfterGtids(before.gtids), options);
  ASSERT_TRUE(stream.ok()) << stream.status();
  std::vector<uint8_t> order;
  std::map<uint8_t, int> types = DrainTypes(*stream, &order);
  // Only what followed the position: exactly one transaction (other tests may add their own, so
  // at least one), and no rows event from before it.
  EXPECT_GE(types[kGtidEvent], 1);
  EXPECT_GE(types[kWriteRowsEventV1], 1);
  ASSERT_TRUE(admin.Execute(absl::StrCat("DROP DATABASE ", database)).ok());
}

// A Debezium MariaDB offset may name a domain once per server ("0-1-42,0-2-7"), which
// @slave_connect_state refuses; the stream sends the domain's latest GTID only.
TEST(BinlogStream, StartsAfterADebeziumStyleGtidPositionWithADomainNamedTwice) {
  Connection admin = MustConnect(MariaDbAdmin());
  const std::string database = UniqueName("gtid2");
  ASSERT_TRUE(admin.Execute(absl::StrCat("CREATE DATABASE ", database)).ok());
  ASSERT_TRUE(admin.Execute(absl::StrCat("CREATE TABLE ", database, ".t (id INT PRIMARY KEY)")).ok());
  Connection cdc = MustConnect(MariaDbCdc());
  const ServerPosition before = CurrentPosition(cdc);
  ASSERT_FALSE(before.gtids.empty());
  ASSERT_TRUE(admin.Execute(absl::StrCat("INSERT INTO ", database, ".t VALUES (1)")).ok());

  BinlogStreamOptions options;
  options.server_id = 5405;
  options.stop_at_end = true;
  // An older GTID of the same domain from another server id: the higher sequence wins.
  const std::string offset = absl::StrCat("0-4242-1,", before.gtids);
  absl::StatusOr<BinlogStream> stream =
      BinlogStream::Open(std::move(cdc), BinlogStart::AfterGtids(offset), options);
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_EQ(stream->start_description(), absl::StrCat("GTID position ", before.gtids));
  std::map<uint8_t, int> types = DrainTypes(*stream);
  EXPECT_GE(types[kGtidEvent], 1);
  EXPECT_GE(types[kWriteRowsEventV1], 1);
  ASSERT_TRUE(admin.Execute(absl::StrCat("DROP DATABASE ", database)).ok());
}

TEST(BinlogStream, AnOffsetWithFileAndGtidsStartsAtTheFileOnMariaDb) {
  Connection cdc = MustConnect(MariaDbCdc());
  const ServerPosition now = CurrentPosition(cdc);
  BinlogStreamOptions options;
  options.server_id = 5406;
  options.stop_at_end = true;
  absl::StatusOr<BinlogStream> stream = BinlogStream::Open(
      std::move(cdc), BinlogStart::FromOffset(now.file, now.position, now.gtids), options);
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_EQ(stream->start_description(), absl::StrCat(now.file, ":", now.position));
  EXPECT_TRUE(stream->is_mariadb());
}

TEST(BinlogStream, GtidsInTheOtherDialectAreRefusedSayingSo) {
  BinlogStreamOptions options;
  options.server_id = 5407;
  options.stop_at_end = true;
  absl::StatusOr<BinlogStream> stream = BinlogStream::Open(
      MustConnect(MariaDbCdc()),
      BinlogStart::AfterGtids("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"), options);
  EXPECT_TRUE(absl::IsInvalidArgument(stream.status())) << stream.status();
  EXPECT_THAT(stream.status().message(), HasSubstr("a MySQL GTID"));
}

TEST(BinlogStream, APurgedStartPositionIsReportedAsPurged) {
  Connection admin = MustConnect(MariaDbScratchAdmin());
  const ServerPosition old_position = CurrentPosition(admin);
  ASSERT_TRUE(admin.Execute("FLUSH BINARY LOGS").ok());
  const ServerPosition now = CurrentPosition(admin);
  // The server keeps a file that a replica is still reading, and (MariaDB) one whose binlog
  // checkpoint is not written yet, which happens shortly after FLUSH BINARY LOGS: end every dump
  // thread and retry the purge until the old file is gone.
  bool purged = false;
  for (int attempt = 0; attempt < 100 && !purged; ++attempt) {
    absl::StatusOr<QueryResult> dumps = admin.Query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'");
    ASSERT_TRUE(dumps.ok()) << dumps.status();
    for (const auto& row : dumps->rows) {
      (void)admin.Execute(absl::StrCat("KILL ", row[0].value_or("0")));
    }
    ASSERT_TRUE(admin.Execute(absl::StrCat("PURGE BINARY LOGS TO '", now.file, "'")).ok());
    absl::StatusOr<QueryResult> logs = admin.Query("SHOW BINARY LOGS");
    ASSERT_TRUE(logs.ok()) << logs.status();
    purged = true;
    for (const auto& row : logs->rows) purged &= row[0].value_or("") != old_position.file;
    if (!purged) absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_TRUE(purged) << "the server kept " << old_position.file << " for 10 s after PURGE";

  BinlogStreamOptions options;
  options.server_id = 5403;
  options.stop_at_end = true;
  absl::StatusOr<BinlogStream> stream = BinlogStream::Open(
      MustConnect(MariaDbScratchCdc()), BinlogStart::AtFilePosition(old_position.file, 4), options);
  absl::Status status = stream.ok() ? stream->Next().status() : stream.status();
  EXPECT_TRUE(IsBinlogPurged(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("purged"));
  EXPECT_THAT(status.message(), HasSubstr("when_needed"));
}

TEST(BinlogStream, ASecondReaderWithTheSameServerIdIsReportedAsACollision) {
  BinlogStreamOptions options;
  options.server_id = 5404;
  options.server_heartbeat_period = absl::Seconds(1);
  Connection cdc = MustConnect(MariaDbScratchCdc());
  const ServerPosition now = CurrentPosition(cdc);
  absl::StatusOr<BinlogStream> first =
      BinlogStream::Open(std::move(cdc), BinlogStart::AtFilePosition(now.file, now.position), options);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<BinlogStream> second = BinlogStream::Open(
      MustConnect(MariaDbScratchCdc()), BinlogStart::AtFilePosition(now.file, now.position), options);
  ASSERT_TRUE(second.ok()) << second.status();
  // Read the first until the server drops it (heartbeats arrive every second meanwhile).
  absl::Status status;
  for (int i = 0; i < 50 && status.ok(); ++i) status = first->Next().status();
  EXPECT_TRUE(IsServerIdCollision(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("database.server.id 5404"));
}

}  // namespace
}  // namespace sluice::mysql
