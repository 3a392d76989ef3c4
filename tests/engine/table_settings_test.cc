// DynamoDB's checks of capacity and encryption settings on CreateTable and UpdateTable: the
// per-table maximum, unchanged throughput, one online index at a time, on-demand caps and
// SSESpecification's rules, with DynamoDB's exception names and texts. A refused request
// changes nothing.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr const char* kAdvice =
    "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher "
    "limits.";

CreateTableRequest OnDemandSchema(std::string name = "on-demand") {
  CreateTableRequest r = CruddurMessagesSchema(false);
  r.table_name = std::move(name);
  r.billing_mode = BillingMode::kPayPerRequest;
  r.provisioned_throughput.reset();
  r.global_secondary_indexes->front().provisioned_throughput.reset();
  return r;
}

UpdateTableRequest Update(std::string table = "cruddur-messages") {
  UpdateTableRequest u;
  u.table_name = std::move(table);
  return u;
}

GlobalSecondaryIndexUpdate CreateIndex(std::string name) {
  GlobalSecondaryIndexUpdate g;
  g.create = GlobalSecondaryIndex{std::move(name),
                                  {{"message_group_uuid", KeyType::kHash}},
                                  {ProjectionType::kKeysOnly, {}},
                                  ProvisionedThroughput{1, 1},
                                  std::nullopt,
                                  std::nullopt};
  return g;
}

}  // namespace

TEST_CASE(
    "throughput above the per-table maximum is LimitExceededException, read checked first; 40000 "
    "is allowed") {
  auto db = OpenTestDb();
  auto schema = CruddurMessagesSchema(false);
  schema.provisioned_throughput = ProvisionedThroughput{70000, 70000};
  Error e = MustFail(db->CreateTable(schema));
  CHECK(e.code == ErrorCode::kLimitExceeded);
  CHECK(e.message ==
        std::string("The requested ReadCapacityUnits, 70000, is above the per table maximum for "
                    "the account in us-east-1. Per table maximum: 40000. ") +
            kAdvice);
  schema.provisioned_throughput = ProvisionedThroughput{5, 40001};
  CHECK(MustFail(db->CreateTable(schema))
            .message.starts_with(
                "The requested WriteCapacityUnits, 40001, is above the per table maximum"));
  schema.provisioned_throughput = ProvisionedThroughput{5, 5};
  schema.global_secondary_indexes->front().provisioned_throughput = ProvisionedThroughput{50000, 1};
  e = MustFail(db->CreateTable(schema));
  CHECK(e.code == ErrorCode::kLimitExceeded);
  CHECK(e.message ==
        std::string(
            "The requested ReadCapacityUnits for index message-group-sk-index, 50000, is above the "
            "per index maximum for the account in us-east-1. Per index maximum: 40000. ") +
            kAdvice);
  CHECK(MustFail(db->DescribeTable({"cruddur-messages"})).code == ErrorCode::kResourceNotFound);

  schema.global_secondary_indexes->front().provisioned_throughput =
      ProvisionedThroughput{40000, 40000};
  Must(db->CreateTable(schema));
  UpdateTableRequest u = Update();
  u.provisioned_throughput = ProvisionedThroughput{40001, 5};
  CHECK(MustFail(db->UpdateTable(u)).code == ErrorCode::kLimitExceeded);
  u.provisioned_throughput =
      ProvisionedThroughput{0, 0};  // what botocore refuses itself, sent anyway
  CHECK(MustFail(db->UpdateTable(u)).message ==
        "2 validation errors detected: Value '0' at 'provisionedThroughput.writeCapacityUnits' "
        "failed to satisfy constraint: "
        "Member must have value greater than or equal to 1; Value '0' at "
        "'provisionedThroughput.readCapacityUnits' failed to "
        "satisfy constraint: Member must have value greater than or equal to 1");
  CHECK(Must(db->DescribeTable({"cruddur-messages"}))
            .table.provisioned_throughput.read_capacity_units == 5);
}

TEST_CASE(
    "UpdateTable: throughput that would not change, a billing mode without throughput, throughput "
    "for on-demand") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  UpdateTableRequest u = Update();
  u.provisioned_throughput = ProvisionedThroughput{5, 5};
  Error e = MustFail(db->UpdateTable(u));
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(
      e.message ==
      std::string(
          "The provisioned throughput for the table will not change. The requested value equals "
          "the current value. "
          "Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. "
          "Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: "
          "5. ") +
          kAdvice);
  u.billing_mode = BillingMode::kProvisioned;  // the same mode said again changes nothing either
  CHECK(MustFail(db->UpdateTable(u))
            .message.starts_with("The provisioned throughput for the table will not change."));
  u.provisioned_throughput = ProvisionedThroughput{5, 6};  // one member changing is a change
  // The answer shows the throughput being changed from, UPDATING; the table then has the new.
  const TableDescription answer = Must(db->UpdateTable(u)).table_description;
  CHECK(answer.table_status == TableStatus::kUpdating);
  CHECK(answer.provisioned_throughput.write_capacity_units == 5);
  CHECK(Must(db->DescribeTable({"cruddur-messages"}))
            .table.provisioned_throughput.write_capacity_units == 6);

  UpdateTableRequest index = Update();
  GlobalSecondaryIndexUpdate same;
  same.update_index_name = "message-group-sk-index";
  same.update_provisioned_throughput = ProvisionedThroughput{5, 5};
  index.global_secondary_index_updates = std::vector{same};
  CHECK(MustFail(db->UpdateTable(index)).message ==
        std::string("The provisioned throughput for the index message-group-sk-index will not "
                    "change. The requested value equals the current value. "
                    "Current ReadCapacityUnits provisioned for index message-group-sk-index: 5. "
                    "Requested ReadCapacityUnits: 5. "
                    "Current WriteCapacityUnits provisioned for index message-group-sk-index: 5. "
                    "Requested WriteCapacityUnits: 5. ") +
            kAdvice);

  same.update_provisioned_throughput = ProvisionedThroughput{7, 5};
  index.global_secondary_index_updates = std::vector{same};
  const GlobalSecondaryIndexDescription g =
      Must(db->UpdateTable(index)).table_description.global_secondary_indexes.at(0);
  CHECK(g.index_status == IndexStatus::kUpdating);
  CHECK(g.provisioned_throughput->read_capacity_units == 5);
  CHECK(Must(db->DescribeTable({"cruddur-messages"}))
            .table.global_secondary_indexes.at(0)
            .provisioned_throughput->read_capacity_units == 7);

  UpdateTableRequest mode_only = Update();
  mode_only.billing_mode = BillingMode::kProvisioned;
  CHECK(MustFail(db->UpdateTable(mode_only)).message ==
        "One or more parameter values were invalid: ProvisionedThroughput must be specified when "
        "BillingMode is PROVISIONED");
  UpdateTableRequest to_on_demand = Update();
  to_on_demand.billing_mode = BillingMode::kPayPerRequest;
  to_on_demand.provisioned_throughput = ProvisionedThroughput{7, 7};
  CHECK(MustFail(db->UpdateTable(to_on_demand)).message ==
        "One or more parameter values were invalid: ProvisionedThroughput cannot be specified when "
        "BillingMode is PAY_PER_REQUEST");
  Must(db->CreateTable(OnDemandSchema()));
  UpdateTableRequest on_demand = Update("on-demand");
  on_demand.provisioned_throughput = ProvisionedThroughput{7, 7};
  CHECK(MustFail(db->UpdateTable(on_demand)).message ==
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
}

TEST_CASE(
    "UpdateTable: one index created or deleted per request, at most 20, an unknown index, and "
    "nothing asked") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  UpdateTableRequest u = Update();
  GlobalSecondaryIndexUpdate drop;
  drop.delete_index_name = "message-group-sk-index";
  u.global_secondary_index_updates = std::vector{CreateIndex("second"), drop};
  Error e = MustFail(db->UpdateTable(u));
  CHECK(e.code == ErrorCode::kLimitExceeded);
  CHECK(e.message ==
        "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously "
        "per table");
  CHECK(Must(db->DescribeTable({"cruddur-messages"})).table.global_secondary_indexes.size() ==
        1);  // nothing applied

  for (int i = 2; i <= 20; ++i) {
    u.global_secondary_index_updates = std::vector{CreateIndex(fmt::format("index-{:02}", i))};
    Must(db->UpdateTable(u));
  }
  u.global_secondary_index_updates = std::vector{CreateIndex("index-21")};
  e = MustFail(db->UpdateTable(u));
  CHECK(e.code == ErrorCode::kLimitExceeded);
  CHECK(e.message ==
        "Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of "
        "20");

  GlobalSecondaryIndexUpdate update;
  update.update_index_name = "nope";
  update.update_provisioned_throughput = ProvisionedThroughput{2, 2};
  drop.delete_index_name = "nope";
  for (const auto& g : {update, drop}) {
    u.global_secondary_index_updates = std::vector{g};
    e = MustFail(db->UpdateTable(u));
    CHECK(e.code == ErrorCode::kResourceNotFound);
    CHECK(e.message == "Requested resource not found: Index nope for table cruddur-messages");
  }

  UpdateTableRequest nothing = Update();
  nothing.global_secondary_index_updates =
      std::vector<GlobalSecondaryIndexUpdate>{};  // an empty list asks for nothing
  CHECK(MustFail(db->UpdateTable(nothing)).message ==
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates, SSESpecification, "
        "ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, "
        "DeletionProtectionEnabled, "
        "OnDemandThroughput, WarmThroughput or TableClass is required");
}

TEST_CASE(
    "on-demand caps: only for on-demand tables, from 1 to the maximum, -1 removes one, a billing "
    "switch drops them") {
  auto db = OpenTestDb();
  auto provisioned = CruddurMessagesSchema(false);
  provisioned.on_demand_throughput = OnDemandThroughput{100, std::nullopt};
  CHECK(MustFail(db->CreateTable(provisioned)).message ==
        "One or more parameter values were invalid: MaxReadRequestUnits for OnDemandThroughput "
        "cannot be specified when table BillingMode is PROVISIONED.");
  provisioned.on_demand_throughput.reset();
  Must(db->CreateTable(provisioned));
  UpdateTableRequest u = Update();
  u.on_demand_throughput = OnDemandThroughput{std::nullopt, 10};
  CHECK(MustFail(db->UpdateTable(u)).message ==
        "One or more parameter values were invalid: MaxWriteRequestUnits for OnDemandThroughput "
        "cannot be specified when the table BillingMode is PROVISIONED");

  auto schema = OnDemandSchema();
  for (int64_t bad : {0, -1, -2}) {
    schema.on_demand_throughput = OnDemandThroughput{bad, bad};
    CHECK(MustFail(db->CreateTable(schema)).message ==
          "One or more parameter values were invalid: Requested MaxReadRequestUnits for "
          "OnDemandThroughput for table is outside of valid range");
  }
  schema.on_demand_throughput = OnDemandThroughput{40001, std::nullopt};
  Error e = MustFail(db->CreateTable(schema));
  CHECK(e.code == ErrorCode::kLimitExceeded);
  CHECK(e.message ==
        "Subscriber limit exceeded: Requested MaxReadRequestUnits for OnDemandThroughput for table "
        "exceeds TableMaxReadCapacityUnits of the account in region us-east-1");
  schema.on_demand_throughput = OnDemandThroughput{100, 200};
  Must(db->CreateTable(schema));

  UpdateTableRequest remove = Update("on-demand");
  remove.on_demand_throughput = OnDemandThroughput{-1, std::nullopt};
  CHECK(Must(db->UpdateTable(remove)).table_description.on_demand_throughput ==
        OnDemandThroughput{std::nullopt, 200});
  remove.on_demand_throughput = OnDemandThroughput{std::nullopt, 0};
  CHECK(MustFail(db->UpdateTable(remove)).message ==
        "One or more parameter values were invalid: Requested MaxWriteRequestUnits for "
        "OnDemandThroughput for table is outside of valid range");
  remove.on_demand_throughput = OnDemandThroughput{std::nullopt, -1};
  CHECK(!Must(db->UpdateTable(remove)).table_description.on_demand_throughput);

  remove.on_demand_throughput = OnDemandThroughput{300, std::nullopt};
  Must(db->UpdateTable(remove));
  UpdateTableRequest to_provisioned = Update("on-demand");
  to_provisioned.billing_mode = BillingMode::kProvisioned;
  to_provisioned.provisioned_throughput = ProvisionedThroughput{1, 1};
  GlobalSecondaryIndexUpdate index;
  index.update_index_name = "message-group-sk-index";
  index.update_provisioned_throughput = ProvisionedThroughput{1, 1};
  to_provisioned.global_secondary_index_updates = std::vector{index};
  CHECK(!Must(db->UpdateTable(to_provisioned)).table_description.on_demand_throughput);
}

TEST_CASE("SSESpecification: its rules on CreateTable, and UpdateTable's own") {
  auto db = OpenTestDb();
  auto schema = CruddurMessagesSchema(false);
  const std::pair<SSESpecification, const char*> refused[] = {
      {{false, "KMS", std::nullopt}, "SSEType can not be specified if Enabled is false"},
      {{false, "AES256", std::nullopt}, "SSEType can not be specified if Enabled is false"},
      {{false, std::nullopt, "alias/k"}, "KMSMasterKeyId can not be specified if Enabled is false"},
      {{true, "AES256", std::nullopt}, "SSEType AES256 is not supported"},
      {{true, std::nullopt, "alias/k"}, "SSEType KMS is required if KMSMasterKeyId is specified"},
  };
  for (const auto& [sse, text] : refused) {
    CAPTURE(text);
    schema.sse_specification = sse;
    Error e = MustFail(db->CreateTable(schema));
    CHECK(e.code == ErrorCode::kValidation);
    CHECK(e.message == std::string("One or more parameter values were invalid: ") + text);
  }
  schema.sse_specification =
      SSESpecification{std::nullopt, "KMS", std::nullopt};  // Enabled left out: SSEType says it
  auto created = Must(db->CreateTable(schema)).table_description;
  REQUIRE(created.sse_description);
  CHECK(created.sse_description->sse_type == "KMS");

  UpdateTableRequest u = Update();
  u.sse_specification = SSESpecification{true, "KMS", "alias/other"};
  u.deletion_protection_enabled = true;
  CHECK(MustFail(db->UpdateTable(u)).message ==
        "One or more parameter values were invalid: Server-Side Encryption modification must be "
        "the only operation in the request");
  u.deletion_protection_enabled.reset();
  Must(db->UpdateTable(u));
  CHECK(MustFail(db->UpdateTable(u)).message ==
        "One or more parameter values were invalid: Table is already encrypted with given "
        "KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key");

  auto plain = CruddurMessagesSchema(false);
  plain.table_name = "plain";
  Must(db->CreateTable(plain));
  UpdateTableRequest off = Update("plain");
  off.sse_specification = SSESpecification{false, std::nullopt, std::nullopt};
  CHECK(MustFail(db->UpdateTable(off)).message ==
        "One or more parameter values were invalid: Table is already encrypted by default");
}

TEST_CASE("an index's throughput: CreateTable's and UpdateTable's wordings of the same rules") {
  auto db = OpenTestDb();
  auto schema = CruddurMessagesSchema(false);
  schema.global_secondary_indexes->front().provisioned_throughput.reset();
  CHECK(MustFail(db->CreateTable(schema)).message ==
        "One or more parameter values were invalid: ProvisionedThroughput is not specified for "
        "index: message-group-sk-index");
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  UpdateTableRequest u = Update();
  GlobalSecondaryIndexUpdate make = CreateIndex("second");
  make.create->provisioned_throughput.reset();
  u.global_secondary_index_updates = std::vector{make};
  CHECK(MustFail(db->UpdateTable(u)).message ==
        "One or more parameter values were invalid: Both ReadCapacityUnits and WriteCapacityUnits "
        "must be specified for index: second");

  Must(db->CreateTable(OnDemandSchema()));
  UpdateTableRequest on_demand = Update("on-demand");
  on_demand.global_secondary_index_updates = std::vector{CreateIndex("second")};
  CHECK(
      MustFail(db->UpdateTable(on_demand)).message ==
      "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
      "can be specified for index: second when BillingMode is PAY_PER_REQUEST");
  make.create->provisioned_throughput = ProvisionedThroughput{1, 40001};
  u.global_secondary_index_updates = std::vector{make};
  CHECK(MustFail(db->UpdateTable(u)).code == ErrorCode::kLimitExceeded);
}

TEST_CASE(
    "UpdateTable: changes DynamoDB takes one kind at a time, malformed index updates, streams' "
    "texts") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  auto invalid = [&](const UpdateTableRequest& u) { return MustFail(db->UpdateTable(u)).message; };
  const std::string prefix = "One or more parameter values were invalid: ";
  UpdateTableRequest u = Update();
  u.table_class = TableClass::kStandardInfrequentAccess;
  u.deletion_protection_enabled = true;
  CHECK(invalid(u) == prefix + "TableClass modification must be the only operation in the request");
  u.table_class.reset();
  u.provisioned_throughput = ProvisionedThroughput{6, 6};
  CHECK(invalid(u) ==
        prefix + "DeletionProtection modification must be the only operation in the request");
  u.deletion_protection_enabled.reset();
  u.stream_specification = StreamSpecification{true, StreamViewType::kKeysOnly};
  CHECK(invalid(u) == prefix + "You cannot modify stream status while updating table IOPS");
  u.stream_specification.reset();
  u.global_secondary_index_updates = std::vector{CreateIndex("second")};
  CHECK(invalid(u) == prefix + "You cannot create or delete index while updating table IOPS");
  u.provisioned_throughput.reset();
  u.stream_specification = StreamSpecification{true, StreamViewType::kKeysOnly};
  CHECK(invalid(u) == prefix + "You cannot create or delete index while changing stream status");
  u.global_secondary_index_updates.reset();
  u.on_demand_throughput = OnDemandThroughput{5, 5};
  CHECK(invalid(u) ==
        prefix +
            "OnDemandThroughput can only be combined with BillingMode in an UpdateTable request");

  UpdateTableRequest g = Update();
  GlobalSecondaryIndexUpdate both;
  both.update_index_name = "message-group-sk-index";
  both.update_provisioned_throughput = ProvisionedThroughput{6, 6};
  both.delete_index_name = "message-group-sk-index";
  g.global_secondary_index_updates = std::vector{both};
  CHECK(invalid(g) == prefix +
                          "Only one global secondary index action is allowed per "
                          "GlobalSecondaryIndexUpdate object");
  g.global_secondary_index_updates = std::vector{GlobalSecondaryIndexUpdate{}};
  CHECK(invalid(g) ==
        prefix +
            "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
            "GlobalSecondaryIndexUpdate.Delete must not be null");
  both.delete_index_name.reset();
  g.global_secondary_index_updates = std::vector{both, both};
  CHECK(invalid(g) == prefix +
                          "Only one global secondary index update per index is allowed "
                          "simultaneously. Index: message-group-sk-index");
  g.global_secondary_index_updates = std::vector{CreateIndex("message-group-sk-index")};
  CHECK(invalid(g) == "Attempting to create an index which already exists");
  CHECK(Must(db->DescribeTable({"cruddur-messages"})).table.global_secondary_indexes.size() ==
        1);  // nothing applied

  UpdateTableRequest s = Update();
  s.stream_specification = StreamSpecification{true, std::nullopt};
  CHECK(invalid(s) == prefix + "If stream is being enabled then UpdateViewType is required");
  s.stream_specification = StreamSpecification{false, StreamViewType::kKeysOnly};
  CHECK(invalid(s) ==
        prefix + "If stream is being disabled, then UpdateViewType must not be specified");
  s.stream_specification = StreamSpecification{false, std::nullopt};
  CHECK(invalid(s) == "Table has no stream to disable: TableName: cruddur-messages");
  s.stream_specification = StreamSpecification{true, StreamViewType::kKeysOnly};
  Must(db->UpdateTable(s));
  CHECK(invalid(s) == "Table already has an enabled stream: TableName: cruddur-messages");

  auto schema = CruddurMessagesSchema(false);
  schema.table_name = "streams";
  schema.stream_specification = StreamSpecification{true, std::nullopt};
  CHECK(MustFail(db->CreateTable(schema)).message ==
        prefix + "Table is being created with a stream enabled, UpdateViewType is required");
  schema.stream_specification = StreamSpecification{false, StreamViewType::kKeysOnly};
  CHECK(
      MustFail(db->CreateTable(schema)).message ==
      prefix +
          "Table is being created with a stream disabled, UpdateViewType should not be specified");
  schema.stream_specification.reset();
  schema.global_secondary_indexes->front().projection = Projection{ProjectionType::kInclude, {}};
  CHECK(MustFail(db->CreateTable(schema)).message ==
        prefix + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  schema.global_secondary_indexes->front().projection =
      Projection{ProjectionType::kInclude, {"a", "a"}};
  CHECK(MustFail(db->CreateTable(schema)).message ==
        prefix + "Duplicate element in NonKeyAttributes: a");
}

TEST_CASE(
    "a switch to provisioned capacity names each index's throughput; on-demand indexes take no "
    "throughput updates") {
  auto db = OpenTestDb();
  Must(db->CreateTable(OnDemandSchema()));
  UpdateTableRequest u = Update("on-demand");
  GlobalSecondaryIndexUpdate index;
  index.update_index_name = "message-group-sk-index";
  index.update_provisioned_throughput = ProvisionedThroughput{5, 5};
  u.global_secondary_index_updates = std::vector{index};
  CHECK(MustFail(db->UpdateTable(u)).message ==
        "One or more parameter values were invalid: The only Updates for index: "
        "message-group-sk-index when TableThroughputMode is PAY_PER_REQUEST can be to "
        "OnDemandThroughput, WarmThroughput");
  UpdateTableRequest to_provisioned = Update("on-demand");
  to_provisioned.billing_mode = BillingMode::kProvisioned;
  to_provisioned.provisioned_throughput = ProvisionedThroughput{1, 1};
  CHECK(MustFail(db->UpdateTable(to_provisioned)).message ==
        "One or more parameter values were invalid: ProvisionedThroughput must be specified for "
        "index: message-group-sk-index");
  CHECK(Must(db->DescribeTable({"on-demand"})).table.billing_mode_summary->billing_mode ==
        BillingMode::kPayPerRequest);
  to_provisioned.global_secondary_index_updates = std::vector{index};
  const TableDescription d = Must(db->UpdateTable(to_provisioned)).table_description;
  CHECK(d.global_secondary_indexes.at(0).provisioned_throughput->read_capacity_units == 5);
}

TEST_CASE(
    "an index's own on-demand caps: kept, described, updated, checked, dropped by a billing "
    "switch") {
  auto db = OpenTestDb();
  auto schema = OnDemandSchema();
  schema.global_secondary_indexes->front().on_demand_throughput = OnDemandThroughput{50, 50};
  auto created = Must(db->CreateTable(schema)).table_description;
  CHECK(created.global_secondary_indexes.at(0).on_demand_throughput == OnDemandThroughput{50, 50});
  CHECK(!created.on_demand_throughput);  // the table's caps are its own

  UpdateTableRequest u = Update("on-demand");
  GlobalSecondaryIndexUpdate index;
  index.update_index_name = "message-group-sk-index";
  index.update_on_demand_throughput = OnDemandThroughput{5000, std::nullopt};
  u.global_secondary_index_updates = std::vector{index};
  Must(db->UpdateTable(u));
  CHECK(Must(db->DescribeTable({"on-demand"}))
            .table.global_secondary_indexes.at(0)
            .on_demand_throughput == OnDemandThroughput{5000, 50});
  u.global_secondary_index_updates->front().update_on_demand_throughput =
      OnDemandThroughput{0, std::nullopt};
  CHECK(MustFail(db->UpdateTable(u)).message ==
        "One or more parameter values were invalid: Requested MaxReadRequestUnits for "
        "OnDemandThroughput for index : message-group-sk-index is outside of valid range");
  u.global_secondary_index_updates->front().update_on_demand_throughput =
      OnDemandThroughput{std::nullopt, 40001};
  Error e = MustFail(db->UpdateTable(u));
  CHECK(e.code == ErrorCode::kLimitExceeded);
  CHECK(e.message ==
        "Subscriber limit exceeded: Requested MaxWriteRequestUnits for OnDemandThroughput for "
        "index : message-group-sk-index exceeds TableMaxWriteCapacityUnits of the account in "
        "region us-east-1");

  auto provisioned = CruddurMessagesSchema(false);
  provisioned.table_name = "provisioned";
  provisioned.global_secondary_indexes->front().on_demand_throughput =
      OnDemandThroughput{50, std::nullopt};
  CHECK(MustFail(db->CreateTable(provisioned)).message ==
        "One or more parameter values were invalid: MaxReadRequestUnits for OnDemandThroughput for "
        "index: message-group-sk-index cannot be specified when table BillingMode is PROVISIONED.");

  UpdateTableRequest to_provisioned = Update("on-demand");
  to_provisioned.billing_mode = BillingMode::kProvisioned;
  to_provisioned.provisioned_throughput = ProvisionedThroughput{1, 1};
  GlobalSecondaryIndexUpdate throughput;
  throughput.update_index_name = "message-group-sk-index";
  throughput.update_provisioned_throughput = ProvisionedThroughput{1, 1};
  to_provisioned.global_secondary_index_updates = std::vector{throughput};
  CHECK(!Must(db->UpdateTable(to_provisioned))
             .table_description.global_secondary_indexes.at(0)
             .on_demand_throughput);
}

TEST_CASE(
    "warm throughput: described for every table and index, from DynamoDB's starting points, raised "
    "and never lowered") {
  auto db = OpenTestDb();
  const auto created = Must(db->CreateTable(OnDemandSchema())).table_description;
  CHECK(!created.warm_throughput);  // CreateTable's answer has it only when it was asked for
  CHECK(!created.global_secondary_indexes.at(0).warm_throughput);
  auto warm = [&](const std::string& table) {
    return Must(db->DescribeTable({table})).table.warm_throughput;
  };
  auto index_warm = [&](const std::string& table) {
    return Must(db->DescribeTable({table})).table.global_secondary_indexes.at(0).warm_throughput;
  };
  CHECK(warm("on-demand") == WarmThroughputDescription{12000, 4000, false});
  CHECK(index_warm("on-demand") == WarmThroughputDescription{12000, 4000, false});
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  CHECK(warm("cruddur-messages") ==
        WarmThroughputDescription{5, 5, false});  // a provisioned table: its capacity

  // Capacity raises it; a decrease leaves it; on-demand raises it to its start, for good.
  UpdateTableRequest u = Update();
  u.provisioned_throughput = ProvisionedThroughput{50, 6};
  Must(db->UpdateTable(u));
  u.provisioned_throughput = ProvisionedThroughput{2, 2};
  Must(db->UpdateTable(u));
  CHECK(warm("cruddur-messages") == WarmThroughputDescription{50, 6, false});
  UpdateTableRequest to_on_demand = Update();
  to_on_demand.billing_mode = BillingMode::kPayPerRequest;
  Must(db->UpdateTable(to_on_demand));
  CHECK(warm("cruddur-messages") == WarmThroughputDescription{12000, 4000, false});

  // Asked for: the answer shows the change under way, the table then has it.
  UpdateTableRequest raise = Update("on-demand");
  raise.warm_throughput = WarmThroughput{15000, std::nullopt};
  CHECK(Must(db->UpdateTable(raise)).table_description.warm_throughput ==
        WarmThroughputDescription{12000, 4000, true});
  CHECK(warm("on-demand") == WarmThroughputDescription{15000, 4000, false});
  raise.warm_throughput = WarmThroughput{14000, std::nullopt};
  CHECK(MustFail(db->UpdateTable(raise)).message ==
        "One or more parameter values were invalid: Requested ReadUnitsPerSecond for "
        "WarmThroughput for table is lower than current "
        "WarmThroughput, decreasing WarmThroughput is not supported");
  raise.warm_throughput = WarmThroughput{15000, 5000};
  raise.deletion_protection_enabled = true;
  CHECK(MustFail(db->UpdateTable(raise)).message ==
        "One or more parameter values were invalid: DeletionProtection modification must be the "
        "only operation in the request");
  raise.deletion_protection_enabled.reset();
  raise.on_demand_throughput = OnDemandThroughput{100, std::nullopt};
  CHECK(MustFail(db->UpdateTable(raise)).message ==
        "One or more parameter values were invalid: WarmThroughput must be the only operation in "
        "the request");

  UpdateTableRequest index = Update("on-demand");
  GlobalSecondaryIndexUpdate g;
  g.update_index_name = "message-group-sk-index";
  g.update_warm_throughput = WarmThroughput{std::nullopt, 4500};
  index.global_secondary_index_updates = std::vector{g};
  CHECK(Must(db->UpdateTable(index))
            .table_description.global_secondary_indexes.at(0)
            .warm_throughput == WarmThroughputDescription{12000, 4000, true});
  CHECK(index_warm("on-demand") == WarmThroughputDescription{12000, 4500, false});
  index.global_secondary_index_updates->front().update_warm_throughput =
      WarmThroughput{std::nullopt, 10};
  CHECK(MustFail(db->UpdateTable(index)).message ==
        "One or more parameter values were invalid: Requested WriteUnitsPerSecond for "
        "WarmThroughput for index message-group-sk-index is "
        "lower than current WarmThroughput, decreasing WarmThroughput is not supported");
}

TEST_CASE(
    "warm throughput asked for at CreateTable: at least the start, within the maximum, answered "
    "UPDATING") {
  auto db = OpenTestDb();
  auto schema = OnDemandSchema();
  schema.warm_throughput = WarmThroughput{100, std::nullopt};
  CHECK(MustFail(db->CreateTable(schema)).message ==
        "One or more parameter values were invalid: Requested ReadUnitsPerSecond for "
        "WarmThroughput for table is lower than initial "
        "throughput for OnDemand. See: "
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
        "on-demand-capacity-mode.html#on-demand-capacity-mode-initial");
  schema.warm_throughput = WarmThroughput{50000, std::nullopt};
  CHECK(MustFail(db->CreateTable(schema)).code == ErrorCode::kLimitExceeded);
  schema.warm_throughput = WarmThroughput{12001, std::nullopt};
  schema.global_secondary_indexes->front().warm_throughput = WarmThroughput{std::nullopt, 4001};
  const auto created = Must(db->CreateTable(schema)).table_description;
  CHECK(created.warm_throughput == WarmThroughputDescription{12001, 4000, true});
  CHECK(created.global_secondary_indexes.at(0).warm_throughput ==
        WarmThroughputDescription{12000, 4001, true});
  CHECK(Must(db->DescribeTable({"on-demand"})).table.warm_throughput ==
        WarmThroughputDescription{12001, 4000, false});

  auto provisioned = CruddurMessagesSchema(false);
  provisioned.provisioned_throughput = ProvisionedThroughput{10, 10};
  provisioned.warm_throughput = WarmThroughput{5, 5};
  CHECK(MustFail(db->CreateTable(provisioned)).message ==
        "One or more parameter values were invalid: Requested ReadUnitsPerSecond for "
        "WarmThroughput for table is lower than "
        "ReadCapacityUnits of ProvisionedThroughput");
  provisioned.warm_throughput = WarmThroughput{100, 100};
  Must(db->CreateTable(provisioned));
  CHECK(Must(db->DescribeTable({"cruddur-messages"})).table.warm_throughput ==
        WarmThroughputDescription{100, 100, false});
}

TEST_CASE("a throughput member below 1 is a shape error, found before the billing mode's rules") {
  auto db = OpenTestDb();
  auto schema = OnDemandSchema();
  schema.provisioned_throughput = ProvisionedThroughput{0, 0};
  CHECK(MustFail(db->CreateTable(schema)).message ==
        "2 validation errors detected: Value '0' at 'provisionedThroughput.writeCapacityUnits' "
        "failed to satisfy constraint: "
        "Member must have value greater than or equal to 1; Value '0' at "
        "'provisionedThroughput.readCapacityUnits' failed to "
        "satisfy constraint: Member must have value greater than or equal to 1");
  schema.provisioned_throughput =
      ProvisionedThroughput{1, 1};  // well-formed: the billing mode's rule
  CHECK(MustFail(db->CreateTable(schema)).message ==
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
}

TEST_CASE(
    "UpdateTable naming a local secondary index in Delete or Update: DynamoDB's "
    "ValidationException, nothing changed") {
  auto db = OpenTestDb();
  auto schema = CruddurMessagesSchema(false);
  schema.attribute_definitions.push_back({"user_handle", ScalarAttributeType::kS});
  schema.local_secondary_indexes =
      std::vector{LocalSecondaryIndex{"by-handle",
                                      {{"pk", KeyType::kHash}, {"user_handle", KeyType::kRange}},
                                      {ProjectionType::kKeysOnly, {}}}};
  Must(db->CreateTable(schema));
  UpdateTableRequest u = Update();
  GlobalSecondaryIndexUpdate drop, update;
  drop.delete_index_name = "by-handle";
  update.update_index_name = "by-handle";
  update.update_provisioned_throughput = ProvisionedThroughput{2, 2};
  u.global_secondary_index_updates = std::vector{drop};
  Error e = MustFail(db->UpdateTable(u));
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.message == "Cannot delete an index that is not a GlobalSecondaryIndex: by-handle");
  u.global_secondary_index_updates = std::vector{update};
  CHECK(MustFail(db->UpdateTable(u)).message ==
        "Cannot update an index that is not a GlobalSecondaryIndex: by-handle");
  CHECK(Must(db->DescribeTable({"cruddur-messages"})).table.local_secondary_indexes.size() == 1);
}
