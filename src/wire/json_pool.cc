#include "wire/json_pool.h"

#include <new>
#include <utility>

namespace localdynamo::wire::json_pool {
namespace {

constexpr std::size_t kGrain = 16;
constexpr std::size_t kClasses = kMaxBlock / kGrain;

struct FreeBlock {
  FreeBlock* next;
};

struct Lists {
  FreeBlock* head[kClasses] = {};
  std::size_t count[kClasses] = {};
  bool closed = false;  // the thread is ending: blocks go straight back to the heap

  ~Lists() {
    closed = true;
    for (FreeBlock*& h : head)
      while (h) ::operator delete(std::exchange(h, h->next));
  }
};

thread_local Lists lists;

std::size_t ClassOf(std::size_t bytes) { return (bytes - 1) / kGrain; }

}  // namespace

void* Allocate(std::size_t bytes) {
  if (bytes == 0 || bytes > kMaxBlock) return ::operator new(bytes);
  const std::size_t c = ClassOf(bytes);
  Lists& l = lists;
  if (FreeBlock* b = l.head[c]) {
    l.head[c] = b->next;
    --l.count[c];
    return b;
  }
  return ::operator new((c + 1) * kGrain);
}

void Free(void* block, std::size_t bytes) noexcept {
  if (bytes == 0 || bytes > kMaxBlock) return ::operator delete(block);
  const std::size_t c = ClassOf(bytes);
  Lists& l = lists;
  if (l.closed || l.count[c] >= kMaxFree) return ::operator delete(block);
  l.head[c] = new (block) FreeBlock{l.head[c]};
  ++l.count[c];
}

}  // namespace localdynamo::wire::json_pool
