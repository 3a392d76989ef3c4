#pragma once
// Writing DynamoDB JSON for items straight into a string: the hot responses (Query, Scan,
// GetItem) skip building an nlohmann::json tree first.

#include <string>
#include <string_view>

#include "localdynamo/requests.h"
#include "localdynamo/value.h"

namespace localdynamo::wire {

void AppendJsonString(std::string* out, std::string_view s);
void AppendValueJson(std::string* out, const AttributeValue& v);
void AppendItemJson(std::string* out, const Item& item);

std::string QueryBody(const QueryResponse& r);
std::string GetItemBody(const GetItemResponse& r);

}  // namespace localdynamo::wire
