// libFuzzer target: MySQL binary JSON to text.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "sluice/binlog/json_binary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string out;
  (void)sluice::binlog::AppendJsonBinaryAsText(std::span<const uint8_t>(data, size), &out);
  return 0;
}
