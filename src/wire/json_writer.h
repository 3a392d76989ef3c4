#pragma once
// Writing DynamoDB JSON for items straight into a string: the hot responses (Query, Scan,
// GetItem) skip building an nlohmann::json tree first.

#include <string>
#include <string_view>

#include "localdynamo/requests.h"
#include "localdynamo/value.h"

namespace localdynamo::wire {

std::string QueryBody(const QueryResponse& r);
std::string ExecuteStatementBody(const ExecuteStatementResponse& r);  // its page written as QueryBody's
std::string GetItemBody(const EncodedGetItemResponse& r);
// An item in the store's encoding (storage/item_codec.h) as DynamoDB JSON, without building it.
void AppendEncodedItemJson(std::string* out, std::string_view encoded);

}  // namespace localdynamo::wire
