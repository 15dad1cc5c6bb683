// A bounds-checked cursor over untrusted bytes, little-endian unless a name says otherwise.
//
// Errors are sticky: the first read that would run past the end records what was being read and
// where, and every later read returns zero without touching memory. Parsers read a group of
// fields and check ok() once, which keeps them short without ever reading out of bounds. Loops
// whose trip count comes from the input must check ok() (or bound the count by remaining())
// so garbage cannot make them spin.
#ifndef SLUICE_BINLOG_SRC_BYTE_READER_H_
#define SLUICE_BINLOG_SRC_BYTE_READER_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace sluice::binlog::internal {

inline uint64_t LoadLE(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

inline uint64_t LoadBE(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> data)
      : begin_(data.data()), pos_(data.data()), end_(data.data() + data.size()) {}

  bool ok() const { return failed_field_ == nullptr && invalid_.empty(); }
  size_t offset() const { return static_cast<size_t>(pos_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  bool empty() const { return pos_ == end_; }

  // Fixed-width unsigned little-endian integer of `n` (1..8) bytes.
  uint64_t UintLE(size_t n, const char* field) {
    if (!Need(n, field)) return 0;
    uint64_t v = LoadLE(pos_, n);
    pos_ += n;
    return v;
  }
  uint8_t U8(const char* field) { return static_cast<uint8_t>(UintLE(1, field)); }
  uint16_t U16(const char* field) { return static_cast<uint16_t>(UintLE(2, field)); }
  uint32_t U32(const char* field) { return static_cast<uint32_t>(UintLE(4, field)); }
  uint64_t U64(const char* field) { return UintLE(8, field); }

  // MySQL's length-encoded integer (net_field_length): < 0xfb is the value itself; 0xfc, 0xfd,
  // 0xfe prefix 2, 3 and 8 bytes. 0xfb (SQL NULL in result sets) and 0xff are invalid here.
  uint64_t PackedInt(const char* field) {
    uint8_t first = U8(field);
    if (first < 0xfb) return first;
    switch (first) {
      case 0xfc:
        return UintLE(2, field);
      case 0xfd:
        return UintLE(3, field);
      case 0xfe:
        return UintLE(8, field);
      default:
        if (ok())
          Invalid(absl::StrCat("invalid length-encoded integer prefix 0x", absl::Hex(first), " in ",
                               field));
        return 0;
    }
  }

  // MySQL's variable-length unsigned integer (its serialization library, 8.3+: tagged GTID
  // events, tags in PREVIOUS_GTIDS): the count of trailing one bits of the first byte is how many
  // bytes follow it; the value sits above those marker bits, little-endian, and a first byte of
  // 0xff is followed by the whole 8-byte value.
  uint64_t VarUint(const char* field) {
    if (!Need(1, field)) return 0;
    const uint8_t first = *pos_;
    const size_t extra = static_cast<size_t>(std::countr_one(first));
    if (!Need(1 + extra, field)) return 0;
    uint64_t value;
    if (extra == 8) {
      value = LoadLE(pos_ + 1, 8);
    } else {
      value = LoadLE(pos_, 1 + extra) >> (extra + 1);
    }
    pos_ += 1 + extra;
    return value;
  }
  // The signed form: zigzag over VarUint (0, -1, 1, -2 ... are 0, 1, 2, 3 ...).
  int64_t VarInt(const char* field) {
    const uint64_t raw = VarUint(field);
    return static_cast<int64_t>(raw >> 1) ^ -static_cast<int64_t>(raw & 1);
  }

  std::span<const uint8_t> Bytes(size_t n, const char* field) {
    if (!Need(n, field)) return {};
    std::span<const uint8_t> out(pos_, n);
    pos_ += n;
    return out;
  }
  std::string_view String(size_t n, const char* field) {
    auto b = Bytes(n, field);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  std::span<const uint8_t> Rest() {
    std::span<const uint8_t> out(pos_, remaining());
    pos_ = end_;
    return out;
  }
  std::string_view RestAsString() {
    auto b = Rest();
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  // A string ending at the next NUL; the NUL is consumed, not returned.
  std::string_view NulTerminated(const char* field) {
    if (!ok()) return {};
    const void* nul = std::memchr(pos_, 0, remaining());
    if (nul == nullptr) {
      Invalid(absl::StrCat(field, " has no terminating NUL"));
      return {};
    }
    size_t n = static_cast<const uint8_t*>(nul) - pos_;
    std::string_view out(reinterpret_cast<const char*>(pos_), n);
    pos_ += n + 1;
    return out;
  }
  void Skip(size_t n, const char* field) {
    if (Need(n, field)) pos_ += n;
  }

  // Records a semantic error (a bad value rather than missing bytes); the first error wins.
  void Invalid(std::string message) {
    if (ok()) invalid_ = std::move(message);
    pos_ = end_;
  }

  // The first error, described with the field and offset; OK when nothing failed.
  absl::Status status() const {
    if (!invalid_.empty()) return absl::DataLossError(invalid_);
    if (failed_field_ == nullptr) return absl::OkStatus();
    return absl::DataLossError(absl::StrCat("truncated reading ", failed_field_, " at offset ",
                                            failed_offset_, ": need ", failed_need_, " byte(s), ",
                                            failed_remaining_, " remain"));
  }

 private:
  bool Need(size_t n, const char* field) {
    if (!ok()) return false;
    if (n <= remaining()) return true;
    failed_field_ = field;
    failed_offset_ = offset();
    failed_need_ = n;
    failed_remaining_ = remaining();
    pos_ = end_;
    return false;
  }

  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  const char* failed_field_ = nullptr;
  size_t failed_offset_ = 0;
  size_t failed_need_ = 0;
  size_t failed_remaining_ = 0;
  std::string invalid_;
};

}  // namespace sluice::binlog::internal

#endif  // SLUICE_BINLOG_SRC_BYTE_READER_H_
