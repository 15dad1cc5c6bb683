// A bump allocator for the values of one batch of records.
//
// Why: a change event has tens of fields and the worker builds hundreds of thousands of events a
// second; a heap allocation per field would dominate the cost. A batch's values are built,
// converted and dropped together, so they are carved out of large blocks and released all at once
// by Reset(), which keeps the blocks for the next batch.
//
// Thread-safety: none; one arena belongs to one batch, used by one thread at a time.
#ifndef SLUICE_RUNTIME_DATA_ARENA_H_
#define SLUICE_RUNTIME_DATA_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace sluice::data {

class Arena {
 public:
  explicit Arena(size_t block_size = 64 * 1024);
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Returns `size` bytes aligned to `align` (a power of two), valid until Reset() or destruction.
  // Inline while the current block has room: the host building a record calls this for nearly
  // every field, ~700 instructions per event out of line (docs/benchmarks.md, "Less CPU per
  // event").
  void* Allocate(size_t size, size_t align = alignof(std::max_align_t)) {
    if (ptr_ != nullptr) {
      const auto addr = reinterpret_cast<uintptr_t>(ptr_);
      const size_t pad = ((addr + align - 1) & ~(uintptr_t{align} - 1)) - addr;
      if (static_cast<size_t>(end_ - ptr_) >= pad + size) {
        std::byte* start = ptr_ + pad;
        ptr_ = start + size;
        bytes_used_ += size;
        return start;
      }
    }
    return AllocateInNextBlock(size, align);
  }

  template <typename T>
  T* AllocateArray(size_t n) {
    return static_cast<T*>(Allocate(sizeof(T) * n, alignof(T)));
  }

  // Copies `bytes` into the arena; the view stays valid until Reset().
  std::string_view Copy(std::string_view bytes) {
    if (bytes.empty()) return std::string_view();
    char* to = static_cast<char*>(Allocate(bytes.size(), 1));
    std::memcpy(to, bytes.data(), bytes.size());
    return std::string_view(to, bytes.size());
  }

  // Forgets every allocation; keeps the blocks so the next batch allocates nothing from the heap.
  void Reset();

  // Bytes handed out since the last Reset (for bounding in-flight memory).
  size_t bytes_used() const { return bytes_used_; }
  // Bytes held from the heap.
  size_t bytes_reserved() const { return bytes_reserved_; }

 private:
  struct Block {
    std::unique_ptr<std::byte[]> data;
    size_t size;
  };
  // Allocate when the current block (if any) has no room: carves from the next one that has.
  void* AllocateInNextBlock(size_t size, size_t align);
  void NextBlock(size_t min_size);

  size_t block_size_;
  std::vector<Block> blocks_;
  size_t current_ = 0;  // index into blocks_ of the block being carved
  std::byte* ptr_ = nullptr;
  std::byte* end_ = nullptr;
  size_t bytes_used_ = 0;
  size_t bytes_reserved_ = 0;
};

}  // namespace sluice::data

#endif  // SLUICE_RUNTIME_DATA_ARENA_H_
