#include "connectors/mysql/connector/stream_position.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace sluice::mysql {

absl::Status StreamPosition::Open(bool mariadb, const OffsetState& from, bool gtids_complete) {
  absl::Status gtids = gtids_.Reset(mariadb, from.gtids, gtids_complete);
  if (!gtids.ok()) return gtids;
  restart_file_ = from.file;
  restart_pos_ = static_cast<uint64_t>(from.pos);
  xa_committed_ = from.xa_committed;
  transaction_id_ = from.transaction_id;
  events_done_ = 0;
  in_transaction_ = false;
  ts_sec_ = from.ts_sec;
  server_id_ = from.server_id;
  return absl::OkStatus();
}

void StreamPosition::OnEvent(const binlog::EventHeader& header) {
  ts_sec_ = header.timestamp;
  server_id_ = header.server_id;
}

void StreamPosition::Rotate(const binlog::RotateEvent& rotate) {
  if (in_transaction_) return;
  restart_file_ = std::string(rotate.next_file);
  restart_pos_ = rotate.position;
}

void StreamPosition::BeginMariaDb(const binlog::Event& event, const binlog::MariaGtidEvent& gtid) {
  gtids_.Begin(MariaDbGtid{gtid.domain_id, gtid.server_id, gtid.sequence});
  StartTransaction(event, gtid.ToString());
  standalone_ = gtid.standalone();
}

void StreamPosition::MysqlGtid(const binlog::MysqlGtidEvent& gtid) {
  pending_gtid_ = gtid.anonymous ? std::string() : gtid.ToString();
  if (!gtid.anonymous) {
    gtids_.Begin(gtid.source_id, gtid.gno, absl::string_view(gtid.tag.data(), gtid.tag.size()));
  }
}

bool StreamPosition::Begin(const binlog::Event& event, int64_t thread) {
  if (in_transaction_) return false;
  StartTransaction(event, std::exchange(pending_gtid_, std::string()), thread);
  return true;
}

void StreamPosition::StartTransaction(const binlog::Event& event, std::string gtid,
                                      int64_t thread) {
  in_transaction_ = true;
  thread_ = thread;
  restart_file_ = *event.context.file;
  restart_pos_ = event.context.position;
  events_done_ = 0;
  gtid_ = std::move(gtid);
}

void StreamPosition::StatementDone() {
  if (!in_transaction_) gtids_.Commit();
}

void StreamPosition::Commit(const binlog::Event& event) {
  gtids_.Commit();
  in_transaction_ = false;
  standalone_ = false;
  events_done_ = 0;
  gtid_.clear();
  thread_ = -1;
  if (event.header.log_pos > 0) restart_pos_ = event.header.log_pos;
  if (event.context.file != nullptr) restart_file_ = *event.context.file;
}

void StreamPosition::EventDone(const binlog::Event& event) {
  if (in_transaction_) {
    ++events_done_;
  } else if (event.header.log_pos > 0) {
    restart_file_ = *event.context.file;
    restart_pos_ = event.header.log_pos;
  }
}

void StreamPosition::Fill(OffsetState& offset) const {
  offset.file.assign(restart_file_);
  offset.pos = static_cast<int64_t>(restart_pos_);
  offset.gtids.assign(gtids_.text());
  offset.event = events_done_;
  offset.row = 0;
  offset.ts_sec = ts_sec_;
  offset.server_id = server_id_;
  offset.snapshot = false;
  offset.xa_committed.assign(xa_committed_);
  offset.transaction_id.assign(transaction_id_);
}

OffsetState StreamPosition::Current() const {
  OffsetState offset;
  Fill(offset);
  return offset;
}

OffsetState StreamPosition::StatementOffset(const binlog::Event& event) const {
  OffsetState done = Current();
  if (in_transaction_) {
    done.event = events_done_ + 1;
    return done;
  }
  // What StatementDone and EventDone will make of the position, without making it yet: the
  // statement's records may still fail to be built (the catalog unreachable), and then the event
  // is handled again.
  GtidTracker completed = gtids_;
  completed.Commit();
  done.gtids = completed.text();
  if (event.header.log_pos > 0) {
    done.file = *event.context.file;
    done.pos = event.header.log_pos;
  }
  return done;
}

std::string StreamPosition::TransactionId() const {
  return !gtid_.empty() ? gtid_ : absl::StrCat(restart_file_, ":", restart_pos_);
}

void StreamPosition::FillSource(const binlog::Event& event, SourcePosition& source) const {
  source.file.assign(*event.context.file);
  source.pos = static_cast<int64_t>(event.context.position);
  source.ts_sec = ts_sec_;
  source.server_id = server_id_;
  source.gtid.assign(gtid_);
  source.thread = in_transaction_ ? thread_ : -1;
}

StreamPosition::RowOffsets StreamPosition::Row(const SourcePosition& source, int32_t index) {
  OffsetState& pending = row_pending_;
  Fill(pending);
  pending.row = index;
  if (!in_transaction_) {
    // Outside a transaction (non-transactional engines): this event is the restart point.
    pending.file.assign(source.file);
    pending.pos = source.pos;
    pending.event = 0;
  }
  OffsetState& done = row_done_;
  done.file.assign(pending.file);
  done.gtids.assign(pending.gtids);
  done.pos = pending.pos;
  done.event = pending.event;
  done.ts_sec = pending.ts_sec;
  done.server_id = pending.server_id;
  done.xa_committed.assign(pending.xa_committed);
  done.transaction_id.assign(pending.transaction_id);
  done.row = index + 1;
  return RowOffsets{pending, done};
}

}  // namespace sluice::mysql
