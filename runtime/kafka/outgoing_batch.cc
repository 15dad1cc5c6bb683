#include "runtime/kafka/outgoing_batch.h"

#include <algorithm>
#include <cstring>
#include <memory>

namespace sluice::kafka {

// The bytes of a batch's records, in chunks, freed when the last reference goes.
struct OutgoingBatch::Memory {
  // Large enough that a poll's records (2,048 of ~700 bytes by default) take a few chunks.
  static constexpr size_t kChunkBytes = 256 * 1024;

  std::atomic<int64_t> references{1};  // the batch's own
  std::vector<std::unique_ptr<char[]>> chunks;
  std::vector<size_t> chunk_sizes;
  size_t chunk = 0;  // the chunk being filled
  size_t used = 0;   // bytes of it taken
};

OutgoingBatch::~OutgoingBatch() {
  if (memory_ != nullptr && memory_->references.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    delete memory_;
  }
}

char* OutgoingBatch::Allocate(size_t size, size_t align) {
  if (memory_ == nullptr) memory_ = new Memory();
  Memory& m = *memory_;
  while (m.chunk < m.chunks.size()) {
    const size_t start = (m.used + align - 1) / align * align;
    if (start + size <= m.chunk_sizes[m.chunk]) {
      m.used = start + size;
      return m.chunks[m.chunk].get() + start;
    }
    ++m.chunk;
    m.used = 0;
  }
  // new[] of char is aligned for any fundamental type, so offset 0 fits every `align` used here.
  const size_t bytes = std::max(Memory::kChunkBytes, size);
  m.chunks.push_back(std::unique_ptr<char[]>(new char[bytes]));
  m.chunk_sizes.push_back(bytes);
  m.chunk = m.chunks.size() - 1;
  m.used = size;
  return m.chunks.back().get();
}

absl::string_view OutgoingBatch::Copy(absl::string_view bytes) {
  if (bytes.empty()) return absl::string_view("", 0);
  char* to = Allocate(bytes.size(), 1);
  std::memcpy(to, bytes.data(), bytes.size());
  return absl::string_view(to, bytes.size());
}

void OutgoingBatch::Add(const OutgoingRecord& record, offsets::SubmittedRecord* tracked) {
  Slot& slot = records_.emplace_back();
  slot.record.topic = record.topic;
  if (record.key) slot.record.key = Copy(*record.key);
  if (record.value) slot.record.value = Copy(*record.value);
  slot.record.timestamp_ms = record.timestamp_ms;
  slot.record.partition = record.partition;
  slot.header_begin = static_cast<uint32_t>(headers_.size());
  slot.header_count = static_cast<uint32_t>(record.headers.size());
  for (const RecordHeader& h : record.headers) {
    headers_.push_back(
        {Copy(h.name), h.value ? std::optional<absl::string_view>(Copy(*h.value)) : std::nullopt});
  }
  slot.delivery = new (Allocate(sizeof(Delivery), alignof(Delivery))) Delivery();
  slot.delivery->tracked = tracked;
  slot.delivery->memory = memory_;
}

OutgoingRecord OutgoingBatch::record(size_t i) const {
  const Slot& slot = records_[i];
  OutgoingRecord out = slot.record;
  out.headers = absl::MakeConstSpan(headers_).subspan(slot.header_begin, slot.header_count);
  return out;
}

void OutgoingBatch::Retain(int64_t records) {
  if (records > 0 && memory_ != nullptr) {
    memory_->references.fetch_add(records, std::memory_order_relaxed);
  }
}

void OutgoingBatch::Release(const Delivery& delivery) {
  Memory* memory = delivery.memory;  // `delivery` lives in it
  if (memory->references.fetch_sub(1, std::memory_order_acq_rel) == 1) delete memory;
}

void OutgoingBatch::LetGo() {
  if (memory_ == nullptr) return;
  if (memory_->references.load(std::memory_order_acquire) == 1) {
    // No record holds it (and only this thread could add one): fill it again from the start.
    memory_->chunk = 0;
    memory_->used = 0;
    return;
  }
  if (memory_->references.fetch_sub(1, std::memory_order_acq_rel) == 1) delete memory_;
  memory_ = nullptr;
}

void OutgoingBatch::Clear() {
  records_.clear();
  headers_.clear();
  LetGo();
}

}  // namespace sluice::kafka
