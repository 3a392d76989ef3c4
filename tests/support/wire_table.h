#pragma once
// For tests of the JSON protocol (wire::Dispatch): an in-memory database holding table "tbl",
// keyed by the string "id", created through the protocol itself.

#include <doctest/doctest.h>

#include <memory>

#include "localdynamo/localdynamo.h"
#include "wire/dispatch.h"

namespace ld_test {

inline std::unique_ptr<localdynamo::Database> OneWireTable() {
  localdynamo::Options o;
  o.durability = localdynamo::Durability::kNoSync;
  auto db = std::move(localdynamo::Database::OpenInMemory(o)).value();
  auto r = localdynamo::wire::Dispatch(*db, "DynamoDB_20120810.CreateTable",
                                       R"({"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",
                                           "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
                                           "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]})");
  REQUIRE(r.http_status == 200);
  return db;
}

}  // namespace ld_test
