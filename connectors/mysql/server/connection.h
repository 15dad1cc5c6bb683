#ifndef SLUICE_CONNECTORS_MYSQL_SERVER_CONNECTION_H_
#define SLUICE_CONNECTORS_MYSQL_SERVER_CONNECTION_H_

// One client connection to a MySQL or MariaDB server, through MariaDB Connector/C.
// Thread-compatible: one thread at a time per Connection (Connector/C's rule for a MYSQL handle).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "connectors/mysql/server/ssl_mode.h"

struct st_mysql;      // MYSQL, from <mysql.h>; kept out of this header.
struct st_mysql_res;  // MYSQL_RES

namespace sluice::mysql {

struct ConnectionOptions {
  std::string host = "localhost";
  unsigned port = 3306;
  std::string user;
  std::string password;  // secret: never put in a message or a log line
  SslMode ssl_mode = SslMode::kPreferred;
  std::string ssl_ca_file;    // PEM; required for verify_ca and verify_identity
  std::string ssl_cert_file;  // PEM client certificate, for servers that require one
  std::string ssl_key_file;
  absl::Duration connect_timeout = absl::Seconds(30);
  // A read that waits longer than this fails with Unavailable: a server that went away is noticed
  // instead of blocking forever. Binlog streams set it above the heartbeat period.
  absl::Duration read_timeout = absl::Seconds(60);
};

// A result small enough to hold whole (server variables, grants, information_schema rows).
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;

  // The column's index, or -1.
  int ColumnIndex(absl::string_view name) const;
};

// One row of a StoredRows; borrowed: valid while the StoredRows lives.
class RowView {
 public:
  RowView(char** values, const unsigned long* lengths, unsigned count)
      : values_(values), lengths_(lengths), count_(count) {}
  unsigned size() const { return count_; }
  bool is_null(unsigned column) const { return values_[column] == nullptr; }
  absl::string_view operator[](unsigned column) const {
    return values_[column] == nullptr ? absl::string_view()
                                      : absl::string_view(values_[column], lengths_[column]);
  }

 private:
  char** values_;
  const unsigned long* lengths_;
  unsigned count_;
};

// A whole result held as the client library received it (mysql_store_result), read through
// RowViews without copying a value: for results that are large in total but bounded, such as a
// snapshot chunk of snapshot.fetch.size rows. Valid as long as the StoredRows lives.
class StoredRows {
 public:
  size_t size() const { return rows_.size(); }
  RowView row(size_t i) const {
    return RowView(rows_[i], lengths_.data() + i * columns_, columns_);
  }

 private:
  friend class Connection;
  struct Freer {
    void operator()(st_mysql_res* result) const;
  };
  std::unique_ptr<st_mysql_res, Freer> result_;
  unsigned columns_ = 0;
  std::vector<char**> rows_;
  // Each row's value lengths, row after row: the library keeps only the current row's.
  std::vector<unsigned long> lengths_;
};

class Connection {
 public:
  // Connects, negotiating TLS as options.ssl_mode says. Unavailable when the server cannot be
  // reached (retry later), PermissionDenied for bad credentials, FailedPrecondition when TLS was
  // required and the server does not offer it or its certificate does not verify.
  static absl::StatusOr<Connection> Open(const ConnectionOptions& options);

  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;
  ~Connection();

  absl::Status Execute(absl::string_view sql);
  // Sends `sql` and returns without waiting for the answer, which is never read: for a last
  // statement whose outcome does not matter, right before the connection is closed.
  absl::Status SendLast(absl::string_view sql);
  absl::StatusOr<QueryResult> Query(absl::string_view sql);
  // The rows of `sql`, held whole but never copied value by value.
  absl::StatusOr<StoredRows> QueryStored(absl::string_view sql);

  // The value of a global server variable, NotFound when the server has no such variable.
  absl::StatusOr<std::string> GlobalVariable(absl::string_view name);

  bool is_mariadb() const;
  std::string server_version() const;
  // The negotiated TLS cipher, empty on a plaintext connection.
  std::string tls_cipher() const;
  // "user@host:port", for messages.
  const std::string& endpoint() const { return endpoint_; }
  // The server's id of this connection (CONNECTION_ID()), for KILL.
  uint64_t server_connection_id() const;

  // For BinlogStream, which drives the replication protocol on this connection.
  st_mysql* handle() { return handle_.get(); }

  // The status for the connection's last error, naming `what` was being done.
  absl::Status LastError(absl::string_view what) const;

 private:
  struct Closer {
    void operator()(st_mysql* handle) const;
  };
  Connection(std::unique_ptr<st_mysql, Closer> handle, std::string endpoint);

  std::unique_ptr<st_mysql, Closer> handle_;
  std::string endpoint_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_SERVER_CONNECTION_H_
