#pragma once
// The endpoint's reads: GetItem, Query and Scan with the items left in the store's encoding.
//
// The JSON protocol writes each item of its answer straight from the bytes the store holds
// (wire/json_writer.h), never building an Item: that is most of what keeps the endpoint's
// CPU per request low. These calls make the same checks, give the same errors, counts, keys
// and capacity as Database::GetItem / Query / Scan, and differ only in how the items come out.
//
// Why here and not in the public API: the encoding is the store's (storage/item_codec.h), of
// no use to a C++ caller, who gets Items; and it may change with the store format, which the
// public API must not. The front ends of this repository (wire/) are the only callers.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "localdynamo/database.h"

namespace localdynamo::engine {

// GetItem's answer with the item as stored (projected items re-encoded).
struct EncodedGetItemResponse {
  std::optional<std::string> item;
  std::optional<ConsumedCapacity> consumed_capacity;
};
Result<EncodedGetItemResponse> GetItemEncoded(Database& db, const GetItemRequest& request);

// Query and Scan handing each item of the page to `take` as it is read (the bytes live until
// `take` returns), instead of collecting the page in the response, whose `items` is then
// empty (absent for Select COUNT).
using EncodedItemSink = std::function<void(std::string_view encoded_item)>;
Result<QueryResponse> QueryEncoded(Database& db, const QueryRequest& request,
                                   const EncodedItemSink& take);
Result<ScanResponse> ScanEncoded(Database& db, const ScanRequest& request,
                                 const EncodedItemSink& take);

// The handle's state, for the engine's free functions that serve a Database (these).
struct DatabaseInternals {
  static Database::Impl& Of(Database& db) { return *db.impl_; }
};

}  // namespace localdynamo::engine
