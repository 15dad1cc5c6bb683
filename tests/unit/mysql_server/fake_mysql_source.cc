#include "tests/unit/mysql_server/fake_mysql_source.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace sluice::testing {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint8_t kComQuit = 0x01;
constexpr uint8_t kComQuery = 0x03;
constexpr uint8_t kComBinlogDump = 0x12;
constexpr uint8_t kComBinlogDumpGtid = 0x1e;

// OK and EOF packets with SERVER_STATUS_AUTOCOMMIT and nothing more to come.
const Bytes kOk = {0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00};
const Bytes kEof = {0xfe, 0x00, 0x00, 0x02, 0x00};

void Die(const char* what) {
  std::perror(what);
  std::abort();
}

void Append(Bytes& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

void Append(Bytes& out, std::string_view text) { out.insert(out.end(), text.begin(), text.end()); }

// A length-encoded string; everything this source sends is shorter than 251 bytes.
void AppendLengthEncoded(Bytes& out, std::string_view text) {
  out.push_back(static_cast<uint8_t>(text.size()));
  Append(out, text);
}

Bytes ColumnDefinition(std::string_view name) {
  Bytes column;
  AppendLengthEncoded(column, "def");
  AppendLengthEncoded(column, "");
  AppendLengthEncoded(column, "");
  AppendLengthEncoded(column, "");
  AppendLengthEncoded(column, name);
  AppendLengthEncoded(column, "");
  column.push_back(0x0c);
  Append(column, 33, 2);         // utf8
  Append(column, 1024, 4);       // display length
  column.push_back(0xfd);        // VAR_STRING
  Append(column, 0, 2 + 1 + 2);  // flags, decimals, filler
  return column;
}

}  // namespace

FakeMysqlSource::FakeMysqlSource(Script script) : script_(std::move(script)) {
  listener_ = socket(AF_INET, SOCK_STREAM, 0);
  if (listener_ < 0) Die("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) Die("bind");
  socklen_t size = sizeof(address);
  if (getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    Die("getsockname");
  }
  port_ = ntohs(address.sin_port);
  if (listen(listener_, 4) != 0) Die("listen");
  thread_ = std::thread([this] { Serve(); });
}

FakeMysqlSource::~FakeMysqlSource() {
  stop_ = true;
  thread_.join();
  close(listener_);
}

std::vector<uint8_t> FakeMysqlSource::dump_command() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dump_command_;
}

void FakeMysqlSource::Serve() {
  while (!stop_) {
    pollfd ready{listener_, POLLIN, 0};
    if (poll(&ready, 1, 100) <= 0) continue;
    const int fd = accept(listener_, nullptr, nullptr);
    if (fd < 0) continue;
    ServeConnection(fd);
    close(fd);
  }
}

void FakeMysqlSource::ServeConnection(int fd) {
  // Reads exactly `size` bytes; false when the client closed or the source is stopping.
  auto read_fully = [&](uint8_t* out, size_t size) {
    while (size > 0) {
      pollfd ready{fd, POLLIN, 0};
      if (stop_) return false;
      if (poll(&ready, 1, 100) <= 0) continue;
      const ssize_t got = recv(fd, out, size, 0);
      if (got <= 0) return false;
      out += got;
      size -= static_cast<size_t>(got);
    }
    return true;
  };
  auto read_packet = [&](uint8_t& sequence, Bytes& body) {
    uint8_t header[4];
    if (!read_fully(header, 4)) return false;
    body.resize(header[0] | header[1] << 8 | header[2] << 16);
    sequence = header[3];
    return read_fully(body.data(), body.size());
  };
  auto send_packet = [&](uint8_t sequence, const Bytes& body) {
    Bytes packet;
    Append(packet, body.size(), 3);
    packet.push_back(sequence);
    packet.insert(packet.end(), body.begin(), body.end());
    return send(fd, packet.data(), packet.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(packet.size());
  };

  // Protocol::HandshakeV10, then OK to whatever the client answers.
  const std::string_view scramble = "abcdefghijklmnopqrst";
  const uint32_t capabilities = 0x1 | 0x4 | 0x200 | 0x2000 | 0x8000 | 0x10000 | 0x20000 | 0x80000;
  Bytes greeting = {0x0a};
  Append(greeting, script_.version);
  greeting.push_back(0);
  Append(greeting, 1, 4);  // connection id
  Append(greeting, scramble.substr(0, 8));
  greeting.push_back(0);
  Append(greeting, capabilities & 0xffff, 2);
  greeting.push_back(33);  // utf8
  Append(greeting, 2, 2);  // SERVER_STATUS_AUTOCOMMIT
  Append(greeting, capabilities >> 16, 2);
  greeting.push_back(static_cast<uint8_t>(scramble.size() + 1));
  Append(greeting, 0, 10);
  Append(greeting, scramble.substr(8));
  greeting.push_back(0);
  Append(greeting, "mysql_native_password");
  greeting.push_back(0);
  uint8_t sequence = 0;
  Bytes body;
  if (!send_packet(0, greeting) || !read_packet(sequence, body) ||
      !send_packet(sequence + 1, kOk)) {
    return;
  }

  while (read_packet(sequence, body) && !body.empty() && body[0] != kComQuit) {
    uint8_t next = sequence + 1;
    if (body[0] == kComQuery) {
      const std::string query(body.begin() + 1, body.end());
      Result result;
      if (query.rfind("SHOW GLOBAL VARIABLES LIKE '", 0) == 0) {
        const size_t open = query.find('\'');
        const std::string name = query.substr(open + 1, query.rfind('\'') - open - 1);
        result.columns = {"Variable_name", "Value"};
        if (auto it = script_.variables.find(name); it != script_.variables.end()) {
          result.rows.push_back({name, it->second});
        }
      } else if (auto it = script_.results.find(query); it != script_.results.end()) {
        result = it->second;
      } else {
        send_packet(next, kOk);
        continue;
      }
      send_packet(next++, {static_cast<uint8_t>(result.columns.size())});
      for (const std::string& column : result.columns) {
        send_packet(next++, ColumnDefinition(column));
      }
      send_packet(next++, kEof);
      for (const std::vector<std::string>& values : result.rows) {
        Bytes row;
        for (const std::string& value : values) AppendLengthEncoded(row, value);
        send_packet(next++, row);
      }
      send_packet(next, kEof);
    } else if (body[0] == kComBinlogDump || body[0] == kComBinlogDumpGtid) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        dump_command_ = body;
      }
      for (const Bytes& event : script_.events) {
        Bytes packet = {0x00};
        packet.insert(packet.end(), event.begin(), event.end());
        if (!send_packet(next++, packet)) return;
      }
      send_packet(next, kEof);
    } else {
      send_packet(next, kOk);
    }
  }
}

absl::StatusOr<mysql::Connection> ConnectTo(const FakeMysqlSource& source) {
  mysql::ConnectionOptions options;
  options.host = "127.0.0.1";
  options.port = source.port();
  options.user = "sluice_cdc";
  options.password = "anything";
  options.ssl_mode = mysql::SslMode::kDisabled;
  return mysql::Connection::Open(options);
}

}  // namespace sluice::testing
