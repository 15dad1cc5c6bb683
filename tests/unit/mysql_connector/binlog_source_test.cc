// The binlog stream across lost connections, without a server: the poll's rule for a loss (records
// appended before it are delivered with OK, the loss reported by the next poll), where a stream
// that was never open reopens, losses in a row reported as "connecting" and failing the task past
// errors.max.retries, and a server that cannot be reached (the live losses:
// MySqlConnector.ALostConnectionIsReopenedWhereStreamingWas, MySqlConnectorServerRestart.*).
#include "connectors/mysql/connector/binlog_source.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/fake_host_api.h"

namespace sluice::mysql {
namespace {

// The host: progress reports kept for the test to read (ReportedProgressPositions), the log
// dropped.
Host NoHost() { return Host(testing::FakeHostApi(), nullptr); }
std::vector<std::string>& progress_positions = testing::ReportedProgressPositions();

OffsetState At(const char* file, int64_t pos) {
  OffsetState offset;
  offset.file = file;
  offset.pos = pos;
  return offset;
}

TEST(BinlogSource, AFailureAfterRecordsIsDeliveredWithOkAndReportedByTheNextPoll) {
  ConnectorConfig config;
  BinlogSource source(NoHost(), config);
  EXPECT_TRUE(source.TakeDeferredFailure().ok()) << "nothing kept yet";
  EXPECT_TRUE(
      source.DeferFailureAfterRecords(absl::UnavailableError("gone"), /*appended=*/true).ok())
      << "the records appended before the loss reach the worker";
  const absl::Status next = source.TakeDeferredFailure();
  EXPECT_TRUE(absl::IsUnavailable(next));
  EXPECT_EQ(next.message(), "gone");
  EXPECT_TRUE(source.TakeDeferredFailure().ok()) << "reported once";
  // Any other failure too: the transactions read before it in the same poll are delivered.
  EXPECT_TRUE(
      source.DeferFailureAfterRecords(absl::FailedPreconditionError("bad row"), /*appended=*/true)
          .ok());
  EXPECT_EQ(source.TakeDeferredFailure().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(BinlogSource, AFailureWithNothingAppendedIsReportedAtOnce) {
  ConnectorConfig config;
  BinlogSource source(NoHost(), config);
  EXPECT_TRUE(absl::IsUnavailable(
      source.DeferFailureAfterRecords(absl::UnavailableError("gone"), /*appended=*/false)));
  EXPECT_EQ(source.DeferFailureAfterRecords(absl::InternalError("bad"), /*appended=*/false).code(),
            absl::StatusCode::kInternal);
  EXPECT_TRUE(source.DeferFailureAfterRecords(absl::OkStatus(), /*appended=*/true).ok());
  EXPECT_TRUE(source.TakeDeferredFailure().ok()) << "nothing was kept";
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

TEST(BinlogSource, LossesInARowAreReportedAsConnectingAndFailTheTaskPastErrorsMaxRetries) {
  ConnectorConfig config;
  config.connection.host = "127.0.0.1";
  config.connection.port = 3307;
  config.errors_max_retries = 2;
  BinlogSource source(NoHost(), config);
  progress_positions.clear();
  const OffsetState at = At("binlog.000009", 900);
  EXPECT_TRUE(absl::IsUnavailable(source.Lost(absl::UnavailableError("refused"), at, false)));
  EXPECT_TRUE(absl::IsUnavailable(source.Lost(absl::UnavailableError("refused"), at, false)));
  ASSERT_EQ(progress_positions.size(), 2u);
  EXPECT_EQ(progress_positions[1],
            "connecting to 127.0.0.1:3307 (attempt 2 of 3, last error: refused)");
  const absl::Status failed = source.Lost(absl::UnavailableError("refused"), at, false);
  EXPECT_TRUE(absl::IsFailedPrecondition(failed)) << failed;
  EXPECT_EQ(failed.message(),
            "cannot reach the database server at 127.0.0.1:3307: 3 attempt(s) in a row failed "
            "(errors.max.retries=2); last error: refused. Check database.hostname and "
            "database.port, and that the server runs");

  // A connection made starts the count over.
  source.Connected();
  EXPECT_EQ(source.failed_attempts(), 0);
  EXPECT_TRUE(absl::IsUnavailable(source.Lost(absl::UnavailableError("refused"), at, false)));
  EXPECT_EQ(source.failed_attempts(), 1);
}

TEST(BinlogSource, WithoutALimitLossesAreRetriedForEver) {
  ConnectorConfig config;  // errors.max.retries=-1, Debezium's default
  BinlogSource source(NoHost(), config);
  progress_positions.clear();
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(absl::IsUnavailable(
        source.Lost(absl::UnavailableError("refused"), At("binlog.000009", 900), false)));
  }
  EXPECT_EQ(progress_positions.back(),
            "connecting to localhost:3306 (attempt 100, last error: refused)");
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
