// UpdateTable: stream on/off/view change (a new stream ARN each time one is enabled), GSI
// create (backfilled in the same transaction), update and delete, billing mode, throughput,
// on-demand caps, encryption, table class and deletion protection, with DynamoDB's rules on
// which changes go together (engine/control/table_settings.h has the settings' own checks).

#include <set>

#include <fmt/format.h>

#include "engine/database_impl.h"
#include "engine/errors.h"
#include "engine/keys.h"
#include "engine/control/table_settings.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo {

using engine::IndexMeta;

namespace {

// Adds every existing item to a new index (GSI backfill).
Status Backfill(storage::WriteTxn& txn, const TableMeta& t, const IndexMeta& index) {
  std::string prefix = storage::KeyspacePrefix(t.number, 0);
  std::vector<std::pair<std::string, std::string>> entries;
  {
    LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().data));
    storage::RangeScanner scan(std::move(cursor), {prefix, storage::Bound::Kind::kInclusive},
                               {prefix, storage::Bound::Kind::kPrefix}, true);
    int64_t count = 0, bytes = 0;
    while (true) {
      LD_ASSIGN_OR_RETURN(auto e, scan.Next());
      if (!e) break;
      Item item;
      if (!storage::DecodeItem(e->payload, &item)) return InternalError("corrupt item");
      auto key = engine::IndexKey(t, index, item);
      if (!key) continue;
      // Items whose attribute has the wrong type for the new key stay out of the index
      // (DynamoDB reports them as violations; they are not indexed).
      bool types_ok = true;
      for (const auto* a : {&index.key.hash, index.key.range ? &*index.key.range : nullptr})
        if (a && item.at(a->name).type() != ToValueType(a->type)) types_ok = false;
      if (!types_ok) continue;
      Item projected = engine::ProjectForIndex(t, index, item);
      ++count;
      bytes += static_cast<int64_t>(ItemSize(projected));
      entries.emplace_back(*key, storage::EncodeItem(projected));
    }
    LD_RETURN_IF_ERROR(engine::AddStats(txn, t.number, index.number, count, bytes));
  }
  for (const auto& [k, v] : entries)
    LD_RETURN_IF_ERROR(storage::PutEntry(txn, txn.dbis().data, k, v));
  return OkStatus();
}

// DynamoDB refuses a throughput change that changes nothing: `whose` names the table or index
// in the first sentence, `of` after "provisioned for".
Status ThroughputChanges(const ProvisionedThroughput& now, const ProvisionedThroughput& asked,
                         const std::string& whose, const std::string& of) {
  if (now.read_capacity_units != asked.read_capacity_units ||
      now.write_capacity_units != asked.write_capacity_units)
    return OkStatus();
  return ValidationError(fmt::format(
      "The provisioned throughput for {} will not change. The requested value equals the current "
      "value. "
      "Current ReadCapacityUnits provisioned for {}: {}. Requested ReadCapacityUnits: {}. "
      "Current WriteCapacityUnits provisioned for {}: {}. Requested WriteCapacityUnits: {}. "
      "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher "
      "limits.",
      whose, of, now.read_capacity_units, asked.read_capacity_units, of, now.write_capacity_units,
      asked.write_capacity_units));
}

Error UnknownIndex(const std::string& index, const std::string& table) {
  return ResourceNotFound(
      fmt::format("Requested resource not found: Index {} for table {}", index, table));
}

// An empty GlobalSecondaryIndexUpdates list asks for nothing.
bool HasIndexUpdates(const UpdateTableRequest& r) {
  return r.global_secondary_index_updates && !r.global_secondary_index_updates->empty();
}

// The request's own rules, before any table is read: something asked, the changes DynamoDB
// takes only alone or in certain company, the members' shapes.
Status CheckUpdateRequest(const UpdateTableRequest& r, std::string_view region) {
  const bool gsi_updates = HasIndexUpdates(r);
  if (!r.billing_mode && !r.provisioned_throughput && !gsi_updates && !r.stream_specification &&
      !r.deletion_protection_enabled && !r.sse_specification && !r.table_class &&
      !r.on_demand_throughput && !r.warm_throughput)
    return ValidationError(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates, "
        "SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, "
        "MultiRegionConsistency, "
        "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required");
  if (r.sse_specification) {
    if (r.billing_mode || r.provisioned_throughput || gsi_updates || r.stream_specification ||
        r.deletion_protection_enabled || r.table_class || r.on_demand_throughput ||
        r.warm_throughput)
      return errors::Invalid(
          "Server-Side Encryption modification must be the only operation in the request");
    LD_RETURN_IF_ERROR(engine::CheckSse(*r.sse_specification));
  }
  // Changes DynamoDB makes one kind at a time (in its order of precedence).
  if (r.table_class &&
      (r.billing_mode || r.provisioned_throughput || gsi_updates || r.stream_specification ||
       r.deletion_protection_enabled || r.on_demand_throughput || r.warm_throughput))
    return errors::Invalid("TableClass modification must be the only operation in the request");
  if (r.deletion_protection_enabled &&
      (r.billing_mode || r.provisioned_throughput || gsi_updates || r.stream_specification ||
       r.on_demand_throughput || r.warm_throughput))
    return errors::Invalid(
        "DeletionProtection modification must be the only operation in the request");
  if (r.warm_throughput && (r.billing_mode || r.provisioned_throughput || gsi_updates ||
                            r.stream_specification || r.on_demand_throughput))
    return errors::Invalid("WarmThroughput must be the only operation in the request");
  if (r.on_demand_throughput && (r.provisioned_throughput || gsi_updates || r.stream_specification))
    return errors::Invalid(
        "OnDemandThroughput can only be combined with BillingMode in an UpdateTable request");
  if (r.provisioned_throughput && r.stream_specification)
    return errors::Invalid("You cannot modify stream status while updating table IOPS");
  if (r.stream_specification) {
    const auto& s = *r.stream_specification;
    if (s.stream_enabled && !s.stream_view_type)
      return errors::Invalid("If stream is being enabled then UpdateViewType is required");
    if (!s.stream_enabled && s.stream_view_type)
      return errors::Invalid(
          "If stream is being disabled, then UpdateViewType must not be specified");
  }
  if (r.provisioned_throughput)
    LD_RETURN_IF_ERROR(engine::CheckThroughput(*r.provisioned_throughput, region));
  if (gsi_updates) {
    int online = 0;
    std::set<std::string> named;
    for (const auto& u : *r.global_secondary_index_updates) {
      const int actions =
          u.create.has_value() + u.delete_index_name.has_value() + u.update_index_name.has_value();
      if (actions == 0)
        return errors::Invalid(
            "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
            "GlobalSecondaryIndexUpdate.Delete must not be null");
      if (actions > 1)
        return errors::Invalid(
            "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate "
            "object");
      const std::string& name = u.create              ? u.create->index_name
                                : u.delete_index_name ? *u.delete_index_name
                                                      : *u.update_index_name;
      if (!named.insert(name).second)
        return errors::Invalid(
            "Only one global secondary index update per index is allowed simultaneously. Index: " +
            name);
      online += u.create.has_value() + u.delete_index_name.has_value();
    }
    if (online > 0 && r.provisioned_throughput)
      return errors::Invalid("You cannot create or delete index while updating table IOPS");
    if (online > 0 && r.stream_specification)
      return errors::Invalid("You cannot create or delete index while changing stream status");
    if (online > 1)
      return errors::LimitExceeded(
          "Subscriber limit exceeded: Only 1 online index can be created or deleted "
          "simultaneously per table");
  }
  return OkStatus();
}

}  // namespace

Result<UpdateTableResponse> Database::UpdateTable(const UpdateTableRequest& r) {
  Impl& db = *impl_;
  LD_RETURN_IF_ERROR(CheckUpdateRequest(r, db.options.region));
  const bool gsi_updates = HasIndexUpdates(r);
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto current, db.catalog.Find(txn, r.table_name));
  if (!current) return errors::TableNotFoundNamed(r.table_name);
  TableMeta t = *current;
  std::vector<std::string> creating, deleting;

  const BillingMode mode = r.billing_mode.value_or(t.billing_mode);
  if (r.billing_mode == BillingMode::kPayPerRequest && r.provisioned_throughput)
    return errors::Invalid(
        "ProvisionedThroughput cannot be specified when BillingMode is PAY_PER_REQUEST");
  if (r.provisioned_throughput && mode == BillingMode::kPayPerRequest)
    return errors::Invalid(
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
        "PAY_PER_REQUEST");
  if (r.billing_mode == BillingMode::kProvisioned && !r.provisioned_throughput)
    return errors::Invalid(
        "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
  if (r.provisioned_throughput && t.billing_mode == BillingMode::kProvisioned)
    LD_RETURN_IF_ERROR(
        ThroughputChanges(t.throughput, *r.provisioned_throughput, "the table", "the table"));
  if (mode != t.billing_mode) {
    t.billing_mode = mode;
    t.on_demand_throughput.reset();  // a switch drops the caps, the indexes' too
    for (auto& i : t.indexes) i.on_demand_throughput.reset();
    if (mode == BillingMode::kPayPerRequest) {
      t.last_pay_per_request_time = db.NowSeconds();
      t.throughput = {};
      for (auto& i : t.indexes) i.throughput.reset();
      engine::RaiseWarm(&t.warm, engine::kOnDemandWarm);
      for (auto& i : t.indexes)
        if (i.global) engine::RaiseWarm(&i.warm, engine::kOnDemandWarm);
    }
  }
  if (r.provisioned_throughput) {
    t.throughput = *r.provisioned_throughput;
    engine::RaiseWarm(&t.warm, engine::DefaultWarm(mode, t.throughput));
  }
  if (r.warm_throughput) {
    LD_RETURN_IF_ERROR(engine::CheckWarmThroughput(*r.warm_throughput, mode, t.throughput, t.warm,
                                                   engine::SettingsCall::kUpdate,
                                                   db.options.region));
    t.warm = engine::WarmAfter(t.warm, *r.warm_throughput);
  }
  if (r.on_demand_throughput)
    LD_RETURN_IF_ERROR(engine::CheckOnDemandThroughput(
        *r.on_demand_throughput, mode, engine::SettingsCall::kUpdate, db.options.region));

  if (r.attribute_definitions) {
    for (const auto& d : *r.attribute_definitions) {
      bool known = false;
      for (auto& existing : t.attribute_definitions)
        if (existing.attribute_name == d.attribute_name) {
          known = true;
          if (existing.attribute_type != d.attribute_type)
            return errors::Invalid(
                fmt::format("Cannot change the type of attribute {}", d.attribute_name));
        }
      if (!known) t.attribute_definitions.push_back(d);
    }
  }

  if (r.global_secondary_index_updates) {
    for (const auto& u : *r.global_secondary_index_updates) {
      if (u.create) {
        const auto& g = *u.create;
        if (t.FindIndex(g.index_name))
          return ValidationError("Attempting to create an index which already exists");
        for (const auto& k : g.key_schema)
          if (!std::any_of(t.attribute_definitions.begin(), t.attribute_definitions.end(),
                           [&](const AttributeDefinition& d) {
                             return d.attribute_name == k.attribute_name;
                           }))
            return errors::Invalid(fmt::format(
                "Global Secondary Index key attribute {} is not defined in AttributeDefinitions",
                k.attribute_name));
        int gsis = 0;
        for (const auto& i : t.indexes) gsis += i.global;
        if (gsis >= 20)
          return errors::LimitExceeded(
              "Subscriber limit exceeded: Number of global secondary indexes exceeds "
              "per-table limit of 20");
        // UpdateTable words these rules unlike CreateTable.
        if (t.billing_mode == BillingMode::kPayPerRequest && g.provisioned_throughput)
          return errors::Invalid(
              fmt::format("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for "
                          "index: {} when BillingMode is PAY_PER_REQUEST",
                          g.index_name));
        if (t.billing_mode == BillingMode::kProvisioned && !g.provisioned_throughput)
          return errors::Invalid(fmt::format(
              "Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: {}",
              g.index_name));
        if (g.provisioned_throughput)
          LD_RETURN_IF_ERROR(
              engine::CheckThroughput(*g.provisioned_throughput, db.options.region, g.index_name));
        if (g.on_demand_throughput)
          LD_RETURN_IF_ERROR(engine::CheckOnDemandThroughput(
              *g.on_demand_throughput, t.billing_mode, engine::SettingsCall::kCreate,
              db.options.region, g.index_name));
        if (g.warm_throughput)
          LD_RETURN_IF_ERROR(engine::CheckWarmThroughput(
              *g.warm_throughput, t.billing_mode, g.provisioned_throughput, {},
              engine::SettingsCall::kCreate, db.options.region, g.index_name));
        const IndexMeta& i = engine::AddGlobalIndex(t, g);
        creating.push_back(i.name);
        LD_RETURN_IF_ERROR(Backfill(txn, t, i));
      } else if (u.delete_index_name) {
        if (const IndexMeta* l = t.FindIndex(*u.delete_index_name); l && !l->global)
          return ValidationError("Cannot delete an index that is not a GlobalSecondaryIndex: " +
                                 l->name);
        auto it = std::find_if(t.indexes.begin(), t.indexes.end(), [&](const IndexMeta& i) {
          return i.global && i.name == *u.delete_index_name;
        });
        if (it == t.indexes.end()) return UnknownIndex(*u.delete_index_name, t.name);
        LD_RETURN_IF_ERROR(storage::DeleteKeyspace(txn, txn.dbis().data,
                                                   storage::KeyspacePrefix(t.number, it->number)));
        LD_RETURN_IF_ERROR(engine::DropStats(txn, t.number, it->number));
        deleting.push_back(it->name);
        t.insights.erase(it->name);
        t.indexes.erase(it);
      } else if (u.update_index_name) {
        if (const IndexMeta* l = t.FindIndex(*u.update_index_name); l && !l->global)
          return ValidationError("Cannot update an index that is not a GlobalSecondaryIndex: " +
                                 l->name);
        auto it = std::find_if(t.indexes.begin(), t.indexes.end(), [&](const IndexMeta& i) {
          return i.global && i.name == *u.update_index_name;
        });
        if (it == t.indexes.end()) return UnknownIndex(*u.update_index_name, t.name);
        if (t.billing_mode == BillingMode::kPayPerRequest &&
            (u.update_provisioned_throughput ||
             (!u.update_on_demand_throughput && !u.update_warm_throughput)))
          return errors::Invalid(
              fmt::format("The only Updates for index: {} when TableThroughputMode is "
                          "PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput",
                          it->name));
        if (const auto& od = u.update_on_demand_throughput) {
          LD_RETURN_IF_ERROR(engine::CheckOnDemandThroughput(
              *od, t.billing_mode, engine::SettingsCall::kUpdate, db.options.region, it->name));
          engine::MergeOnDemandThroughput(*od, &it->on_demand_throughput);
        }
        if (const auto& pt = u.update_provisioned_throughput) {
          LD_RETURN_IF_ERROR(engine::CheckThroughput(*pt, db.options.region, it->name));
          if (it->throughput)
            LD_RETURN_IF_ERROR(ThroughputChanges(*it->throughput, *pt, "the index " + it->name,
                                                 "index " + it->name));
          it->throughput = pt;
          engine::RaiseWarm(&it->warm, engine::DefaultWarm(t.billing_mode, pt));
        }
        if (const auto& w = u.update_warm_throughput) {
          LD_RETURN_IF_ERROR(engine::CheckWarmThroughput(*w, t.billing_mode, it->throughput,
                                                         it->warm, engine::SettingsCall::kUpdate,
                                                         db.options.region, it->name));
          it->warm = engine::WarmAfter(it->warm, *w);
        }
      }
    }
  }

  if (r.stream_specification) {
    const auto& s = *r.stream_specification;
    const engine::StreamMeta* on = t.CurrentStream();
    if (s.stream_enabled) {
      if (on) return ValidationError("Table already has an enabled stream: TableName: " + t.name);
      LD_RETURN_IF_ERROR(engine::EnableStream(db, txn, t, *s.stream_view_type));
    } else {
      if (!on) return ValidationError("Table has no stream to disable: TableName: " + t.name);
      t.streams.back().enabled = false;
    }
  }
  if (r.deletion_protection_enabled) t.deletion_protection = *r.deletion_protection_enabled;
  if (const auto& sse = r.sse_specification) {
    if (t.sse_kms_key_arn.empty() && !sse->enabled.value_or(sse->sse_type.has_value()))
      return errors::Invalid("Table is already encrypted by default");
    const std::string before = t.sse_kms_key_arn;
    engine::ApplySse(db, *sse, t);
    if (sse->kms_master_key_id && t.sse_kms_key_arn == before)
      return errors::Invalid(
          "Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if "
          "you want to change Master Key");
  }
  if (r.table_class) t.table_class = r.table_class;
  if (r.on_demand_throughput)
    engine::MergeOnDemandThroughput(*r.on_demand_throughput, &t.on_demand_throughput);

  if (mode == BillingMode::kProvisioned && current->billing_mode == BillingMode::kPayPerRequest) {
    // A switch to provisioned capacity names every index's throughput too.
    std::string missing;
    for (const auto& i : t.indexes)
      if (i.global && !i.throughput) missing += (missing.empty() ? "" : ",") + i.name;
    if (!missing.empty())
      return errors::Invalid("ProvisionedThroughput must be specified for index: " + missing);
  }
  LD_RETURN_IF_ERROR(engine::Catalog::Save(txn, t));
  LD_ASSIGN_OR_RETURN(TableDescription d, engine::DescribeTable(txn, t));
  LD_RETURN_IF_ERROR(txn.Commit());
  // As DynamoDB answers: the table UPDATING, new indexes CREATING (backfilling), deleted ones
  // DELETING; the next DescribeTable shows the finished state.
  d.table_status = TableStatus::kUpdating;
  for (auto& g : d.global_secondary_indexes)
    if (std::find(creating.begin(), creating.end(), g.index_name) != creating.end()) {
      g.index_status = IndexStatus::kCreating;
      g.backfilling = true;
    }
  for (const auto& name : deleting) {
    GlobalSecondaryIndexDescription g;
    g.index_name = name;
    g.index_status = IndexStatus::kDeleting;
    d.global_secondary_indexes.push_back(g);
  }
  // A throughput change answers with the throughput being changed from (DynamoDB's answer
  // and its API reference's example; the new figures show once the change is done).
  if (r.provisioned_throughput && current->billing_mode == BillingMode::kProvisioned) {
    d.provisioned_throughput.read_capacity_units = current->throughput.read_capacity_units;
    d.provisioned_throughput.write_capacity_units = current->throughput.write_capacity_units;
  }
  if (r.warm_throughput && d.warm_throughput)
    *d.warm_throughput = WarmThroughputDescription{current->warm.read, current->warm.write, true};
  if (gsi_updates)
    for (const auto& u : *r.global_secondary_index_updates) {
      if (u.update_index_name && u.update_warm_throughput)
        if (const IndexMeta* before = current->FindIndex(*u.update_index_name))
          for (auto& g : d.global_secondary_indexes)
            if (g.index_name == before->name && g.warm_throughput)
              *g.warm_throughput =
                  WarmThroughputDescription{before->warm.read, before->warm.write, true};
      if (!u.update_index_name || !u.update_provisioned_throughput) continue;
      const IndexMeta* before = current->FindIndex(*u.update_index_name);
      for (auto& g : d.global_secondary_indexes)
        if (g.index_name == *u.update_index_name && before && before->throughput &&
            g.provisioned_throughput) {
          g.index_status = IndexStatus::kUpdating;
          g.provisioned_throughput->read_capacity_units = before->throughput->read_capacity_units;
          g.provisioned_throughput->write_capacity_units = before->throughput->write_capacity_units;
        }
    }
  return UpdateTableResponse{std::move(d)};
}

}  // namespace localdynamo
