#ifndef SLUICE_CONNECTORS_MYSQL_GTID_MARIADB_GTID_POSITION_H_
#define SLUICE_CONNECTORS_MYSQL_GTID_MARIADB_GTID_POSITION_H_

// MariaDB's GTID position: the last transaction applied in each replication domain, in the form
// @@gtid_binlog_pos, @@gtid_slave_pos and @slave_connect_state use and Debezium's MariaDB
// connector stores in the offset's `gtids`: "domain-server-sequence" GTIDs joined by commas,
// "0-1-42,1-2-7". A replica connecting with a position receives every transaction after it.
//
// A value type: copyable, thread-compatible.

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sluice::mysql {

struct MariaDbGtid {
  uint32_t domain_id = 0;
  uint32_t server_id = 0;
  uint64_t sequence = 0;

  // "0-1-42"; InvalidArgument naming what is wrong.
  static absl::StatusOr<MariaDbGtid> Parse(absl::string_view text);
  std::string ToString() const;
  bool operator==(const MariaDbGtid&) const = default;
};

class MariaDbGtidPosition {
 public:
  MariaDbGtidPosition() = default;

  // Parses a comma-separated list; whitespace and empty elements are ignored, "" is the empty
  // position. A domain named more than once (Debezium's MariaDB connector can write one GTID per
  // domain and server, "0-1-42,0-2-50") keeps its highest sequence number: MariaDB numbers a
  // domain's transactions in commit order whichever server wrote them, and @slave_connect_state
  // refuses a domain given twice. A MySQL GTID set ("uuid:1-5") is refused, saying so.
  static absl::StatusOr<MariaDbGtidPosition> Parse(absl::string_view text);

  // A transaction of the stream completed: it becomes its domain's position.
  void Advance(const MariaDbGtid& gtid) { domains_[gtid.domain_id] = gtid; }

  // One GTID per domain, domains ascending: "0-1-42,1-2-7"; "" when empty.
  std::string ToString() const;
  bool empty() const { return domains_.empty(); }
  const std::map<uint32_t, MariaDbGtid>& domains() const { return domains_; }

 private:
  std::map<uint32_t, MariaDbGtid> domains_;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_GTID_MARIADB_GTID_POSITION_H_
