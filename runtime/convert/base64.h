// Standard base64 with padding (RFC 4648 §4), as Jackson writes byte arrays: how Kafka Connect's
// JsonConverter encodes BYTES, Decimal included.
#ifndef SLUICE_RUNTIME_CONVERT_BASE64_H_
#define SLUICE_RUNTIME_CONVERT_BASE64_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::convert {

inline constexpr size_t Base64Size(size_t n) { return (n + 2) / 3 * 4; }

// Writes the encoding of `bytes`, Base64Size(bytes.size()) characters, to `out`.
void EncodeBase64(std::string_view bytes, char* out);

// Appends the encoding of `bytes` to `out` (one resize, no other allocation).
void AppendBase64(std::string_view bytes, std::string* out);

}  // namespace sluice::convert

#endif  // SLUICE_RUNTIME_CONVERT_BASE64_H_
