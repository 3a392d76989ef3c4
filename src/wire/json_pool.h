#pragma once
// Memory for the wire layer's JSON trees. nlohmann allocates every object member, array and
// string holder on its own: ~15 blocks for a GetItem body and ~40 for a PutItem body, each a
// malloc and a free (glibc's pair costs ~130 instructions with its checks: a sixth of the
// server's instructions per GetItem went to malloc and free). Blocks of up to kMaxBlock
// bytes are kept for reuse on per-thread free lists, one per 16-byte size class. A block
// freed on another thread joins that thread's lists (all are plain heap blocks), and each
// list keeps at most kMaxFree blocks, so a huge request's tree goes back to the heap.

#include <cstddef>

namespace localdynamo::wire::json_pool {

inline constexpr std::size_t kMaxBlock = 256;
inline constexpr std::size_t kMaxFree = 512;

void* Allocate(std::size_t bytes);
void Free(void* block, std::size_t bytes) noexcept;

// For nlohmann::basic_json's AllocatorType.
template <class T>
struct Allocator {
  using value_type = T;
  Allocator() = default;
  template <class U>
  Allocator(const Allocator<U>&) noexcept {}  // NOLINT: rebinding is implicit
  T* allocate(std::size_t n) { return static_cast<T*>(Allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { Free(p, n * sizeof(T)); }
  friend bool operator==(const Allocator&, const Allocator&) { return true; }
};

}  // namespace localdynamo::wire::json_pool
