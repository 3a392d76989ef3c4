// libFuzzer target: any request body, sent as any data-plane or Streams operation, gets a 200
// or DynamoDB's 400 error with a JSON body; never a crash, never sanitizer findings, never a
// 500 (an internal error means the engine met input it did not expect). The store persists
// across inputs, so later inputs meet what earlier ones wrote. Built by tools/fuzz.sh
// (clang, ASan + UBSan); the first input byte picks the operation, the rest is the body.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "localdynamo/localdynamo.h"
#include "wire/dispatch.h"

using namespace localdynamo;

namespace {

constexpr std::string_view kTargets[] = {
    "DynamoDB_20120810.PutItem",          "DynamoDB_20120810.GetItem",
    "DynamoDB_20120810.UpdateItem",       "DynamoDB_20120810.DeleteItem",
    "DynamoDB_20120810.Query",            "DynamoDB_20120810.Scan",
    "DynamoDB_20120810.BatchGetItem",     "DynamoDB_20120810.BatchWriteItem",
    "DynamoDB_20120810.TransactWriteItems", "DynamoDB_20120810.TransactGetItems",
    "DynamoDB_20120810.DescribeTable",    "DynamoDB_20120810.ListTables",
    "DynamoDBStreams_20120810.ListStreams", "DynamoDBStreams_20120810.DescribeStream",
    "DynamoDBStreams_20120810.GetShardIterator", "DynamoDBStreams_20120810.GetRecords",
};

Database& Store() {
  static Database* db = [] {
    Options o;
    o.durability = Durability::kNoSync;
    o.clock = FixedClock(1679306400000, 1000);
    o.ids = SequentialIds(7);
    Database* d = std::move(Database::OpenInMemory(o)).value().release();
    const char* setup[][2] = {
        {"CreateTable",
         R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
             "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
               {"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"B"}],
             "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
             "GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g","KeyType":"HASH"},
               {"AttributeName":"sk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a"]}}],
             "LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
               {"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],
             "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}})"},
        {"CreateTable",
         R"({"TableName":"hsh","BillingMode":"PAY_PER_REQUEST",
             "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]})"},
        {"PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"g":{"S":"x"},"a":{"L":[{"N":"1"},{"M":{"b":{"SS":["c"]}}}]}}})"},
        {"PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"2"},"l":{"B":"AAE="},"n":{"NS":["1","2.5"]}}})"},
        {"PutItem", R"({"TableName":"hsh","Item":{"id":{"S":"a"},"v":{"BOOL":true},"z":{"NULL":true}}})"},
    };
    for (auto& [op, body] : setup) {
      auto r = wire::Dispatch(*d, std::string("DynamoDB_20120810.") + op, body);
      if (r.http_status != 200) {
        std::fprintf(stderr, "setup %s failed: %s\n", op, r.body.c_str());
        std::abort();
      }
    }
    return d;
  }();
  return *db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view target = kTargets[data[0] % std::size(kTargets)];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const wire::WireResponse r = wire::Dispatch(Store(), target, body);
  const bool json_body = nlohmann::json::accept(r.body);
  if ((r.http_status != 200 && r.http_status != 400) || !json_body) {
    std::fprintf(stderr, "%.*s -> %d %s\n", static_cast<int>(target.size()), target.data(), r.http_status, r.body.c_str());
    std::abort();
  }
  return 0;
}
