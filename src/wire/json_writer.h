#pragma once
// Writing DynamoDB JSON for items straight into a string: the hot responses (Query, Scan,
// GetItem) skip building an nlohmann::json tree first.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "engine/encoded_reads.h"
#include "localdynamo/requests.h"
#include "localdynamo/value.h"

namespace localdynamo::wire {

namespace json_writer_detail {
// Bytes stored through a pointer into room made ahead: the string grows geometrically and
// is cut to length once, when the JsonOut goes (std::string's push_back and append re-check
// capacity and re-terminate the string on every call, most of the cost of writing a page of
// items a few bytes at a time). Where it writes and how far it may are kept as pointers of
// its own, not re-read from the string for every piece.
class JsonOut {
 public:
  explicit JsonOut(std::string* s) : s_(s), cur_(s->data() + s->size()), limit_(cur_) {}
  ~JsonOut() { Trim(); }
  JsonOut(const JsonOut&) = delete;
  JsonOut& operator=(const JsonOut&) = delete;

  char* Room(std::size_t n) {
    if (static_cast<std::size_t>(limit_ - cur_) < n) [[unlikely]]
      Grow(n);
    return cur_;
  }
  void Advance(char* to) { cur_ = to; }
  void Put(char c) {
    *Room(1) = c;
    ++cur_;
  }
  void Put(std::string_view v) {
    std::memcpy(Room(v.size()), v.data(), v.size());
    cur_ += v.size();
  }
  // Room for `n` bytes in all before growing again (the string's capacity: filled once, when
  // the writing first needs room).
  void Reserve(std::size_t n) {
    if (limit_ == cur_ && s_->capacity() < n) {
      const std::size_t end = static_cast<std::size_t>(cur_ - s_->data());
      s_->reserve(n);
      cur_ = limit_ = s_->data() + end;
    }
  }
  // Cuts the string to what was written, for writing to it directly; Resume() before writing
  // through this again.
  void Trim() {
    s_->resize(static_cast<std::size_t>(cur_ - s_->data()));
    cur_ = limit_ = s_->data() + s_->size();
  }
  void Resume() { cur_ = limit_ = s_->data() + s_->size(); }

 private:
  [[gnu::noinline]] void Grow(std::size_t n) {
    const std::size_t end = static_cast<std::size_t>(cur_ - s_->data());
    s_->resize(std::max({2 * s_->size(), end + n, s_->capacity()}));
    cur_ = s_->data() + end;
    limit_ = s_->data() + s_->size();
  }

  std::string* s_;
  char* cur_;
  char* limit_;
};

}  // namespace json_writer_detail

// A Query or Scan answer written as its page is read (engine::QueryEncoded's sink): each
// item from the store's bytes straight into the answer, the counts and keys once the page is
// done. `limit` (the request's Limit) sizes the room made when the first item comes.
// QueryBody and ExecuteStatementBody write their pages with it too.
class PageBodyWriter {
 public:
  explicit PageBodyWriter(std::optional<int64_t> limit = std::nullopt);
  PageBodyWriter(const PageBodyWriter&) = delete;
  PageBodyWriter& operator=(const PageBodyWriter&) = delete;
  // One item, in the store's encoding (WireError if it is damaged).
  void Add(std::string_view encoded_item);
  // A page's items, stored bytes or built Items.
  void Add(const ItemList& items);
  // The answer: the items added, then r.items' if any (absent: Select COUNT, no Items at
  // all), the counts, LastEvaluatedKey and ConsumedCapacity.
  std::string Finish(const QueryResponse& r);
  // PartiQL's: the items added, then r.items', NextToken and ConsumedCapacity.
  std::string Finish(const ExecuteStatementResponse& r);

 private:
  void CloseItems();       // ends "Items":[...] (opening it if no item came)
  std::string TakeBody();  // closes the object and hands it over

  std::string out_;
  json_writer_detail::JsonOut json_;
  std::optional<int64_t> limit_;
  std::size_t added_ = 0;
};

std::string QueryBody(const QueryResponse& r);
std::string ExecuteStatementBody(
    const ExecuteStatementResponse& r);  // its page written as QueryBody's
std::string GetItemBody(const engine::EncodedGetItemResponse& r);
// An item in the store's encoding (storage/item_codec.h) as DynamoDB JSON, without building it.
void AppendEncodedItemJson(std::string* out, std::string_view encoded);

}  // namespace localdynamo::wire
