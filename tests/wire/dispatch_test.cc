// wire::Dispatch answers every request with a JSON body, client mistakes with DynamoDB's 400s,
// whatever text the request carries (found by tests/fuzz/dispatch_fuzz.cc: a non-ASCII
// character in an expression was quoted half in the error message, and the response failed).

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "fuzz/dispatch_store.h"
#include "localdynamo/localdynamo.h"
#include "wire/dispatch.h"
#include "wire/json_value.h"

using namespace localdynamo;
using wire::json;

namespace {

std::unique_ptr<Database> OneTable() {
  Options o;
  o.durability = Durability::kNoSync;
  auto db = std::move(Database::OpenInMemory(o)).value();
  auto r = wire::Dispatch(*db, "DynamoDB_20120810.CreateTable",
                          R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
                              "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                              "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]})");
  REQUIRE(r.http_status == 200);
  return db;
}

}  // namespace

TEST_CASE("an expression with characters beyond ASCII gets DynamoDB's syntax error, as JSON") {
  auto db = OneTable();
  for (const char* expr : {"\u00e9 > :v", "id = :v AND \u65e5\u672c = :v", "\u0749\u07fd> :v"}) {
    const std::string body = json{{"TableName", "tbl"},
                                  {"Item", {{"id", {{"S", "a"}}}}},
                                  {"ConditionExpression", expr},
                                  {"ExpressionAttributeValues", {{":v", {{"S", "x"}}}}}}
                                 .dump();
    const auto r = wire::Dispatch(*db, "DynamoDB_20120810.PutItem", body);
    CHECK_MESSAGE(r.http_status == 400, expr);
    const json j = json::parse(r.body, nullptr, false);
    REQUIRE_MESSAGE(j.is_object(), r.body);
    CHECK(j["__type"] == "com.amazon.coral.validate#ValidationException");
    CHECK(j["message"].get<std::string>().starts_with("Invalid ConditionExpression: Syntax error; token: \""));
  }
  // Nothing was written.
  auto g = wire::Dispatch(*db, "DynamoDB_20120810.GetItem", R"({"TableName":"tbl","Key":{"id":{"S":"a"}}})");
  CHECK(g.body == "{}");
}

TEST_CASE("DumpJson writes bytes that are not UTF-8 as U+FFFD instead of failing") {
  CHECK(wire::DumpJson(json{{"message", std::string("bad \xC3 byte")}}) == "{\"message\":\"bad \xEF\xBF\xBD byte\"}");
  CHECK(wire::DumpJson(json{{"message", "caf\u00e9"}}) == "{\"message\":\"caf\u00e9\"}");
}

TEST_CASE("the dispatch fuzzer's seeds, and the inputs it found failing, replayed in order: errors change nothing") {
  Options o;
  o.durability = Durability::kNoSync;
  o.clock = FixedClock(1679306400000, 1000);
  o.ids = SequentialIds(7);
  auto db = std::move(Database::OpenInMemory(o)).value();
  REQUIRE(ld_fuzz::SeedTables(*db).empty());
  std::ifstream in(LD_DISPATCH_SEEDS);
  REQUIRE(in);
  int replayed = 0, ok = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const std::string_view target = ld_fuzz::kDispatchTargets[std::stoul(line.substr(0, tab)) % std::size(ld_fuzz::kDispatchTargets)];
    const std::string before = ld_fuzz::Digest(*db);
    const auto r = wire::Dispatch(*db, target, line.substr(tab + 1));
    CAPTURE(line);
    CHECK((r.http_status == 200 || r.http_status == 400));
    CHECK(json::accept(r.body));
    if (r.http_status != 200) CHECK(ld_fuzz::Digest(*db) == before);  // an error changes nothing
    ++replayed;
    ok += r.http_status == 200;
  }
  CHECK(replayed >= 25);
  // The seeds are meant to be valid requests, mostly: the fuzzer starts from inputs that reach deep.
  CHECK(ok >= replayed * 2 / 3);
}

TEST_CASE("an empty TableName gets DynamoDB's two failures, the pattern's first (recorded against it)") {
  auto db = OneTable();
  auto r = wire::Dispatch(*db, "DynamoDB_20120810.DescribeTable", R"({"TableName":""})");
  CHECK(r.http_status == 400);
  CHECK(json::parse(r.body)["message"] ==
        "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular "
        "expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'tableName' failed to satisfy constraint: Member must have length "
        "greater than or equal to 3");
}

TEST_CASE("tags, continuous backups and limits on the wire: missing members, bodies, error types") {
  auto db = OneTable();
  auto call = [&](std::string_view op, std::string_view body) {
    auto r = wire::Dispatch(*db, std::string("DynamoDB_20120810.") + std::string(op), body);
    return std::pair{r.http_status, r.body};
  };
  auto message = [&](std::string_view op, std::string_view body) {
    auto [status, text] = call(op, body);
    CHECK(status == 400);
    return json::parse(text)["message"].get<std::string>();
  };
  const std::string arn = "arn:aws:dynamodb:us-east-1:000000000000:table/tbl";
  // The ARN's absence first, in DynamoDB's words; then the list's.
  CHECK(message("TagResource", "{}") == "Invalid TableArn");
  CHECK(message("UntagResource", "{}") == "Invalid TableArn");
  CHECK(message("ListTagsOfResource", "{}") == "Invalid TableArn");
  CHECK(message("TagResource", R"({"ResourceArn":")" + arn + R"("})") ==
        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  CHECK(message("UntagResource", R"({"ResourceArn":")" + arn + R"("})") ==
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
  CHECK(message("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Value":"v"}]})") ==
        "The Tag Key provided is invalid, Key: null");
  CHECK(message("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"k"}]})") ==
        "The Tag Value provided is invalid, Value: null");

  CHECK(call("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"env","Value":"test"}]})") ==
        std::pair{200, std::string("{}")});
  CHECK(call("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})") ==
        std::pair{200, std::string(R"({"Tags":[{"Key":"env","Value":"test"}]})")});
  CHECK(call("UntagResource", R"({"ResourceArn":")" + arn + R"(","TagKeys":["env"]})") == std::pair{200, std::string("{}")});
  CHECK(call("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})") == std::pair{200, std::string(R"({"Tags":[]})")});

  CHECK(call("DescribeContinuousBackups", R"({"TableName":"tbl"})") ==
        std::pair{200, std::string(R"({"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED",)"
                                   R"("PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"DISABLED"}}})")});
  CHECK(message("UpdateContinuousBackups", R"({"TableName":"tbl"})") ==
        "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: "
        "Member must not be null");
  CHECK(message("UpdateContinuousBackups", R"({"TableName":"tbl","PointInTimeRecoverySpecification":{}})") ==
        "1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' "
        "failed to satisfy constraint: Member must not be null");
  auto [status, body] = call("DescribeContinuousBackups", R"({"TableName":"nope"})");
  CHECK(status == 400);
  CHECK(json::parse(body) == json{{"__type", "com.amazonaws.dynamodb.v20120810#TableNotFoundException"},
                                  {"message", "Table not found: nope"}});

  CHECK(call("DescribeLimits", "{}") ==
        std::pair{200, std::string(R"({"AccountMaxReadCapacityUnits":80000,"AccountMaxWriteCapacityUnits":80000,)"
                                   R"("TableMaxReadCapacityUnits":40000,"TableMaxWriteCapacityUnits":40000})")});
}
