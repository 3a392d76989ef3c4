// UpdateContinuousBackups and DescribeContinuousBackups: point-in-time recovery's setting, kept
// and reported as DynamoDB reports it (the ACK controller's probes of DynamoDB, Oct 2026):
// continuous backups ENABLED for every table; while recovery is on, the window a restore could
// come from: since it was (last) turned on, at most its period back, up to five minutes ago.
// The backup operations answer a missing table with TableNotFoundException, not
// ResourceNotFoundException. While recovery is on, writes are logged (recovery_log.h) for
// RestoreTableToPointInTime (backups.cc); turning it off drops the log.

#include <algorithm>

#include <fmt/format.h>

#include "engine/database_impl.h"
#include "engine/errors.h"
#include "engine/backup/recovery_log.h"

namespace localdynamo {
namespace {

constexpr int64_t kDefaultPeriodDays = 35;
constexpr int64_t kLatestLagMillis =
    5 * 60 * 1000;  // "typically 5 minutes before the current time"
constexpr int64_t kDayMillis = 24 * 3600 * 1000;

}  // namespace

namespace engine {

ContinuousBackupsResponse DescribeRecovery(const TableMeta& t, int64_t now_millis) {
  ContinuousBackupsResponse out;
  PointInTimeRecoveryDescription& d =
      out.continuous_backups_description.point_in_time_recovery_description;
  if (!t.recovery_since_millis) return out;
  d.enabled = true;
  const int64_t earliest =
      std::max(t.recovery_since_millis, now_millis - t.recovery_period_days * kDayMillis);
  const int64_t latest = std::max(t.recovery_since_millis, now_millis - kLatestLagMillis);
  d.earliest_restorable_date_time = static_cast<double>(earliest) / 1000.0;
  d.latest_restorable_date_time = static_cast<double>(latest) / 1000.0;
  d.recovery_period_in_days = t.recovery_period_days;
  return out;
}

}  // namespace engine

Result<ContinuousBackupsResponse> Database::UpdateContinuousBackups(
    const UpdateContinuousBackupsRequest& r) {
  Impl& db = *impl_;
  const PointInTimeRecoverySpecification& spec = r.point_in_time_recovery_specification;
  std::vector<std::string> failures;
  errors::CheckTableNameOrArn(r.table_name, "tableName", &failures);
  if (const auto days = spec.recovery_period_in_days;
      days && (*days < 1 || *days > kDefaultPeriodDays))
    failures.push_back(
        fmt::format("Value '{}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed "
                    "to satisfy constraint: "
                    "Member must have value {}",
                    *days, *days < 1 ? "greater than or equal to 1" : "less than or equal to 35"));
  if (!failures.empty()) return errors::ConstraintError(failures);
  if (!spec.point_in_time_recovery_enabled && spec.recovery_period_in_days)
    return ValidationError(
        "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time "
        "recovery.");

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto current, db.catalog.Find(txn, r.table_name));
  if (!current) return errors::BackupTableNotFound(r.table_name);
  engine::TableMeta t = *current;
  const int64_t now = db.options.clock->NowMillis();
  if (spec.point_in_time_recovery_enabled) {
    // Turning it on again keeps the window; a period given changes it in place. (A table whose
    // recovery was turned on by a localdynamo without the log starts a window and a log now.)
    if (!t.recovery_since_millis || !t.recovery_log) {
      t.recovery_since_millis = now;
      t.recovery_period_days = kDefaultPeriodDays;
      LD_ASSIGN_OR_RETURN(uint64_t log, engine::NextCounter(txn, "stream"));
      t.recovery_log = static_cast<uint32_t>(log);
    }
    if (spec.recovery_period_in_days && *spec.recovery_period_in_days > t.recovery_period_days) {
      // A longer period can't bring back what the shorter one let go: the window still starts
      // no earlier than the log is whole.
      t.recovery_since_millis =
          std::max(t.recovery_since_millis, now - t.recovery_period_days * kDayMillis);
    }
    if (spec.recovery_period_in_days) t.recovery_period_days = *spec.recovery_period_in_days;
  } else {
    if (t.recovery_log) LD_RETURN_IF_ERROR(engine::DropRecoveryLog(txn, t.recovery_log));
    t.recovery_since_millis = 0;
    t.recovery_period_days = kDefaultPeriodDays;
    t.recovery_log = 0;
  }
  if (t.recovery_since_millis != current->recovery_since_millis ||
      t.recovery_period_days != current->recovery_period_days ||
      t.recovery_log != current->recovery_log) {
    LD_RETURN_IF_ERROR(engine::Catalog::Save(txn, t));
    LD_RETURN_IF_ERROR(txn.Commit());
  }
  return engine::DescribeRecovery(t, now);
}

Result<ContinuousBackupsResponse> Database::DescribeContinuousBackups(
    const DescribeContinuousBackupsRequest& r) {
  Impl& db = *impl_;
  LD_RETURN_IF_ERROR(errors::CheckTableName(r.table_name));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto t, db.catalog.Find(txn, r.table_name));
  if (!t) return errors::BackupTableNotFound(r.table_name);
  return engine::DescribeRecovery(*t, db.options.clock->NowMillis());
}

}  // namespace localdynamo
