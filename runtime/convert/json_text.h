// JSON text appended straight to a RapidJSON StringBuffer: the pieces the JSON converter writes
// for each value, without RapidJSON's Writer, whose bookkeeping of separators and nesting cost
// more than the values themselves (the converter knows each separator from the schema).
//
// What is written is exactly what RapidJSON's Writer writes for the same value: strings are
// checked eight bytes at a time, copied between quotes when nothing in them needs escaping (the
// common case) and otherwise escaped by RapidJSON's Writer itself; integers are formatted by
// RapidJSON's i64toa. json_text_test.cc compares both on every byte value.
#ifndef SLUICE_RUNTIME_CONVERT_JSON_TEXT_H_
#define SLUICE_RUNTIME_CONVERT_JSON_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "rapidjson/internal/itoa.h"
#include "rapidjson/stringbuffer.h"

namespace sluice::convert {

// `n` bytes of ready-made JSON text.
inline void AppendRaw(rapidjson::StringBuffer& os, const char* p, size_t n) {
  if (n > 0) std::memcpy(os.Push(n), p, n);
}

inline void AppendChar(rapidjson::StringBuffer& os, char c) { *os.Push(1) = c; }

// An integer as a JSON number.
inline void AppendInt(rapidjson::StringBuffer& os, int64_t v) {
  constexpr size_t kMaxDigits = 20;  // "-9223372036854775808"
  char* begin = os.Push(kMaxDigits);
  char* end = rapidjson::internal::i64toa(v, begin);
  os.Pop(kMaxDigits - static_cast<size_t>(end - begin));
}

// Whether any byte of p[0, n) must be escaped in a JSON string: a control character, '"' or '\'.
bool NeedsJsonEscape(const char* p, size_t n);

// `n` bytes of UTF-8 (not validated, as RapidJSON's Writer does not) as a quoted JSON string.
void AppendJsonString(rapidjson::StringBuffer& os, const char* p, size_t n);

}  // namespace sluice::convert

#endif  // SLUICE_RUNTIME_CONVERT_JSON_TEXT_H_
