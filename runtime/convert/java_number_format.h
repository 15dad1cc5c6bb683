// Floating-point text exactly as Java's Double.toString / Float.toString write it, which is what
// Kafka Connect's JsonConverter (through Jackson) puts on the wire: "1.0", "0.001", "1.0E7",
// "1.23456789E8", "1.0E-4", shortest digits that read back to the same value.
#ifndef SLUICE_RUNTIME_CONVERT_JAVA_NUMBER_FORMAT_H_
#define SLUICE_RUNTIME_CONVERT_JAVA_NUMBER_FORMAT_H_

#include <cstddef>

namespace sluice::convert {

// Largest output, sign and exponent included.
inline constexpr size_t kJavaNumberBufferSize = 32;

// Write into `out` (at least kJavaNumberBufferSize bytes) and return the length. Not for NaN or
// infinities (Jackson writes those as the strings "NaN", "Infinity", "-Infinity").
size_t FormatJavaDouble(double value, char* out);
size_t FormatJavaFloat(float value, char* out);

}  // namespace sluice::convert

#endif  // SLUICE_RUNTIME_CONVERT_JAVA_NUMBER_FORMAT_H_
