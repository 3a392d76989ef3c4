#pragma once
// x-amzn-RequestId values shaped like DynamoDB's: 52 characters of base32hex (RFC 4648's
// "extended hex" alphabet, 0-9 then A-V). The first 26 encode the 128 bits of a UUID from the
// database's IdSource, so an injected IdSource makes them deterministic; the last 26 are the
// same on every response, as DynamoDB's are.

#include <string_view>

namespace localdynamo::server {

// Held in place rather than in a std::string: it is on every response.
struct RequestIdText {
  char text[52];
  std::string_view view() const { return {text, sizeof text}; }
};

// `uuid`: canonical UUID text (8-4-4-4-12 hex digits, either case); hex digits in any other
// arrangement are taken in order (dashes skipped, at most 32).
RequestIdText RequestId(std::string_view uuid);

}  // namespace localdynamo::server
