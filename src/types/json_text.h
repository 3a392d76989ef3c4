#pragma once
// DynamoDB JSON text for values and items ({"S":"x"}, {"N":"12"}, {"B":"<base64>"}, ...),
// written straight into a string. One writer for debug strings and for the wire's hot
// responses.

#include <cstddef>
#include <string>
#include <string_view>

#include "localdynamo/value.h"

namespace localdynamo {

std::string Base64Encode(std::string_view bytes);
void AppendJsonString(std::string* out, std::string_view s);
// The most bytes WriteJsonString may touch for `size` bytes of text: every byte as \u00XX,
// the quotes, and 8 bytes of slack for its word-at-a-time copies.
constexpr std::size_t JsonStringBound(std::size_t size) { return 6 * size + 2 + 8; }
// Writes `s` as a JSON string, quotes included, at `out`, which has room for
// JsonStringBound(s.size()) bytes; returns the end of what it wrote.
char* WriteJsonString(char* out, std::string_view s);
void AppendValueJson(std::string* out, const AttributeValue& v);
void AppendItemJson(std::string* out, const Item& item);

}  // namespace localdynamo
