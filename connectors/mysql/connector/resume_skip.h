#ifndef SLUICE_CONNECTORS_MYSQL_CONNECTOR_RESUME_SKIP_H_
#define SLUICE_CONNECTORS_MYSQL_CONNECTOR_RESUME_SKIP_H_

// Resuming inside a transaction. A committed offset points at the start of the transaction it was
// in and counts what of it was emitted: `event` completed events, then `row` rows of the next.
// The stream reads that transaction again; this says which of its events and rows were emitted
// before the restart, so they are not emitted twice (Debezium's restart rule, FORMATS.md
// "Offsets").
//
// Thread-compatible.

#include <cstdint>

#include "connectors/mysql/connector/offset.h"

namespace sluice::mysql {

class ResumeSkip {
 public:
  // A stream opens at `from`: the first transaction it reads is the one `from` counts into.
  void Arm(const OffsetState& from) {
    events_ = from.event;
    rows_ = from.row;
    armed_ = from.event > 0 || from.row > 0;
    skipping_ = false;
  }
  // A transaction starts; the first after Arm is the one the offset counts into.
  void OnTransactionStart() {
    if (!armed_) return;
    armed_ = false;
    skipping_ = true;
  }
  // The transaction that just started is not the one the offset counts into: an XA transaction
  // the server sends again, first, because its GTID was held back (its rows wait for its
  // outcome, so none of them was emitted). The next transaction is.
  void PassOver() {
    if (!skipping_) return;
    skipping_ = false;
    armed_ = true;
  }
  // The transaction ended: nothing more to skip.
  void OnCommit() { skipping_ = false; }

  // Whether the event after `events_done` completed events of the transaction was emitted before
  // the restart.
  bool EmittedBefore(int64_t events_done) const { return skipping_ && events_done < events_; }
  // A rows event after `events_done` completed events: how many of its rows were emitted before
  // the restart (`*all` when the whole event was). Once past the counted events, skipping ends.
  int64_t RowsEmittedBefore(int64_t events_done, bool* all) {
    *all = false;
    if (!skipping_) return 0;
    if (events_done < events_) {
      *all = true;
      return 0;
    }
    skipping_ = false;
    return events_done == events_ ? rows_ : 0;
  }

 private:
  int64_t events_ = 0, rows_ = 0;
  bool armed_ = false;
  bool skipping_ = false;
};

}  // namespace sluice::mysql

#endif  // SLUICE_CONNECTORS_MYSQL_CONNECTOR_RESUME_SKIP_H_
