// On-demand backups and restores: CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
// RestoreTableFromBackup and RestoreTableToPointInTime, and the system backup DeleteTable keeps.
//
// A backup is taken in one write transaction: the table's entries (items and every index's)
// are copied into a keyspace of their own, numbered from the same counter as tables so no
// table ever shares it, and the record "backup/<backup ARN>" in the meta DBI keeps the table's
// catalog entry and statistics as they were. It outlives the table. A restore copies the
// entries into a new table's keyspace, so it is exact (index entries included) and costs a
// copy, never a rebuild; a point-in-time restore copies the live table and then undoes the
// writes its recovery log holds after the moment (recovery_log.h). DynamoDB restores items,
// indexes, billing mode, throughput and encryption; streams, time to live, tags, deletion
// protection and point-in-time recovery are set up again by hand, and so they are here.
// Texts: DynamoDB's as the ACK controllers' probes recorded them (Oct 2026).

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/backup/backup_record.h"
#include "engine/database_impl.h"
#include "engine/errors.h"
#include "engine/backup/recovery_log.h"
#include "engine/control/table_settings.h"
#include "storage/layout.h"
#include "types/utc_time.h"

namespace localdynamo {

using json = nlohmann::json;

namespace {

constexpr std::string_view kRecordPrefix = engine::kBackupRecordPrefix;

// What the meta DBI keeps of one backup.
using Backup = engine::BackupRecord;

std::string Serialize(const Backup& b) {
  json stats = json::array();
  for (const auto& [index, s] : b.stats) stats.push_back({index, s.item_count, s.size_bytes});
  json j = {{"arn", b.arn},
            {"name", b.name},
            {"created", b.created_millis},
            {"number", b.number},
            {"table", engine::SerializeTableMeta(b.table)},
            {"stats", stats}};
  if (b.type != BackupType::kUser) j["type"] = static_cast<int>(b.type);
  if (b.expiry_millis) j["expiry"] = b.expiry_millis;
  return j.dump();
}

std::optional<Backup> Parse(std::string_view text) {
  try {
    json j = json::parse(text);
    Backup b;
    b.arn = j.at("arn");
    b.name = j.at("name");
    b.created_millis = j.at("created");
    b.number = j.at("number");
    auto table = engine::ParseTableMeta(j.at("table").get<std::string>());
    if (!table) return std::nullopt;
    b.table = std::move(*table);
    for (const auto& s : j.at("stats"))
      b.stats.emplace_back(s.at(0).get<uint8_t>(),
                           TableStats{s.at(1).get<int64_t>(), s.at(2).get<int64_t>()});
    b.type = static_cast<BackupType>(j.value("type", 0));
    b.expiry_millis = j.value("expiry", int64_t{0});
    return b;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

// Records are kept by ARN, the order ListBackups answers in (oldest first within a table: the
// ARN's last part starts with the creation time).
std::string RecordKey(std::string_view arn) {
  return std::string(kRecordPrefix) + std::string(arn);
}

// DynamoDB's answer for an empty string, or an ARN that isn't a backup's.
Status CheckArn(std::string_view arn) {
  const std::size_t at = arn.rfind("/backup/");
  if (!arn.starts_with("arn:") || at == std::string_view::npos || at + 8 == arn.size())
    return ValidationError("Invalid Backup ARN");
  return OkStatus();
}

Error BackupNotFound(std::string_view arn) {
  return Error{ErrorCode::kBackupNotFound, fmt::format("Backup not found: {}", arn), nullptr, {}};
}

bool Expired(const Backup& b, int64_t now_millis) {
  return b.expiry_millis && b.expiry_millis <= now_millis;
}

// The backup by that ARN (checked first), or BackupNotFoundException; a system backup past its
// expiry is gone.
Result<Backup> FindBackup(Database::Impl& db, const storage::Txn& txn, std::string_view arn) {
  LD_RETURN_IF_ERROR(CheckArn(arn));
  const std::string key = RecordKey(arn);
  if (key.size() > storage::kMaxLmdbKey)
    return BackupNotFound(arn);  // no backup's ARN is that long
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, key));
  if (!v) return BackupNotFound(arn);
  auto b = Parse(*v);
  if (!b) return InternalError(fmt::format("corrupt backup record {}", arn));
  if (Expired(*b, db.options.clock->NowMillis())) return BackupNotFound(arn);
  return std::move(*b);
}

Status EraseBackup(storage::WriteTxn& txn, const Backup& b) {
  LD_RETURN_IF_ERROR(
      storage::DeleteKeyspace(txn, txn.dbis().data, storage::TableKeyspace(b.number)));
  LD_RETURN_IF_ERROR(txn.Del(txn.dbis().meta, RecordKey(b.arn)));
  return OkStatus();
}

// Removes the system backups past their expiry (they are invisible already; this frees them).
Status PurgeExpired(storage::WriteTxn& txn, int64_t now_millis) {
  std::vector<Backup> expired;
  {
    LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().meta));
    LD_ASSIGN_OR_RETURN(auto e, cursor.SeekGE(kRecordPrefix));
    while (e && e->key.starts_with(kRecordPrefix)) {
      if (auto b = Parse(e->value); b && Expired(*b, now_millis)) expired.push_back(std::move(*b));
      LD_ASSIGN_OR_RETURN(e, cursor.Next());
    }
  }
  for (const Backup& b : expired) LD_RETURN_IF_ERROR(EraseBackup(txn, b));
  return OkStatus();
}

BackupDetails Details(const Backup& b, BackupStatus status) {
  BackupDetails d;
  d.backup_arn = b.arn;
  d.backup_name = b.name;
  d.backup_size_bytes = b.TableTotals().size_bytes;
  d.backup_status = status;
  d.backup_type = b.type;
  d.backup_creation_date_time = static_cast<double>(b.created_millis) / 1000.0;
  if (b.expiry_millis) d.backup_expiry_date_time = static_cast<double>(b.expiry_millis) / 1000.0;
  return d;
}

BackupDescription Describe(const Backup& b, BackupStatus status) {
  BackupDescription out;
  out.backup_details = Details(b, status);
  const TableMeta& t = b.table;
  SourceTableDetails& s = out.source_table_details;
  s.table_name = t.name;
  s.table_id = t.id;
  s.table_arn = t.arn;
  s.table_size_bytes = b.TableTotals().size_bytes;
  s.item_count = b.TableTotals().item_count;
  s.key_schema = t.key_schema;
  s.table_creation_date_time = t.creation_time;
  s.provisioned_throughput = t.throughput;
  s.on_demand_throughput = t.on_demand_throughput;
  s.billing_mode = t.billing_mode;
  SourceTableFeatureDetails& f = out.source_table_feature_details;
  for (const auto& i : t.indexes) {
    if (i.global) {
      GlobalSecondaryIndex& g = f.global_secondary_indexes.emplace_back();
      g.index_name = i.name;
      g.key_schema = i.key_schema;
      g.projection = i.projection;
      g.provisioned_throughput = i.throughput;
      g.on_demand_throughput = i.on_demand_throughput;
    } else {
      f.local_secondary_indexes.push_back({i.name, i.key_schema, i.projection});
    }
  }
  if (const auto* stream = t.CurrentStream())
    f.stream_description = StreamSpecification{true, stream->view_type};
  if (!t.ttl_attribute.empty())
    f.time_to_live_description = TimeToLiveDescription{TimeToLiveStatus::kEnabled, t.ttl_attribute};
  if (!t.sse_kms_key_arn.empty())
    f.sse_description = SSEDescription{"ENABLED", "KMS", t.sse_kms_key_arn};
  return out;
}

void CheckArnLength(std::string_view arn, std::string_view member,
                    std::vector<std::string>* failures) {
  if (arn.size() >= 37 && arn.size() <= 1024) return;
  failures->push_back(fmt::format(
      "Value '{}' at '{}' failed to satisfy constraint: Member must have length {}", arn, member,
      arn.size() < 37 ? "greater than or equal to 37" : "less than or equal to 1024"));
}

// The overrides' own consistency, as DynamoDB words it (both restores have the same overrides).
template <class Request>
Status CheckBillingOverrides(const Request& r) {
  if (r.billing_mode_override == BillingMode::kPayPerRequest && r.provisioned_throughput_override)
    return ValidationError(
        "Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to "
        "PAY_PER_REQUEST");
  if (r.billing_mode_override == BillingMode::kProvisioned && !r.provisioned_throughput_override)
    return ValidationError(
        "Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to "
        "PROVISIONED");
  return OkStatus();
}

Error IndexNotInBackup(std::string_view name) {
  return ValidationError(fmt::format(
      "Invalid Request: Index {} does not match a secondary index that existed in the source "
      "table and cannot be created during the restore operation",
      name));
}

// The restored table's indexes: all of the backup's, or those an override names (an override
// can leave indexes out and change a GSI's throughput, not add one or change its keys).
template <class Request>
Status ChooseIndexes(const Request& r, BillingMode mode, TableMeta& t) {
  // An override names an index of the source by its key schema and projection, and may give it
  // a new name (DynamoDB restores it under the override's name); its throughput follows the
  // restored table's billing mode.
  auto same_projection = [](const Projection& a, const Projection& b) {
    auto sorted = [](std::vector<std::string> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    return a.projection_type.value_or(ProjectionType::kAll) ==
               b.projection_type.value_or(ProjectionType::kAll) &&
           sorted(a.non_key_attributes) == sorted(b.non_key_attributes);
  };
  std::vector<bool> taken(t.indexes.size(), false);
  auto match = [&](const auto& o, bool global) -> std::optional<std::size_t> {
    for (std::size_t k = 0; k < t.indexes.size(); ++k) {
      const engine::IndexMeta& i = t.indexes[k];
      if (taken[k] || i.global != global || i.key_schema != o.key_schema ||
          !same_projection(i.projection, o.projection))
        continue;
      taken[k] = true;
      return k;
    }
    return std::nullopt;
  };
  std::vector<std::pair<std::size_t, engine::IndexMeta>>
      kept;  // in the source's order, once sorted
  auto keep_overridden = [&](const auto& overrides, bool global) -> Status {
    for (const auto& o : overrides) {
      auto k = match(o, global);
      if (!k) return IndexNotInBackup(o.index_name);
      kept.emplace_back(*k, t.indexes[*k]);
      engine::IndexMeta& i = kept.back().second;
      i.name = o.index_name;
      if constexpr (std::is_same_v<std::decay_t<decltype(o)>, GlobalSecondaryIndex>) {
        if (mode == BillingMode::kProvisioned && !o.provisioned_throughput)
          return ValidationError("Invalid Request: Must specify provisioned throughput for index " +
                                 o.index_name);
        if (mode == BillingMode::kPayPerRequest && o.provisioned_throughput)
          return ValidationError(
              "Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden "
              "to PAY_PER_REQUEST for index " +
              o.index_name);
        if (o.provisioned_throughput) i.throughput = o.provisioned_throughput;
      }
    }
    return OkStatus();
  };
  if (r.global_secondary_index_override)
    LD_RETURN_IF_ERROR(keep_overridden(*r.global_secondary_index_override, true));
  if (r.local_secondary_index_override)
    LD_RETURN_IF_ERROR(keep_overridden(*r.local_secondary_index_override, false));
  for (std::size_t k = 0; k < t.indexes.size(); ++k) {
    const engine::IndexMeta& i = t.indexes[k];
    if (!(i.global ? r.global_secondary_index_override.has_value()
                   : r.local_secondary_index_override.has_value()))
      kept.emplace_back(k, i);
  }
  std::sort(kept.begin(), kept.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  t.indexes.clear();
  for (auto& [k, i] : kept) t.indexes.push_back(std::move(i));
  return OkStatus();
}

}  // namespace

namespace {

// A restore's new table, from `source` (a backup's table as it was, or a live table) and the
// request's overrides, its entries copied from keyspace `from` with their statistics `stats`
// (index number -> stats). Saved in `txn`, not committed.
template <class Request>
Result<TableMeta> RestoreInto(Database::Impl& db, storage::WriteTxn& txn, const Request& r,
                              const TableMeta& source, uint32_t from,
                              const std::vector<std::pair<uint8_t, TableStats>>& stats) {
  TableMeta t = source;
  const BillingMode mode = r.billing_mode_override.value_or(source.billing_mode);
  LD_RETURN_IF_ERROR(ChooseIndexes(r, mode, t));
  if (r.on_demand_throughput_override)
    LD_RETURN_IF_ERROR(engine::CheckOnDemandOverride(*r.on_demand_throughput_override, mode));
  // Billing and throughput: the source's unless overridden (CheckBillingOverrides keeps the two
  // consistent).
  if (!r.billing_mode_override && t.billing_mode == BillingMode::kPayPerRequest &&
      r.provisioned_throughput_override)
    return ValidationError(
        "Invalid Request: Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED");
  if (r.billing_mode_override) t.billing_mode = *r.billing_mode_override;
  if (t.billing_mode == BillingMode::kPayPerRequest) {
    t.throughput = {};
    for (auto& i : t.indexes) i.throughput.reset();
  } else if (r.provisioned_throughput_override) {
    t.throughput = *r.provisioned_throughput_override;
    for (auto& i : t.indexes)
      if (i.global && !i.throughput) i.throughput = t.throughput;  // from on-demand: the table's
  }
  if (r.on_demand_throughput_override) t.on_demand_throughput = r.on_demand_throughput_override;
  engine::RaiseWarm(&t.warm, engine::DefaultWarm(t.billing_mode, t.throughput));
  for (auto& i : t.indexes)
    if (i.global) engine::RaiseWarm(&i.warm, engine::DefaultWarm(t.billing_mode, i.throughput));

  LD_RETURN_IF_ERROR(engine::NewTableIdentity(db, txn, r.target_table_name, t));
  if (t.billing_mode == BillingMode::kPayPerRequest) t.last_pay_per_request_time = t.creation_time;
  for (auto& i : t.indexes) {
    i.arn = t.arn + "/index/" + i.name;
    i.status = IndexStatus::kActive;
    i.backfilling = false;
  }
  t.streams.clear();
  t.ttl_attribute.clear();
  t.ttl_changed_millis = 0;
  t.tags.clear();
  t.recovery_since_millis = 0;
  t.recovery_period_days = 35;
  t.recovery_log = 0;
  t.deletion_protection = false;
  t.table_class.reset();  // STANDARD again
  t.insights.clear();
  if (r.sse_specification_override) {
    LD_RETURN_IF_ERROR(engine::CheckSse(*r.sse_specification_override));
    engine::ApplySse(db, *r.sse_specification_override, t);
  }

  auto kept = [&](uint8_t index) {
    return index == 0 || std::any_of(t.indexes.begin(), t.indexes.end(),
                                     [&](const engine::IndexMeta& i) { return i.number == index; });
  };
  LD_RETURN_IF_ERROR(storage::CopyKeyspace(txn, txn.dbis().data, storage::TableKeyspace(from),
                                           storage::TableKeyspace(t.number), kept));
  engine::StatsDeltas deltas;
  for (const auto& [index, s] : stats)
    if (kept(index)) deltas.emplace_back(index, s);
  LD_RETURN_IF_ERROR(engine::AddStats(txn, t.number, deltas));
  LD_RETURN_IF_ERROR(engine::Catalog::Save(txn, t));
  return t;
}

// The statistics of a table and each of its indexes.
Result<std::vector<std::pair<uint8_t, TableStats>>> StatsOf(const storage::Txn& txn,
                                                            const TableMeta& t) {
  std::vector<std::pair<uint8_t, TableStats>> out;
  LD_ASSIGN_OR_RETURN(TableStats table, engine::ReadStats(txn, t.number, 0));
  out.emplace_back(0, table);
  for (const auto& i : t.indexes) {
    LD_ASSIGN_OR_RETURN(TableStats s, engine::ReadStats(txn, t.number, i.number));
    out.emplace_back(i.number, s);
  }
  return out;
}

// As DynamoDB answers a restore: the table CREATING with its restore in progress (usable at
// once here).
Result<RestoreTableFromBackupResponse> Restored(storage::WriteTxn& txn, const TableMeta& t,
                                                RestoreSummary summary) {
  LD_ASSIGN_OR_RETURN(TableDescription d, engine::DescribeTable(txn, t));
  LD_RETURN_IF_ERROR(txn.Commit());
  d.table_status = TableStatus::kCreating;
  for (auto& g : d.global_secondary_indexes) g.index_status = IndexStatus::kCreating;
  d.restore_summary = std::move(summary);
  return RestoreTableFromBackupResponse{std::move(d)};
}

Error TableAlreadyExists(std::string_view name) {
  return Error{
      ErrorCode::kTableAlreadyExists, fmt::format("Table already exists: {}", name), nullptr, {}};
}

// "2026-10-06T23:16:32Z", as InvalidRestoreTimeException writes its times.
std::string IsoSeconds(int64_t millis) { return IsoUtc(millis, false) + "Z"; }

}  // namespace

Result<CreateBackupResponse> Database::CreateBackup(const CreateBackupRequest& r) {
  Impl& db = *impl_;
  std::vector<std::string> failures;
  errors::CheckTableNameOrArn(r.table_name, "tableName", &failures);
  errors::CheckName(r.backup_name, "backupName", &failures);
  if (!failures.empty()) return errors::ConstraintError(std::move(failures));

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto table, db.catalog.Find(txn, r.table_name));
  if (!table) return errors::BackupTableNotFound(r.table_name);
  Backup b;
  b.name = r.backup_name;
  b.table = *table;
  b.created_millis = db.options.clock->NowMillis();
  const std::string suffix =
      fmt::format("{:014}-{}", b.created_millis, db.options.ids->NewUuid().substr(0, 8));
  b.arn = fmt::format("{}/backup/{}", table->arn, suffix);
  LD_ASSIGN_OR_RETURN(uint64_t number, engine::NextCounter(txn, "table"));
  b.number = static_cast<uint32_t>(number);
  LD_RETURN_IF_ERROR(storage::CopyKeyspace(txn, txn.dbis().data,
                                           storage::TableKeyspace(table->number),
                                           storage::TableKeyspace(b.number)));
  LD_ASSIGN_OR_RETURN(b.stats, StatsOf(txn, *table));
  LD_RETURN_IF_ERROR(txn.Put(txn.dbis().meta, RecordKey(b.arn), Serialize(b)));
  LD_RETURN_IF_ERROR(PurgeExpired(txn, b.created_millis));
  LD_RETURN_IF_ERROR(txn.Commit());
  // As DynamoDB answers CreateBackup: CREATING; the copy is complete, so AVAILABLE from now on.
  return CreateBackupResponse{Details(b, BackupStatus::kCreating)};
}

Result<BackupDescriptionResponse> Database::DescribeBackup(const DescribeBackupRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(Backup b, FindBackup(db, txn, r.backup_arn));
  return BackupDescriptionResponse{Describe(b, BackupStatus::kAvailable)};
}

Result<BackupDescriptionResponse> Database::DeleteBackup(const DeleteBackupRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(Backup b, FindBackup(db, txn, r.backup_arn));
  if (b.type == BackupType::kSystem)
    return ValidationError(
        fmt::format("Invalid Request: User is not allowed to delete the system backup with arn {}. "
                    "It will automatically expire on {}",
                    b.arn, IsoSeconds(b.expiry_millis)));
  LD_RETURN_IF_ERROR(EraseBackup(txn, b));
  LD_RETURN_IF_ERROR(txn.Commit());
  return BackupDescriptionResponse{Describe(b, BackupStatus::kDeleted)};
}

Result<ListBackupsResponse> Database::ListBackups(const ListBackupsRequest& r) {
  Impl& db = *impl_;
  std::vector<std::string> failures;
  if (r.table_name) errors::CheckTableNameOrArn(*r.table_name, "tableName", &failures);
  if (r.limit && (*r.limit < 1 || *r.limit > 100))
    failures.push_back(fmt::format(
        "Value '{}' at 'limit' failed to satisfy constraint: Member must have value {}", *r.limit,
        *r.limit < 1 ? "greater than or equal to 1" : "less than or equal to 100"));
  if (r.exclusive_start_backup_arn)
    CheckArnLength(*r.exclusive_start_backup_arn, "exclusiveStartBackupArn", &failures);
  if (!failures.empty()) return errors::ConstraintError(std::move(failures));
  if (r.time_range_lower_bound && r.time_range_upper_bound &&
      *r.time_range_lower_bound > *r.time_range_upper_bound)
    return errors::Invalid("Time range lower bound must be less than or equal to upper bound");
  if (r.exclusive_start_backup_arn)
    if (auto parts = engine::SplitArn(*r.exclusive_start_backup_arn);
        parts && parts->region != db.options.region)
      return ValidationError(
          "Invalid Request: The supplied ExclusiveStartBackupArn does not match the region");

  // A table's ARN stands for its name here too (a missing table just has no backups).
  std::optional<std::string_view> table_name = r.table_name;
  if (table_name && engine::IsArn(*table_name)) {
    LD_ASSIGN_OR_RETURN(table_name, engine::TableNameFromArn(*table_name, db.options));
  }
  ListBackupsResponse out;
  // USER unless asked: system backups (of tables deleted with recovery on) are listed only on
  // request; AWS Backup's don't exist here.
  const BackupTypeFilter type = r.backup_type.value_or(BackupTypeFilter::kUser);
  auto wanted = [&](BackupType t) {
    return type == BackupTypeFilter::kAll ||
           (type == BackupTypeFilter::kUser && t == BackupType::kUser) ||
           (type == BackupTypeFilter::kSystem && t == BackupType::kSystem);
  };
  const int64_t now = db.options.clock->NowMillis();
  const std::size_t limit = static_cast<std::size_t>(r.limit.value_or(100));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().meta));
  // The start ARN is a position: a deleted backup's (or any) ARN resumes after where it sorts.
  std::string start = r.exclusive_start_backup_arn ? RecordKey(*r.exclusive_start_backup_arn) + '\0'
                                                   : std::string(kRecordPrefix);
  if (start.size() > storage::kMaxLmdbKey)
    start.resize(storage::kMaxLmdbKey);  // no stored key is that long
  LD_ASSIGN_OR_RETURN(auto e, cursor.SeekGE(start));
  while (e && e->key.starts_with(kRecordPrefix)) {
    auto b = Parse(e->value);
    if (!b) return InternalError(fmt::format("corrupt backup record {}", e->key));
    const double created = static_cast<double>(b->created_millis) / 1000.0;
    const bool matches = wanted(b->type) && !Expired(*b, now) &&
                         (!table_name || b->table.name == *table_name) &&
                         (!r.time_range_lower_bound || created >= *r.time_range_lower_bound) &&
                         (!r.time_range_upper_bound || created < *r.time_range_upper_bound);
    if (matches) {
      if (out.backup_summaries.size() == limit) {
        out.last_evaluated_backup_arn = out.backup_summaries.back().details.backup_arn;
        break;
      }
      out.backup_summaries.push_back(
          {b->table.name, b->table.id, b->table.arn, Details(*b, BackupStatus::kAvailable)});
    }
    LD_ASSIGN_OR_RETURN(e, cursor.Next());
  }
  return out;
}

Result<RestoreTableFromBackupResponse> Database::RestoreTableFromBackup(
    const RestoreTableFromBackupRequest& r) {
  Impl& db = *impl_;
  std::vector<std::string> failures;
  errors::CheckName(r.target_table_name, "targetTableName", &failures);
  if (!failures.empty()) return errors::ConstraintError(std::move(failures));
  LD_RETURN_IF_ERROR(CheckArn(r.backup_arn));
  LD_RETURN_IF_ERROR(CheckBillingOverrides(r));

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(Backup b, FindBackup(db, txn, r.backup_arn));
  LD_ASSIGN_OR_RETURN(auto existing, db.catalog.Find(txn, r.target_table_name));
  if (existing) return TableAlreadyExists(r.target_table_name);
  LD_ASSIGN_OR_RETURN(TableMeta t, RestoreInto(db, txn, r, b.table, b.number, b.stats));
  return Restored(
      txn, t,
      RestoreSummary{b.arn, b.table.arn, static_cast<double>(b.created_millis) / 1000.0, true});
}

Result<RestoreTableToPointInTimeResponse> Database::RestoreTableToPointInTime(
    const RestoreTableToPointInTimeRequest& r) {
  Impl& db = *impl_;
  // The request's shape first, then recovery being on, then the time, then the target (the
  // order DynamoDB checks in).
  std::vector<std::string> failures;
  if (r.source_table_name)
    errors::CheckTableNameOrArn(*r.source_table_name, "sourceTableName", &failures);
  errors::CheckName(r.target_table_name, "targetTableName", &failures);
  if (!failures.empty()) return errors::ConstraintError(std::move(failures));
  if (r.source_table_arn && r.source_table_name)
    return ValidationError("Must provide exactly one of: sourceTableArn, sourceTableName");
  if (!r.source_table_arn && !r.source_table_name)
    return ValidationError(
        "The parameter 'TableName' is required but was not present in the request");
  // Both: recorded from DynamoDB up to "... restore request. Pleas", completed as another
  // emulator quotes it.
  if (r.use_latest_restorable_time.value_or(false) && r.restore_date_time)
    return ValidationError(
        "Invalid Request: Both RestoreDateTime and UseLatestRestorableTime cannot be set for "
        "point-in-time "
        "restore request. Please specify either RestoreDateTime time or UseLatestRestorableTime");
  if (!r.use_latest_restorable_time.value_or(false) && !r.restore_date_time)
    return ValidationError(
        "Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be "
        "specified, but not both");
  LD_RETURN_IF_ERROR(CheckBillingOverrides(r));

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  const std::string& source_name = r.source_table_arn ? *r.source_table_arn : *r.source_table_name;
  if (r.source_table_arn && !engine::IsArn(source_name))
    return errors::Invalid(fmt::format("ARNs must start with 'arn:': {}", source_name));
  LD_ASSIGN_OR_RETURN(auto source, db.catalog.Find(txn, source_name));
  if (!source) {
    if (r.source_table_arn) return Error{ErrorCode::kTableNotFound, "Table not found", nullptr, {}};
    return errors::BackupTableNotFound(source_name);
  }
  if (!source->recovery_since_millis || !source->recovery_log)
    return Error{ErrorCode::kPointInTimeRecoveryUnavailable,
                 fmt::format("Point in time recovery is not enabled for table '{}'", source->name),
                 nullptr,
                 {}};
  const ContinuousBackupsResponse window =
      engine::DescribeRecovery(*source, db.options.clock->NowMillis());
  const PointInTimeRecoveryDescription& w =
      window.continuous_backups_description.point_in_time_recovery_description;
  const int64_t earliest = static_cast<int64_t>(*w.earliest_restorable_date_time * 1000.0 + 0.5);
  const int64_t latest = static_cast<int64_t>(*w.latest_restorable_date_time * 1000.0 + 0.5);
  const int64_t at =
      r.restore_date_time ? static_cast<int64_t>(*r.restore_date_time * 1000.0 + 0.5) : latest;
  if (at < earliest || at > latest)
    return Error{ErrorCode::kInvalidRestoreTime,
                 fmt::format("RestoreDateTime '{}' must be within EarliestRestorableDateTime '{}' "
                             "and LatestRestorableDateTime '{}'",
                             IsoSeconds(at), IsoSeconds(earliest), IsoSeconds(latest)),
                 nullptr,
                 {}};
  LD_ASSIGN_OR_RETURN(auto existing, db.catalog.Find(txn, r.target_table_name));
  if (existing) return TableAlreadyExists(r.target_table_name);

  LD_ASSIGN_OR_RETURN(auto stats, StatsOf(txn, *source));
  LD_ASSIGN_OR_RETURN(TableMeta t, RestoreInto(db, txn, r, *source, source->number, stats));
  LD_RETURN_IF_ERROR(engine::UndoWritesAfter(db, txn, *source, t, at));
  return Restored(txn, t, RestoreSummary{"", source->arn, static_cast<double>(at) / 1000.0, true});
}

namespace engine {

std::optional<BackupRecord> ParseBackupRecord(std::string_view text) { return Parse(text); }

Status KeepDeletedTableBackup(Database::Impl& db, storage::WriteTxn& txn, const TableMeta& t) {
  constexpr int64_t kSystemBackupDays = 35;
  Backup b;
  b.name = t.name + "$DeletedTableBackup";
  b.table = t;
  b.created_millis = db.options.clock->NowMillis();
  b.arn = fmt::format("{}/backup/{:014}-00000000", t.arn, b.created_millis);
  b.number = t.number;  // the table's own entries, which DeleteTable leaves in place
  b.type = BackupType::kSystem;
  b.expiry_millis = b.created_millis + kSystemBackupDays * 24 * 3600 * 1000;
  LD_ASSIGN_OR_RETURN(b.stats, StatsOf(txn, t));
  LD_RETURN_IF_ERROR(txn.Put(txn.dbis().meta, RecordKey(b.arn), Serialize(b)));
  return PurgeExpired(txn, b.created_millis);
}

}  // namespace engine

}  // namespace localdynamo
