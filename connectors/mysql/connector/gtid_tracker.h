#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_GTID_TRACKER_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_GTID_TRACKER_H_

// The offset's `gtids` while streaming: the transactions fully processed, in the dialect of the
// server being read (a MariaDB GTID position or a MySQL GTID set).
//
// Debezium's BinlogOffsetContext keeps two sets: the one including the transaction in progress and
// the "restart" set without it, which is what the offset carries, so a restart reads the
// interrupted transaction again and skips what was emitted (`event`/`row`). Here: Begin records
// the transaction in progress, Commit adds it. A GTID event that arrives while another
// transaction is still pending (a transaction the connector does not look inside) completes that
// one first, as Debezium's set does.
//
// MySQL: an offset without `gtids` gives no complete set to add to; the tracker then writes none
// (an incomplete set would make a later GTID resume read the server's whole history again).
//
// Thread-compatible.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "connectors/mysql/gtid/mariadb_gtid_position.h"
#include "connectors/mysql/gtid/mysql_gtid_set.h"

namespace sluice::mysql {

class GtidTracker {
 public:
  // Starts from a committed offset's `gtids` read from a MariaDB (`mariadb`) or MySQL server.
  // InvalidArgument, naming the offset and the fix, when the text is not that server's dialect.
  // `complete`: the text is the whole set even when empty (a position the server reported, not an
  // offset that may lack `gtids`); a non-empty text always is.
  absl::Status Reset(bool mariadb, absl::string_view offset_gtids, bool complete = false);

  // A transaction begins (its GTID event). Completes any transaction still pending.
  void Begin(const MariaDbGtid& gtid);
  // `tag`: the tagged GTID's tag (MySQL 8.3+), "" for an untagged one.
  void Begin(const SourceUuid& uuid, int64_t gno, absl::string_view tag);
  // The pending transaction completed (its COMMIT/XID, or the end of a standalone statement).
  // Nothing pending: no change.
  void Commit();

  // A MySQL GTID held back from the set: its transaction is done with for now but must be read
  // again (an XA transaction prepared with change events not emitted yet), so a restart, which
  // asks the server for every transaction outside the set, reads it again.
  struct MysqlGtid {
    Tsid tsid;
    int64_t gno = 0;
  };
  // The pending MySQL GTID, no longer pending and not added; nullopt when none is pending.
  std::optional<MysqlGtid> HoldBack();
  // Adds a GTID held back before.
  void Complete(const MysqlGtid& gtid);
  bool mariadb() const { return mariadb_; }

  // The completed transactions, as the offset's `gtids` carries them; empty when there are none
  // (or, on MySQL, when there was no set to start from). Valid until the next non-const call.
  const std::string& text() const;
  // Whether completed transactions are being recorded (always on MariaDB).
  bool tracking() const { return tracking_; }

 private:
  bool mariadb_ = false;
  bool tracking_ = false;  // MySQL: false without a starting set
  MariaDbGtidPosition maria_;
  MysqlGtidSet mysql_;
  std::optional<MariaDbGtid> pending_maria_;
  std::optional<MysqlGtid> pending_mysql_;
  mutable std::string text_;
  mutable bool text_stale_ = false;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_GTID_TRACKER_H_
