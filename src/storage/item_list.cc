#include "localdynamo/item_list.h"

#include "storage/item_codec.h"

namespace localdynamo {

ItemList::ItemList(std::vector<Item> items) : items_(std::move(items)) {}

ItemList::ItemList(const ItemList& other) {
  std::lock_guard lock(other.mu_);
  bytes_ = other.bytes_;
  ends_ = other.ends_;
  items_ = other.items_;
  decoded_.store(other.decoded_.load());
}

ItemList::ItemList(ItemList&& other) noexcept
    : bytes_(std::move(other.bytes_)),
      ends_(std::move(other.ends_)),
      items_(std::move(other.items_)) {
  decoded_.store(other.decoded_.load());
  other.ends_.clear();
  other.items_.clear();
  other.decoded_.store(true);
}

ItemList& ItemList::operator=(ItemList other) noexcept {
  bytes_.swap(other.bytes_);
  ends_.swap(other.ends_);
  items_.swap(other.items_);
  decoded_.store(other.decoded_.load());
  return *this;
}

const std::vector<Item>& ItemList::items() const {
  if (!decoded_.load(std::memory_order_acquire)) Decode();
  return items_;
}

void ItemList::Decode() const {
  std::lock_guard lock(mu_);
  if (decoded_.load(std::memory_order_relaxed)) return;
  items_.resize(ends_.size());
  // The bytes come straight from the store; a damaged store's item decodes as far as it can
  // (the endpoint, writing from the bytes, reports it as an InternalError instead).
  for (std::size_t i = 0; i < ends_.size(); ++i)
    (void)storage::DecodeItem(encoded_item(i), &items_[i]);
  decoded_.store(true, std::memory_order_release);
}

void ItemList::push_back(Item item) {
  (void)items();
  bytes_.clear();
  ends_.clear();
  items_.push_back(std::move(item));
}

ItemList::operator std::vector<Item>() && {
  (void)items();
  bytes_.clear();
  ends_.clear();
  return std::move(items_);
}

void ItemList::AppendEncoded(std::string_view bytes) {
  if (!items_.empty()) {  // a list of ready Items stays one
    push_back(Item());
    (void)storage::DecodeItem(bytes, &items_.back());
    return;
  }
  bytes_.append(bytes);
  ends_.push_back(static_cast<uint32_t>(bytes_.size()));
  decoded_.store(false, std::memory_order_relaxed);
}

}  // namespace localdynamo
