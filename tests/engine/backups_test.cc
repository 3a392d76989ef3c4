// On-demand backups: what a backup holds, what a restore brings back (and leaves out), the
// listing's order, filters and pages, and DynamoDB's texts (recorded against the service by the
// ACK controllers' probes, Oct 2026).

#include <doctest/doctest.h>

#include <filesystem>

#include <fmt/format.h>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr const char* kTable = "cruddur-messages";
constexpr const char* kIndex = "message-group-sk-index";

struct Store {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStartMillis);
  std::unique_ptr<Database> db;
  explicit Store(const std::string& dir = "") {
    Options o;
    o.clock = clock;
    o.ids = SequentialIds(7);
    db = Must(dir.empty() ? Database::OpenInMemory(o) : Database::Open(dir, o));
  }
  void Seed(int messages) {
    Must(db->CreateTable(CruddurMessagesSchema()));
    for (int i = 0; i < messages; ++i) {
      Item row = MessageRow("g1", fmt::format("2023-03-20T10:00:0{}", i), fmt::format("m{}", i));
      row.insert_or_assign("message_group_uuid", S("g1"));
      Put(*db, kTable, std::move(row));
    }
  }
  std::string Backup(const std::string& name = "nightly", const std::string& table = kTable) {
    return Must(db->CreateBackup({table, name})).backup_details.backup_arn;
  }
  int64_t Count(const std::string& table, bool through_index = false) {
    QueryRequest q;
    q.table_name = table;
    if (through_index) {
      q.index_name = kIndex;
      q.key_condition_expression = "message_group_uuid = :g";
      q.expression_attribute_values = ValueMap{{":g", S("g1")}};
    } else {
      q.key_condition_expression = "pk = :pk";
      q.expression_attribute_values = ValueMap{{":pk", S("MSG#g1")}};
    }
    return Must(db->Query(q)).count;
  }
  Result<RestoreTableFromBackupResponse> Restore(const std::string& arn,
                                                 const std::string& target = "restored") {
    RestoreTableFromBackupRequest r;
    r.target_table_name = target;
    r.backup_arn = arn;
    return db->RestoreTableFromBackup(r);
  }
};

}  // namespace

TEST_CASE(
    "a backup is the table as it was: later writes don't reach it, and a restore brings back its "
    "items and indexes") {
  Store s;
  s.Seed(3);
  const int64_t at = s.clock->NowMillis();
  auto created = Must(s.db->CreateBackup({kTable, "nightly"})).backup_details;
  CHECK(created.backup_status == BackupStatus::kCreating);  // as DynamoDB answers CreateBackup
  CHECK(created.backup_type == BackupType::kUser);
  CHECK(created.backup_name == "nightly");
  CHECK(created.backup_creation_date_time == static_cast<double>(at) / 1000.0);
  // <table ARN>/backup/<14-digit millis>-<8 hex>
  CHECK(
      created.backup_arn ==
      fmt::format("arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages/backup/{:014}-{}",
                  at, created.backup_arn.substr(created.backup_arn.size() - 8)));
  CHECK(created.backup_arn.substr(created.backup_arn.size() - 8)
            .find_first_not_of("0123456789abcdef") == std::string::npos);

  Put(*s.db, kTable, MessageRow("g1", "2023-03-20T11:00:00", "after the backup"));
  DeleteItemRequest del;
  del.table_name = kTable;
  del.key = Item{{"pk", S("MSG#g1")}, {"sk", S("2023-03-20T10:00:00")}};
  Must(s.db->DeleteItem(del));

  auto d = Must(s.db->DescribeBackup({created.backup_arn})).backup_description;
  CHECK(d.backup_details.backup_status == BackupStatus::kAvailable);
  CHECK(d.source_table_details.item_count == 3);
  CHECK(d.source_table_details.table_size_bytes == d.backup_details.backup_size_bytes);
  CHECK(d.source_table_details.table_size_bytes > 0);
  CHECK(d.source_table_details.billing_mode == BillingMode::kProvisioned);
  CHECK(d.source_table_details.provisioned_throughput == ProvisionedThroughput{5, 5});
  REQUIRE(d.source_table_feature_details.global_secondary_indexes.size() == 1);
  CHECK(d.source_table_feature_details.global_secondary_indexes[0].index_name == kIndex);
  CHECK(d.source_table_feature_details.stream_description ==
        StreamSpecification{true, StreamViewType::kNewImage});

  auto restored = Must(s.Restore(created.backup_arn)).table_description;
  CHECK(restored.table_status == TableStatus::kCreating);
  REQUIRE(restored.restore_summary);
  CHECK(restored.restore_summary->source_backup_arn == created.backup_arn);
  CHECK(restored.restore_summary->source_table_arn ==
        "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages");
  CHECK(restored.restore_summary->restore_in_progress);
  CHECK(restored.item_count == 3);
  CHECK(s.Count("restored") == 3);
  CHECK(s.Count("restored", true) == 3);  // index entries came along
  CHECK(s.Count(kTable) == 3);            // the source: 3 - 1 + 1

  // Once ACTIVE, DynamoDB's description has no RestoreSummary.
  auto described = Must(s.db->DescribeTable({"restored"})).table;
  CHECK(described.table_status == TableStatus::kActive);
  CHECK(!described.restore_summary);
  CHECK(described.global_secondary_indexes.at(0).item_count == 3);
  CHECK(described.global_secondary_indexes.at(0).index_arn ==
        "arn:aws:dynamodb:us-east-1:000000000000:table/restored/index/message-group-sk-index");

  // The restored table is a table of its own: writing to it leaves the backup as it was.
  Put(*s.db, "restored", MessageRow("g1", "2023-03-20T12:00:00", "only in the restored table"));
  Must(s.Restore(created.backup_arn, "restored-again"));
  CHECK(s.Count("restored-again") == 3);
}

TEST_CASE(
    "a restore leaves out streams, time to live, tags and deletion protection, as DynamoDB's does; "
    "keeps billing and encryption") {
  Store s;
  CreateTableRequest schema = CruddurMessagesSchema(true);
  schema.deletion_protection_enabled = true;
  schema.tags = std::vector<Tag>{{"env", "test"}};
  schema.sse_specification = SSESpecification{true, "KMS", "alias/mine"};
  schema.table_class = TableClass::kStandardInfrequentAccess;
  Must(s.db->CreateTable(schema));
  Must(s.db->UpdateTimeToLive({kTable, {"expires", true}}));
  const std::string arn = s.Backup();
  auto features = Must(s.db->DescribeBackup({arn})).backup_description.source_table_feature_details;
  REQUIRE(features.time_to_live_description);
  CHECK(features.time_to_live_description->attribute_name == "expires");
  REQUIRE(features.sse_description);

  auto t = Must(s.Restore(arn)).table_description;
  CHECK(!t.stream_specification);
  CHECK(!t.latest_stream_arn);
  CHECK(!t.deletion_protection_enabled);
  CHECK(!t.table_class);  // STANDARD again
  REQUIRE(t.sse_description);
  CHECK(t.sse_description->kms_master_key_arn == "arn:aws:kms:us-east-1:000000000000:alias/mine");
  CHECK(t.provisioned_throughput.read_capacity_units == 5);
  CHECK(Must(s.db->DescribeTimeToLive({"restored"})).time_to_live_description.time_to_live_status ==
        TimeToLiveStatus::kDisabled);
  CHECK(Must(s.db->ListTagsOfResource(
                 {"arn:aws:dynamodb:us-east-1:000000000000:table/restored", std::nullopt}))
            .tags.empty());
}

TEST_CASE("a backup outlives its table, and a restore from it works after the table is gone") {
  Store s;
  s.Seed(2);
  const std::string arn = s.Backup();
  Must(s.db->DeleteTable({kTable}));
  ListBackupsRequest by_table;
  by_table.table_name = kTable;
  CHECK(Must(s.db->ListBackups(by_table)).backup_summaries.size() == 1);
  Must(s.Restore(arn, kTable));  // under the old name, even
  CHECK(s.Count(kTable) == 2);
}

TEST_CASE("items with keys longer than LMDB's are copied whole") {
  Store s;
  s.Seed(0);
  const std::string long_sk(1000, 'z');
  Item row = MessageRow("g1", long_sk, "long");
  row.insert_or_assign("message_group_uuid", S("g1"));
  Put(*s.db, kTable, row);
  Put(*s.db, kTable, MessageRow("g1", long_sk + "y", "longer"));
  Must(s.Restore(s.Backup()));
  GetItemRequest get;
  get.table_name = "restored";
  get.key = Item{{"pk", S("MSG#g1")}, {"sk", S(long_sk)}};
  auto got = Must(s.db->GetItem(get));
  REQUIRE(got.item);
  CHECK(got.item->at("message").s() == "long");
  CHECK(s.Count("restored") == 2);
  CHECK(s.Count("restored", true) == 1);
}

TEST_CASE("backups and their data stay across a reopen; a deleted backup is gone") {
  const auto dir = std::filesystem::temp_directory_path() / "ld_backups_test";
  std::filesystem::remove_all(dir);
  std::string arn;
  {
    Store s(dir.string());
    s.Seed(4);
    arn = s.Backup();
  }
  {
    Store s(dir.string());
    CHECK(Must(s.db->DescribeBackup({arn})).backup_description.source_table_details.item_count ==
          4);
    auto deleted = Must(s.db->DeleteBackup({arn})).backup_description;
    CHECK(deleted.backup_details.backup_status == BackupStatus::kDeleted);
    CHECK(deleted.source_table_details.item_count == 4);
  }
  {
    Store s(dir.string());
    auto e = MustFail(s.db->DescribeBackup({arn}));
    CHECK(e.code == ErrorCode::kBackupNotFound);
    CHECK(e.message == "Backup not found: " + arn);
    CHECK(MustFail(s.db->DeleteBackup({arn})).code == ErrorCode::kBackupNotFound);
    CHECK(MustFail(s.Restore(arn)).code == ErrorCode::kBackupNotFound);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "ListBackups: by ARN (oldest first within a table), filtered by table, time and type, in "
    "pages") {
  Store s;
  s.Seed(1);
  CreateTableRequest other = CruddurMessagesSchema(false);
  other.table_name = "another";
  Must(s.db->CreateTable(other));
  std::vector<std::string> arns;
  std::vector<double> times;
  for (int i = 0; i < 3; ++i) {
    s.clock->Advance(1000);
    times.push_back(static_cast<double>(s.clock->NowMillis()) / 1000.0);
    arns.push_back(s.Backup(fmt::format("bkp{}", i)));
  }
  s.clock->Advance(1000);
  const std::string other_arn = s.Backup("xyz", "another");

  auto all = Must(s.db->ListBackups({})).backup_summaries;
  REQUIRE(all.size() == 4);
  CHECK(all[0].details.backup_arn == other_arn);  // "table/another/..." sorts first
  CHECK(all[1].details.backup_arn == arns[0]);
  CHECK(all[3].details.backup_arn == arns[2]);
  CHECK(all[1].table_name == kTable);
  CHECK(all[1].details.backup_status == BackupStatus::kAvailable);

  ListBackupsRequest r;
  r.table_name = kTable;
  r.time_range_lower_bound = times[1];  // inclusive
  r.time_range_upper_bound = times[2];  // exclusive
  auto window = Must(s.db->ListBackups(r)).backup_summaries;
  REQUIRE(window.size() == 1);
  CHECK(window[0].details.backup_arn == arns[1]);

  ListBackupsRequest page;
  page.table_name = kTable;
  page.limit = 2;
  auto first = Must(s.db->ListBackups(page));
  CHECK(first.backup_summaries.size() == 2);
  REQUIRE(first.last_evaluated_backup_arn);
  CHECK(*first.last_evaluated_backup_arn == arns[1]);
  page.exclusive_start_backup_arn = first.last_evaluated_backup_arn;
  auto second = Must(s.db->ListBackups(page));
  REQUIRE(second.backup_summaries.size() == 1);
  CHECK(second.backup_summaries[0].details.backup_arn == arns[2]);
  CHECK(!second.last_evaluated_backup_arn);  // a page that ends exactly at the last has none

  ListBackupsRequest system;
  system.backup_type = BackupTypeFilter::kSystem;
  CHECK(Must(s.db->ListBackups(system)).backup_summaries.empty());
  system.backup_type = BackupTypeFilter::kAll;
  CHECK(Must(s.db->ListBackups(system)).backup_summaries.size() == 4);

  ListBackupsRequest by_arn;
  by_arn.table_name = "arn:aws:dynamodb:us-east-1:000000000000:table/another";
  CHECK(Must(s.db->ListBackups(by_arn)).backup_summaries.size() == 1);
}

TEST_CASE("the texts of a bad CreateBackup, DescribeBackup or ListBackups") {
  Store s;
  s.Seed(0);
  CHECK(MustFail(s.db->CreateBackup({kTable, ""})).message ==
        "2 validation errors detected: Value '' at 'backupName' failed to satisfy constraint: "
        "Member must satisfy regular "
        "expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'backupName' failed to satisfy "
        "constraint: Member must have length "
        "greater than or equal to 3");
  auto missing = MustFail(s.db->CreateBackup({"nope", "nightly"}));
  CHECK(missing.code == ErrorCode::kTableNotFound);
  CHECK(missing.message == "Table not found: nope");
  for (const char* arn : {"", "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages"}) {
    auto e = MustFail(s.db->DescribeBackup({arn}));
    CHECK(e.code == ErrorCode::kValidation);
    CHECK(e.message == "Invalid Backup ARN");
  }
  ListBackupsRequest zero;
  zero.limit = 0;
  CHECK(MustFail(s.db->ListBackups(zero)).message ==
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member "
        "must have value greater than or equal to 1");
  ListBackupsRequest backwards;
  backwards.time_range_lower_bound = 2;
  backwards.time_range_upper_bound = 1;
  CHECK(MustFail(s.db->ListBackups(backwards)).message ==
        "One or more parameter values were invalid: Time range lower bound must be less than or "
        "equal to upper bound");
  ListBackupsRequest long_start;
  long_start.exclusive_start_backup_arn = "arn:" + std::string(1020, 'x');
  CHECK(Must(s.db->ListBackups(long_start)).backup_summaries.empty());
}

TEST_CASE(
    "RestoreTableFromBackup's overrides: indexes left out, billing changed, and DynamoDB's texts "
    "for the rest") {
  Store s;
  s.Seed(2);
  const std::string arn = s.Backup();

  auto exists = MustFail(s.Restore(arn, kTable));
  CHECK(exists.code == ErrorCode::kTableAlreadyExists);
  CHECK(exists.message == "Table already exists: cruddur-messages");

  RestoreTableFromBackupRequest r;
  r.target_table_name = "no-index";
  r.backup_arn = arn;
  r.global_secondary_index_override = std::vector<GlobalSecondaryIndex>{};  // [] drops them all
  r.billing_mode_override = BillingMode::kPayPerRequest;
  auto t = Must(s.db->RestoreTableFromBackup(r)).table_description;
  CHECK(t.global_secondary_indexes.empty());
  REQUIRE(t.billing_mode_summary);
  CHECK(t.billing_mode_summary->billing_mode == BillingMode::kPayPerRequest);
  CHECK(s.Count("no-index") == 2);
  QueryRequest q;
  q.table_name = "no-index";
  q.index_name = kIndex;
  q.key_condition_expression = "message_group_uuid = :g";
  q.expression_attribute_values = ValueMap{{":g", S("g1")}};
  CHECK(MustFail(s.db->Query(q)).code == ErrorCode::kValidation);

  // From on-demand back to provisioned, with the throughput that takes.
  const std::string ppr_arn = s.Backup("ppr", "no-index");
  RestoreTableFromBackupRequest back;
  back.target_table_name = "provisioned";
  back.backup_arn = ppr_arn;
  back.billing_mode_override = BillingMode::kProvisioned;
  back.provisioned_throughput_override = ProvisionedThroughput{7, 9};
  auto p = Must(s.db->RestoreTableFromBackup(back)).table_description;
  CHECK(!p.billing_mode_summary);
  CHECK(p.provisioned_throughput.read_capacity_units == 7);
  CHECK(p.provisioned_throughput.write_capacity_units == 9);

  auto text = [&](RestoreTableFromBackupRequest req) {
    return MustFail(s.db->RestoreTableFromBackup(req)).message;
  };
  RestoreTableFromBackupRequest bad;
  bad.target_table_name = "never";
  bad.backup_arn = arn;
  bad.billing_mode_override = BillingMode::kPayPerRequest;
  bad.provisioned_throughput_override = ProvisionedThroughput{1, 1};
  CHECK(text(bad) ==
        "Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to "
        "PAY_PER_REQUEST");
  bad.billing_mode_override = BillingMode::kProvisioned;
  bad.provisioned_throughput_override.reset();
  CHECK(text(bad) ==
        "Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to "
        "PROVISIONED");
  bad.billing_mode_override.reset();
  bad.backup_arn = ppr_arn;
  bad.provisioned_throughput_override = ProvisionedThroughput{1, 1};
  CHECK(text(bad) ==
        "Invalid Request: Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED");
  bad.backup_arn = arn;
  bad.provisioned_throughput_override.reset();
  GlobalSecondaryIndex unknown;
  unknown.index_name = "not-there";
  bad.global_secondary_index_override = std::vector<GlobalSecondaryIndex>{unknown};
  CHECK(text(bad) ==
        "Invalid Request: Index not-there does not match a secondary index that existed in the "
        "source table "
        "and cannot be created during the restore operation");
  CHECK(MustFail(s.db->DescribeTable({"never"})).code ==
        ErrorCode::kResourceNotFound);  // nothing was created
}

TEST_CASE(
    "a table deleted with point-in-time recovery on is kept as a system backup, listed on request, "
    "for 35 days") {
  Store s;
  s.Seed(2);
  Must(s.db->UpdateContinuousBackups({kTable, {true, std::nullopt}}));
  const int64_t deleted_at = s.clock->NowMillis();
  Must(s.db->DeleteTable({kTable}));

  CHECK(Must(s.db->ListBackups({})).backup_summaries.empty());  // USER unless asked
  ListBackupsRequest system;
  system.backup_type = BackupTypeFilter::kSystem;
  auto listed = Must(s.db->ListBackups(system)).backup_summaries;
  REQUIRE(listed.size() == 1);
  const BackupDetails& d = listed[0].details;
  CHECK(d.backup_name == "cruddur-messages$DeletedTableBackup");
  CHECK(d.backup_type == BackupType::kSystem);
  CHECK(d.backup_arn ==
        fmt::format(
            "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages/backup/{:014}-00000000",
            deleted_at));
  REQUIRE(d.backup_expiry_date_time);
  CHECK(*d.backup_expiry_date_time ==
        static_cast<double>(deleted_at + 35LL * 24 * 3600 * 1000) / 1000.0);

  auto refused = MustFail(s.db->DeleteBackup({d.backup_arn}));
  CHECK(refused.code == ErrorCode::kValidation);
  CHECK(refused.message.starts_with(
      "Invalid Request: User is not allowed to delete the system backup with arn " + d.backup_arn +
      ". It will automatically expire on "));
  // The deleted table's items are in it: restore them under its name.
  Must(s.Restore(d.backup_arn, kTable));
  CHECK(s.Count(kTable) == 2);
  CHECK(s.Count(kTable, true) == 2);

  s.clock->Advance(35LL * 24 * 3600 * 1000);  // expired: gone, and freed by the next backup taken
  CHECK(MustFail(s.db->DescribeBackup({d.backup_arn})).code == ErrorCode::kBackupNotFound);
  CHECK(Must(s.db->ListBackups(system)).backup_summaries.empty());
  s.Backup();
  CHECK(s.Count(kTable) == 2);  // the restored table is its own
}

TEST_CASE(
    "an index override names a backed-up index by its keys and projection, may rename it, and "
    "carries the restore's throughput") {
  Store s;
  s.Seed(2);
  const std::string arn = s.Backup();
  GlobalSecondaryIndex renamed = CruddurMessagesSchema().global_secondary_indexes->front();
  renamed.index_name = "by-group";
  renamed.provisioned_throughput = ProvisionedThroughput{3, 4};
  RestoreTableFromBackupRequest r;
  r.target_table_name = "renamed";
  r.backup_arn = arn;
  r.global_secondary_index_override = std::vector{renamed};
  const TableDescription t = Must(s.db->RestoreTableFromBackup(r)).table_description;
  REQUIRE(t.global_secondary_indexes.size() == 1);
  CHECK(t.global_secondary_indexes[0].index_name == "by-group");
  CHECK(t.global_secondary_indexes[0].index_arn == t.table_arn + "/index/by-group");
  CHECK(t.global_secondary_indexes[0].provisioned_throughput->read_capacity_units == 3);
  QueryRequest q;
  q.table_name = "renamed";
  q.index_name = "by-group";
  q.key_condition_expression = "message_group_uuid = :g";
  q.expression_attribute_values = ValueMap{{":g", S("g1")}};
  CHECK(Must(s.db->Query(q)).count == 2);  // the index's entries came along under the new name

  auto text = [&](RestoreTableFromBackupRequest req) {
    req.target_table_name = "never";
    return MustFail(s.db->RestoreTableFromBackup(req)).message;
  };
  RestoreTableFromBackupRequest other_keys = r;
  other_keys.global_secondary_index_override->front().key_schema = {
      {"message_group_uuid", KeyType::kHash}};
  CHECK(text(other_keys) ==
        "Invalid Request: Index by-group does not match a secondary index that existed in the "
        "source table "
        "and cannot be created during the restore operation");
  RestoreTableFromBackupRequest no_throughput = r;
  no_throughput.global_secondary_index_override->front().provisioned_throughput.reset();
  CHECK(text(no_throughput) ==
        "Invalid Request: Must specify provisioned throughput for index by-group");
  RestoreTableFromBackupRequest on_demand = r;
  on_demand.billing_mode_override = BillingMode::kPayPerRequest;
  CHECK(text(on_demand) ==
        "Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to "
        "PAY_PER_REQUEST for index by-group");
  RestoreTableFromBackupRequest caps;
  caps.backup_arn = arn;
  caps.on_demand_throughput_override = OnDemandThroughput{100, std::nullopt};
  CHECK(text(caps) ==
        "Invalid Request: Cannot override MaxReadRequestUnits for OnDemandThroughput unless "
        "BillingModeOverride is PAY_PER_REQUEST");
  caps.billing_mode_override = BillingMode::kPayPerRequest;
  caps.on_demand_throughput_override = OnDemandThroughput{std::nullopt, 0};
  CHECK(text(caps) ==
        "Invalid Request: Requested MaxWriteRequestUnits for OnDemandThroughput is outside of "
        "valid range");
  caps.on_demand_throughput_override = OnDemandThroughput{100, std::nullopt};
  caps.target_table_name = "capped";
  CHECK(Must(s.db->RestoreTableFromBackup(caps)).table_description.on_demand_throughput ==
        OnDemandThroughput{100, std::nullopt});
  CHECK(MustFail(s.db->DescribeTable({"never"})).code == ErrorCode::kResourceNotFound);
}

TEST_CASE(
    "ListBackups: a start ARN of another region is refused, one of this region is a position") {
  Store s;
  s.Seed(1);
  const std::string arn = s.Backup();
  ListBackupsRequest r;
  r.exclusive_start_backup_arn =
      "arn:aws:dynamodb:us-west-2:000000000000:table/cruddur-messages/backup/"
      "01679306400000-00000000";
  Error e = MustFail(s.db->ListBackups(r));
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.message ==
        "Invalid Request: The supplied ExclusiveStartBackupArn does not match the region");
  r.exclusive_start_backup_arn = arn;
  CHECK(Must(s.db->ListBackups(r)).backup_summaries.empty());
}

TEST_CASE(
    "a backup of an on-demand table lists its index's on-demand caps, and a restore keeps them") {
  Store s;
  CreateTableRequest schema = CruddurMessagesSchema();
  schema.billing_mode = BillingMode::kPayPerRequest;
  schema.provisioned_throughput.reset();
  schema.global_secondary_indexes->front().provisioned_throughput.reset();
  schema.global_secondary_indexes->front().on_demand_throughput =
      OnDemandThroughput{50, std::nullopt};
  Must(s.db->CreateTable(schema));
  const std::string arn = s.Backup();
  const auto d = Must(s.db->DescribeBackup({arn})).backup_description;
  REQUIRE(d.source_table_feature_details.global_secondary_indexes.size() == 1);
  CHECK(d.source_table_feature_details.global_secondary_indexes[0].on_demand_throughput ==
        OnDemandThroughput{50, std::nullopt});
  CHECK(
      Must(s.Restore(arn)).table_description.global_secondary_indexes.at(0).on_demand_throughput ==
      OnDemandThroughput{50, std::nullopt});
}

TEST_CASE("a restore's SSESpecificationOverride follows CreateTable's encryption rules") {
  Store s;
  s.Seed(1);
  RestoreTableFromBackupRequest r;
  r.target_table_name = "encrypted";
  r.backup_arn = s.Backup();
  r.sse_specification_override = SSESpecification{true, "AES256", std::nullopt};
  CHECK(MustFail(s.db->RestoreTableFromBackup(r)).message ==
        "One or more parameter values were invalid: SSEType AES256 is not supported");
  CHECK(MustFail(s.db->DescribeTable({"encrypted"})).code == ErrorCode::kResourceNotFound);
  r.sse_specification_override = SSESpecification{true, "KMS", "alias/restored"};
  CHECK(
      Must(s.db->RestoreTableFromBackup(r)).table_description.sse_description->kms_master_key_arn ==
      "arn:aws:kms:us-east-1:000000000000:alias/restored");
}
