// DynamoDB's documented limits on expressions, with its texts (issue 21: these were not
// enforced). https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html
// "Expression parameters": placeholders of at most 255 characters; document paths of at most
// 32 levels.

#include <doctest/doctest.h>

#include <string>

#include "localdynamo/localdynamo.h"
#include "support/wire_table.h"
#include "wire/dispatch.h"
#include "wire/json_value.h"

using namespace localdynamo;
using wire::json;

namespace {

using ld_test::OneWireTable;

std::pair<int, std::string> Call(Database& db, const std::string& op, const json& request) {
  const auto r = wire::Dispatch(db, "DynamoDB_20120810." + op, request.dump());
  const json j = json::parse(r.body);
  return {r.http_status, j.value("message", "")};
}

std::string Path(int levels) {
  std::string p = "a";
  for (int i = 1; i < levels; ++i) p += i % 2 ? ".b" : "[0]";
  return p;
}

}  // namespace

TEST_CASE(
    "document paths: 32 levels are taken, 33 refused with DynamoDB's text, in every expression") {
  auto db = OneWireTable();
  const json key = {{"id", {{"S", "k"}}}};
  CHECK(
      Call(*db, "GetItem", {{"TableName", "tbl"}, {"Key", key}, {"ProjectionExpression", Path(32)}})
          .first == 200);
  CHECK(Call(*db, "GetItem",
             {{"TableName", "tbl"}, {"Key", key}, {"ProjectionExpression", Path(33)}}) ==
        std::pair<int, std::string>{400,
                                    "Invalid ProjectionExpression: The document path has too many "
                                    "nesting levels; nesting levels: 33"});
  CHECK(Call(*db, "Scan",
             {{"TableName", "tbl"}, {"FilterExpression", "attribute_exists(" + Path(40) + ")"}}) ==
        std::pair<int, std::string>{400,
                                    "Invalid FilterExpression: The document path has too many "
                                    "nesting levels; nesting levels: 40"});
  CHECK(Call(*db, "UpdateItem",
             {{"TableName", "tbl"}, {"Key", key}, {"UpdateExpression", "REMOVE " + Path(33)}}) ==
        std::pair<int, std::string>{400,
                                    "Invalid UpdateExpression: The document path has too many "
                                    "nesting levels; nesting levels: 33"});
}

TEST_CASE("placeholders: 255 characters are taken, 256 refused with DynamoDB's text") {
  auto db = OneWireTable();
  const json key = {{"id", {{"S", "k"}}}};
  for (const std::size_t n : {255, 256}) {
    const std::string name = "#" + std::string(n - 1, 'n'), value = ":" + std::string(n - 1, 'v');
    const auto [status, message] =
        Call(*db, "DeleteItem",
             {{"TableName", "tbl"},
              {"Key", key},
              {"ConditionExpression", "attribute_not_exists(" + name + ")"},
              {"ExpressionAttributeNames", {{name, "x"}}}});
    CAPTURE(n);
    CHECK(status == (n == 255 ? 200 : 400));
    if (n == 256)
      CHECK(message ==
            "ExpressionAttributeNames contains invalid key: The expression attribute map contains "
            "a key that is too long; size of key: 256");
    const auto [vstatus, vmessage] = Call(*db, "DeleteItem",
                                          {{"TableName", "tbl"},
                                           {"Key", key},
                                           {"ConditionExpression", "x <> " + value},
                                           {"ExpressionAttributeValues", {{value, {{"S", "a"}}}}}});
    CHECK(vstatus == (n == 255 ? 200 : 400));
    if (n == 256)
      CHECK(vmessage ==
            "ExpressionAttributeValues contains invalid key: The expression attribute map contains "
            "a key that is too long; size of key: 256");
  }
}
