#include "connectors/mysql/server/connection.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "connectors/mysql/server/error_text.h"
#include "connectors/mysql/server/tls_preflight.h"

namespace sluice::mysql {
namespace {

// Chooses the status code by what the caller should do: retry (Unavailable), fix credentials or
// grants (PermissionDenied), fix the statement or the input (InvalidArgument), or look closer.
absl::StatusCode CodeFor(unsigned error) {
  switch (error) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_UNKNOWN_HOST:
    case ER_CON_COUNT_ERROR:
    case ER_SERVER_SHUTDOWN:
    case ER_CONNECTION_KILLED:
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_LOCK_DEADLOCK:
      return absl::StatusCode::kUnavailable;
    case ER_ACCESS_DENIED_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
    case ER_COLUMNACCESS_DENIED_ERROR:
      return absl::StatusCode::kPermissionDenied;
    case ER_PARSE_ERROR:
    case ER_BAD_DB_ERROR:
    case ER_NO_SUCH_TABLE:
    case ER_BAD_FIELD_ERROR:
    case ER_UNKNOWN_SYSTEM_VARIABLE:
      return absl::StatusCode::kInvalidArgument;
    default:
      return error >= CR_MIN_ERROR && error <= CR_MAX_ERROR ? absl::StatusCode::kUnavailable
                                                             : absl::StatusCode::kInternal;
  }
}

// MySQL's ER_SECURE_TRANSPORT_REQUIRED (require_secure_transport=ON, plaintext connection); not
// in MariaDB Connector/C's mysqld_error.h.
constexpr unsigned kMySqlSecureTransportRequired = 3159;

absl::Status SetOption(MYSQL* handle, mysql_option option, const void* value,
                       absl::string_view name) {
  if (mysql_optionsv(handle, option, value) != 0) {
    return absl::InternalError(absl::StrCat("MariaDB Connector/C refused option ", name));
  }
  return absl::OkStatus();
}

absl::Status ConfigureTls(MYSQL* handle, const ConnectionOptions& options) {
  const bool verify = options.ssl_mode == SslMode::kVerifyCa ||
                      options.ssl_mode == SslMode::kVerifyIdentity;
  if (verify && options.ssl_ca_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "database.ssl.mode=", SslModeName(options.ssl_mode),
        " needs the CA that signed the server's certificate: set database.ssl.ca to a PEM file"));
  }
  switch (options.ssl_mode) {
    case SslMode::kDisabled:
      return absl::OkStatus();
    case SslMode::kPreferred:
      // Asking for TLS without enforcing it: plaintext only when the server offers no TLS.
      mysql_ssl_set(handle, nullptr, nullptr, nullptr, nullptr, nullptr);
      break;
    case SslMode::kRequired:
    case SslMode::kVerifyCa:
    case SslMode::kVerifyIdentity: {
      const my_bool enforce = 1;
      if (auto status = SetOption(handle, MYSQL_OPT_SSL_ENFORCE, &enforce, "ssl enforce");
          !status.ok()) {
        return status;
      }
      break;
    }
  }
  if (options.ssl_mode == SslMode::kVerifyCa) {
    // Connector/C cannot check a chain without the host name: verify it ourselves, then pin the
    // connection to the certificate we verified (tls_preflight.h explains).
    absl::StatusOr<std::string> fingerprint = VerifiedServerCertificateFingerprint(
        {options.host, options.port, options.ssl_ca_file, options.connect_timeout});
    if (!fingerprint.ok()) return fingerprint.status();
    if (auto status = SetOption(handle, MARIADB_OPT_TLS_PEER_FP, fingerprint->c_str(),
                                "tls peer fingerprint");
        !status.ok()) {
      return status;
    }
  } else if (options.ssl_mode == SslMode::kVerifyIdentity) {
    const my_bool verify_server = 1;
    if (auto status = SetOption(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify_server,
                                "ssl verify server cert");
        !status.ok()) {
      return status;
    }
    if (auto status = SetOption(handle, MYSQL_OPT_SSL_CA, options.ssl_ca_file.c_str(), "ssl ca");
        !status.ok()) {
      return status;
    }
  }
  if (!options.ssl_cert_file.empty()) {
    if (auto status =
            SetOption(handle, MYSQL_OPT_SSL_CERT, options.ssl_cert_file.c_str(), "ssl cert");
        !status.ok()) {
      return status;
    }
  }
  if (!options.ssl_key_file.empty()) {
    if (auto status = SetOption(handle, MYSQL_OPT_SSL_KEY, options.ssl_key_file.c_str(), "ssl key");
        !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

unsigned WholeSeconds(absl::Duration duration) {
  const int64_t seconds = absl::ToInt64Seconds(absl::Ceil(duration, absl::Seconds(1)));
  return seconds < 1 ? 1u : static_cast<unsigned>(seconds);
}

}  // namespace

int QueryResult::ColumnIndex(absl::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (absl::EqualsIgnoreCase(columns[i], name)) return static_cast<int>(i);
  }
  return -1;
}

void Connection::Closer::operator()(st_mysql* handle) const { mysql_close(handle); }

Connection::Connection(std::unique_ptr<st_mysql, Closer> handle, std::string endpoint)
    : handle_(std::move(handle)), endpoint_(std::move(endpoint)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

absl::StatusOr<Connection> Connection::Open(const ConnectionOptions& options) {
  std::unique_ptr<st_mysql, Closer> handle(mysql_init(nullptr));
  if (handle == nullptr) return absl::ResourceExhaustedError("mysql_init failed: out of memory");
  const std::string endpoint = absl::StrCat(options.user, "@", options.host, ":", options.port);

  const unsigned connect_timeout = WholeSeconds(options.connect_timeout);
  const unsigned read_timeout = WholeSeconds(options.read_timeout);
  if (auto status = SetOption(handle.get(), MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout,
                              "connect timeout");
      !status.ok()) {
    return status;
  }
  if (auto status =
          SetOption(handle.get(), MYSQL_OPT_READ_TIMEOUT, &read_timeout, "read timeout");
      !status.ok()) {
    return status;
  }
  if (auto status =
          SetOption(handle.get(), MYSQL_OPT_WRITE_TIMEOUT, &read_timeout, "write timeout");
      !status.ok()) {
    return status;
  }
  // Always TCP, as JDBC does: "localhost" must not silently mean a Unix socket.
  const unsigned protocol = MYSQL_PROTOCOL_TCP;
  if (auto status = SetOption(handle.get(), MYSQL_OPT_PROTOCOL, &protocol, "protocol");
      !status.ok()) {
    return status;
  }
  if (auto status = SetOption(handle.get(), MYSQL_SET_CHARSET_NAME, "utf8mb4", "charset");
      !status.ok()) {
    return status;
  }
  if (auto status = ConfigureTls(handle.get(), options); !status.ok()) return status;

  if (mysql_real_connect(handle.get(), options.host.c_str(), options.user.c_str(),
                         options.password.c_str(), nullptr, options.port, nullptr,
                         CLIENT_MULTI_RESULTS) == nullptr) {
    const unsigned error = mysql_errno(handle.get());
    std::string message =
        absl::StrCat("connecting to ", endpoint, " failed: ", mysql_error(handle.get()));
    if (error == ER_ACCESS_DENIED_ERROR) {
      absl::StrAppend(&message, "; check database.user and database.password");
      if (options.ssl_mode == SslMode::kDisabled) {
        // MySQL refuses an account created with REQUIRE SSL/X509 over plaintext with this same
        // error, so the TLS setting is part of the fix.
        absl::StrAppend(&message,
                        ", and whether the account requires TLS (REQUIRE SSL): then set "
                        "database.ssl.mode=required or stronger");
      }
    }
    if (error == kMySqlSecureTransportRequired) {
      return absl::FailedPreconditionError(absl::StrCat(
          message, "; the server accepts only TLS connections (require_secure_transport=ON): set "
                   "database.ssl.mode=required or stronger"));
    }
    if (options.ssl_mode == SslMode::kDisabled &&
        (error == CR_AUTH_PLUGIN_ERR || error == CR_AUTH_PLUGIN_CANNOT_LOAD)) {
      // caching_sha2_password over plaintext sends the password encrypted with the server's RSA
      // key, which Connector/C asks the server for; without it (no key on the server, a client
      // built without RSA) only TLS can carry the password.
      return absl::FailedPreconditionError(absl::StrCat(
          message, "; over a plaintext connection (database.ssl.mode=disabled) the account's "
                   "authentication plugin needs the server's RSA key: set database.ssl.mode="
                   "preferred or required so the password travels over TLS"));
    }
    const bool tls_problem = options.ssl_mode >= SslMode::kRequired &&
                             (error == CR_SSL_CONNECTION_ERROR ||
                              MentionsIgnoringCase(message, "ssl") ||
                              MentionsIgnoringCase(message, "tls"));
    if (tls_problem) {
      return absl::FailedPreconditionError(absl::StrCat(
          message, "; database.ssl.mode=", SslModeName(options.ssl_mode),
          " requires a TLS connection",
          options.ssl_mode >= SslMode::kVerifyCa
              ? " whose certificate verifies against database.ssl.ca"
              : "",
          ": enable TLS on the server or choose another mode"));
    }
    return absl::Status(CodeFor(error), message);
  }
  Connection connection(std::move(handle), endpoint);
  if (options.ssl_mode >= SslMode::kRequired && connection.tls_cipher().empty()) {
    // Belt and braces: never carry on in plaintext once TLS was asked for.
    return absl::FailedPreconditionError(
        absl::StrCat("connection to ", endpoint, " is not encrypted although database.ssl.mode=",
                     SslModeName(options.ssl_mode)));
  }
  return connection;
}

absl::Status Connection::LastError(absl::string_view what) const {
  const unsigned error = mysql_errno(handle_.get());
  return absl::Status(CodeFor(error), absl::StrCat(what, " on ", endpoint_, " failed: ",
                                                   mysql_error(handle_.get()), " (error ", error,
                                                   ")"));
}

absl::Status Connection::Execute(absl::string_view sql) {
  if (mysql_real_query(handle_.get(), sql.data(), sql.size()) != 0) {
    return LastError(absl::StrCat("'", sql, "'"));
  }
  // Discard any result so the connection is ready for the next statement.
  do {
    if (MYSQL_RES* result = mysql_store_result(handle_.get()); result != nullptr) {
      mysql_free_result(result);
    }
  } while (mysql_next_result(handle_.get()) == 0);
  return absl::OkStatus();
}

absl::Status Connection::SendLast(absl::string_view sql) {
  if (mysql_send_query(handle_.get(), sql.data(), sql.size()) != 0) {
    return LastError(absl::StrCat("'", sql, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<QueryResult> Connection::Query(absl::string_view sql) {
  if (mysql_real_query(handle_.get(), sql.data(), sql.size()) != 0) {
    return LastError(absl::StrCat("'", sql, "'"));
  }
  MYSQL_RES* result = mysql_store_result(handle_.get());
  QueryResult table;
  if (result == nullptr) {
    if (mysql_field_count(handle_.get()) != 0) return LastError(absl::StrCat("'", sql, "'"));
    return table;  // a statement without a result set
  }
  const unsigned columns = mysql_num_fields(result);
  const MYSQL_FIELD* fields = mysql_fetch_fields(result);
  for (unsigned i = 0; i < columns; ++i) table.columns.emplace_back(fields[i].name);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const unsigned long* lengths = mysql_fetch_lengths(result);
    auto& values = table.rows.emplace_back();
    values.reserve(columns);
    for (unsigned i = 0; i < columns; ++i) {
      if (row[i] == nullptr) {
        values.emplace_back(std::nullopt);
      } else {
        values.emplace_back(std::string(row[i], lengths[i]));
      }
    }
  }
  mysql_free_result(result);
  return table;
}

void StoredRows::Freer::operator()(st_mysql_res* result) const { mysql_free_result(result); }

absl::StatusOr<StoredRows> Connection::QueryStored(absl::string_view sql) {
  if (mysql_real_query(handle_.get(), sql.data(), sql.size()) != 0) {
    return LastError(absl::StrCat("'", sql, "'"));
  }
  StoredRows stored;
  stored.result_.reset(mysql_store_result(handle_.get()));
  if (stored.result_ == nullptr) return LastError(absl::StrCat("'", sql, "'"));
  stored.columns_ = mysql_num_fields(stored.result_.get());
  const auto rows = static_cast<size_t>(mysql_num_rows(stored.result_.get()));
  stored.rows_.reserve(rows);
  stored.lengths_.reserve(rows * stored.columns_);
  while (MYSQL_ROW row = mysql_fetch_row(stored.result_.get())) {
    stored.rows_.push_back(row);
    const unsigned long* lengths = mysql_fetch_lengths(stored.result_.get());
    stored.lengths_.insert(stored.lengths_.end(), lengths, lengths + stored.columns_);
  }
  return stored;
}

absl::StatusOr<std::string> Connection::GlobalVariable(absl::string_view name) {
  std::string escaped(name.size() * 2 + 1, '\0');
  escaped.resize(mysql_real_escape_string(handle_.get(), escaped.data(), name.data(), name.size()));
  auto result = Query(absl::StrCat("SHOW GLOBAL VARIABLES LIKE '", escaped, "'"));
  if (!result.ok()) return result.status();
  if (result->rows.empty() || !result->rows[0][1].has_value()) {
    return absl::NotFoundError(absl::StrCat("the server at ", endpoint_, " has no variable ", name));
  }
  return *result->rows[0][1];
}

bool Connection::is_mariadb() const {
  return MentionsIgnoringCase(mysql_get_server_info(handle_.get()), "mariadb");
}

std::string Connection::server_version() const { return mysql_get_server_info(handle_.get()); }

uint64_t Connection::server_connection_id() const { return mysql_thread_id(handle_.get()); }

std::string Connection::tls_cipher() const {
  const char* cipher = mysql_get_ssl_cipher(handle_.get());
  return cipher == nullptr ? std::string() : std::string(cipher);
}

}  // namespace sluice::mysql
