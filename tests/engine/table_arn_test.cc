// A table's ARN in place of its name, as DynamoDB takes it in any TableName naming an existing
// table, and DynamoDB's answers for ARNs that name no table here (recorded by probes of the
// service, 2026).

#include <doctest/doctest.h>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr const char* kArn = "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages";

std::unique_ptr<Database> WithTable() {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  return db;
}

}  // namespace

TEST_CASE(
    "the ARN reaches the table in item, query, batch, transaction and table operations; answers "
    "name the table") {
  auto db = WithTable();
  Put(*db, kArn, MessageRow("g1", "2023-03-20T10:00:00", "by ARN"));
  GetItemRequest get;
  get.table_name = kArn;
  get.key = Item{{"pk", S("MSG#g1")}, {"sk", S("2023-03-20T10:00:00")}};
  get.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto got = Must(db->GetItem(get));
  REQUIRE(got.item);
  CHECK(got.item->at("message").s() == "by ARN");
  CHECK(got.consumed_capacity->table_name == "cruddur-messages");

  QueryRequest q;
  q.table_name = kArn;
  q.key_condition_expression = "pk = :pk";
  q.expression_attribute_values = ValueMap{{":pk", S("MSG#g1")}};
  CHECK(Must(db->Query(q)).count == 1);

  BatchGetItemRequest batch;
  batch.request_items[kArn].keys.push_back(get.key);
  CHECK(Must(db->BatchGetItem(batch)).responses.size() == 1);

  TransactWriteItemsRequest tx;
  TransactDelete del;
  del.table_name = kArn;
  del.key = get.key;
  tx.transact_items.push_back(del);
  Must(db->TransactWriteItems(tx));
  CHECK(!Must(db->GetItem(get)).item);

  auto d = Must(db->DescribeTable({kArn})).table;
  CHECK(d.table_name == "cruddur-messages");  // the name, as DynamoDB describes it
  CHECK(Must(db->DescribeTimeToLive({kArn})).time_to_live_description.time_to_live_status ==
        TimeToLiveStatus::kDisabled);
  CHECK(Must(db->DescribeContinuousBackups({kArn}))
            .continuous_backups_description.continuous_backups_enabled);
  auto backup = Must(db->CreateBackup({kArn, "by-arn"})).backup_details;
  CHECK(backup.backup_arn.starts_with(std::string(kArn) + "/backup/"));
  ListBackupsRequest list;
  list.table_name = kArn;
  CHECK(Must(db->ListBackups(list)).backup_summaries.size() == 1);
  Must(db->DeleteTable({kArn}));
  CHECK(Must(db->ListTables({})).table_names.empty());
}

TEST_CASE("an ARN that names no table here: DynamoDB's error for each way it misses") {
  auto db = WithTable();
  auto fails = [&](const std::string& arn) { return MustFail(db->DescribeTable({arn})); };

  auto missing = fails("arn:aws:dynamodb:us-east-1:000000000000:table/other");
  CHECK(missing.code == ErrorCode::kResourceNotFound);
  CHECK(missing.message ==
        "Requested resource not found: Table: other not found");  // the name, not the ARN

  auto region = fails("arn:aws:dynamodb:eu-west-2:000000000000:table/cruddur-messages");
  CHECK(region.code == ErrorCode::kValidation);
  CHECK(region.message ==
        "1 validation error detected: Invalid AWS region in "
        "'arn:aws:dynamodb:eu-west-2:000000000000:table/cruddur-messages'");

  auto account = fails("arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages");
  CHECK(account.code == ErrorCode::kAccessDenied);
  CHECK(account.message == "Access is denied");
  CHECK(fails("arn:aws:s3:us-east-1:000000000000:table/cruddur-messages").code ==
        ErrorCode::kAccessDenied);  // another service
  CHECK(fails("arn:aws-cn:dynamodb:us-east-1:000000000000:table/cruddur-messages").message ==
        "1 validation error detected: Invalid AWS partition in "
        "'arn:aws-cn:dynamodb:us-east-1:000000000000:table/cruddur-messages'");

  const std::string format_text =
      "' at 'tableName' failed to satisfy constraint: Valid ARN format is "
      "'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', where "
      "Resource name must have length "
      "less than or equal to 255, Resource name must have length greater than or equal to 3, "
      "Resource name must satisfy "
      "regular expression pattern: [a-zA-Z0-9_.-]+";
  for (std::string arn :
       {std::string(kArn) + "/index/message-group-sk-index",
        std::string(kArn) + "/stream/2023-03-20T10:00:00.000", std::string("arn:foo"),
        std::string("arn:aws:dynamodb:us-east-1:000000000000:table/ab")}) {
    auto e = fails(arn);
    CAPTURE(arn);
    CHECK(e.code == ErrorCode::kValidation);
    CHECK(e.message == "1 validation error detected: Value '" + arn + format_text);
  }
  CHECK(fails("arn:aws:dynamodb:us-east-1:000000000000:global-table/cruddur-messages").message ==
        "1 validation error detected: Invalid resource type in "
        "'arn:aws:dynamodb:us-east-1:000000000000:global-table/cruddur-messages'");

  // A new table takes a name only.
  CreateTableRequest by_arn = CruddurMessagesSchema();
  by_arn.table_name = "arn:aws:dynamodb:us-east-1:000000000000:table/new-one";
  CHECK(MustFail(db->CreateTable(by_arn)).message.find("regular expression pattern") !=
        std::string::npos);
  // And the table-not-found errors of the backup operations name the table too.
  CHECK(
      MustFail(db->CreateBackup({"arn:aws:dynamodb:us-east-1:000000000000:table/gone", "nightly"}))
          .message == "Table not found: gone");
}
