#pragma once
// DynamoDB JSON text for values and items ({"S":"x"}, {"N":"12"}, {"B":"<base64>"}, ...),
// written straight into a string. One writer for debug strings and for the wire's hot
// responses.

#include <string>
#include <string_view>

#include "localdynamo/value.h"

namespace localdynamo {

std::string Base64Encode(std::string_view bytes);
void AppendJsonString(std::string* out, std::string_view s);
void AppendValueJson(std::string* out, const AttributeValue& v);
void AppendItemJson(std::string* out, const Item& item);

}  // namespace localdynamo
