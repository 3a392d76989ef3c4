// UpdateContinuousBackups / DescribeContinuousBackups: point-in-time recovery's setting and
// the restore window DynamoDB reports for it, with its checks and texts.

#include <doctest/doctest.h>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kDay = 24 * 60 * kMinute;

struct Backups {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
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
    auto d = Must(db->DescribeContinuousBackups({"cruddur-messages"})).continuous_backups_description;
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

TEST_CASE("once on, the window runs from when it was turned on to five minutes ago, at most its period back") {
  Backups b;
  const int64_t on = b.clock->now;
  auto r = Must(b.Update(true)).continuous_backups_description.point_in_time_recovery_description;
  CHECK(r.enabled);  // the answer already describes the new state
  CHECK(r.earliest_restorable_date_time == Seconds(on));
  CHECK(r.latest_restorable_date_time == Seconds(on));
  CHECK(r.recovery_period_in_days == 35);

  b.clock->now += 2 * kMinute;
  CHECK(b.Describe().latest_restorable_date_time == Seconds(on));  // not before it was on
  b.clock->now += 60 * kMinute;
  CHECK(b.Describe().latest_restorable_date_time == Seconds(b.clock->now - 5 * kMinute));
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(on));
  b.clock->now += 40 * kDay;
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(b.clock->now - 35 * kDay));

  // Turned on again: the same window. A period changes it in place.
  Must(b.Update(true));
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(b.clock->now - 35 * kDay));
  Must(b.Update(true, 7));
  CHECK(b.Describe().recovery_period_in_days == 7);
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(b.clock->now - 7 * kDay));
}

TEST_CASE("turned off and on again, the window starts anew and the period is 35 again") {
  Backups b;
  Must(b.Update(true, 10));
  b.clock->now += kDay;
  CHECK(!Must(b.Update(false)).continuous_backups_description.point_in_time_recovery_description.enabled);
  CHECK(!b.Describe().enabled);
  Must(b.Update(true));
  CHECK(b.Describe().earliest_restorable_date_time == Seconds(b.clock->now));
  CHECK(b.Describe().recovery_period_in_days == 35);
}

TEST_CASE("the period's range, then a period while turning it off; a missing table is TableNotFoundException") {
  Backups b;
  CHECK(MustFail(b.Update(true, 0)).message ==
        "1 validation error detected: Value '0' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' "
        "failed to satisfy constraint: Member must have value greater than or equal to 1");
  CHECK(MustFail(b.Update(true, 36)).message ==
        "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' "
        "failed to satisfy constraint: Member must have value less than or equal to 35");
  CHECK(MustFail(b.Update(false, 0)).message.find("greater than or equal to 1") != std::string::npos);
  CHECK(MustFail(b.Update(false, 35)).message ==
        "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.");
  Error missing = MustFail(b.Update(true, std::nullopt, "nope"));
  CHECK(missing.code == ErrorCode::kTableNotFound);
  CHECK(missing.message == "Table not found: nope");
  CHECK(MustFail(b.db->DescribeContinuousBackups({"nope"})).code == ErrorCode::kTableNotFound);
  CHECK(ErrorCodeName(ErrorCode::kTableNotFound) == "TableNotFoundException");
  CHECK(!b.Describe().enabled);  // nothing changed
}
