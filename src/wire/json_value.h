#pragma once
// DynamoDB JSON for attribute values and items: {"S":"x"}, {"N":"12"}, {"B":"<base64>"}, ...
// Malformed input raises WireError (caught in Dispatch), carrying DynamoDB's error.

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "localdynamo/status.h"
#include "localdynamo/value.h"
#include "types/json_text.h"
#include "wire/json_parse.h"

namespace localdynamo::wire {

// Responses other than the hot ones (json_writer.h) are built as nlohmann trees; requests are
// read into a RequestDoc (json_parse.h).
using json = nlohmann::json;

// A request the wire layer rejects before it reaches the engine.
class WireError : public std::exception {
 public:
  explicit WireError(Error e) : error_(std::move(e)) {}
  const Error& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

[[noreturn]] void ThrowSerialization(std::string message);
[[noreturn]] void ThrowValidation(std::string message);

// Read from a request (`j` must be a value, not none).
AttributeValue ParseValue(JsonRef j);
Item ParseItem(JsonRef j);
json ValueJson(const AttributeValue& v);
json ItemJson(const Item& item);

// JSON text for a response. Strings that are not UTF-8 (none should be: request strings are
// checked when read, and messages quote whole characters) are written with U+FFFD in place
// of the bad bytes rather than failing the response.
std::string DumpJson(const json& j);

// Throws SerializationException on malformed input.
std::string Base64Decode(std::string_view text);

}  // namespace localdynamo::wire
