// Character sets of text columns. A table map gives each text column a collation id
// (ColumnInfo::charset); these functions say which character set that is and turn the
// column's bytes into UTF-8, which is what Kafka Connect strings carry.
#ifndef SLUICE_BINLOG_CHARSET_H_
#define SLUICE_BINLOG_CHARSET_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace sluice::binlog {

enum class Charset : uint8_t {
  kUnknown,  // a collation id this library does not know (e.g. a newer server's)
  kBinary,   // bytes, not text
  kAscii,
  kLatin1,  // MySQL's latin1 is Windows-1252
  kUtf8mb3,
  kUtf8mb4,
  kUcs2,   // UCS-2, big-endian
  kUtf16,  // big-endian
  kUtf16le,
  kUtf32,  // big-endian
  kOther,  // known but not converted here (latin2, cp1251, gbk, sjis, ...): see name
};

struct CharsetInfo {
  Charset charset = Charset::kUnknown;
  std::string_view name;  // MySQL's name: "utf8mb4", "latin1", "binary", ...; empty if unknown
};

// The character set of a collation id, from the union of MariaDB 10.11's and MySQL 8's
// collation tables (their id ranges do not overlap where both define one).
CharsetInfo CharsetOfCollation(uint32_t collation_id);

// Appends `bytes` in `charset` to *out as UTF-8. UTF-8 and ASCII are copied as they are;
// invalid UTF-16 surrogates and UTF-32 values become U+FFFD. kBinary, kUnknown and kOther are
// InvalidArgument/Unimplemented: the caller decides (bytes, or refuse the column).
absl::Status AppendAsUtf8(Charset charset, std::span<const uint8_t> bytes, std::string* out);

// The length of the longest prefix of `bytes` that is well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing past U+10FFFF, no sequence cut short): `bytes.size()` when all of
// it is. MySQL's binary JSON keeps its strings in utf8mb4, so anything else there is damage.
size_t WellFormedUtf8Prefix(std::string_view bytes);

}  // namespace sluice::binlog

#endif  // SLUICE_BINLOG_CHARSET_H_
