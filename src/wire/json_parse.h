#pragma once
// Request bodies to nlohmann::json, the way json::parse(body, nullptr, false) reads them:
// the same values (object keys last-wins, non-negative integers unsigned, negative ones
// signed), the same rejections (a discarded value). nlohmann's lexer reads a byte at a time
// through an input adapter: it was 1.5 of the 2.3 µs spent reading a PutItem body, 15% of the
// endpoint's time per PutItem. The fast path here takes what SDKs send (ASCII text, the
// short escapes, integers); anything else (\u escapes, other bytes over 0x7F, fractions and
// exponents, integers past 64 bits, nesting past kMaxFastDepth, any malformed input) is
// handed to json::parse whole, so every rejection and every unusual value is nlohmann's own.

#include <optional>
#include <string_view>

#include "wire/json_value.h"

namespace localdynamo::wire {

json ParseRequestJson(std::string_view body);

// Empties a request tree from the leaves up, leaving `j` an empty object or array (or as it
// was, if a scalar). nlohmann's destructor guards against deep recursion by moving every
// child through a vector of its own: a tenth of the server's instructions per PutItem went
// there. Past kMaxFastDepth levels what is left is that destructor's.
void ReleaseRequestTree(json& j, int depth = 0);

namespace json_parse_detail {

inline constexpr int kMaxFastDepth = 64;
// The fast path alone: nullopt where ParseRequestJson hands the body to nlohmann.
std::optional<json> FastParse(std::string_view body);

}  // namespace json_parse_detail

}  // namespace localdynamo::wire
