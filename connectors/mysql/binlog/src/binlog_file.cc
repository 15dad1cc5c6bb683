#include "sluice/binlog/binlog_file.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "byte_reader.h"
#include "sluice/binlog/event_header.h"

namespace sluice::binlog {

EventSplitter::EventSplitter(std::span<const uint8_t> data, std::string name, bool expect_magic)
    : data_(data), name_(std::move(name)), checked_magic_(!expect_magic) {}

absl::StatusOr<bool> EventSplitter::Next(RawEvent* out) {
  if (!checked_magic_) {
    if (data_.size() < 4 || std::memcmp(data_.data(), kBinlogMagic, 4) != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(name_, " is not a binlog file: it does not start with fe 62 69 6e"));
    }
    checked_magic_ = true;
    position_ = 4;
  }
  size_t left = data_.size() - position_;
  if (left == 0) return false;
  if (left < kEventHeaderSize) {
    return absl::DataLossError(
        absl::StrCat(name_, ":", position_, ": truncated event header (", left, " of 19 bytes)"));
  }
  uint32_t size = static_cast<uint32_t>(internal::LoadLE(data_.data() + position_ + 9, 4));
  if (size < kEventHeaderSize) {
    return absl::DataLossError(
        absl::StrCat(name_, ":", position_, ": event size ", size, " is smaller than its header"));
  }
  if (size > left) {
    return absl::DataLossError(absl::StrCat(name_, ":", position_, ": event of ", size,
                                            " bytes runs past the end (", left, " bytes left)"));
  }
  out->bytes = data_.subspan(position_, size);
  out->position = position_;
  position_ += size;
  return true;
}

}  // namespace sluice::binlog
