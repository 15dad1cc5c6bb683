// The binlog stream across lost connections, without a server: the poll's rule for a loss (records
// appended before it are delivered with OK, the loss reported by the next poll), where a stream
// that was never open reopens, and a server that cannot be reached (the live losses:
// MySqlConnector.ALostConnectionIsReopenedWhereStreamingWas, MySqlConnectorServerRestart.*).
#include "connectors/mysql/connector/binlog_source.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace sluice::mysql {
namespace {

// No host calls happen on these paths (nothing opens, nothing is logged).
Host NoHost() { return Host(nullptr, nullptr); }

OffsetState At(const char* file, int64_t pos) {
  OffsetState offset;
  offset.file = file;
  offset.pos = pos;
  return offset;
}

TEST(BinlogSource, ALossAfterRecordsIsDeliveredWithOkAndReportedByTheNextPoll) {
  ConnectorConfig config;
  BinlogSource source(NoHost(), config);
  EXPECT_TRUE(source.TakeDeferredLoss().ok()) << "nothing kept yet";
  EXPECT_TRUE(
      source.DeferLossAfterRecords(absl::UnavailableError("gone"), /*appended=*/true).ok())
      << "the records appended before the loss reach the worker";
  const absl::Status next = source.TakeDeferredLoss();
  EXPECT_TRUE(absl::IsUnavailable(next));
  EXPECT_EQ(next.message(), "gone");
  EXPECT_TRUE(source.TakeDeferredLoss().ok()) << "reported once";
}

TEST(BinlogSource, ALossWithNothingAppendedOrAnotherErrorIsReportedAtOnce) {
  ConnectorConfig config;
  BinlogSource source(NoHost(), config);
  EXPECT_TRUE(absl::IsUnavailable(
      source.DeferLossAfterRecords(absl::UnavailableError("gone"), /*appended=*/false)));
  EXPECT_EQ(source.DeferLossAfterRecords(absl::InternalError("bad"), /*appended=*/true).code(),
            absl::StatusCode::kInternal);
  EXPECT_TRUE(source.DeferLossAfterRecords(absl::OkStatus(), /*appended=*/true).ok());
  EXPECT_TRUE(source.TakeDeferredLoss().ok()) << "nothing was kept";
}

TEST(BinlogSource, ALossWithoutAnOpenStreamKeepsTheReopenPoint) {
  ConnectorConfig config;
  BinlogSource source(NoHost(), config);
  EXPECT_FALSE(source.reopen_at().has_value());
  source.ReopenAt(At("binlog.000002", 4), /*gtids_complete=*/true);
  const absl::Status lost =
      source.Lost(absl::UnavailableError("refused"), At("binlog.000009", 900), false);
  EXPECT_TRUE(absl::IsUnavailable(lost)) << "the cause, for the poll to report";
  ASSERT_TRUE(source.reopen_at().has_value());
  EXPECT_EQ(source.reopen_at()->file, "binlog.000002") << "a failed reopen reopens there again";
  EXPECT_EQ(source.reopen_at()->pos, 4);
  EXPECT_TRUE(source.reopen_gtids_complete());
  EXPECT_FALSE(source.is_open());
  EXPECT_EQ(source.dump_thread_id(), 0u);
}

TEST(BinlogSource, AServerThatCannotBeReachedIsUnavailableBeforeTheDump) {
  // A port nothing listens on: bound, then closed.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  close(fd);

  ConnectorConfig config;
  config.connection.host = "127.0.0.1";
  config.connection.port = ntohs(address.sin_port);
  config.connection.connect_timeout = absl::Seconds(5);
  BinlogSource source(NoHost(), config);
  bool asked = false;
  const absl::Status opened = source.Open(At("binlog.000001", 4), [&](bool) {
    asked = true;
    return absl::OkStatus();
  });
  EXPECT_TRUE(absl::IsUnavailable(opened)) << opened;
  EXPECT_FALSE(asked) << "the server's kind is unknown without a connection";
  EXPECT_FALSE(source.is_open());
}

}  // namespace
}  // namespace sluice::mysql
