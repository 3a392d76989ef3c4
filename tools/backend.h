#pragma once
// Where a CLI command sends its DynamoDB JSON requests: a database directory (handled in
// process, exactly as the endpoint would) or a running endpoint over HTTP.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "localdynamo/database.h"

namespace localdynamo::cli {

using json = nlohmann::json;

class Backend {
 public:
  virtual ~Backend() = default;
  // Sends `request` to `operation` ("Query"; "DynamoDBStreams_20120810.GetRecords" for the
  // Streams API). Throws CommandError with DynamoDB's error on failure.
  virtual json Call(const std::string& operation, const json& request) = 0;
};

struct CommandError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Target {
  std::string data_dir;
  std::string endpoint;
};

std::unique_ptr<Backend> OpenBackend(const Target& t);

// JSON text as the CLI reads all JSON (arguments, import lines, an endpoint's answers):
// discarded (is_discarded()) when malformed or nested deeper than 256 levels. What nlohmann
// builds is copied and written out recursively, so depth is bounded while reading; DynamoDB's
// 32 levels of values take at most ~70 levels of JSON.
json ParseJson(std::string_view text);

}  // namespace localdynamo::cli
