// Splits a binlog file (the server's own files, or archived copies) into events for
// BinlogDecoder. A file is the 4-byte magic fe 62 69 6e followed by events back to back; the
// splitter checks the magic and each event's length, nothing else.
#ifndef SLUICE_BINLOG_BINLOG_FILE_H_
#define SLUICE_BINLOG_BINLOG_FILE_H_

#include <cstdint>
#include <span>
#include <string>

#include "absl/status/statusor.h"

namespace sluice::binlog {

inline constexpr uint8_t kBinlogMagic[4] = {0xfe, 0x62, 0x69, 0x6e};

struct RawEvent {
  std::span<const uint8_t> bytes;  // one whole event
  uint64_t position = 0;           // its offset in the file
};

class EventSplitter {
 public:
  // `data` is a whole file (or a TRANSACTION_PAYLOAD's decompressed events when
  // `expect_magic` is false). `name` appears in error messages.
  EventSplitter(std::span<const uint8_t> data, std::string name, bool expect_magic = true);

  // The next event; false at a clean end of data. An error names the file and position:
  // bad magic, or an event whose length runs past the end (a truncated file).
  absl::StatusOr<bool> Next(RawEvent* out);

  uint64_t position() const { return position_; }

 private:
  std::span<const uint8_t> data_;
  std::string name_;
  uint64_t position_ = 0;
  bool checked_magic_;
};

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_BINLOG_FILE_H_
