// wire::Dispatch answers every request with a JSON body, client mistakes with DynamoDB's 400s,
// whatever text the request carries (found by tests/fuzz/dispatch_fuzz.cc: a non-ASCII
// character in an expression was quoted half in the error message, and the response failed).

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "fuzz/dispatch_store.h"
#include "localdynamo/localdynamo.h"
#include "support/wire_table.h"
#include "wire/dispatch.h"
#include "wire/json_value.h"

using namespace localdynamo;
using wire::json;

namespace {

using ld_test::OneWireTable;

}  // namespace

TEST_CASE("an expression with characters beyond ASCII gets DynamoDB's syntax error, as JSON") {
  auto db = OneWireTable();
  for (const char* expr : {"\u00e9 > :v", "id = :v AND \u65e5\u672c = :v", "\u0749\u07fd> :v"}) {
    const std::string body = json{
        {"TableName", "tbl"},
        {"Item", {{"id", {{"S", "a"}}}}},
        {"ConditionExpression", expr},
        {"ExpressionAttributeValues",
         {{":v", {{"S", "x"}}}}}}.dump();
    const auto r = wire::Dispatch(*db, "DynamoDB_20120810.PutItem", body);
    CHECK_MESSAGE(r.http_status == 400, expr);
    const json j = json::parse(r.body, nullptr, false);
    REQUIRE_MESSAGE(j.is_object(), r.body);
    CHECK(j["__type"] == "com.amazon.coral.validate#ValidationException");
    CHECK(j["message"].get<std::string>().starts_with(
        "Invalid ConditionExpression: Syntax error; token: \""));
  }
  // Nothing was written.
  auto g = wire::Dispatch(*db, "DynamoDB_20120810.GetItem",
                          R"({"TableName":"tbl","Key":{"id":{"S":"a"}}})");
  CHECK(g.body == "{}");
}

TEST_CASE("DumpJson writes bytes that are not UTF-8 as U+FFFD instead of failing") {
  CHECK(wire::DumpJson(json{{"message", std::string("bad \xC3 byte")}}) ==
        "{\"message\":\"bad \xEF\xBF\xBD byte\"}");
  CHECK(wire::DumpJson(json{{"message", "caf\u00e9"}}) == "{\"message\":\"caf\u00e9\"}");
}

TEST_CASE(
    "the dispatch fuzzer's seeds, and the inputs it found failing, replayed in order: errors "
    "change nothing") {
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
    const std::string_view target = ld_fuzz::kDispatchTargets[std::stoul(line.substr(0, tab)) %
                                                              std::size(ld_fuzz::kDispatchTargets)];
    REQUIRE(ld_fuzz::SeedTables(*db).empty());  // as the fuzz target does before each input
    const std::string before = ld_fuzz::Digest(*db);
    const auto r = wire::Dispatch(*db, target, ld_fuzz::ExpandRepeats(line.substr(tab + 1)));
    CAPTURE(line);
    CHECK((r.http_status == 200 || r.http_status == 400));
    CHECK(json::accept(r.body));
    if (r.http_status != 200) CHECK(ld_fuzz::Digest(*db) == before);  // an error changes nothing
    ++replayed;
    ok += r.http_status == 200;
  }
  CHECK(replayed >= 25);
  // The seeds are meant to be valid requests, mostly: the fuzzer starts from inputs that reach
  // deep.
  CHECK(ok >= replayed * 2 / 3);
}

TEST_CASE(
    "an empty TableName gets DynamoDB's two failures, the pattern's first (recorded against it)") {
  auto db = OneWireTable();
  auto r = wire::Dispatch(*db, "DynamoDB_20120810.DescribeTable", R"({"TableName":""})");
  CHECK(r.http_status == 400);
  CHECK(json::parse(r.body)["message"] ==
        "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular "
        "expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'tableName' failed to satisfy "
        "constraint: Member must have length "
        "greater than or equal to 3");
}

TEST_CASE("tags, continuous backups and limits on the wire: missing members, bodies, error types") {
  auto db = OneWireTable();
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
        "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member "
        "must not be null");
  CHECK(message("UntagResource", R"({"ResourceArn":")" + arn + R"("})") ==
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member "
        "must not be null");
  CHECK(message("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Value":"v"}]})") ==
        "The Tag Key provided is invalid, Key: null");
  CHECK(message("TagResource", R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"k"}]})") ==
        "The Tag Value provided is invalid, Value: null");

  CHECK(call("TagResource",
             R"({"ResourceArn":")" + arn + R"(","Tags":[{"Key":"env","Value":"test"}]})") ==
        std::pair{200, std::string("{}")});
  CHECK(call("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})") ==
        std::pair{200, std::string(R"({"Tags":[{"Key":"env","Value":"test"}]})")});
  CHECK(call("UntagResource", R"({"ResourceArn":")" + arn + R"(","TagKeys":["env"]})") ==
        std::pair{200, std::string("{}")});
  CHECK(call("ListTagsOfResource", R"({"ResourceArn":")" + arn + R"("})") ==
        std::pair{200, std::string(R"({"Tags":[]})")});

  CHECK(call("DescribeContinuousBackups", R"({"TableName":"tbl"})") ==
        std::pair{
            200,
            std::string(
                R"({"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED",)"
                R"("PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"DISABLED"}}})")});
  CHECK(message("UpdateContinuousBackups", R"({"TableName":"tbl"})") ==
        "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to "
        "satisfy constraint: "
        "Member must not be null");
  CHECK(message("UpdateContinuousBackups",
                R"({"TableName":"tbl","PointInTimeRecoverySpecification":{}})") ==
        "1 validation error detected: Value null at "
        "'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' "
        "failed to satisfy constraint: Member must not be null");
  auto [status, body] = call("DescribeContinuousBackups", R"({"TableName":"nope"})");
  CHECK(status == 400);
  CHECK(json::parse(body) ==
        json{{"__type", "com.amazonaws.dynamodb.v20120810#TableNotFoundException"},
             {"message", "Table not found: nope"}});

  CHECK(call("DescribeLimits", "{}") ==
        std::pair{
            200, std::string(
                     R"({"AccountMaxReadCapacityUnits":80000,"AccountMaxWriteCapacityUnits":80000,)"
                     R"("TableMaxReadCapacityUnits":40000,"TableMaxWriteCapacityUnits":40000})")});
}

TEST_CASE("backups on the wire: missing members, the shapes DynamoDB answers with, error types") {
  auto db = OneWireTable();
  auto call = [&](std::string_view op, const std::string& body) {
    auto r = wire::Dispatch(*db, std::string("DynamoDB_20120810.") + std::string(op), body);
    return std::pair{r.http_status, json::parse(r.body)};
  };
  auto message = [&](std::string_view op, const std::string& body) {
    auto [status, j] = call(op, body);
    CHECK(status == 400);
    return j["message"].get<std::string>();
  };
  CHECK(message("CreateBackup", R"({"TableName":"tbl"})") ==
        "1 validation error detected: Value null at 'backupName' failed to satisfy constraint: "
        "Member must not be null");
  CHECK(message("DescribeBackup", "{}") ==
        "1 validation error detected: Value null at 'backupArn' failed to satisfy constraint: "
        "Member must not be null");
  CHECK(message("RestoreTableFromBackup", "{}") ==
        "2 validation errors detected: Value null at 'targetTableName' failed to satisfy "
        "constraint: Member must not be null; "
        "Value null at 'backupArn' failed to satisfy constraint: Member must not be null");
  CHECK(message("ListBackups", R"({"BackupType":"user"})") ==
        "1 validation error detected: Value 'user' at 'backupType' failed to satisfy constraint: "
        "Member must satisfy enum "
        "value set: [USER, SYSTEM, AWS_BACKUP, ALL]");

  auto [created_status, created] =
      call("CreateBackup", R"({"TableName":"tbl","BackupName":"nightly"})");
  REQUIRE(created_status == 200);
  const json details = created["BackupDetails"];
  CHECK(details["BackupStatus"] == "CREATING");
  CHECK(details["BackupType"] == "USER");
  CHECK(details["BackupSizeBytes"] == 0);
  CHECK(details["BackupCreationDateTime"].is_number());
  CHECK(!details.contains("BackupExpiryDateTime"));  // user backups don't expire
  const std::string arn = details["BackupArn"];

  auto [described_status, described] = call("DescribeBackup", json{{"BackupArn", arn}}.dump());
  REQUIRE(described_status == 200);
  const json d = described["BackupDescription"];
  CHECK(d["BackupDetails"]["BackupStatus"] == "AVAILABLE");
  CHECK(d["SourceTableDetails"]["TableName"] == "tbl");
  CHECK(d["SourceTableDetails"]["BillingMode"] == "PAY_PER_REQUEST");
  CHECK(d["SourceTableDetails"]["ProvisionedThroughput"] ==
        json{{"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}});
  CHECK(d["SourceTableFeatureDetails"] == json::object());  // a plain table: {}

  auto [listed_status, listed] = call("ListBackups", "{}");
  REQUIRE(listed_status == 200);
  CHECK(listed["BackupSummaries"].size() == 1);
  CHECK(listed["BackupSummaries"][0]["TableName"] == "tbl");
  CHECK(listed["BackupSummaries"][0]["BackupArn"] == arn);
  CHECK(!listed.contains("LastEvaluatedBackupArn"));

  auto [restored_status, restored] =
      call("RestoreTableFromBackup", json{{"TargetTableName", "copy"}, {"BackupArn", arn}}.dump());
  REQUIRE(restored_status == 200);
  CHECK(restored["TableDescription"]["TableStatus"] == "CREATING");
  CHECK(restored["TableDescription"]["RestoreSummary"]["RestoreInProgress"] == true);
  CHECK(restored["TableDescription"]["RestoreSummary"]["SourceBackupArn"] == arn);
  auto [again_status, again] =
      call("RestoreTableFromBackup", json{{"TargetTableName", "copy"}, {"BackupArn", arn}}.dump());
  CHECK(again_status == 400);
  CHECK(again["__type"] == "com.amazonaws.dynamodb.v20120810#TableAlreadyExistsException");

  auto [deleted_status, deleted] = call("DeleteBackup", json{{"BackupArn", arn}}.dump());
  REQUIRE(deleted_status == 200);
  CHECK(deleted["BackupDescription"]["BackupDetails"]["BackupStatus"] == "DELETED");
  auto [gone_status, gone] = call("DescribeBackup", json{{"BackupArn", arn}}.dump());
  CHECK(gone_status == 400);
  CHECK(gone == json{{"__type", "com.amazonaws.dynamodb.v20120810#BackupNotFoundException"},
                     {"message", "Backup not found: " + arn}});
}

TEST_CASE(
    "a whole number beyond 64 bits is no Integer: SerializationException, not a wrapped value") {
  auto db = OneWireTable();
  for (const char* limit : {"1.8888e25", "-1e19", "18446744073709551615", "9223372036854775808"}) {
    auto r = wire::Dispatch(*db, "DynamoDB_20120810.Scan",
                            std::string(R"({"TableName":"tbl","Limit":)") + limit + "}");
    CAPTURE(limit);
    CHECK(r.http_status == 400);
    CHECK(json::parse(r.body)["__type"] == "com.amazon.coral.service#SerializationException");
  }
  CHECK(wire::Dispatch(*db, "DynamoDB_20120810.Scan", R"({"TableName":"tbl","Limit":2.0})")
            .http_status == 200);
}

// DynamoDB Local takes a whole number written as a JSON string where an integer is expected
// (dynamodb-admin's Create table form sends "ReadCapacityUnits":"5"), and so does this server;
// any other string stays a SerializationException.
TEST_CASE("an integer member written as a string of digits is taken, any other string is not") {
  auto db = OneWireTable();
  auto scan = [&](const std::string& limit) {
    return wire::Dispatch(*db, "DynamoDB_20120810.Scan",
                          R"({"TableName":"tbl","Limit":)" + limit + "}");
  };
  CHECK(scan(R"("5")").http_status == 200);
  CHECK(json::parse(scan(R"("0")").body)["message"] ==
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member "
        "must have value greater than or equal to 1");
  for (const char* bad : {R"("")", R"("5a")", R"(" 5")", R"("1.5")", R"("+5")", R"("0x10")",
                          R"("99999999999999999999")", R"("-")"}) {
    CAPTURE(bad);
    auto r = scan(bad);
    CHECK(r.http_status == 400);
    CHECK(json::parse(r.body) ==
          json{{"__type", "com.amazon.coral.service#SerializationException"},
               {"message", "STRING_VALUE can not be converted to an Integer"}});
  }
  auto created = wire::Dispatch(*db, "DynamoDB_20120810.CreateTable", R"({"TableName":"admin",
      "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
      "ProvisionedThroughput":{"ReadCapacityUnits":"5","WriteCapacityUnits":"7"}})");
  REQUIRE(created.http_status == 200);
  CHECK(json::parse(
            created.body)["TableDescription"]["ProvisionedThroughput"]["WriteCapacityUnits"] == 7);
}

TEST_CASE("contributor insights on the wire: the action's and mode's enums, and the shapes") {
  auto db = OneWireTable();
  auto call = [&](std::string_view op, const std::string& body) {
    auto r = wire::Dispatch(*db, std::string("DynamoDB_20120810.") + std::string(op), body);
    return std::pair{r.http_status, json::parse(r.body)};
  };
  auto [s1, missing] = call("UpdateContributorInsights", R"({"TableName":"tbl"})");
  CHECK(s1 == 400);
  CHECK(missing["message"] ==
        "1 validation error detected: Value null at 'contributorInsightsAction' failed to satisfy "
        "constraint: Member must not be null");
  auto [s2, bad] =
      call("UpdateContributorInsights", R"({"TableName":"tbl","ContributorInsightsAction":"ON"})");
  CHECK(s2 == 400);
  CHECK(bad["message"] ==
        "1 validation error detected: Value 'ON' at 'contributorInsightsAction' failed to satisfy "
        "constraint: Member must satisfy "
        "enum value set: [ENABLE, DISABLE]");
  CHECK(call("DescribeContributorInsights", R"({"TableName":"tbl"})") ==
        std::pair{200, json{{"TableName", "tbl"}, {"ContributorInsightsStatus", "DISABLED"}}});
  CHECK(
      call(
          "UpdateContributorInsights",
          R"({"TableName":"tbl","ContributorInsightsAction":"ENABLE","ContributorInsightsMode":"THROTTLED_KEYS"})") ==
      std::pair{200, json{{"TableName", "tbl"},
                          {"ContributorInsightsStatus", "ENABLING"},
                          {"ContributorInsightsMode", "THROTTLED_KEYS"}}});
  auto [s3, list] = call("ListContributorInsights", "{}");
  CHECK(s3 == 200);
  CHECK(list == json{{"ContributorInsightsSummaries",
                      json::array({{{"TableName", "tbl"},
                                    {"ContributorInsightsStatus", "ENABLED"},
                                    {"ContributorInsightsMode", "THROTTLED_KEYS"}}})}});
}

TEST_CASE(
    "an unknown table class gets DynamoDB's own text, on CreateTable and UpdateTable; the known "
    "ones are taken") {
  auto db = OneWireTable();
  const std::string text =
      "Invalid table-class parameter provided. Please try again with a valid table-class value: "
      "[STANDARD, STANDARD_INFREQUENT_ACCESS].";
  auto update = wire::Dispatch(*db, "DynamoDB_20120810.UpdateTable",
                               R"({"TableName":"tbl","TableClass":"GLACIER"})");
  CHECK(update.http_status == 400);
  CHECK(json::parse(update.body)["message"] == text);
  auto create =
      wire::Dispatch(*db, "DynamoDB_20120810.CreateTable",
                     R"({"TableName":"tbl2","BillingMode":"PAY_PER_REQUEST","TableClass":"standard",
                                   "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                                   "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]})");
  CHECK(json::parse(create.body)["message"] == text);
  auto ok = wire::Dispatch(*db, "DynamoDB_20120810.UpdateTable",
                           R"({"TableName":"tbl","TableClass":"STANDARD_INFREQUENT_ACCESS"})");
  CHECK(ok.http_status == 200);
  CHECK(json::parse(ok.body)["TableDescription"]["TableClassSummary"]["TableClass"] ==
        "STANDARD_INFREQUENT_ACCESS");
}

TEST_CASE(
    "an index's OnDemandThroughput is read from CreateTable and UpdateTable and described back") {
  auto db = OneWireTable();
  auto create = wire::Dispatch(*db, "DynamoDB_20120810.CreateTable",
                               R"({"TableName":"indexed","BillingMode":"PAY_PER_REQUEST",
                                   "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
                                   "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
                                   "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
                                     "Projection":{"ProjectionType":"ALL"},"OnDemandThroughput":{"MaxReadRequestUnits":50}}]})");
  REQUIRE(create.http_status == 200);
  CHECK(json::parse(
            create.body)["TableDescription"]["GlobalSecondaryIndexes"][0]["OnDemandThroughput"] ==
        json{{"MaxReadRequestUnits", 50}});
  auto update = wire::Dispatch(
      *db, "DynamoDB_20120810.UpdateTable",
      R"({"TableName":"indexed","GlobalSecondaryIndexUpdates":[{"Update":{"IndexName":"by-g",
                                   "OnDemandThroughput":{"MaxWriteRequestUnits":70}}}]})");
  REQUIRE(update.http_status == 200);
  auto described =
      wire::Dispatch(*db, "DynamoDB_20120810.DescribeTable", R"({"TableName":"indexed"})");
  CHECK(json::parse(described.body)["Table"]["GlobalSecondaryIndexes"][0]["OnDemandThroughput"] ==
        json{{"MaxReadRequestUnits", 50}, {"MaxWriteRequestUnits", 70}});
}

TEST_CASE(
    "WarmThroughput over JSON: read from UpdateTable, described with its Status for the table and "
    "its indexes") {
  auto db = OneWireTable();
  auto describe = [&] {
    return json::parse(
        wire::Dispatch(*db, "DynamoDB_20120810.DescribeTable", R"({"TableName":"tbl"})")
            .body)["Table"];
  };
  CHECK(describe()["WarmThroughput"] ==
        json{{"ReadUnitsPerSecond", 12000}, {"WriteUnitsPerSecond", 4000}, {"Status", "ACTIVE"}});
  auto update =
      wire::Dispatch(*db, "DynamoDB_20120810.UpdateTable",
                     R"({"TableName":"tbl","WarmThroughput":{"ReadUnitsPerSecond":13000}})");
  REQUIRE(update.http_status == 200);
  CHECK(json::parse(update.body)["TableDescription"]["WarmThroughput"]["Status"] == "UPDATING");
  CHECK(describe()["WarmThroughput"] ==
        json{{"ReadUnitsPerSecond", 13000}, {"WriteUnitsPerSecond", 4000}, {"Status", "ACTIVE"}});
}

TEST_CASE("WritesItems names the operations that write items, and only those") {
  for (const char* op :
       {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
        "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"})
    CHECK_MESSAGE(wire::WritesItems(std::string("DynamoDB_20120810.") + op), op);
  for (const char* target :
       {"DynamoDB_20120810.GetItem", "DynamoDB_20120810.Query", "DynamoDB_20120810.CreateTable",
        "DynamoDBStreams_20120810.GetRecords", "DynamoDB_20120810.NoSuchOperation", "PutItem", ""})
    CHECK_FALSE_MESSAGE(wire::WritesItems(target), target);
}
