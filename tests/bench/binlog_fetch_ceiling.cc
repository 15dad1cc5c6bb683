// The binlog fetch ceiling for scripts/bench: how fast the server hands over its whole binlog to a
// replica that does nothing with it (no decoding, no Kafka). A connector can go no faster.
//
//   binlog_fetch_ceiling --port 23306 [--host 127.0.0.1] [--user U] [--password P]
//                        [--reader stream|mariadb_rpl] [--observe NAME=PID]...
//
// --reader stream (the default) reads through BinlogStream, the connector's own path.
// --reader mariadb_rpl reads the same binlog with Connector/C's mariadb_rpl_open/mariadb_rpl_fetch
// on an identically prepared session, the measurement behind "why not mariadb_rpl" in
// connectors/mysql/server/README.md.
//
// Prints one JSON object: reader, events, bytes, seconds, events_per_second, mb_per_second,
// cpu_seconds (this process, user + system) and cpu_ns_per_event; over the same timed read,
// observed_cpu_seconds (each --observe process's CPU time, e.g. the server's: what its binlog dump
// costs it) and the machine's machine_busy_cpu_seconds and machine_cpu_seconds (process_usage.h).
// clang-format off
#include <mysql.h>  // must precede mariadb_rpl.h, which uses its types
#include <mariadb_rpl.h>
// clang-format on

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/binlog_stream.h"
#include "connectors/mysql/server/connection.h"
#include "tests/bench/process_usage.h"

namespace {

using sluice::bench::CpuSeconds;
using sluice::bench::MachineWindow;

int Fail(const std::string& message) {
  std::fprintf(stderr, "binlog_fetch_ceiling: %s\n", message.c_str());
  return 1;
}

struct Totals {
  uint64_t events = 0;
  uint64_t bytes = 0;
};

constexpr uint32_t kServerId = 7999;

// The connector's path: BinlogStream from the first file's first event to the end.
absl::Status ReadWithStream(sluice::mysql::Connection connection, const std::string& file,
                            Totals& totals) {
  sluice::mysql::BinlogStreamOptions options;
  options.server_id = kServerId;
  options.stop_at_end = true;
  absl::StatusOr<sluice::mysql::BinlogStream> stream = sluice::mysql::BinlogStream::Open(
      std::move(connection), sluice::mysql::BinlogStart::AtFilePosition(file, 4), options);
  if (!stream.ok()) return stream.status();
  while (true) {
    absl::StatusOr<absl::Span<const uint8_t>> event = stream->Next();
    if (absl::IsOutOfRange(event.status())) return absl::OkStatus();
    if (!event.ok()) return event.status();
    ++totals.events;
    totals.bytes += event->size();
  }
}

// Connector/C's replication API on a session prepared as BinlogStream::Open prepares it, one
// event object reused across fetches (as the stream used it before it read packets itself).
absl::Status ReadWithMariadbRpl(sluice::mysql::Connection& connection, const std::string& file,
                                Totals& totals) {
  for (const char* sql :
       {"SET @master_binlog_checksum = @@global.binlog_checksum",
        "SET @mariadb_slave_capability = 4", "SET @master_heartbeat_period = 15000000000"}) {
    if (absl::Status status = connection.Execute(sql); !status.ok()) return status;
  }
  MYSQL* mysql = connection.handle();
  MARIADB_RPL* rpl = mariadb_rpl_init(mysql);
  if (rpl == nullptr) return absl::InternalError("mariadb_rpl_init failed");
  const unsigned long start = 4;
  const unsigned int flags = MARIADB_RPL_BINLOG_DUMP_NON_BLOCK;
  if (mariadb_rpl_optionsv(rpl, MARIADB_RPL_FILENAME, file.c_str(), file.size()) != 0 ||
      mariadb_rpl_optionsv(rpl, MARIADB_RPL_START, start) != 0 ||
      mariadb_rpl_optionsv(rpl, MARIADB_RPL_SERVER_ID, kServerId) != 0 ||
      mariadb_rpl_optionsv(rpl, MARIADB_RPL_FLAGS, flags) != 0 || mariadb_rpl_open(rpl) != 0) {
    const std::string error = mysql_error(mysql);
    mariadb_rpl_close(rpl);
    return absl::InternalError(absl::StrCat("mariadb_rpl_open: ", error));
  }
  MARIADB_RPL_EVENT* event = nullptr;
  absl::Status status;
  while (true) {
    // On the end and on errors the library frees the event it was handed.
    event = mariadb_rpl_fetch(rpl, event);
    if (event == nullptr) {
      if (mysql_errno(mysql) != 0) status = absl::InternalError(mysql_error(mysql));
      break;
    }
    ++totals.events;
    totals.bytes += event->raw_data_size - 1;  // the packet's OK byte is not part of the event
  }
  mariadb_rpl_close(rpl);
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  sluice::mysql::ConnectionOptions options;
  options.host = "127.0.0.1";
  options.user = "sluice_cdc";
  options.password = "sluice-cdc";
  options.ssl_mode = sluice::mysql::SslMode::kDisabled;
  std::string reader = "stream";
  MachineWindow machine;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--host")
      options.host = value;
    else if (flag == "--port")
      options.port = static_cast<unsigned>(std::stoul(value));
    else if (flag == "--user")
      options.user = value;
    else if (flag == "--password")
      options.password = value;
    else if (flag == "--reader")
      reader = value;
    else if (flag == "--observe") {
      if (!machine.Observe(value))
        return Fail(std::string("--observe needs NAME=PID, not ") + value);
    } else
      return Fail("unknown flag " + flag);
  }
  if (reader != "stream" && reader != "mariadb_rpl") {
    return Fail("--reader is stream or mariadb_rpl, not " + reader);
  }
  absl::StatusOr<sluice::mysql::Connection> connection = sluice::mysql::Connection::Open(options);
  if (!connection.ok()) return Fail(std::string(connection.status().message()));
  absl::StatusOr<sluice::mysql::QueryResult> logs = connection->Query("SHOW BINARY LOGS");
  if (!logs.ok() || logs->rows.empty()) return Fail("SHOW BINARY LOGS returned nothing");
  const std::string first_file = logs->rows[0][0].value_or("");

  Totals totals;
  machine.Start();
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  const absl::Status status = reader == "stream"
                                  ? ReadWithStream(*std::move(connection), first_file, totals)
                                  : ReadWithMariadbRpl(*connection, first_file, totals);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = CpuSeconds() - cpu_start;
  machine.Stop();
  if (!status.ok()) return Fail(std::string(status.message()));
  std::printf(
      "{\"reader\":\"%s\",\"events\":%llu,\"bytes\":%llu,\"seconds\":%.6f,"
      "\"events_per_second\":%.1f,\"mb_per_second\":%.1f,\"cpu_seconds\":%.6f,"
      "\"cpu_ns_per_event\":%.1f%s}\n",
      reader.c_str(), static_cast<unsigned long long>(totals.events),
      static_cast<unsigned long long>(totals.bytes), seconds, totals.events / seconds,
      totals.bytes / seconds / 1e6, cpu_seconds,
      totals.events == 0 ? 0.0 : cpu_seconds * 1e9 / totals.events, machine.Json().c_str());
  return 0;
}
