// UpdateTable: stream on/off/view change (a new stream ARN each time one is enabled), GSI
// create (backfilled in the same transaction) and delete, billing mode and throughput.

#include <fmt/format.h>

#include "engine/database_impl.h"
#include "engine/errors.h"
#include "engine/keys.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo {

using engine::IndexMeta;

namespace {

// Adds every existing item to a new index (GSI backfill).
Status Backfill(Database::Impl& db, storage::WriteTxn& txn, const TableMeta& t, const IndexMeta& index) {
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
    LD_RETURN_IF_ERROR(db.AddStats(txn, t.number, index.number, count, bytes));
  }
  for (const auto& [k, v] : entries) LD_RETURN_IF_ERROR(storage::PutEntry(txn, txn.dbis().data, k, v));
  return OkStatus();
}

}  // namespace

Result<UpdateTableResponse> Database::UpdateTable(const UpdateTableRequest& r) {
  Impl& db = *impl_;
  if (!r.billing_mode && !r.provisioned_throughput && !r.global_secondary_index_updates &&
      !r.stream_specification && !r.deletion_protection_enabled && !r.sse_specification && !r.table_class &&
      !r.on_demand_throughput)
    return ValidationError("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto current, db.FindTable(txn, r.table_name));
  if (!current) return errors::TableNotFoundNamed(r.table_name);
  TableMeta t = *current;
  std::vector<std::string> creating, deleting;

  if (r.billing_mode && *r.billing_mode != t.billing_mode) {
    t.billing_mode = *r.billing_mode;
    if (t.billing_mode == BillingMode::kPayPerRequest) {
      t.last_pay_per_request_time = db.NowSeconds();
      t.throughput = {};
      for (auto& i : t.indexes) i.throughput.reset();
    }
  }
  if (r.provisioned_throughput) {
    if (t.billing_mode == BillingMode::kPayPerRequest)
      return errors::Invalid("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    t.throughput = *r.provisioned_throughput;
  } else if (r.billing_mode == BillingMode::kProvisioned && current->billing_mode != BillingMode::kProvisioned) {
    return errors::Invalid("ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
  }

  if (r.attribute_definitions) {
    for (const auto& d : *r.attribute_definitions) {
      bool known = false;
      for (auto& existing : t.attribute_definitions)
        if (existing.attribute_name == d.attribute_name) {
          known = true;
          if (existing.attribute_type != d.attribute_type)
            return errors::Invalid(fmt::format("Cannot change the type of attribute {}", d.attribute_name));
        }
      if (!known) t.attribute_definitions.push_back(d);
    }
  }

  if (r.global_secondary_index_updates) {
    for (const auto& u : *r.global_secondary_index_updates) {
      if (u.create) {
        const auto& g = *u.create;
        if (t.FindIndex(g.index_name))
          return errors::Invalid("Duplicate index name: " + g.index_name);
        for (const auto& k : g.key_schema)
          if (!std::any_of(t.attribute_definitions.begin(), t.attribute_definitions.end(),
                           [&](const AttributeDefinition& d) { return d.attribute_name == k.attribute_name; }))
            return errors::Invalid(fmt::format(
                "Global Secondary Index key attribute {} is not defined in AttributeDefinitions", k.attribute_name));
        int gsis = 0;
        for (const auto& i : t.indexes) gsis += i.global;
        if (gsis >= 20)
          return Error{ErrorCode::kLimitExceeded, "Subscriber limit exceeded: Only 20 GSIs are allowed per table", nullptr, {}};
        IndexMeta i;
        i.name = g.index_name;
        i.global = true;
        i.number = t.next_index_number++;
        i.key_schema = g.key_schema;
        i.key = engine::ShapeOf(g.key_schema, t.attribute_definitions);
        i.projection = g.projection;
        i.throughput = g.provisioned_throughput;
        i.arn = t.arn + "/index/" + i.name;
        t.indexes.push_back(i);
        LD_RETURN_IF_ERROR(Backfill(db, txn, t, t.indexes.back()));
        creating.push_back(i.name);
      } else if (u.delete_index_name) {
        auto it = std::find_if(t.indexes.begin(), t.indexes.end(), [&](const IndexMeta& i) {
          return i.global && i.name == *u.delete_index_name;
        });
        if (it == t.indexes.end())
          return ResourceNotFound("Requested resource not found: Index: " + *u.delete_index_name + " not found");
        LD_RETURN_IF_ERROR(storage::DeleteKeyspace(txn, txn.dbis().data, storage::KeyspacePrefix(t.number, it->number)));
        LD_RETURN_IF_ERROR(db.DropStats(txn, t.number, it->number));
        deleting.push_back(it->name);
        t.insights.erase(it->name);
        t.indexes.erase(it);
      } else if (u.update_index_name) {
        auto it = std::find_if(t.indexes.begin(), t.indexes.end(), [&](const IndexMeta& i) {
          return i.global && i.name == *u.update_index_name;
        });
        if (it == t.indexes.end())
          return ResourceNotFound("Requested resource not found: Index: " + *u.update_index_name + " not found");
        if (u.update_provisioned_throughput) it->throughput = u.update_provisioned_throughput;
      }
    }
  }

  if (r.stream_specification) {
    const auto& s = *r.stream_specification;
    const engine::StreamMeta* on = t.CurrentStream();
    if (s.stream_enabled) {
      if (!s.stream_view_type)
        return ValidationError("1 validation error detected: Value null at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must not be null");
      if (on)
        return ValidationError(fmt::format("Table already has an enabled stream: {}", on->arn));
      LD_RETURN_IF_ERROR(engine::EnableStream(db, txn, t, *s.stream_view_type));
    } else {
      if (!on) return ValidationError("Stream is already disabled");
      t.streams.back().enabled = false;
    }
  }
  if (r.deletion_protection_enabled) t.deletion_protection = *r.deletion_protection_enabled;
  if (r.sse_specification) engine::ApplySse(db, *r.sse_specification, t);
  if (r.table_class) t.table_class = r.table_class;
  if (const auto& od = r.on_demand_throughput) {
    OnDemandThroughput merged = t.on_demand_throughput.value_or(OnDemandThroughput{});
    if (od->max_read_request_units) merged.max_read_request_units = od->max_read_request_units;
    if (od->max_write_request_units) merged.max_write_request_units = od->max_write_request_units;
    t.on_demand_throughput = merged;
  }

  LD_RETURN_IF_ERROR(db.SaveTable(txn, t));
  LD_ASSIGN_OR_RETURN(TableDescription d, db.Describe(txn, t));
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
  return UpdateTableResponse{std::move(d)};
}

}  // namespace localdynamo
