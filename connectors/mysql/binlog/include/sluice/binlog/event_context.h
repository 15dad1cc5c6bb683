// Where an event came from, for error messages: "WRITE_ROWS_EVENT at mysql-bin.000003:1234: ...".
#ifndef SLUICE_BINLOG_EVENT_CONTEXT_H_
#define SLUICE_BINLOG_EVENT_CONTEXT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "sluice/binlog/event_type.h"

namespace sluice::binlog {

struct EventContext {
  EventType type = EventType::kUnknown;
  std::shared_ptr<const std::string> file;  // never null once set by the decoder
  uint64_t position = 0;                    // where the event starts in `file`
};

// The same code as `status`, its message prefixed with the event type, file and position.
absl::Status AnnotateError(const absl::Status& status, const EventContext& context);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_EVENT_CONTEXT_H_
