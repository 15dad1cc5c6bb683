#include "runtime/offsets/record_offsets.h"

#include <string>
#include <vector>

namespace sluice::offsets {
namespace {

OffsetValue ValueOf(const data::ScalarEntry& entry) {
  switch (entry.kind) {
    case data::ScalarKind::kNull:
      return std::monostate{};
    case data::ScalarKind::kInt:
      return entry.i;
    case data::ScalarKind::kFloat:
      return entry.f;
    case data::ScalarKind::kBoolean:
      return entry.b;
    case data::ScalarKind::kString:
      return std::string(entry.str);
  }
  return std::monostate{};
}

std::vector<OffsetField> FieldsOf(data::ScalarMap view) {
  std::vector<OffsetField> fields;
  fields.reserve(view.size());
  for (const data::ScalarEntry& entry : view) {
    fields.push_back({std::string(entry.key), ValueOf(entry)});
  }
  return fields;
}

// SameOffsetValue(ValueOf(entry), value) without building the value.
bool SameValue(const data::ScalarEntry& entry, const OffsetValue& value) {
  switch (entry.kind) {
    case data::ScalarKind::kNull:
      return std::holds_alternative<std::monostate>(value);
    case data::ScalarKind::kInt:
      return std::holds_alternative<int64_t>(value) && std::get<int64_t>(value) == entry.i;
    case data::ScalarKind::kFloat:
      return std::holds_alternative<double>(value) &&
             std::bit_cast<uint64_t>(std::get<double>(value)) == std::bit_cast<uint64_t>(entry.f);
    case data::ScalarKind::kBoolean:
      return std::holds_alternative<bool>(value) && std::get<bool>(value) == entry.b;
    case data::ScalarKind::kString:
      return std::holds_alternative<std::string>(value) &&
             std::get<std::string>(value) == entry.str;
  }
  return false;
}

}  // namespace

SourcePartition SourcePartitionOf(const data::SourceRecord& record) {
  return SourcePartition(FieldsOf(record.source_partition));
}

SourceOffset SourceOffsetOf(const data::SourceRecord& record) {
  return SourceOffset(FieldsOf(record.source_offset));
}

bool HasSourcePartition(const data::SourceRecord& record, const SourcePartition& partition) {
  const data::ScalarMap view = record.source_partition;
  const std::vector<OffsetField>& fields = partition.fields();
  if (fields.size() != view.size()) return false;
  for (size_t i = 0; i < view.size(); ++i) {
    if (view[i].key != fields[i].name || !SameValue(view[i], fields[i].value)) return false;
  }
  return true;
}

}  // namespace sluice::offsets
