#include "sluice/binlog/json_binary.h"

#include "json_writer.h"

namespace sluice::binlog {

absl::Status AppendJsonBinaryAsText(std::span<const uint8_t> binary, std::string* out) {
  if (binary.empty()) {
    out->append("null");
    return absl::OkStatus();
  }
  internal::JsonWriter w(out, 64 * binary.size() + 64);
  return w.Value(binary[0], binary.subspan(1), 0);
}

}  // namespace sluice::binlog
