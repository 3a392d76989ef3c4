#pragma once
// ItemList: the Items of a Query or Scan page.
//
// A page is read from the store as the items' encoded bytes (one buffer) and turned into
// Items on first access, once for the whole list. A page that is only counted, forwarded or
// written out as JSON (the HTTP endpoint does that straight from the bytes) never builds
// them; a page that is read costs what it always did. Reading from several threads at once
// is safe, as for a const std::vector.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "localdynamo/value.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

namespace storage {
struct EncodedPage;
}  // namespace storage

class ItemList {
 public:
  using const_iterator = std::vector<Item>::const_iterator;
  using const_reverse_iterator = std::vector<Item>::const_reverse_iterator;

  ItemList() = default;
  ItemList(std::vector<Item> items);  // NOLINT: implicit, a page of ready Items
  ItemList(const ItemList& other);
  ItemList(ItemList&& other) noexcept;
  ItemList& operator=(ItemList other) noexcept;
  ~ItemList() = default;

  std::size_t size() const { return ends_.empty() ? items_.size() : ends_.size(); }
  bool empty() const { return size() == 0; }

  // The Items (built on first use).
  const std::vector<Item>& items() const;
  const Item& operator[](std::size_t i) const { return items()[i]; }
  const Item& at(std::size_t i) const { return items().at(i); }
  const Item& front() const { return items().front(); }
  const Item& back() const { return items().back(); }
  const_iterator begin() const { return items().begin(); }
  const_iterator end() const { return items().end(); }
  const_reverse_iterator rbegin() const { return items().rbegin(); }
  const_reverse_iterator rend() const { return items().rend(); }
  void push_back(Item item);
  operator std::vector<Item>() const& { return items(); }  // NOLINT: implicit by design
  operator std::vector<Item>() &&;                         // NOLINT

  friend bool operator==(const ItemList& a, const ItemList& b) { return a.items() == b.items(); }

  // The page's encoded side (src/storage/encoded_page.h: the engine fills a page with the
  // items' stored bytes, the endpoint writes them out from there) is not public: the bytes
  // are the store's encoding.
  friend struct storage::EncodedPage;

 private:
  void Decode() const;
  void AppendEncoded(std::string_view bytes);
  // Whether the items are (still) only encoded, and item i's bytes then.
  bool encoded() const { return !decoded_.load(std::memory_order_acquire); }
  std::string_view encoded_item(std::size_t i) const {
    const uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_).substr(begin, ends_[i] - begin);
  }

  std::string bytes_;           // encoded items, back to back
  std::vector<uint32_t> ends_;  // where each encoded item ends in bytes_
  mutable std::vector<Item> items_;
  mutable std::atomic<bool> decoded_{true};  // an empty list has nothing to decode
  mutable std::mutex mu_;
};

}  // namespace localdynamo

#pragma GCC visibility pop
