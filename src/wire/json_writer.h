#pragma once
// Writing DynamoDB JSON for items straight into a string: the hot responses (Query, Scan,
// GetItem) skip building an nlohmann::json tree first.

#include <string>
#include <string_view>

#include "localdynamo/requests.h"
#include "localdynamo/value.h"

namespace localdynamo::wire {

std::string QueryBody(const QueryResponse& r);
std::string GetItemBody(const GetItemResponse& r);

}  // namespace localdynamo::wire
