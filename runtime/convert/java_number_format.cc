#include "runtime/convert/java_number_format.h"

#include <charconv>
#include <cstring>

namespace sluice::convert {
namespace {

// Lays out shortest digits the way Java does. `sci` is std::to_chars' scientific form, e.g.
// "-1.2345e+07": sign, one digit, optional '.' and more digits, 'e', signed exponent.
size_t Layout(const char* sci, size_t sci_len, char* out) {
  const char* p = sci;
  const char* end = sci + sci_len;
  size_t n = 0;
  if (*p == '-') {
    out[n++] = '-';
    ++p;
  }
  char digits[24];
  size_t nd = 0;
  for (; p < end && *p != 'e'; ++p) {
    if (*p != '.') digits[nd++] = *p;
  }
  while (nd > 1 && digits[nd - 1] == '0') --nd;
  int exponent = 0;
  std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), end, exponent);

  if (nd == 1 && digits[0] == '0') {  // zero, signed or not
    std::memcpy(out + n, "0.0", 3);
    return n + 3;
  }
  if (exponent >= -3 && exponent < 7) {  // 10^-3 <= |v| < 10^7: plain notation
    if (exponent < 0) {
      out[n++] = '0';
      out[n++] = '.';
      for (int i = 0; i < -exponent - 1; ++i) out[n++] = '0';
      std::memcpy(out + n, digits, nd);
      return n + nd;
    }
    size_t int_digits = static_cast<size_t>(exponent) + 1;
    for (size_t i = 0; i < int_digits; ++i) out[n++] = i < nd ? digits[i] : '0';
    out[n++] = '.';
    if (nd > int_digits) {
      std::memcpy(out + n, digits + int_digits, nd - int_digits);
      n += nd - int_digits;
    } else {
      out[n++] = '0';
    }
    return n;
  }
  // Computerized scientific notation: d.ddd E exponent, at least one fraction digit.
  out[n++] = digits[0];
  out[n++] = '.';
  if (nd > 1) {
    std::memcpy(out + n, digits + 1, nd - 1);
    n += nd - 1;
  } else {
    out[n++] = '0';
  }
  out[n++] = 'E';
  auto r = std::to_chars(out + n, out + kJavaNumberBufferSize, exponent);
  return static_cast<size_t>(r.ptr - out);
}

// Java (JDK 19 and later, whose Double.toString spec fixed the older anomalies) prints the
// shortest decimal that reads back to the value, except that when one digit would do it picks the
// closest two-digit decimal: Double.MIN_VALUE is "4.9E-324", not "5.0E-324". to_chars with
// precision 1 is exactly that closest two-digit decimal; Layout drops a trailing zero digit.
template <typename T>
size_t Format(T value, char* out) {
  char sci[40];
  auto r = std::to_chars(sci, sci + sizeof(sci), value, std::chars_format::scientific);
  const char* e = static_cast<const char*>(std::memchr(sci, 'e', static_cast<size_t>(r.ptr - sci)));
  bool one_digit = e != nullptr && (e - sci == 1 || (sci[0] == '-' && e - sci == 2));
  if (one_digit && value != 0) {
    r = std::to_chars(sci, sci + sizeof(sci), value, std::chars_format::scientific, 1);
  }
  return Layout(sci, static_cast<size_t>(r.ptr - sci), out);
}

}  // namespace

size_t FormatJavaDouble(double value, char* out) { return Format(value, out); }

size_t FormatJavaFloat(float value, char* out) { return Format(value, out); }

}  // namespace sluice::convert
