// Every non-rows event type, decoded through BinlogDecoder from fixtures built field by field.
#include <deque>
#include <string>
#include <vector>

#include "binlog_builder.h"
#include "gtest/gtest.h"
#include "sluice/binlog/decoder.h"

namespace sluice::binlog {
namespace {

using testing::Bytes;
using testing::EventOptions;
using testing::MakeEvent;
using testing::MakeFormatDescription;

constexpr char kMariaDb[] = "10.11.6-MariaDB-log";
constexpr char kMySql[] = "8.0.36";

// A decoder that has seen a FORMAT_DESCRIPTION; events it returns view `keep`.
class DecoderTest : public ::testing::Test {
 protected:
  void Start(const char* version, bool crc32) {
    crc32_ = crc32;
    decoder_ = BinlogDecoder(DecoderOptions{.initial_file = "binlog.000001"});
    auto fde = Keep(MakeFormatDescription(version, crc32));
    auto e = decoder_.Decode(fde);
    ASSERT_TRUE(e.ok()) << e.status();
  }
  std::span<const uint8_t> Keep(std::vector<uint8_t> bytes) {
    kept_.push_back(std::move(bytes));
    return kept_.back();
  }
  absl::StatusOr<Event> Feed(EventType type, const Bytes& data, EventOptions o = {}) {
    o.checksum = crc32_;
    return decoder_.Decode(Keep(MakeEvent(type, data, o)));
  }
  template <typename T>
  T FeedAs(EventType type, const Bytes& data, EventOptions o = {}) {
    auto e = Feed(type, data, o);
    EXPECT_TRUE(e.ok()) << e.status();
    if (!e.ok()) return T{};
    const T* body = e->As<T>();
    EXPECT_NE(body, nullptr) << "wrong body type for " << EventTypeLabel(type);
    return body ? *body : T{};
  }

  BinlogDecoder decoder_;
  bool crc32_ = false;
  std::deque<std::vector<uint8_t>> kept_;
};

TEST_F(DecoderTest, FormatDescriptionOfMariaDbWithChecksums) {
  Start(kMariaDb, true);
  const FormatDescription& fd = decoder_.format();
  EXPECT_EQ(fd.flavor, ServerFlavor::kMariaDB);
  EXPECT_EQ(fd.checksum, ChecksumAlgorithm::kCrc32);
  EXPECT_EQ(fd.version, (ServerVersion{10, 11, 6}));
  EXPECT_EQ(fd.PostHeaderLength(EventType::kQuery), 13);
  EXPECT_EQ(fd.PostHeaderLength(EventType::kMariaGtid), 19);
  EXPECT_EQ(decoder_.stats().checksum_verified, 1u);
}

TEST_F(DecoderTest, FormatDescriptionOfMySqlWithoutChecksums) {
  Start(kMySql, false);
  EXPECT_EQ(decoder_.format().flavor, ServerFlavor::kMySQL);
  EXPECT_EQ(decoder_.format().checksum, ChecksumAlgorithm::kOff);
  EXPECT_EQ(decoder_.format().PostHeaderLength(EventType::kWriteRowsV2), 10);
}

TEST_F(DecoderTest, OldServerFormatDescriptionHasNoChecksumByte) {
  // MySQL 5.5 predates checksums: the post-header array runs to the end of the event.
  decoder_ = BinlogDecoder();
  Bytes d;
  d.U16(4);
  std::string v = "5.5.62-log";
  v.resize(50, '\0');
  d.Str(v).U32(0).U8(19).U8(56).U8(13).U8(0).U8(8);  // types 1..4
  auto e = decoder_.Decode(Keep(MakeEvent(EventType::kFormatDescription, d)));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(decoder_.format().checksum, ChecksumAlgorithm::kOff);
  EXPECT_EQ(decoder_.format().PostHeaderLength(EventType::kRotate), 8);
}

TEST_F(DecoderTest, FormatDescriptionOfAnOpenFileVerifiesDespiteTheInUseFlag) {
  // The server sets LOG_EVENT_BINLOG_IN_USE_F in the file after computing the checksum.
  decoder_ = BinlogDecoder();
  std::vector<uint8_t> fde = MakeFormatDescription(kMariaDb, true);
  fde[17] |= kFlagBinlogInUse;
  auto e = decoder_.Decode(Keep(fde));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(decoder_.format().checksum, ChecksumAlgorithm::kCrc32);
  fde[20] ^= 1;  // but a real corruption is still caught
  EXPECT_FALSE(decoder_.Decode(Keep(fde)).ok());
}

TEST_F(DecoderTest, ChecksumMismatchIsReportedWithPosition) {
  Start(kMySql, true);
  std::vector<uint8_t> xid =
      MakeEvent(EventType::kXid, Bytes().U64(7), {.log_pos = 1000, .checksum = true});
  xid[20] ^= 1;  // flip a bit of the body
  auto e = decoder_.Decode(Keep(xid));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(e.status().message().find("XID_EVENT at binlog.000001:969"), std::string::npos)
      << e.status();
  EXPECT_NE(e.status().message().find("checksum mismatch"), std::string::npos);
}

TEST_F(DecoderTest, ChecksumVerificationCanBeTurnedOff) {
  decoder_ = BinlogDecoder(DecoderOptions{.verify_checksums = false});
  ASSERT_TRUE(decoder_.Decode(Keep(MakeFormatDescription(kMySql, true))).ok());
  std::vector<uint8_t> xid = MakeEvent(EventType::kXid, Bytes().U64(7), {.checksum = true});
  xid[xid.size() - 1] ^= 0xff;
  auto e = decoder_.Decode(Keep(xid));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->As<XidEvent>()->xid, 7u);
}

TEST_F(DecoderTest, RotateSwitchesFileAndPosition) {
  Start(kMariaDb, true);
  auto r = FeedAs<RotateEvent>(EventType::kRotate, Bytes().U64(4).Str("binlog.000002"));
  EXPECT_EQ(r.position, 4u);
  EXPECT_EQ(r.next_file, "binlog.000002");
  EXPECT_EQ(decoder_.current_file(), "binlog.000002");
  auto x = Feed(EventType::kXid, Bytes().U64(1), {.log_pos = 200});
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(*x->context.file, "binlog.000002");
  EXPECT_EQ(x->context.position, 200u - 19 - 8 - 4);
}

TEST_F(DecoderTest, ArtificialRotateBeforeAnyFormatDescriptionWithChecksum) {
  // A dump stream opens with a ROTATE made up by the server (log_pos 0), before the
  // FORMAT_DESCRIPTION; whether it carries a CRC is found by checking one.
  decoder_ = BinlogDecoder();
  auto e =
      decoder_.Decode(Keep(MakeEvent(EventType::kRotate, Bytes().U64(4).Str("mysql-bin.000007"),
                                     {.log_pos = 0, .flags = kFlagArtificial, .checksum = true})));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->As<RotateEvent>()->next_file, "mysql-bin.000007");
  EXPECT_EQ(*e->context.file, "mysql-bin.000007");
  auto plain = decoder_.Decode(
      Keep(MakeEvent(EventType::kRotate, Bytes().U64(4).Str("mysql-bin.000008"), {.log_pos = 0})));
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->As<RotateEvent>()->next_file, "mysql-bin.000008");
}

TEST_F(DecoderTest, StopEvent) {
  Start(kMariaDb, false);
  auto e = Feed(EventType::kStop, Bytes());
  ASSERT_TRUE(e.ok());
  EXPECT_NE(e->As<StopEvent>(), nullptr);
}

Bytes QueryData(std::string_view db, std::string_view query, const Bytes& status) {
  Bytes d;
  d.U32(42).U32(3).U8(db.size()).U16(0).U16(status.size()).Append(status).Str(db).U8(0).Str(query);
  return d;
}

TEST_F(DecoderTest, QueryWithStatusVariables) {
  Start(kMySql, true);
  Bytes status;
  status.U8(0).U32(0x4000);                                // Q_FLAGS2
  status.U8(1).U64(0x1ea00000ull);                         // Q_SQL_MODE
  status.U8(6).U8(3).Str("std");                           // Q_CATALOG_NZ
  status.U8(4).U16(255).U16(255).U16(45);                  // Q_CHARSET
  status.U8(5).U8(6).Str("SYSTEM");                        // Q_TIME_ZONE
  status.U8(11).U8(4).Str("root").U8(9).Str("localhost");  // Q_INVOKER
  status.U8(12).U8(2).Str("shop").U8(0).Str("crm").U8(0);  // Q_UPDATED_DB_NAMES
  status.U8(13).U24(123456);                               // Q_MICROSECONDS
  status.U8(17).U64(99);                                   // Q_DDL_LOGGED_WITH_XID
  status.U8(18).U16(255);                                  // Q_DEFAULT_COLLATION_FOR_UTF8MB4
  auto q =
      FeedAs<QueryEvent>(EventType::kQuery, QueryData("shop", "ALTER TABLE t ADD c INT", status));
  EXPECT_EQ(q.thread_id, 42u);
  EXPECT_EQ(q.exec_time, 3u);
  EXPECT_EQ(q.database, "shop");
  EXPECT_EQ(q.query, "ALTER TABLE t ADD c INT");
  EXPECT_EQ(q.status.flags2, 0x4000u);
  EXPECT_EQ(q.status.sql_mode, 0x1ea00000ull);
  EXPECT_EQ(q.status.catalog, "std");
  EXPECT_EQ(q.status.charset_client, 255);
  EXPECT_EQ(q.status.collation_server, 45);
  EXPECT_EQ(q.status.time_zone, "SYSTEM");
  EXPECT_EQ(q.status.invoker_user, "root");
  EXPECT_EQ(q.status.invoker_host, "localhost");
  ASSERT_EQ(q.status.updated_databases.size(), 2u);
  EXPECT_EQ(q.status.updated_databases[1], "crm");
  EXPECT_EQ(q.status.microseconds, 123456u);
  EXPECT_EQ(q.status.ddl_xid, 99u);
  EXPECT_EQ(q.status.default_collation_for_utf8mb4, 255);
  EXPECT_FALSE(q.status.stopped_at_unknown);
}

TEST_F(DecoderTest, QueryUnknownStatusVariableStopsStatusButNotQuery) {
  Start(kMariaDb, false);
  Bytes status;
  status.U8(8).U16(33).U8(200).U8(1).U8(2);  // charset_database, then an unknown code
  auto q = FeedAs<QueryEvent>(EventType::kQuery, QueryData("", "BEGIN", status));
  EXPECT_EQ(q.query, "BEGIN");
  EXPECT_EQ(q.status.collation_database, 33);
  EXPECT_TRUE(q.status.stopped_at_unknown);
  EXPECT_EQ(q.status.unknown_code, 200);
}

TEST_F(DecoderTest, MariaDbQueryStatusXid) {
  Start(kMariaDb, false);
  auto q = FeedAs<QueryEvent>(EventType::kQuery,
                              QueryData("db", "COMMIT", Bytes().U8(128).U24(5).U8(129).U64(77)));
  EXPECT_EQ(q.status.mariadb_xid, 77u);
}

TEST_F(DecoderTest, XidIntvarRandUserVar) {
  Start(kMySql, true);
  EXPECT_EQ(FeedAs<XidEvent>(EventType::kXid, Bytes().U64(123456789)).xid, 123456789u);
  for (EventType t : {EventType::kIntvar, EventType::kRand, EventType::kUserVar}) {
    auto s = FeedAs<StatementContextEvent>(t, Bytes().U8(2).U64(5));
    EXPECT_EQ(s.type, t);
    EXPECT_EQ(s.data.size(), 9u);
  }
}

TEST_F(DecoderTest, IncidentAndHeartbeat) {
  Start(kMySql, true);
  auto i = FeedAs<IncidentEvent>(EventType::kIncident, Bytes().U16(1).U8(11).Str("LOST_EVENTS"));
  EXPECT_EQ(i.incident, 1);
  EXPECT_EQ(i.message, "LOST_EVENTS");
  auto h = FeedAs<HeartbeatEvent>(EventType::kHeartbeat, Bytes().Str("binlog.000009"));
  EXPECT_EQ(h.log_file, "binlog.000009");
}

TEST_F(DecoderTest, MariaDbGtidWithCommitIdAndStandalone) {
  Start(kMariaDb, true);
  auto g = FeedAs<MariaGtidEvent>(
      EventType::kMariaGtid,
      Bytes()
          .U64(1234)
          .U32(2)
          .U8(MariaGtidEvent::kGroupCommitId | MariaGtidEvent::kTransactional)
          .U64(55),
      {.server_id = 7});
  EXPECT_EQ(g.ToString(), "2-7-1234");
  EXPECT_EQ(g.commit_id, 55u);
  EXPECT_FALSE(g.standalone());
  auto ddl = FeedAs<MariaGtidEvent>(EventType::kMariaGtid,
                                    Bytes().U64(9).U32(0).U8(MariaGtidEvent::kStandalone).Zeros(6));
  EXPECT_TRUE(ddl.standalone());
  EXPECT_FALSE(ddl.commit_id.has_value());
}

TEST_F(DecoderTest, MariaDbGtidOfXaTransaction) {
  Start(kMariaDb, false);
  auto g = FeedAs<MariaGtidEvent>(
      EventType::kMariaGtid,
      Bytes().U64(3).U32(0).U8(MariaGtidEvent::kPreparedXa).U32(1).U8(3).U8(2).Str("abcde"));
  EXPECT_EQ(g.xa_format_id, 1u);
  EXPECT_EQ(g.xa_gtrid, "abc");
  EXPECT_EQ(g.xa_bqual, "de");
}

TEST_F(DecoderTest, MariaDbGtidListAndCheckpointAndAnnotate) {
  Start(kMariaDb, true);
  auto l = FeedAs<MariaGtidListEvent>(EventType::kMariaGtidList,
                                      Bytes().U32(2).U32(0).U32(1).U64(100).U32(1).U32(2).U64(5));
  EXPECT_EQ(l.ToString(), "0-1-100,1-2-5");
  auto c = FeedAs<BinlogCheckpointEvent>(EventType::kMariaBinlogCheckpoint,
                                         Bytes().U32(13).Str("binlog.000001"));
  EXPECT_EQ(c.log_file, "binlog.000001");
  auto a = FeedAs<AnnotateRowsEvent>(EventType::kMariaAnnotateRows,
                                     Bytes().Str("INSERT INTO t VALUES (1)"));
  EXPECT_EQ(a.query, "INSERT INTO t VALUES (1)");
}

TEST_F(DecoderTest, MariaDbGtidListCountBeyondDataIsAnError) {
  Start(kMariaDb, false);
  auto e = Feed(EventType::kMariaGtidList, Bytes().U32(1000000).U32(0));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("GTID_LIST_EVENT"), std::string::npos);
}

Uuid TestUuid() {
  Uuid u;
  for (int i = 0; i < 16; ++i) u[i] = static_cast<uint8_t>(0x10 + i);
  return u;
}

TEST_F(DecoderTest, MySqlGtidWithEveryOptionalField) {
  Start(kMySql, true);
  Bytes d;
  d.U8(1).Append(std::span<const uint8_t>(TestUuid())).U64(23);
  d.U8(2).U64(10).U64(11);
  d.LE((uint64_t{1} << 55) | 1700000000000001ull, 7).LE(1700000000000000ull, 7);
  d.Packed(3000);
  d.U32((1u << 31) | 80036).U32(80030);
  auto g = FeedAs<MysqlGtidEvent>(EventType::kGtid, d);
  EXPECT_EQ(g.ToString(), "10111213-1415-1617-1819-1a1b1c1d1e1f:23");
  EXPECT_EQ(g.last_committed, 10);
  EXPECT_EQ(g.sequence_number, 11);
  EXPECT_EQ(g.immediate_commit_timestamp_us, 1700000000000001ull);
  EXPECT_EQ(g.original_commit_timestamp_us, 1700000000000000ull);
  EXPECT_EQ(g.transaction_length, 3000u);
  EXPECT_EQ(g.immediate_server_version, 80036u);
  EXPECT_EQ(g.original_server_version, 80030u);
}

TEST_F(DecoderTest, MySqlAnonymousGtidOldLayout) {
  Start(kMySql, false);
  Bytes d;
  d.U8(1).Zeros(16).U64(0).U8(2).U64(4).U64(5);
  auto g = FeedAs<MysqlGtidEvent>(EventType::kAnonymousGtid, d);
  EXPECT_TRUE(g.anonymous);
  EXPECT_EQ(g.sequence_number, 5);
  EXPECT_FALSE(g.immediate_commit_timestamp_us.has_value());
}

TEST_F(DecoderTest, MySqlPreviousGtids) {
  Start(kMySql, true);
  Bytes d;
  d.U64(1).Append(std::span<const uint8_t>(TestUuid())).U64(2).U64(1).U64(6).U64(8).U64(9);
  auto p = FeedAs<PreviousGtidsEvent>(EventType::kPreviousGtids, d);
  EXPECT_EQ(p.ToString(), "10111213-1415-1617-1819-1a1b1c1d1e1f:1-5:8");
  auto huge = Feed(EventType::kPreviousGtids, Bytes().U64(UINT64_MAX));
  EXPECT_FALSE(huge.ok());
}

// MySQL's variable-length unsigned integer, as its serialization library writes it.
Bytes& Varlen(Bytes& b, uint64_t v) {
  int extra = 0;
  while (extra < 8 && v >= (uint64_t{1} << (7 * (extra + 1)))) ++extra;
  if (extra == 8) return b.U8(0xff).U64(v);
  return b.LE((v << (extra + 1)) | ((uint64_t{1} << extra) - 1), extra + 1);
}

// A tagged GTID event's fields (id, then value), framed as a message: version 1, its size.
Bytes TaggedGtidMessage(const Bytes& fields, uint64_t version = 1, int64_t size_delta = 0) {
  // The size counts itself: find the width that makes it consistent.
  for (uint64_t size = fields.size() + 3;; ++size) {
    Bytes head;
    Varlen(head, version);
    Varlen(head, static_cast<uint64_t>(static_cast<int64_t>(size) + size_delta));
    Varlen(head, 0);
    if (head.size() + fields.size() == size) return head.Append(fields);
  }
}

Bytes TaggedGtidFields(int64_t gno, std::string_view tag) {
  Bytes f;
  Varlen(f, 0).U8(0);  // flags: 0
  Varlen(f, 1);
  for (uint8_t byte : TestUuid()) Varlen(f, byte);
  Varlen(Varlen(f, 2), static_cast<uint64_t>(gno) << 1);  // zigzag of a positive number
  Varlen(Varlen(f, 3), tag.size()).Str(tag);
  Varlen(Varlen(f, 4), 7 << 1);
  Varlen(Varlen(f, 5), 9 << 1);
  Varlen(Varlen(f, 6), 1796612208848130);
  Varlen(Varlen(f, 8), 300);
  Varlen(Varlen(f, 9), 90704);
  return f;
}

TEST_F(DecoderTest, MySqlTaggedGtid) {
  Start(kMySql, true);
  auto g = FeedAs<MysqlGtidEvent>(EventType::kGtidTagged,
                                  TaggedGtidMessage(TaggedGtidFields(123456789, "backup_7")));
  EXPECT_EQ(g.ToString(), "10111213-1415-1617-1819-1a1b1c1d1e1f:backup_7:123456789");
  EXPECT_EQ(g.last_committed, 7);
  EXPECT_EQ(g.sequence_number, 9);
  EXPECT_EQ(g.immediate_commit_timestamp_us, 1796612208848130u);
  EXPECT_EQ(g.original_commit_timestamp_us, 1796612208848130u);  // left out: equal
  EXPECT_EQ(g.transaction_length, 300u);
  EXPECT_EQ(g.immediate_server_version, 90704u);
  EXPECT_EQ(g.original_server_version, 90704u);
  EXPECT_FALSE(g.commit_group_ticket.has_value());
}

TEST_F(DecoderTest, MySqlTaggedGtidFieldsOfALaterServerAreSkipped) {
  Start(kMySql, true);
  Bytes fields = TaggedGtidFields(5, "t");
  Varlen(Varlen(fields, 11), 42);                // commit group ticket
  Varlen(Varlen(fields, 12), 1).Str("whatever");  // a field this decoder does not know
  auto g = FeedAs<MysqlGtidEvent>(EventType::kGtidTagged, TaggedGtidMessage(fields));
  EXPECT_EQ(g.ToString(), "10111213-1415-1617-1819-1a1b1c1d1e1f:t:5");
  EXPECT_EQ(g.commit_group_ticket, 42u);
}

TEST_F(DecoderTest, MySqlTaggedGtidDamageIsAnError) {
  Start(kMySql, true);
  auto error = [&](const Bytes& data) {
    auto e = Feed(EventType::kGtidTagged, data);
    EXPECT_FALSE(e.ok());
    return e.ok() ? std::string() : std::string(e.status().message());
  };
  EXPECT_NE(error(TaggedGtidMessage(TaggedGtidFields(1, "t"), 2)).find("format version 2"),
            std::string::npos);
  EXPECT_NE(error(TaggedGtidMessage(TaggedGtidFields(1, "t"), 1, 1)).find("says it is"),
            std::string::npos);
  EXPECT_NE(error(TaggedGtidMessage(TaggedGtidFields(0, "t"))).find("GNO 0"), std::string::npos);
  EXPECT_NE(error(TaggedGtidMessage(TaggedGtidFields(1, std::string(40, 't')))).find("at most 32"),
            std::string::npos);
  Bytes backwards = TaggedGtidFields(1, "t");
  Varlen(Varlen(backwards, 2), 2);
  EXPECT_NE(error(TaggedGtidMessage(backwards)).find("ascending order"), std::string::npos);
  Bytes no_uuid;
  Varlen(Varlen(no_uuid, 2), 2);
  EXPECT_NE(error(TaggedGtidMessage(no_uuid)).find("without its source id"), std::string::npos);
  // Every cut of a valid event fails (the size no longer adds up) and names the event.
  const Bytes whole = TaggedGtidMessage(TaggedGtidFields(77, "tag"));
  for (size_t cut = 0; cut < whole.size(); ++cut) {
    Bytes prefix;
    prefix.Append(whole.span().first(cut));
    auto e = Feed(EventType::kGtidTagged, prefix);
    ASSERT_FALSE(e.ok()) << cut;
    EXPECT_NE(e.status().message().find("GTID_TAGGED_LOG_EVENT"), std::string::npos) << e.status();
  }
}

TEST_F(DecoderTest, MySqlPreviousGtidsTaggedEncoding) {
  Start(kMySql, true);
  const Uuid uuid_bytes = TestUuid();
  const std::span<const uint8_t> uuid(uuid_bytes);
  Bytes d;
  d.U64(uint64_t{1} | uint64_t{2} << 8 | uint64_t{1} << 56);
  d.Append(uuid).U8(0).U64(1).U64(1).U64(6);               // untagged 1-5
  d.Append(uuid).U8(5 << 1).Str("mytag").U64(1).U64(3).U64(4);  // mytag:3
  auto p = FeedAs<PreviousGtidsEvent>(EventType::kPreviousGtids, d);
  EXPECT_EQ(p.ToString(), "10111213-1415-1617-1819-1a1b1c1d1e1f:1-5:mytag:3");
  ASSERT_EQ(p.sources.size(), 2u);
  EXPECT_EQ(p.sources[1].tag, "mytag");
  // A marker at one end only, or an unknown format, is damage, not a huge source count.
  auto half = Feed(EventType::kPreviousGtids, Bytes().U64(uint64_t{1} << 56 | 2 << 8));
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.status().message().find("one end only"), std::string::npos) << half.status();
  auto unknown = Feed(EventType::kPreviousGtids, Bytes().U64(uint64_t{2} << 56 | 2));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("unknown format 2"), std::string::npos);
}

TEST_F(DecoderTest, MySqlRowsQuery) {
  Start(kMySql, true);
  auto q = FeedAs<RowsQueryEvent>(EventType::kRowsQuery, Bytes().U8(8).Str("UPDATE t"));
  EXPECT_EQ(q.query, "UPDATE t");
}

TEST_F(DecoderTest, MySqlXaPrepare) {
  Start(kMySql, true);
  auto x = FeedAs<XaPrepareEvent>(EventType::kXaPrepare,
                                  Bytes().U8(0).U32(1).U32(3).U32(2).Str("abcde"));
  EXPECT_FALSE(x.one_phase);
  EXPECT_EQ(x.format_id, 1);
  EXPECT_EQ(x.gtrid, "abc");
  EXPECT_EQ(x.bqual, "de");
  EXPECT_FALSE(Feed(EventType::kXaPrepare, Bytes().U8(0).U32(1).U32(65).U32(0)).ok());
}

TEST_F(DecoderTest, UnknownEventTypesAreSkippedAndCounted) {
  Start(kMySql, true);
  auto e = Feed(static_cast<EventType>(99), Bytes().U32(1));
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_NE(e->As<SkippedEvent>(), nullptr);
  EXPECT_TRUE(e->As<SkippedEvent>()->unknown_type);
  EXPECT_EQ(decoder_.stats().unknown_events, 1u);
  auto known = Feed(EventType::kViewChange, Bytes().U8(0));
  ASSERT_TRUE(known.ok());
  EXPECT_FALSE(known->As<SkippedEvent>()->unknown_type);
  EXPECT_EQ(decoder_.stats().unknown_events, 1u);
  EXPECT_EQ(decoder_.stats().skipped_events, 2u);
}

TEST_F(DecoderTest, SizeMismatchAndShortHeaderAreErrors) {
  Start(kMySql, false);
  std::vector<uint8_t> e = MakeEvent(EventType::kXid, Bytes().U64(1));
  e.push_back(0);
  EXPECT_FALSE(decoder_.Decode(Keep(e)).ok());
  EXPECT_FALSE(decoder_.Decode(Keep({1, 2, 3})).ok());
}

// Every prefix of every event kind must fail cleanly, never crash or read past the end (the
// sanitizer build and the fuzzers check the "never read" part).
TEST_F(DecoderTest, EveryTruncationOfEveryEventIsAnError) {
  Start(kMySql, false);
  std::vector<std::pair<EventType, Bytes>> events = {
      {EventType::kQuery, QueryData("db", "BEGIN", Bytes().U8(0).U32(0))},
      {EventType::kRotate, Bytes().U64(4).Str("b.2")},
      {EventType::kXid, Bytes().U64(1)},
      {EventType::kMariaGtid, Bytes().U64(1).U32(0).U8(2).U64(3)},
      {EventType::kMariaGtidList, Bytes().U32(1).U32(0).U32(1).U64(100)},
      {EventType::kMariaBinlogCheckpoint, Bytes().U32(3).Str("abc")},
      {EventType::kGtid, Bytes().U8(1).Zeros(16).U64(1)},
      {EventType::kPreviousGtids, Bytes().U64(1).Zeros(16).U64(1).U64(1).U64(2)},
      {EventType::kIncident, Bytes().U16(1).U8(3).Str("abc")},
  };
  for (auto& [type, data] : events) {
    for (size_t cut = 0; cut < data.size(); ++cut) {
      Bytes prefix;
      prefix.Append(data.span().first(cut));
      auto e = Feed(type, prefix);
      // Some prefixes are themselves valid events (optional trailing fields); none may crash,
      // and a failure must name the event.
      if (!e.ok()) {
        EXPECT_NE(e.status().message().find(std::string(EventTypeName(type))), std::string::npos)
            << e.status();
      }
    }
  }
}

}  // namespace
}  // namespace sluice::binlog
