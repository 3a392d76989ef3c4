#pragma once
// What tools/fuzz.sh's dispatch target works on, shared with the unit test that replays its
// seeds: the operations (an input's first byte picks one, modulo the count, as does the
// number before the tab in dispatch_seeds.txt) and the tables the inputs meet.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "localdynamo/localdynamo.h"
#include "wire/dispatch.h"

namespace ld_fuzz {

inline constexpr std::string_view kDispatchTargets[] = {
    "DynamoDB_20120810.PutItem",
    "DynamoDB_20120810.GetItem",
    "DynamoDB_20120810.UpdateItem",
    "DynamoDB_20120810.DeleteItem",
    "DynamoDB_20120810.Query",
    "DynamoDB_20120810.Scan",
    "DynamoDB_20120810.BatchGetItem",
    "DynamoDB_20120810.BatchWriteItem",
    "DynamoDB_20120810.TransactWriteItems",
    "DynamoDB_20120810.TransactGetItems",
    "DynamoDB_20120810.DescribeTable",
    "DynamoDB_20120810.ListTables",
    "DynamoDBStreams_20120810.ListStreams",
    "DynamoDBStreams_20120810.DescribeStream",
    "DynamoDBStreams_20120810.GetShardIterator",
    "DynamoDBStreams_20120810.GetRecords",
    "DynamoDB_20120810.CreateTable",
    "DynamoDB_20120810.UpdateTable",
    "DynamoDB_20120810.DeleteTable",
    "DynamoDB_20120810.UpdateTimeToLive",
    "DynamoDB_20120810.DescribeTimeToLive",
    "DynamoDB_20120810.TagResource",
    "DynamoDB_20120810.UntagResource",
    "DynamoDB_20120810.ListTagsOfResource",
    "DynamoDB_20120810.UpdateContinuousBackups",
    "DynamoDB_20120810.DescribeContinuousBackups",
    "DynamoDB_20120810.DescribeLimits",
    "DynamoDB_20120810.ExecuteStatement",
    "DynamoDB_20120810.BatchExecuteStatement",
    "DynamoDB_20120810.ExecuteTransaction",
    "DynamoDB_20120810.CreateBackup",
    "DynamoDB_20120810.DescribeBackup",
    "DynamoDB_20120810.ListBackups",
    "DynamoDB_20120810.DeleteBackup",
    "DynamoDB_20120810.RestoreTableFromBackup",
    "DynamoDB_20120810.RestoreTableToPointInTime",
    "DynamoDB_20120810.UpdateContributorInsights",
    "DynamoDB_20120810.DescribeContributorInsights",
    "DynamoDB_20120810.ListContributorInsights",
};

// Creates and fills the seeded tables that are missing: "tbl" (pk S + sk N, a GSI, an LSI, a
// NEW_AND_OLD_IMAGES stream) and "hsh" (id S). "" when done, else the failed request's answer.
inline std::string SeedTables(localdynamo::Database& d) {
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
      {"PutItem",
       R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"g":{"S":"x"},"a":{"L":[{"N":"1"},{"M":{"b":{"SS":["c"]}}}]}}})"},
      {"PutItem",
       R"({"TableName":"tbl","Item":{"pk":{"S":"a"},"sk":{"N":"2"},"l":{"B":"AAE="},"n":{"NS":["1","2.5"]}}})"},
      {"PutItem",
       R"({"TableName":"hsh","Item":{"id":{"S":"a"},"v":{"BOOL":true},"z":{"NULL":true}}})"},
  };
  bool have[2] = {};
  for (int i = 0; i < 2; ++i)
    have[i] = localdynamo::wire::Dispatch(d, "DynamoDB_20120810.DescribeTable",
                                          i ? R"({"TableName":"hsh"})" : R"({"TableName":"tbl"})")
                  .http_status == 200;
  for (auto& [op, body] : setup) {
    if (have[std::string_view(body).find(R"("TableName":"hsh")") != std::string_view::npos])
      continue;
    auto r = localdynamo::wire::Dispatch(d, std::string("DynamoDB_20120810.") + op, body);
    if (r.http_status != 200) return std::string(op) + ": " + r.body;
  }
  return "";
}

// What a client can read back of the store: the table names, every item of the seeded tables
// (strongly consistent scans, all pages), their tags and the backups. A request answered with an
// error must leave it as it was. (Not the tables' descriptions: an index's status moves on with the
// clock.)
inline std::string Digest(localdynamo::Database& d) {
  using nlohmann::json;
  std::string out = localdynamo::wire::Dispatch(d, "DynamoDB_20120810.ListTables", "{}").body;
  for (const char* table : {"tbl", "hsh"}) {
    json request = {{"TableName", table}, {"ConsistentRead", true}};
    while (true) {
      auto r = localdynamo::wire::Dispatch(d, "DynamoDB_20120810.Scan", request.dump());
      out += r.body;
      json page = json::parse(r.body, nullptr, false);
      if (r.http_status != 200 || !page.contains("LastEvaluatedKey")) break;
      request["ExclusiveStartKey"] = page["LastEvaluatedKey"];
    }
    const json tags = {
        {"ResourceArn", std::string("arn:aws:dynamodb:us-east-1:000000000000:table/") + table}};
    out += localdynamo::wire::Dispatch(d, "DynamoDB_20120810.ListTagsOfResource", tags.dump()).body;
  }
  out += localdynamo::wire::Dispatch(d, "DynamoDB_20120810.ListBackups", R"({"BackupType":"ALL"})")
             .body;
  return out;
}

// Inputs are short (libFuzzer's -max_len), but requests that crash by their depth or size are
// long: 10,000 levels of {"M":{"a":...}} are 100 KB. So an input may ask for a run to be
// repeated: "\x01" COUNT ":" TEXT "\x01" stands for TEXT written COUNT times (COUNT decimal,
// at most 200,000; the whole body at most 4 MB). A \x01 byte has no place in JSON text, so
// this takes nothing from what inputs can say; a marker that does not parse stays as it is.
inline std::string ExpandRepeats(std::string_view in) {
  constexpr std::size_t kMaxCount = 200000, kMaxBody = 4 << 20;
  std::string out;
  std::size_t i = 0;
  while (i < in.size()) {
    const std::size_t mark = in.find('\x01', i);
    if (mark == std::string_view::npos) break;
    out.append(in.substr(i, mark - i));
    std::size_t p = mark + 1, count = 0;
    while (p < in.size() && in[p] >= '0' && in[p] <= '9' && count <= kMaxCount)
      count = count * 10 + (in[p++] - '0');
    const std::size_t end =
        p < in.size() && in[p] == ':' ? in.find('\x01', p + 1) : std::string_view::npos;
    if (end == std::string_view::npos || count > kMaxCount || p == mark + 1) {
      out.push_back(in[mark]);
      i = mark + 1;
      continue;
    }
    const std::string_view text = in.substr(p + 1, end - p - 1);
    for (std::size_t k = 0; k < count && out.size() + text.size() <= kMaxBody; ++k)
      out.append(text);
    i = end + 1;
  }
  out.append(in.substr(std::min(i, in.size())));
  return out;
}

}  // namespace ld_fuzz
