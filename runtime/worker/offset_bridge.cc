#include "runtime/worker/offset_bridge.h"

#include <string>
#include <variant>

namespace sluice::worker {
namespace {

offsets::OffsetValue ToOffsetValue(const data::ScalarEntry& entry) {
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

std::vector<offsets::OffsetField> ToFields(data::ScalarMap view) {
  std::vector<offsets::OffsetField> fields;
  fields.reserve(view.size());
  for (const data::ScalarEntry& entry : view) {
    fields.push_back({std::string(entry.key), ToOffsetValue(entry)});
  }
  return fields;
}

bool SameValue(const data::ScalarEntry& entry, const offsets::OffsetValue& value) {
  switch (entry.kind) {
    case data::ScalarKind::kNull:
      return std::holds_alternative<std::monostate>(value);
    case data::ScalarKind::kInt:
      return std::holds_alternative<int64_t>(value) && std::get<int64_t>(value) == entry.i;
    case data::ScalarKind::kFloat:
      return std::holds_alternative<double>(value) && std::get<double>(value) == entry.f;
    case data::ScalarKind::kBoolean:
      return std::holds_alternative<bool>(value) && std::get<bool>(value) == entry.b;
    case data::ScalarKind::kString:
      return std::holds_alternative<std::string>(value) &&
             std::get<std::string>(value) == entry.str;
  }
  return false;
}

}  // namespace

offsets::SourcePartition ToSourcePartition(data::ScalarMap view) {
  return offsets::SourcePartition(ToFields(view));
}

offsets::SourceOffset ToSourceOffset(data::ScalarMap view) {
  return offsets::SourceOffset(ToFields(view));
}

data::OwnedScalarMap ToOwnedScalarMap(const std::vector<offsets::OffsetField>& fields) {
  data::OwnedScalarMap map;
  for (const offsets::OffsetField& field : fields) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            map.Add(data::OwnedScalar::Null(field.name));
          } else if constexpr (std::is_same_v<T, bool>) {
            map.Add(data::OwnedScalar::Boolean(field.name, v));
          } else if constexpr (std::is_same_v<T, int64_t>) {
            map.Add(data::OwnedScalar::Int(field.name, v));
          } else if constexpr (std::is_same_v<T, double>) {
            map.Add(data::OwnedScalar::Float(field.name, v));
          } else {
            map.Add(data::OwnedScalar::String(field.name, v));
          }
        },
        field.value);
  }
  return map;
}

std::vector<data::ScalarEntry> ScalarEntriesOf(const std::vector<offsets::OffsetField>& fields) {
  std::vector<data::ScalarEntry> entries;
  entries.reserve(fields.size());
  for (const offsets::OffsetField& field : fields) {
    data::ScalarEntry entry;
    entry.key = field.name;
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            entry.kind = data::ScalarKind::kNull;
          } else if constexpr (std::is_same_v<T, bool>) {
            entry.kind = data::ScalarKind::kBoolean;
            entry.b = v;
          } else if constexpr (std::is_same_v<T, int64_t>) {
            entry.kind = data::ScalarKind::kInt;
            entry.i = v;
          } else if constexpr (std::is_same_v<T, double>) {
            entry.kind = data::ScalarKind::kFloat;
            entry.f = v;
          } else {
            entry.kind = data::ScalarKind::kString;
            entry.str = v;
          }
        },
        field.value);
    entries.push_back(entry);
  }
  return entries;
}

bool SameEntries(data::ScalarMap view, const offsets::SourcePartition& partition) {
  const auto& fields = partition.fields();
  if (fields.size() != view.size()) return false;
  for (size_t i = 0; i < view.size(); ++i) {
    if (view[i].key != fields[i].name || !SameValue(view[i], fields[i].value)) return false;
  }
  return true;
}

}  // namespace sluice::worker
