#include <doctest/doctest.h>

#include <filesystem>

#include "engine/encoded_reads.h"
#include "support/fixtures.h"

using namespace ld_test;

TEST_CASE("CreateTable describes the Cruddur table, then DescribeTable says ACTIVE") {
  auto db = OpenTestDb();
  auto created = Must(db->CreateTable(CruddurMessagesSchema()));
  const auto& d = created.table_description;
  CHECK(d.table_name == "cruddur-messages");
  CHECK(d.table_status == TableStatus::kCreating);
  CHECK(d.table_arn == "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages");
  CHECK(d.creation_date_time == doctest::Approx(1679306400.0));
  REQUIRE(d.global_secondary_indexes.size() == 1);
  CHECK(d.global_secondary_indexes[0].index_name == "message-group-sk-index");
  REQUIRE(d.latest_stream_arn);
  CHECK(d.latest_stream_arn->starts_with(d.table_arn + "/stream/2023-03-20T10:00:00"));
  CHECK(d.provisioned_throughput.read_capacity_units == 5);

  auto described = Must(db->DescribeTable({"cruddur-messages"})).table;
  CHECK(described.table_status == TableStatus::kActive);
  CHECK(described.global_secondary_indexes[0].index_status == IndexStatus::kActive);
  CHECK(described.item_count == 0);

  auto again = MustFail(db->CreateTable(CruddurMessagesSchema()));
  CHECK(again.code == ErrorCode::kResourceInUse);
  CHECK(again.message == "Table already exists: cruddur-messages");
}

TEST_CASE("CreateTable validation") {
  auto db = OpenTestDb();
  auto base = CruddurMessagesSchema(false);

  auto r = base;
  r.attribute_definitions.pop_back();  // sk undefined
  auto e = MustFail(db->CreateTable(r));
  CHECK(e.message ==
        "One or more parameter values were invalid: Some index key attributes are not defined in "
        "AttributeDefinitions. Keys: [pk, sk], AttributeDefinitions: [message_group_uuid, pk]");

  // An attribute no key uses: with indexes DynamoDB names the lists (as in CloudFormation's
  // "Some AttributeDefinitions are not used" failures), without them it only counts.
  r = base;
  r.attribute_definitions.push_back({"extra", ScalarAttributeType::kS});
  e = MustFail(db->CreateTable(r));
  CHECK(e.message ==
        "One or more parameter values were invalid: Some AttributeDefinitions are not used. "
        "AttributeDefinitions: [message_group_uuid, pk, sk, extra], keys used: [pk, sk, "
        "message_group_uuid]");
  r.global_secondary_indexes.reset();
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                             {"sk", ScalarAttributeType::kS},
                             {"extra", ScalarAttributeType::kS}};
  e = MustFail(db->CreateTable(r));
  CHECK(e.message ==
        "One or more parameter values were invalid: Number of attributes in KeySchema does not "
        "exactly match number of attributes defined in AttributeDefinitions");
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                             {"sk", ScalarAttributeType::kS},
                             {"pk", ScalarAttributeType::kS}};
  CHECK(MustFail(db->CreateTable(r)).message == "Attribute Name is duplicated: pk");

  r = base;
  r.table_name = "ab";
  e = MustFail(db->CreateTable(r));
  CHECK(e.message ==
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3");
  // As DynamoDB answers (recorded against it): "" fails the pattern too, and the pattern comes
  // first.
  r.table_name = "";
  e = MustFail(db->CreateTable(r));
  CHECK(e.message ==
        "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy "
        "regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'tableName' failed to satisfy "
        "constraint: "
        "Member must have length greater than or equal to 3");

  r = base;
  r.provisioned_throughput.reset();
  e = MustFail(db->CreateTable(r));
  CHECK(e.message ==
        "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must "
        "both be specified when BillingMode is PROVISIONED");

  r = base;
  r.key_schema = {{"sk", KeyType::kRange}, {"pk", KeyType::kHash}};
  e = MustFail(db->CreateTable(r));
  CHECK(e.message == "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");

  r = base;
  r.key_schema.pop_back();
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kS}};
  r.global_secondary_indexes.reset();
  r.local_secondary_indexes = std::vector<LocalSecondaryIndex>{
      {"lsi", {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}}, {ProjectionType::kAll, {}}}};
  e = MustFail(db->CreateTable(r));
  CHECK(e.message ==
        "One or more parameter values were invalid: Table KeySchema does not have a range key, "
        "which is required when specifying a LocalSecondaryIndex");

  // Nothing was created by the failures.
  CHECK(Must(db->ListTables({})).table_names.empty());
}

TEST_CASE("ListTables pages in name order") {
  auto db = OpenTestDb();
  for (std::string name : {"ccc", "aaa", "bbb"}) {
    CreateTableRequest r = HashKeySchema(name, "id");
    Must(db->CreateTable(r));
  }
  ListTablesRequest req;
  req.limit = 2;
  auto page = Must(db->ListTables(req));
  CHECK(page.table_names == std::vector<std::string>{"aaa", "bbb"});
  REQUIRE(page.last_evaluated_table_name);
  req.exclusive_start_table_name = page.last_evaluated_table_name;
  page = Must(db->ListTables(req));
  CHECK(page.table_names == std::vector<std::string>{"ccc"});
  CHECK_FALSE(page.last_evaluated_table_name);

  auto deleted = Must(db->DeleteTable({"bbb"}));
  CHECK(deleted.table_description.table_status == TableStatus::kDeleting);
  CHECK(Must(db->ListTables({})).table_names == std::vector<std::string>{"aaa", "ccc"});
  auto e = MustFail(db->DescribeTable({"bbb"}));
  CHECK(e.code == ErrorCode::kResourceNotFound);
  CHECK(e.message == "Requested resource not found: Table: bbb not found");
}

TEST_CASE("tables survive reopening the directory") {
  std::string dir;
  {
    auto db = OpenTestDb();
    Must(db->CreateTable(CruddurMessagesSchema()));
    Put(*db, "cruddur-messages", MessageRow("g1", "2023-03-20T10:00:00", "hello"));
    // A second handle on the same directory sees the table and the item at once.
    auto second = Must(Database::Open(db->directory()));
    CHECK(Must(second->DescribeTable({"cruddur-messages"})).table.item_count == 1);
  }
}

TEST_CASE(
    "an in-memory database leaves no files behind, even while open, and its directory goes at "
    "close") {
  std::string dir;
  {
    auto db = OpenTestDb();
    dir = db->directory();
    // Unlinked once open: a killed or crashed process leaves nothing on tmpfs.
    CHECK(std::filesystem::is_directory(dir));
    CHECK(std::filesystem::is_empty(dir));
    Must(db->CreateTable(CruddurMessagesSchema()));
    Put(*db, "cruddur-messages", MessageRow("g1", "2023-03-20T10:00:00", "hello"));
    auto second = Must(Database::Open(dir));  // the process's other handles still find it
    CHECK(Must(second->DescribeTable({"cruddur-messages"})).table.item_count == 1);
  }
  CHECK_FALSE(std::filesystem::exists(dir));
}

TEST_CASE(
    "every read sees the catalog of its own snapshot, whoever changed it since the last read") {
  auto db = OpenTestDb();
  auto other = Must(Database::Open(db->directory()));  // its own catalog cache, same store
  Must(db->CreateTable(CruddurMessagesSchema()));
  Item row = MessageRow("g1", "2023-03-20T10:00:00", "hello");
  Put(*db, "cruddur-messages", row);
  GetItemRequest get;
  get.table_name = "cruddur-messages";
  get.key = Item{{"pk", row.at("pk")}, {"sk", row.at("sk")}};
  CHECK(Must(db->GetItem(get)).item.has_value());
  CHECK(Must(db->GetItem(get)).item.has_value());  // the same snapshot again: the cached catalog
  Must(other->DeleteTable({"cruddur-messages"}));
  CHECK(db->GetItem(get).error().code == ErrorCode::kResourceNotFound);
  CHECK(engine::GetItemEncoded(*db, get).error().code == ErrorCode::kResourceNotFound);
  Must(other->CreateTable(CruddurMessagesSchema()));
  CHECK_FALSE(Must(db->GetItem(get)).item.has_value());  // the new table, empty
  // A write that fails changes nothing, the catalog included.
  CHECK_FALSE(db->CreateTable(CruddurMessagesSchema()).ok());
  CHECK(Must(db->ListTables({})).table_names == std::vector<std::string>{"cruddur-messages"});
  Put(*other, "cruddur-messages", row);
  CHECK(Must(engine::GetItemEncoded(*db, get)).item.has_value());
}

TEST_CASE("encryption, table class and on-demand limits are described back as given, and kept") {
  const auto dir = std::filesystem::temp_directory_path() / "ld_table_settings_test";
  std::filesystem::remove_all(dir);
  Options o;
  o.ids = SequentialIds(7);
  {
    auto db = Must(Database::Open(dir.string(), o));
    auto schema = CruddurMessagesSchema();
    schema.sse_specification = SSESpecification{true, std::nullopt, std::nullopt};
    schema.table_class = TableClass::kStandardInfrequentAccess;
    schema.billing_mode = BillingMode::kPayPerRequest;  // on-demand caps are for on-demand tables
    schema.provisioned_throughput.reset();
    schema.global_secondary_indexes->front().provisioned_throughput.reset();
    schema.on_demand_throughput = OnDemandThroughput{100, std::nullopt};
    schema.global_secondary_indexes->front().on_demand_throughput =
        OnDemandThroughput{std::nullopt, 30};
    schema.warm_throughput = WarmThroughput{13000, std::nullopt};
    auto created = Must(db->CreateTable(schema)).table_description;
    REQUIRE(created.sse_description);
    CHECK(created.sse_description->status == "ENABLED");
    CHECK(created.sse_description->sse_type == "KMS");
    CHECK(created.sse_description->kms_master_key_arn.starts_with(
        "arn:aws:kms:us-east-1:000000000000:key/"));
    auto named = CruddurMessagesSchema();
    named.table_name = "with-key";
    named.sse_specification = SSESpecification{true, "KMS", "alias/my-key"};
    CHECK(Must(db->CreateTable(named)).table_description.sse_description->kms_master_key_arn ==
          "arn:aws:kms:us-east-1:000000000000:alias/my-key");
    auto plain = CruddurMessagesSchema();
    plain.table_name = "plain";
    plain.sse_specification = SSESpecification{false, std::nullopt, std::nullopt};
    auto d = Must(db->CreateTable(plain)).table_description;
    CHECK((!d.sse_description && !d.table_class &&
           !d.on_demand_throughput));  // an AWS owned key, as DynamoDB shows it
  }
  auto db = Must(Database::Open(dir.string(), o));
  auto d = Must(db->DescribeTable({"cruddur-messages"})).table;
  CHECK(d.sse_description);
  CHECK(d.table_class == TableClass::kStandardInfrequentAccess);
  CHECK(d.on_demand_throughput == OnDemandThroughput{100, std::nullopt});
  CHECK(d.global_secondary_indexes.at(0).on_demand_throughput ==
        OnDemandThroughput{std::nullopt, 30});
  CHECK(d.warm_throughput == WarmThroughputDescription{13000, 4000, false});
  CHECK(d.global_secondary_indexes.at(0).warm_throughput ==
        WarmThroughputDescription{12000, 4000, false});
  // UpdateTable changes them: the class, a limit merged in, encryption off (a request of its
  // own, as DynamoDB wants it), then on with a key.
  UpdateTableRequest u;
  u.table_name = "cruddur-messages";
  u.table_class = TableClass::kStandard;
  CHECK(Must(db->UpdateTable(u)).table_description.table_class == TableClass::kStandard);
  u.table_class.reset();
  u.on_demand_throughput = OnDemandThroughput{std::nullopt, 7};
  CHECK(Must(db->UpdateTable(u)).table_description.on_demand_throughput ==
        OnDemandThroughput{100, 7});
  UpdateTableRequest off;
  off.table_name = "cruddur-messages";
  off.sse_specification = SSESpecification{false, std::nullopt, std::nullopt};
  CHECK(!Must(db->UpdateTable(off)).table_description.sse_description);
  UpdateTableRequest key;
  key.table_name = "cruddur-messages";
  key.sse_specification = SSESpecification{true, "KMS", "1234abcd-12ab-34cd-56ef-1234567890ab"};
  CHECK(Must(db->UpdateTable(key)).table_description.sse_description->kms_master_key_arn ==
        "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  db.reset();
  std::filesystem::remove_all(dir);
}
