#include "connectors/mysql/connector/gtid_tracker.h"

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace sluice::mysql {

absl::Status GtidTracker::Reset(bool mariadb, absl::string_view offset_gtids, bool complete) {
  mariadb_ = mariadb;
  pending_maria_.reset();
  pending_mysql_.reset();
  maria_ = MariaDbGtidPosition();
  mysql_ = MysqlGtidSet();
  text_stale_ = true;
  const auto invalid = [&](const absl::Status& cause) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the committed offset's gtids '", offset_gtids, "' is not a ",
        mariadb ? "MariaDB GTID position" : "MySQL GTID set", " (", cause.message(),
        "), and the server is ", mariadb ? "MariaDB" : "MySQL",
        ". Correct or remove `gtids` in the connector's offset (`sluice connectors offsets set`), "
        "or reset the offset to snapshot again"));
  };
  if (mariadb) {
    absl::StatusOr<MariaDbGtidPosition> position = MariaDbGtidPosition::Parse(offset_gtids);
    if (!position.ok()) return invalid(position.status());
    maria_ = *std::move(position);
    tracking_ = true;
    return absl::OkStatus();
  }
  absl::StatusOr<MysqlGtidSet> set = MysqlGtidSet::Parse(offset_gtids);
  if (!set.ok()) return invalid(set.status());
  mysql_ = *std::move(set);
  tracking_ = complete || !absl::StripAsciiWhitespace(offset_gtids).empty();
  return absl::OkStatus();
}

void GtidTracker::Begin(const MariaDbGtid& gtid) {
  Commit();
  pending_maria_ = gtid;
}

void GtidTracker::Begin(const SourceUuid& uuid, int64_t gno, absl::string_view tag) {
  Commit();
  pending_mysql_ = MysqlGtid{Tsid{uuid, std::string(tag)}, gno};
}

void GtidTracker::Commit() {
  if (pending_maria_.has_value()) {
    if (mariadb_) maria_.Advance(*pending_maria_);
    pending_maria_.reset();
    text_stale_ = true;
  }
  if (pending_mysql_.has_value()) {
    const MysqlGtid pending = *std::move(pending_mysql_);
    pending_mysql_.reset();
    Complete(pending);
  }
}

std::optional<GtidTracker::MysqlGtid> GtidTracker::HoldBack() {
  return std::exchange(pending_mysql_, std::nullopt);
}

void GtidTracker::Complete(const MysqlGtid& gtid) {
  if (!mariadb_ && tracking_ && gtid.gno >= 1 && gtid.gno <= MysqlGtidSet::kMaxGno &&
      mysql_.Add(gtid.tsid.uuid, gtid.gno, gtid.tsid.tag)) {
    text_stale_ = true;
  }
}

const std::string& GtidTracker::text() const {
  if (text_stale_) {
    text_ = mariadb_ ? maria_.ToString() : (tracking_ ? mysql_.ToString() : std::string());
    text_stale_ = false;
  }
  return text_;
}

}  // namespace sluice::mysql
