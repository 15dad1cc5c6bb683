#include "runtime/data/arena.h"

namespace sluice::data {

Arena::Arena(size_t block_size) : block_size_(block_size) {}

void* Arena::AllocateInNextBlock(size_t size, size_t align) {
  // A block of at least size + align always has room, aligned wherever it starts.
  NextBlock(size + align);
  const auto addr = reinterpret_cast<uintptr_t>(ptr_);
  const size_t pad = ((addr + align - 1) & ~(uintptr_t{align} - 1)) - addr;
  std::byte* start = ptr_ + pad;
  ptr_ = start + size;
  bytes_used_ += size;
  return start;
}

void Arena::NextBlock(size_t min_size) {
  // Reuse a block kept from an earlier batch when it is large enough.
  size_t next = ptr_ == nullptr ? current_ : current_ + 1;
  while (next < blocks_.size() && blocks_[next].size < min_size) ++next;
  if (next >= blocks_.size()) {
    size_t size = min_size > block_size_ ? min_size : block_size_;
    blocks_.push_back(Block{std::make_unique<std::byte[]>(size), size});
    bytes_reserved_ += size;
    next = blocks_.size() - 1;
  }
  current_ = next;
  ptr_ = blocks_[next].data.get();
  end_ = ptr_ + blocks_[next].size;
}

void Arena::Reset() {
  current_ = 0;
  ptr_ = nullptr;
  end_ = nullptr;
  bytes_used_ = 0;
}

}  // namespace sluice::data
