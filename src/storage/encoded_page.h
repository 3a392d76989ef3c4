#pragma once
// The encoded side of ItemList (include/localdynamo/item_list.h): a Query or Scan page held as
// its items' stored bytes, back to back, which the engine fills as it reads the store and the
// endpoint writes out as JSON from those bytes (no Item built). Not in the public API: the
// bytes are the store's encoding (storage/item_codec.h).

#include <cstddef>
#include <string_view>

#include "localdynamo/item_list.h"

namespace localdynamo::storage {

struct EncodedPage {
  // Appends one item in the store's encoding, already checked.
  static void Append(ItemList& page, std::string_view bytes) { page.AppendEncoded(bytes); }
  // Room for `items` encoded items of `bytes` in all, before appending them.
  static void Reserve(ItemList& page, std::size_t items, std::size_t bytes) {
    page.ends_.reserve(items);
    page.bytes_.reserve(bytes);
  }
  // Whether the page is (still) only encoded (no Items built), and item i's bytes then.
  static bool IsEncoded(const ItemList& page) { return page.encoded(); }
  static std::string_view Item(const ItemList& page, std::size_t i) { return page.encoded_item(i); }
};

}  // namespace localdynamo::storage
