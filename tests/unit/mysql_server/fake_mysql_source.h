// A stand-in MySQL replication source on a loopback port, so the MySQL paths run over the real
// client protocol for what the rig's MySQL 9.7 cannot show (other versions, events on demand).
//
// It speaks just enough of the protocol for MariaDB Connector/C: the handshake (any user and
// password, no TLS, mysql_native_password), `SHOW GLOBAL VARIABLES LIKE '<name>'` answered from
// `variables`, a query found in `results` with its result set, OK to every other query (as to a
// statement without a result: a query the script does not expect reads as an empty result), and
// a dump command (COM_BINLOG_DUMP or COM_BINLOG_DUMP_GTID) answered with `events`, one packet
// each behind the OK byte, then an EOF packet, as a server ends a non-blocking dump. The
// command's bytes are kept for the test. Connections are served one at a time, on one thread,
// until the client closes.
#ifndef SLUICE_TESTS_UNIT_MYSQL_SERVER_FAKE_MYSQL_SOURCE_H_
#define SLUICE_TESTS_UNIT_MYSQL_SERVER_FAKE_MYSQL_SOURCE_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "connectors/mysql/server/connection.h"

namespace sluice::testing {

class FakeMysqlSource {
 public:
  // A result set of text values, none NULL.
  struct Result {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
  };
  struct Script {
    std::string version = "8.0.36";
    std::map<std::string, std::string> variables;
    std::map<std::string, Result> results;     // by the query's exact text
    std::vector<std::vector<uint8_t>> events;  // whole events, header first
  };

  // Listens on 127.0.0.1, an ephemeral port. Aborts the test binary if it cannot.
  explicit FakeMysqlSource(Script script);
  // Stops serving; a connection still open is dropped.
  ~FakeMysqlSource();
  FakeMysqlSource(const FakeMysqlSource&) = delete;
  FakeMysqlSource& operator=(const FakeMysqlSource&) = delete;

  uint16_t port() const { return port_; }
  // The latest dump command received (its first byte is the command); empty before one.
  std::vector<uint8_t> dump_command() const;

 private:
  void Serve();
  void ServeConnection(int fd);

  const Script script_;
  int listener_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<uint8_t> dump_command_;  // guarded by mutex_
  std::thread thread_;
};

// A plaintext connection to `source`, opened as the connector opens one (any user and password
// pass).
absl::StatusOr<mysql::Connection> ConnectTo(const FakeMysqlSource& source);

}  // namespace sluice::testing

#endif  // SLUICE_TESTS_UNIT_MYSQL_SERVER_FAKE_MYSQL_SOURCE_H_
