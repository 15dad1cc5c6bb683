// The binlog fetch ceiling for scripts/bench: how fast the server hands over its whole binlog to a
// replica that does nothing with it (no decoding, no Kafka). A connector can go no faster.
//
//   binlog_fetch_ceiling --port 23306 [--host 127.0.0.1] [--user U] [--password P]
//
// Prints one JSON object: events, bytes, seconds, events_per_second, mb_per_second.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "connectors/mysql/server/binlog_stream.h"
#include "connectors/mysql/server/connection.h"

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "binlog_fetch_ceiling: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  sluice::mysql::ConnectionOptions options;
  options.host = "127.0.0.1";
  options.user = "sluice_cdc";
  options.password = "sluice-cdc";
  options.ssl_mode = sluice::mysql::SslMode::kDisabled;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--host") options.host = value;
    else if (flag == "--port") options.port = static_cast<unsigned>(std::stoul(value));
    else if (flag == "--user") options.user = value;
    else if (flag == "--password") options.password = value;
    else return Fail("unknown flag " + flag);
  }
  absl::StatusOr<sluice::mysql::Connection> connection = sluice::mysql::Connection::Open(options);
  if (!connection.ok()) return Fail(std::string(connection.status().message()));
  absl::StatusOr<sluice::mysql::QueryResult> logs = connection->Query("SHOW BINARY LOGS");
  if (!logs.ok() || logs->rows.empty()) return Fail("SHOW BINARY LOGS returned nothing");
  const std::string first_file = logs->rows[0][0].value_or("");

  sluice::mysql::BinlogStreamOptions stream_options;
  stream_options.server_id = 7999;
  stream_options.stop_at_end = true;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<sluice::mysql::BinlogStream> stream = sluice::mysql::BinlogStream::Open(
      *std::move(connection), sluice::mysql::BinlogStart::AtFilePosition(first_file, 4),
      stream_options);
  if (!stream.ok()) return Fail(std::string(stream.status().message()));
  uint64_t events = 0, bytes = 0;
  while (true) {
    absl::StatusOr<absl::Span<const uint8_t>> event = stream->Next();
    if (absl::IsOutOfRange(event.status())) break;
    if (!event.ok()) return Fail(std::string(event.status().message()));
    ++events;
    bytes += event->size();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"events\":%llu,\"bytes\":%llu,\"seconds\":%.6f,\"events_per_second\":%.1f,"
      "\"mb_per_second\":%.1f}\n",
      static_cast<unsigned long long>(events), static_cast<unsigned long long>(bytes), seconds,
      events / seconds, bytes / seconds / 1e6);
  return 0;
}
