// UpdateContinuousBackups / DescribeContinuousBackups: point-in-time recovery's setting and
// the restore window DynamoDB reports for it, with its checks and texts; RestoreTableToPointInTime
// from the log kept while it is on.

#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kDay = 24 * 60 * kMinute;

struct Backups {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStartMillis);
  std::unique_ptr<Database> db;
  Backups() {
    Options o;
    o.clock = clock;
    db = Must(Database::OpenInMemory(o));
    Must(db->CreateTable(CruddurMessagesSchema()));
  }
  Result<ContinuousBackupsResponse> Update(bool enabled, std::optional<int64_t> days = std::nullopt,
                                           std::string table = "cruddur-messages") {
    return db->UpdateContinuousBackups({std::move(table), {enabled, days}});
  }
  PointInTimeRecoveryDescription Describe() {
    auto d =
        Must(db->DescribeContinuousBackups({"cruddur-messages"})).continuous_backups_description;
    CHECK(d.continuous_backups_enabled);
    return d.point_in_time_recovery_description;
  }
};

double Seconds(int64_t millis) { return static_cast<double>(millis) / 1000.0; }

}  // namespace

TEST_CASE("recovery is off on a new table: DISABLED, no window, continuous backups ENABLED") {
  Backups b;
  auto d = b.Describe();
  CHECK(!d.enabled);
  CHECK(!d.earliest_restorable_date_time);
  CHECK(!d.latest_restorable_date_time);
  CHECK(!d.recovery_period_in_days);
}

TEST_CASE(
    "once on, the window runs from when it was turned on to five minutes ago, at most its period "
    "back") {
  Backups b;
  const int64_t on = b.clock->NowMillis();
  auto r = Must(b.Update(true)).continuous_backups_description.point_in_time_recovery_description;
  CHECK(r.enabled);  // the answer already describes the new state
  CHECK(r.earliest_restorable_date_time == Seconds(on));
  CHECK(r.latest_restorable_date_time == Seconds(on));
  CHECK(r.recovery_period_in_days == 35);

  b.clock->Advance(2 * kMinute);
  CHECK(b.Describe().latest_restorable_date_time == Seconds(on));  // not before it was on
  b.clock->Advance(60 * kMinute);
  CHECK(b.Describe().latest_restorable_date_time == Seconds(b.clock->NowMillis() - 5 * kMinute));
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(on));
  b.clock->Advance(40 * kDay);
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(b.clock->NowMillis() - 35 * kDay));

  // Turned on again: the same window. A period changes it in place.
  Must(b.Update(true));
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(b.clock->NowMillis() - 35 * kDay));
  Must(b.Update(true, 7));
  CHECK(b.Describe().recovery_period_in_days == 7);
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(b.clock->NowMillis() - 7 * kDay));
}

TEST_CASE("turned off and on again, the window starts anew and the period is 35 again") {
  Backups b;
  Must(b.Update(true, 10));
  b.clock->Advance(kDay);
  CHECK(!Must(b.Update(false))
             .continuous_backups_description.point_in_time_recovery_description.enabled);
  CHECK(!b.Describe().enabled);
  Must(b.Update(true));
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(b.clock->NowMillis()));
  CHECK(b.Describe().recovery_period_in_days == 35);
}

TEST_CASE(
    "the period's range, then a period while turning it off; a missing table is "
    "TableNotFoundException") {
  Backups b;
  CHECK(MustFail(b.Update(true, 0)).message ==
        "1 validation error detected: Value '0' at "
        "'pointInTimeRecoverySpecification.recoveryPeriodInDays' "
        "failed to satisfy constraint: Member must have value greater than or equal to 1");
  CHECK(MustFail(b.Update(true, 36)).message ==
        "1 validation error detected: Value '36' at "
        "'pointInTimeRecoverySpecification.recoveryPeriodInDays' "
        "failed to satisfy constraint: Member must have value less than or equal to 35");
  CHECK(MustFail(b.Update(false, 0)).message.find("greater than or equal to 1") !=
        std::string::npos);
  CHECK(MustFail(b.Update(false, 35)).message ==
        "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time "
        "recovery.");
  Error missing = MustFail(b.Update(true, std::nullopt, "nope"));
  CHECK(missing.code == ErrorCode::kTableNotFound);
  CHECK(missing.message == "Table not found: nope");
  CHECK(MustFail(b.db->DescribeContinuousBackups({"nope"})).code == ErrorCode::kTableNotFound);
  CHECK(ErrorCodeName(ErrorCode::kTableNotFound) == "TableNotFoundException");
  CHECK(!b.Describe().enabled);  // nothing changed
}

namespace {

// The table as the Cruddur messages of group g1 read: sort key -> message.
std::map<std::string, std::string> Messages(Database& db, const std::string& table,
                                            bool through_index = false) {
  QueryRequest q;
  q.table_name = table;
  if (through_index) {
    q.index_name = "message-group-sk-index";
    q.key_condition_expression = "message_group_uuid = :g";
    q.expression_attribute_values = ValueMap{{":g", S("g1")}};
  } else {
    q.key_condition_expression = "pk = :pk";
    q.expression_attribute_values = ValueMap{{":pk", S("MSG#g1")}};
  }
  std::map<std::string, std::string> out;
  const QueryResponse page = Must(db.Query(q));
  for (const Item& item : *page.items) out[item.at("sk").s()] = item.at("message").s();
  return out;
}

Item Message(const std::string& sk, const std::string& text) {
  Item row = MessageRow("g1", sk, text);
  row.insert_or_assign("message_group_uuid", S("g1"));
  return row;
}

RestoreTableToPointInTimeRequest RestoreAt(std::optional<int64_t> millis,
                                           std::string target = "restored") {
  RestoreTableToPointInTimeRequest r;
  r.source_table_name = "cruddur-messages";
  r.target_table_name = std::move(target);
  if (millis) {
    r.restore_date_time = Seconds(*millis);
  } else {
    r.use_latest_restorable_time = true;
  }
  return r;
}

}  // namespace

TEST_CASE(
    "a restore to a moment of the window brings back the table as it was then, its index too") {
  Backups b;
  Put(*b.db, "cruddur-messages", Message("a", "before recovery"));
  Must(b.Update(true));
  const int64_t on = b.clock->NowMillis();
  b.clock->Advance(kMinute);
  Put(*b.db, "cruddur-messages", Message("b", "b one"));
  const int64_t after_b = b.clock->NowMillis();
  b.clock->Advance(kMinute);
  Put(*b.db, "cruddur-messages", Message("b", "b two"));
  DeleteItemRequest del;
  del.table_name = "cruddur-messages";
  del.key = Item{{"pk", S("MSG#g1")}, {"sk", S("a")}};
  Must(b.db->DeleteItem(del));
  Put(*b.db, "cruddur-messages", Message("c", "c one"));
  const int64_t end = b.clock->NowMillis();
  b.clock->Advance(10 * kMinute);  // the window reaches five minutes before now

  auto restored = Must(b.db->RestoreTableToPointInTime(RestoreAt(after_b))).table_description;
  CHECK(restored.table_status == TableStatus::kCreating);
  REQUIRE(restored.restore_summary);
  CHECK(restored.restore_summary->source_table_arn ==
        "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages");
  CHECK(restored.restore_summary->restore_date_time == Seconds(after_b));
  using M = std::map<std::string, std::string>;
  CHECK(Messages(*b.db, "restored") == M{{"a", "before recovery"}, {"b", "b one"}});
  CHECK(Messages(*b.db, "restored", true) == M{{"a", "before recovery"}, {"b", "b one"}});
  CHECK(Must(b.db->DescribeTable({"restored"})).table.item_count == 2);

  Must(b.db->RestoreTableToPointInTime(RestoreAt(on, "at-the-start")));
  CHECK(Messages(*b.db, "at-the-start") == M{{"a", "before recovery"}});
  Must(b.db->RestoreTableToPointInTime(RestoreAt(std::nullopt, "latest")));
  CHECK(Messages(*b.db, "latest") == M{{"b", "b two"}, {"c", "c one"}});
  CHECK(Messages(*b.db, "latest", true) == Messages(*b.db, "cruddur-messages", true));
  (void)end;
  // The restored tables have recovery off, as DynamoDB restores them.
  CHECK(!Must(b.db->DescribeContinuousBackups({"latest"}))
             .continuous_backups_description.point_in_time_recovery_description.enabled);
}

TEST_CASE(
    "point-in-time restores: DynamoDB's answers when recovery is off, for a time outside the "
    "window, and for a bad request") {
  Backups b;
  auto off = MustFail(b.db->RestoreTableToPointInTime(RestoreAt(std::nullopt)));
  CHECK(off.code == ErrorCode::kPointInTimeRecoveryUnavailable);
  CHECK(off.message == "Point in time recovery is not enabled for table 'cruddur-messages'");
  CHECK(ErrorCodeName(off.code) == "PointInTimeRecoveryUnavailableException");

  Must(b.Update(true));  // at 2023-03-20T10:00:00Z
  b.clock->Advance(60 * kMinute);
  auto early = MustFail(b.db->RestoreTableToPointInTime(RestoreAt(kStartMillis - kMinute)));
  CHECK(early.code == ErrorCode::kInvalidRestoreTime);
  CHECK(early.message ==
        "RestoreDateTime '2023-03-20T09:59:00Z' must be within EarliestRestorableDateTime "
        "'2023-03-20T10:00:00Z' and "
        "LatestRestorableDateTime '2023-03-20T10:55:00Z'");
  CHECK(MustFail(b.db->RestoreTableToPointInTime(RestoreAt(b.clock->NowMillis()))).code ==
        ErrorCode::kInvalidRestoreTime);

  auto both = RestoreAt(kStartMillis);
  both.use_latest_restorable_time = true;
  CHECK(MustFail(b.db->RestoreTableToPointInTime(both)).message ==
        "Invalid Request: Both RestoreDateTime and UseLatestRestorableTime cannot be set for "
        "point-in-time restore request. "
        "Please specify either RestoreDateTime time or UseLatestRestorableTime");
  auto no_time = RestoreAt(std::nullopt);
  no_time.use_latest_restorable_time.reset();
  CHECK(MustFail(b.db->RestoreTableToPointInTime(no_time)).message ==
        "Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be "
        "specified, but not both");
  auto no_source = RestoreAt(std::nullopt);
  no_source.source_table_name.reset();
  CHECK(MustFail(b.db->RestoreTableToPointInTime(no_source)).message ==
        "The parameter 'TableName' is required but was not present in the request");
  auto not_an_arn = no_source;
  not_an_arn.source_table_arn = "cruddur-messages";
  CHECK(MustFail(b.db->RestoreTableToPointInTime(not_an_arn)).message ==
        "One or more parameter values were invalid: ARNs must start with 'arn:': cruddur-messages");
  auto two_sources = RestoreAt(std::nullopt);
  two_sources.source_table_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages";
  CHECK(MustFail(b.db->RestoreTableToPointInTime(two_sources)).message ==
        "Must provide exactly one of: sourceTableArn, sourceTableName");
  auto missing = RestoreAt(std::nullopt);
  missing.source_table_name = "nope";
  CHECK(MustFail(b.db->RestoreTableToPointInTime(missing)).message == "Table not found: nope");
  auto by_arn = RestoreAt(std::nullopt);
  by_arn.source_table_name.reset();
  by_arn.source_table_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages";
  Must(b.db->RestoreTableToPointInTime(by_arn));
  CHECK(MustFail(b.db->RestoreTableToPointInTime(by_arn)).code == ErrorCode::kTableAlreadyExists);

  // Turned off, the log goes; turned on again, the window starts anew.
  Put(*b.db, "cruddur-messages", Message("x", "logged"));
  Must(b.Update(false));
  Must(b.Update(true));
  b.clock->Advance(10 * kMinute);
  CHECK(MustFail(b.db->RestoreTableToPointInTime(RestoreAt(kStartMillis, "again"))).code ==
        ErrorCode::kInvalidRestoreTime);
}

TEST_CASE("the recovery log is kept across a reopen and goes with a deleted table") {
  const auto dir = std::filesystem::temp_directory_path() / "ld_recovery_test";
  std::filesystem::remove_all(dir);
  auto clock = std::make_shared<ManualClock>(kStartMillis);
  Options o;
  o.clock = clock;
  {
    auto db = Must(Database::Open(dir.string(), o));
    Must(db->CreateTable(CruddurMessagesSchema()));
    Must(db->UpdateContinuousBackups({"cruddur-messages", {true, std::nullopt}}));
    clock->Advance(kMinute);
    Put(*db, "cruddur-messages", Message("a", "one"));
    clock->Advance(kMinute);
    Put(*db, "cruddur-messages", Message("a", "two"));
  }
  clock->Advance(10 * kMinute);
  auto db = Must(Database::Open(dir.string(), o));
  Must(db->RestoreTableToPointInTime(RestoreAt(kStartMillis + kMinute)));
  CHECK(Messages(*db, "restored") == std::map<std::string, std::string>{{"a", "one"}});
  Must(db->DeleteTable({"cruddur-messages"}));
  Must(db->CreateTable(CruddurMessagesSchema()));
  CHECK(!Must(db->DescribeContinuousBackups({"cruddur-messages"}))
             .continuous_backups_description.point_in_time_recovery_description.enabled);
  db.reset();
  std::filesystem::remove_all(dir);
}

TEST_CASE("a longer period doesn't reach back past what the shorter one kept") {
  Backups b;
  Must(b.Update(true, 1));
  b.clock->Advance(3 * kDay);
  const int64_t whole_since = b.clock->NowMillis() - kDay;  // a day's log is kept
  auto d =
      Must(b.Update(true, 35)).continuous_backups_description.point_in_time_recovery_description;
  CHECK(d.recovery_period_in_days == 35);
  CHECK(d.earliest_restorable_date_time == Seconds(whole_since));
  b.clock->Advance(kDay);
  CHECK(b.Describe().earliest_restorable_date_time ==
        Seconds(whole_since));  // and it grows from there
}

TEST_CASE("time to live's deletions are logged too: a restore to before them has the item") {
  Backups b;
  Must(b.db->UpdateTimeToLive({"cruddur-messages", {"expires", true}}));
  Must(b.Update(true));
  b.clock->Advance(kMinute);
  Item row = Message("t", "expiring");
  row.insert_or_assign("expires", N(std::to_string(b.clock->NowMillis() / 1000 + 60)));
  Put(*b.db, "cruddur-messages", row);
  const int64_t written = b.clock->NowMillis();
  b.clock->Advance(10 * kMinute);
  CHECK(Must(b.db->DeleteExpiredItems()) == 1);
  CHECK(Messages(*b.db, "cruddur-messages").empty());
  b.clock->Advance(10 * kMinute);
  Must(b.db->RestoreTableToPointInTime(RestoreAt(written)));
  CHECK(Messages(*b.db, "restored") == std::map<std::string, std::string>{{"t", "expiring"}});
}

TEST_CASE(
    "a restore's indexes are the source table's at the time of the restore, holding the items of "
    "the restore time") {
  // DynamoDB: GSIs, LSIs, throughput and encryption "come from the current settings of the
  // source table at the time of restore", the data from the restore time.
  Backups b;
  Must(b.Update(true));
  Item first = Message("a", "first");
  first.insert_or_assign("user_handle", S("andrew"));
  Put(*b.db, "cruddur-messages", first);
  b.clock->Advance(kMinute);
  const int64_t then = b.clock->NowMillis();
  b.clock->Advance(kMinute);
  Item second = Message("b", "second");
  second.insert_or_assign("user_handle", S("andrew"));
  Put(*b.db, "cruddur-messages", second);
  // After the restore time: one index dropped, another made.
  UpdateTableRequest u;
  u.table_name = "cruddur-messages";
  u.attribute_definitions =
      std::vector<AttributeDefinition>{{"user_handle", ScalarAttributeType::kS}};
  GlobalSecondaryIndexUpdate make, drop;
  make.create = GlobalSecondaryIndex{"by-handle",
                                     {{"user_handle", KeyType::kHash}, {"sk", KeyType::kRange}},
                                     {ProjectionType::kAll, {}},
                                     ProvisionedThroughput{5, 5},
                                     std::nullopt,
                                     std::nullopt};
  u.global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{make};
  Must(b.db->UpdateTable(u));
  drop.delete_index_name = "message-group-sk-index";
  u.attribute_definitions.reset();
  u.global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{drop};
  Must(b.db->UpdateTable(u));
  b.clock->Advance(10 * kMinute);

  const TableDescription restored =
      Must(b.db->RestoreTableToPointInTime(RestoreAt(then))).table_description;
  REQUIRE(restored.global_secondary_indexes.size() == 1);
  CHECK(restored.global_secondary_indexes[0].index_name == "by-handle");
  QueryRequest q;
  q.table_name = "restored";
  q.index_name = "by-handle";
  q.key_condition_expression = "user_handle = :h";
  q.expression_attribute_values = ValueMap{{":h", S("andrew")}};
  const QueryResponse page = Must(b.db->Query(q));
  REQUIRE(page.items->size() == 1);
  CHECK(page.items->front().at("message").s() == "first");
  q.index_name = "message-group-sk-index";
  CHECK(MustFail(b.db->Query(q)).code == ErrorCode::kValidation);
}
