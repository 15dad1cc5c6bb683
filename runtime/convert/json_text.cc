#include "runtime/convert/json_text.h"

#include "rapidjson/writer.h"

namespace sluice::convert {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighBits = 0x8080808080808080ull;

// Whether any byte of `word` is below `n` (n <= 128): the borrow of a byte that goes below zero
// sets its high bit, unless that bit was set already (a byte of 128 or more is never below n).
inline bool HasByteBelow(uint64_t word, uint8_t n) {
  return ((word - kOnes * n) & ~word & kHighBits) != 0;
}

inline bool HasZeroByte(uint64_t word) { return HasByteBelow(word, 1); }

inline bool IsEscapedByte(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

}  // namespace

bool NeedsJsonEscape(const char* p, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, p + i, sizeof word);
    if (HasByteBelow(word, 0x20) || HasZeroByte(word ^ (kOnes * '"')) ||
        HasZeroByte(word ^ (kOnes * '\\'))) {
      return true;
    }
  }
  for (; i < n; ++i) {
    if (IsEscapedByte(static_cast<unsigned char>(p[i]))) return true;
  }
  return false;
}

void AppendJsonString(rapidjson::StringBuffer& os, const char* p, size_t n) {
  if (p == nullptr) n = 0;
  if (!NeedsJsonEscape(p, n)) {
    char* out = os.Push(n + 2);
    out[0] = '"';
    if (n > 0) std::memcpy(out + 1, p, n);
    out[n + 1] = '"';
    return;
  }
  // A writer at its root writes the string alone, with no separator and no allocation.
  rapidjson::Writer<rapidjson::StringBuffer> writer(os);
  writer.String(p, static_cast<rapidjson::SizeType>(n));
}

}  // namespace sluice::convert
