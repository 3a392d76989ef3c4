// Bugs found and fixed, kept fixed.

#include <doctest/doctest.h>

#include "localdynamo/server.h"
#include "support/fixtures.h"

using namespace ld_test;

// The catalog cache was keyed by a moved-from name (the map key and the moved value were
// evaluated in an unspecified order), so every table looked missing after a reload.
TEST_CASE("regress: tables are found after the catalog is reloaded by another handle") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  CreateTableRequest r = CruddurMessagesSchema(false);
  r.table_name = "second-table";
  Must(db->CreateTable(r));
  auto other = Must(Database::Open(db->directory()));
  CHECK(Must(other->DescribeTable({"cruddur-messages"})).table.table_name == "cruddur-messages");
  CHECK(Must(other->DescribeTable({"second-table"})).table.table_name == "second-table");
  CHECK(Must(db->DescribeTable({"second-table"})).table.table_name == "second-table");
}

// Reading {"S": ...} through a structured binding on a temporary iteration proxy read freed
// memory and crashed the server on the first PutItem.
TEST_CASE("regress: every attribute type parses from DynamoDB JSON without touching freed memory") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  std::string body = R"({"TableName":"cruddur-messages","Item":{"pk":{"S":"a"},"sk":{"S":"b"},)"
                     R"("n":{"N":"1.50"},"b":{"B":"AAE="},"t":{"BOOL":true},"z":{"NULL":true},)"
                     R"("m":{"M":{"x":{"L":[{"S":"y"},{"N":"2"}]}}},"ss":{"SS":["p","q"]},)"
                     R"("ns":{"NS":["1","2"]},"bs":{"BS":["AQ=="]}}})";
  auto put = InvokeJson(*db, "DynamoDB_20120810.PutItem", body);
  CHECK(put.http_status == 200);
  auto get =
      InvokeJson(*db, "DynamoDB_20120810.GetItem",
                 R"({"TableName":"cruddur-messages","Key":{"pk":{"S":"a"},"sk":{"S":"b"}}})");
  CHECK(get.http_status == 200);
  CHECK(get.body.find(R"("n":{"N":"1.5"})") != std::string::npos);
  CHECK(get.body.find(R"("b":{"B":"AAE="})") != std::string::npos);
}
