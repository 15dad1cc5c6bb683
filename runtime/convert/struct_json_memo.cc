#include "runtime/convert/struct_json_memo.h"

#include <cstring>

namespace sluice::convert {
namespace {

// Misses in a row after which a schema's structs are written in full without remembering them:
// the rows of a table differ in most fields, and remembering each costs a copy of its strings.
constexpr int kMissesBeforeGivingUp = 16;
// Structs written without the memo before it is tried again.
constexpr int kStructsBeforeRetry = 4096;

// Fewer fields than this and there is little unchanged text to copy: remembering and comparing
// cost more than writing the struct anew (a table's key, a transaction block).
constexpr size_t kMinFields = 4;

// Whether the memo can pay for this schema: flat (every field a primitive) and not too small.
bool Worthwhile(const data::Schema& schema) {
  if (schema.fields().size() < kMinFields) return false;
  for (const data::Field& field : schema.fields()) {
    switch (field.schema->type()) {
      case data::Type::kStruct:
      case data::Type::kArray:
      case data::Type::kMap:
        return false;
      default:
        break;
    }
  }
  return true;
}

}  // namespace

StructJsonMemo::StructJsonMemo(const data::Schema& schema)
    : worthwhile_(Worthwhile(schema)),
      enabled_(worthwhile_),
      begin_(schema.fields().size()),
      end_(schema.fields().size()),
      values_(schema.fields().size()),
      texts_(schema.fields().size()) {}

bool StructJsonMemo::Consider() {
  if (enabled_) return true;
  if (!worthwhile_ || ++skipped_ < kStructsBeforeRetry) return false;
  enabled_ = true;
  skipped_ = 0;
  misses_in_a_row_ = 0;
  has_json_ = false;
  return true;
}

bool StructJsonMemo::Same(uint32_t field, const data::Value& value) const {
  const data::Value& kept = values_[field];
  if (kept.kind != value.kind) return false;
  switch (value.kind) {
    case data::ValueKind::kNull:
      return true;
    case data::ValueKind::kInt:
      return kept.i == value.i;
    case data::ValueKind::kFloat:
      // Bit for bit: -0.0 and 0.0 are written differently, and NaN is NaN.
      return std::memcmp(&kept.f, &value.f, sizeof value.f) == 0;
    case data::ValueKind::kBoolean:
      return kept.b == value.b;
    case data::ValueKind::kString:
    case data::ValueKind::kBytes:
      return texts_[field].size() == value.size &&
             (value.size == 0 || std::memcmp(texts_[field].data(), value.data, value.size) == 0);
    default:
      return false;  // a container: never in a flat struct
  }
}

void StructJsonMemo::Keep(uint32_t field, const data::Value& value) {
  values_[field] = value;
  if (value.kind == data::ValueKind::kString || value.kind == data::ValueKind::kBytes) {
    texts_[field].assign(value.data == nullptr ? "" : value.data, value.size);
    values_[field].data = nullptr;  // the arena it pointed into is reused by the next batch
  }
}

bool StructJsonMemo::Differences(const data::Value* fields, size_t limit,
                                 std::vector<uint32_t>* changed) {
  changed->clear();
  bool within = has_json_;
  for (uint32_t i = 0; within && i < values_.size(); ++i) {
    if (Same(i, fields[i])) continue;
    if (changed->size() == limit) within = false;
    changed->push_back(i);
  }
  if (within) {
    misses_in_a_row_ = 0;
    return true;
  }
  if (has_json_ && ++misses_in_a_row_ >= kMissesBeforeGivingUp) enabled_ = false;
  return false;
}

void StructJsonMemo::Remember(std::string_view json, const std::vector<uint32_t>& begin,
                              const std::vector<uint32_t>& end, const data::Value* fields) {
  json_.assign(json.data(), json.size());
  begin_ = begin;
  end_ = end;
  for (uint32_t i = 0; i < values_.size(); ++i) Keep(i, fields[i]);
  has_json_ = true;
}

void StructJsonMemo::Update(std::string_view json, const std::vector<uint32_t>& changed,
                            const std::vector<uint32_t>& new_lengths, const data::Value* fields) {
  // Fields after a changed one moved by the difference in its length.
  int64_t shift = 0;
  size_t next = 0;
  for (uint32_t i = 0; i < begin_.size(); ++i) {
    const int64_t old_begin = begin_[i];
    const int64_t old_end = end_[i];
    begin_[i] = static_cast<uint32_t>(old_begin + shift);
    if (next < changed.size() && changed[next] == i) {
      end_[i] = begin_[i] + new_lengths[next];
      shift += static_cast<int64_t>(new_lengths[next]) - (old_end - old_begin);
      Keep(i, fields[i]);
      ++next;
    } else {
      end_[i] = static_cast<uint32_t>(old_end + shift);
    }
  }
  json_.assign(json.data(), json.size());
}

}  // namespace sluice::convert
