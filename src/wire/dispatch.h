#pragma once
// The DynamoDB JSON 1.0 protocol over a Database: X-Amz-Target + body in, status + body out.
// Shared by the HTTP server and the CLI (which sends the same JSON to a directory or an
// endpoint).

#include <string>
#include <string_view>

#include "localdynamo/database.h"

namespace localdynamo::wire {

struct WireResponse {
  int http_status = 200;   // 200, 400 for client errors, 500 for internal ones
  std::string body;        // JSON text
  std::string error_code;  // e.g. "ValidationException" ("" on success), for access logs
  std::string table_name;  // the request's TableName if any, for access logs
};

// `target` is the X-Amz-Target header value, e.g. "DynamoDB_20120810.PutItem" or
// "DynamoDBStreams_20120810.GetRecords". Never throws; malformed input gets DynamoDB's
// SerializationException / ValidationException / UnknownOperationException.
WireResponse Dispatch(Database& db, std::string_view target, std::string_view body);

// Whether `target`'s operation writes items (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
// TransactWriteItems and PartiQL's three, a SELECT among them): on a durable store its call
// waits for a sync.
bool WritesItems(std::string_view target);

// The error body DynamoDB sends for `e` ({"__type": "...#Code", "message": "..."} plus
// CancellationReasons / Item where they apply).
std::string ErrorBody(const Error& e);

}  // namespace localdynamo::wire
