#include "runtime/offsets/offset_table.h"

#include "absl/status/statusor.h"
#include "runtime/offsets/offset_codec.h"

namespace sluice::offsets {

bool OffsetTable::Apply(std::optional<absl::string_view> key,
                        std::optional<absl::string_view> value) {
  if (!key || !DecodeOffsetKey(*key).ok()) return false;
  if (!value) {
    if (auto it = values_.find(*key); it != values_.end()) values_.erase(it);
    return true;
  }
  if (!DecodeOffsetValue(*value).ok()) return false;
  values_.insert_or_assign(std::string(*key), std::string(*value));
  return true;
}

std::optional<SourceOffset> OffsetTable::Get(absl::string_view connector,
                                             const SourcePartition& partition) const {
  absl::StatusOr<std::string> key = EncodeOffsetKey(connector, partition);
  if (!key.ok()) return std::nullopt;  // a NaN or infinity: never stored
  auto it = values_.find(*key);
  if (it == values_.end()) return std::nullopt;
  absl::StatusOr<SourceOffset> offset = DecodeOffsetValue(it->second);
  if (!offset.ok()) return std::nullopt;  // Apply only keeps decodable values
  return *std::move(offset);
}

std::vector<std::pair<SourcePartition, SourceOffset>> OffsetTable::OffsetsFor(
    absl::string_view connector) const {
  std::vector<std::pair<SourcePartition, SourceOffset>> out;
  for (const auto& [key, value] : values_) {
    absl::StatusOr<DecodedOffsetKey> decoded = DecodeOffsetKey(key);
    if (!decoded.ok() || decoded->connector != connector) continue;
    // Only the key Get would look up for this partition: another spelling is another partition
    // to Kafka Connect, and would make one partition appear twice here.
    absl::StatusOr<std::string> canonical = EncodeOffsetKey(connector, decoded->partition);
    if (!canonical.ok() || *canonical != key) continue;
    absl::StatusOr<SourceOffset> offset = DecodeOffsetValue(value);
    if (offset.ok()) out.emplace_back(std::move(decoded->partition), *std::move(offset));
  }
  return out;
}

}  // namespace sluice::offsets
