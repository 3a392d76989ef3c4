// CreateTable, DescribeTable, DeleteTable, ListTables with DynamoDB's validation and texts.

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "engine/database_impl.h"
#include "engine/errors.h"
#include "engine/control/table_settings.h"
#include "types/utc_time.h"

namespace localdynamo {

using engine::IndexMeta;
using engine::ShapeOf;
using errors::CheckName;
using errors::ConstraintError;

namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

Status CheckIndexKeySchema(const std::vector<KeySchemaElement>& ks,
                           const std::vector<std::string>& defined) {
  std::vector<std::string> keys;
  for (const auto& k : ks) keys.push_back(k.attribute_name);
  for (const auto& k : keys)
    if (std::find(defined.begin(), defined.end(), k) == defined.end())
      return errors::Invalid(fmt::format(
          "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], "
          "AttributeDefinitions: [{}]",
          Join(keys), Join(defined)));
  if (ks.size() == 2 && ks[0].attribute_name == ks[1].attribute_name)
    return ValidationError(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  if (ks[0].key_type != KeyType::kHash)
    return ValidationError("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (ks.size() == 2 && ks[1].key_type != KeyType::kRange)
    return ValidationError(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  return OkStatus();
}

Status CheckProjection(const Projection& p) {
  if (!p.projection_type) return errors::Invalid("Unknown ProjectionType: null");
  if (!p.non_key_attributes.empty() && *p.projection_type != ProjectionType::kInclude)
    return errors::Invalid(fmt::format("ProjectionType is {}, but NonKeyAttributes is specified",
                                       ToString(*p.projection_type)));
  if (p.non_key_attributes.empty() && *p.projection_type == ProjectionType::kInclude)
    return errors::Invalid("ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  std::set<std::string> seen;
  for (const auto& a : p.non_key_attributes)
    if (!seen.insert(a).second)
      return errors::Invalid("Duplicate element in NonKeyAttributes: " + a);
  return OkStatus();
}

// The rules of dynalite's validations/createTable.js, which were recorded from DynamoDB.
Status ValidateCreateTable(const CreateTableRequest& r, std::string_view region) {
  std::vector<std::string> failures;
  CheckName(r.table_name, "tableName", &failures);
  if (r.key_schema.empty() || r.key_schema.size() > 2)
    failures.push_back(fmt::format(
        "Value '{}' at 'keySchema' failed to satisfy constraint: Member must have length {} 2",
        "[...]", r.key_schema.empty() ? "greater than or equal to 1" : "less than or equal to"));
  for (const auto* list : {r.local_secondary_indexes ? &*r.local_secondary_indexes : nullptr})
    if (list)
      for (std::size_t i = 0; i < list->size(); ++i)
        CheckName((*list)[i].index_name,
                  fmt::format("localSecondaryIndexes.{}.member.indexName", i + 1), &failures);
  if (r.global_secondary_indexes)
    for (std::size_t i = 0; i < r.global_secondary_indexes->size(); ++i)
      CheckName((*r.global_secondary_indexes)[i].index_name,
                fmt::format("globalSecondaryIndexes.{}.member.indexName", i + 1), &failures);
  if (r.provisioned_throughput) engine::ThroughputConstraints(*r.provisioned_throughput, &failures);
  if (!failures.empty()) return ConstraintError(failures);

  const bool pay_per_request = r.billing_mode == BillingMode::kPayPerRequest;
  if (pay_per_request) {
    if (r.provisioned_throughput)
      return errors::Invalid(
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
          "PAY_PER_REQUEST");
  } else {
    if (!r.provisioned_throughput)
      return errors::Invalid(
          "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
          "PROVISIONED");
    LD_RETURN_IF_ERROR(engine::CheckThroughput(*r.provisioned_throughput, region));
  }

  std::vector<std::string> defined;
  for (const auto& d : r.attribute_definitions) defined.push_back(d.attribute_name);
  for (std::size_t i = 0; i < defined.size(); ++i)
    if (std::find(defined.begin(), defined.begin() + static_cast<std::ptrdiff_t>(i), defined[i]) !=
        defined.begin() + static_cast<std::ptrdiff_t>(i))
      return ValidationError("Attribute Name is duplicated: " + defined[i]);
  if (r.key_schema.size() > defined.size())
    return ValidationError("Invalid KeySchema: Some index key attribute have no definition");
  LD_RETURN_IF_ERROR(CheckIndexKeySchema(r.key_schema, defined));

  // Key attributes in the order they are first named (the table's, then each index's).
  std::vector<std::string> used;
  auto use = [&used](const std::vector<KeySchemaElement>& ks) {
    for (const auto& k : ks)
      if (std::find(used.begin(), used.end(), k.attribute_name) == used.end())
        used.push_back(k.attribute_name);
  };
  use(r.key_schema);
  std::set<std::string> index_names;
  if (r.local_secondary_indexes) {
    const auto& lsis = *r.local_secondary_indexes;
    if (lsis.empty()) return errors::Invalid("List of LocalSecondaryIndexes is empty");
    if (r.key_schema.size() != 2)
      return errors::Invalid(
          "Table KeySchema does not have a range key, which is required when specifying a "
          "LocalSecondaryIndex");
    for (const auto& l : lsis) {
      if (l.key_schema.empty() || l.key_schema.size() > 2)
        return ConstraintError({fmt::format(
            "Value '[...]' at 'localSecondaryIndexes.member.keySchema' failed to satisfy "
            "constraint: Member must have length {} 2",
            l.key_schema.empty() ? "greater than or equal to 1" : "less than or equal to")});
      LD_RETURN_IF_ERROR(CheckIndexKeySchema(l.key_schema, defined));
      if (l.key_schema.size() != 2)
        return errors::Invalid("Index KeySchema does not have a range key for index: " +
                               l.index_name);
      if (l.key_schema[0].attribute_name != r.key_schema[0].attribute_name)
        return errors::Invalid(fmt::format(
            "Index KeySchema does not have the same leading hash key as table KeySchema for "
            "index: {}. index hash key: {}, table hash key: {}",
            l.index_name, l.key_schema[0].attribute_name, r.key_schema[0].attribute_name));
      LD_RETURN_IF_ERROR(CheckProjection(l.projection));
      if (!index_names.insert(l.index_name).second)
        return errors::Invalid("Duplicate index name: " + l.index_name);
      use(l.key_schema);
    }
    if (lsis.size() > 5)
      return errors::Invalid("Number of LocalSecondaryIndexes exceeds per-table limit of 5");
  }
  if (r.global_secondary_indexes) {
    const auto& gsis = *r.global_secondary_indexes;
    if (gsis.empty()) return errors::Invalid("List of GlobalSecondaryIndexes is empty");
    for (const auto& g : gsis) {
      if (g.key_schema.empty() || g.key_schema.size() > 2)
        return ConstraintError({fmt::format(
            "Value '[...]' at 'globalSecondaryIndexes.member.keySchema' failed to satisfy "
            "constraint: Member must have length {} 2",
            g.key_schema.empty() ? "greater than or equal to 1" : "less than or equal to")});
      LD_RETURN_IF_ERROR(CheckIndexKeySchema(g.key_schema, defined));
      LD_RETURN_IF_ERROR(CheckProjection(g.projection));
      if (pay_per_request && g.provisioned_throughput)
        return errors::Invalid(
            fmt::format("ProvisionedThroughput should not be specified for index: {} when "
                        "BillingMode is PAY_PER_REQUEST",
                        g.index_name));
      if (!pay_per_request && !g.provisioned_throughput)
        return errors::Invalid(
            fmt::format("ProvisionedThroughput is not specified for index: {}", g.index_name));
      if (g.provisioned_throughput)
        LD_RETURN_IF_ERROR(
            engine::CheckThroughput(*g.provisioned_throughput, region, g.index_name));
      if (g.on_demand_throughput)
        LD_RETURN_IF_ERROR(engine::CheckOnDemandThroughput(
            *g.on_demand_throughput, r.billing_mode.value_or(BillingMode::kProvisioned),
            engine::SettingsCall::kCreate, region, g.index_name));
      if (g.warm_throughput)
        LD_RETURN_IF_ERROR(engine::CheckWarmThroughput(
            *g.warm_throughput, r.billing_mode.value_or(BillingMode::kProvisioned),
            g.provisioned_throughput, {}, engine::SettingsCall::kCreate, region, g.index_name));
      if (!index_names.insert(g.index_name).second)
        return errors::Invalid("Duplicate index name: " + g.index_name);
      use(g.key_schema);
    }
    if (gsis.size() > 20)
      return errors::Invalid("GlobalSecondaryIndex count exceeds the per-table limit of 20");
  }
  if (used.size() != defined.size()) {
    if (r.local_secondary_indexes || r.global_secondary_indexes)
      return errors::Invalid(fmt::format(
          "Some AttributeDefinitions are not used. AttributeDefinitions: [{}], keys used: [{}]",
          Join(defined), Join(used)));
    return errors::Invalid(
        "Number of attributes in KeySchema does not exactly match number of attributes defined in "
        "AttributeDefinitions");
  }
  return OkStatus();
}

// DynamoDB stream labels: "2023-03-20T10:00:00.000" (UTC).
std::string IsoLabel(int64_t millis) { return IsoUtc(millis, true); }

}  // namespace

namespace engine {

Status NewTableIdentity(Database::Impl& db, storage::WriteTxn& txn, std::string name,
                        TableMeta& t) {
  t.name = std::move(name);
  t.id = db.options.ids->NewUuid();
  t.arn = fmt::format("arn:aws:dynamodb:{}:{}:table/{}", db.options.region, db.options.account_id,
                      t.name);
  LD_ASSIGN_OR_RETURN(uint64_t number, engine::NextCounter(txn, "table"));
  t.number = static_cast<uint32_t>(number);
  t.creation_time = db.NowSeconds();
  return OkStatus();
}

Status EnableStream(Database::Impl& db, storage::WriteTxn& txn, TableMeta& t, StreamViewType view) {
  LD_ASSIGN_OR_RETURN(uint64_t number, engine::NextCounter(txn, "stream"));
  int64_t now = db.options.clock->NowMillis();
  StreamMeta s;
  s.number = static_cast<uint32_t>(number);
  s.label = IsoLabel(now);
  // Two streams enabled within the same millisecond still get distinct labels.
  for (const auto& old : t.streams)
    if (old.label == s.label) s.label = IsoLabel(now + 1);
  s.arn = t.arn + "/stream/" + s.label;
  s.view_type = view;
  s.created = static_cast<double>(now) / 1000.0;
  s.enabled = true;
  t.streams.push_back(s);
  return OkStatus();
}

}  // namespace engine

Result<CreateTableResponse> Database::CreateTable(const CreateTableRequest& r) {
  Impl& db = *impl_;
  LD_RETURN_IF_ERROR(ValidateCreateTable(r, db.options.region));
  if (r.stream_specification && r.stream_specification->stream_enabled &&
      !r.stream_specification->stream_view_type)
    return errors::Invalid(
        "Table is being created with a stream enabled, UpdateViewType is required");
  if (r.stream_specification && !r.stream_specification->stream_enabled &&
      r.stream_specification->stream_view_type)
    return errors::Invalid(
        "Table is being created with a stream disabled, UpdateViewType should not be specified");
  if (r.sse_specification) LD_RETURN_IF_ERROR(engine::CheckSse(*r.sse_specification));
  if (r.on_demand_throughput)
    LD_RETURN_IF_ERROR(engine::CheckOnDemandThroughput(
        *r.on_demand_throughput, r.billing_mode.value_or(BillingMode::kProvisioned),
        engine::SettingsCall::kCreate, db.options.region));
  if (r.warm_throughput)
    LD_RETURN_IF_ERROR(engine::CheckWarmThroughput(
        *r.warm_throughput, r.billing_mode.value_or(BillingMode::kProvisioned),
        r.provisioned_throughput, {}, engine::SettingsCall::kCreate, db.options.region));
  if (r.tags) {
    LD_RETURN_IF_ERROR(engine::CheckTagsToSet(*r.tags));
    LD_RETURN_IF_ERROR(engine::CheckTagSet(*r.tags));
  }

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto existing, db.catalog.Find(txn, r.table_name));
  if (existing) return ResourceInUse("Table already exists: " + r.table_name);

  TableMeta t;
  LD_RETURN_IF_ERROR(engine::NewTableIdentity(db, txn, r.table_name, t));
  t.attribute_definitions = r.attribute_definitions;
  t.key_schema = r.key_schema;
  t.key = ShapeOf(t.key_schema, t.attribute_definitions);
  t.billing_mode = r.billing_mode.value_or(BillingMode::kProvisioned);
  if (t.billing_mode == BillingMode::kPayPerRequest) {
    t.last_pay_per_request_time = t.creation_time;
  } else {
    t.throughput = *r.provisioned_throughput;
  }
  if (r.local_secondary_indexes)
    for (const auto& l : *r.local_secondary_indexes) engine::AddLocalIndex(t, l);
  if (r.global_secondary_indexes)
    for (const auto& g : *r.global_secondary_indexes) engine::AddGlobalIndex(t, g);
  if (r.stream_specification && r.stream_specification->stream_enabled)
    LD_RETURN_IF_ERROR(engine::EnableStream(db, txn, t, *r.stream_specification->stream_view_type));
  t.deletion_protection = r.deletion_protection_enabled.value_or(false);
  if (r.tags) t.tags = *r.tags;
  if (r.sse_specification) engine::ApplySse(db, *r.sse_specification, t);
  t.table_class = r.table_class;
  t.on_demand_throughput = r.on_demand_throughput;
  t.warm = engine::DefaultWarm(t.billing_mode, t.throughput);
  if (r.warm_throughput) t.warm = engine::WarmAfter(t.warm, *r.warm_throughput);

  LD_RETURN_IF_ERROR(engine::Catalog::Save(txn, t));
  LD_ASSIGN_OR_RETURN(TableDescription d, engine::DescribeTable(txn, t));
  LD_RETURN_IF_ERROR(txn.Commit());
  // DynamoDB answers CreateTable while the table is still CREATING; ours is usable at once, so
  // the next DescribeTable says ACTIVE (the boto3 waiter's first poll succeeds).
  d.table_status = TableStatus::kCreating;
  for (auto& g : d.global_secondary_indexes) g.index_status = IndexStatus::kCreating;
  // Warm throughput is in the answer only where it was asked for, on its way (UPDATING).
  auto asked = [](std::optional<WarmThroughputDescription>& w, bool given) {
    if (!given)
      w.reset();
    else if (w)
      w->updating = true;
  };
  asked(d.warm_throughput, r.warm_throughput.has_value());
  for (auto& g : d.global_secondary_indexes) {
    bool given = false;
    if (r.global_secondary_indexes)
      for (const auto& rg : *r.global_secondary_indexes)
        given |= rg.index_name == g.index_name && rg.warm_throughput.has_value();
    asked(g.warm_throughput, given);
  }
  return CreateTableResponse{std::move(d)};
}

Result<DescribeTableResponse> Database::DescribeTable(const DescribeTableRequest& r) {
  Impl& db = *impl_;
  LD_RETURN_IF_ERROR(errors::CheckTableName(r.table_name));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto t, db.catalog.Find(txn, r.table_name));
  if (!t) return errors::TableNotFoundNamed(r.table_name);
  LD_ASSIGN_OR_RETURN(TableDescription d, engine::DescribeTable(txn, *t));
  return DescribeTableResponse{std::move(d)};
}

Result<DeleteTableResponse> Database::DeleteTable(const DeleteTableRequest& r) {
  Impl& db = *impl_;
  LD_RETURN_IF_ERROR(errors::CheckTableName(r.table_name));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto t, db.catalog.Find(txn, r.table_name));
  if (!t) return errors::TableNotFoundNamed(r.table_name);
  if (t->deletion_protection)
    return ValidationError(
        "Resource cannot be deleted as it is currently protected against deletion. Disable "
        "deletion protection first.");
  LD_ASSIGN_OR_RETURN(TableDescription d, engine::DescribeTable(txn, *t));
  if (!t->streams.empty()) {
    // DynamoDB keeps a deleted table's streams readable for 24 hours: keep their description.
    TableMeta dropped = *t;
    for (auto& st : dropped.streams) st.enabled = false;
    LD_RETURN_IF_ERROR(txn.Put(
        txn.dbis().meta, fmt::format("dropped/{}/{:020}", t->name, db.options.clock->NowMillis()),
        engine::SerializeTableMeta(dropped)));
  }
  // With point-in-time recovery on, DynamoDB keeps the deleted table as a system backup.
  const bool keep = t->recovery_since_millis != 0;
  if (keep) LD_RETURN_IF_ERROR(engine::KeepDeletedTableBackup(db, txn, *t));
  LD_RETURN_IF_ERROR(engine::Catalog::Erase(txn, *t, keep));
  LD_RETURN_IF_ERROR(txn.Commit());
  d.table_status = TableStatus::kDeleting;
  return DeleteTableResponse{std::move(d)};
}

Result<ListTablesResponse> Database::ListTables(const ListTablesRequest& r) {
  Impl& db = *impl_;
  std::vector<std::string> failures;
  if (r.exclusive_start_table_name)
    CheckName(*r.exclusive_start_table_name, "exclusiveStartTableName", &failures);
  if (r.limit && *r.limit < 1)
    failures.push_back(
        fmt::format("Value '{}' at 'limit' failed to satisfy constraint: Member must have value "
                    "greater than or equal to 1",
                    *r.limit));
  if (r.limit && *r.limit > 100)
    failures.push_back(
        fmt::format("Value '{}' at 'limit' failed to satisfy constraint: Member must have value "
                    "less than or equal to 100",
                    *r.limit));
  if (!failures.empty()) return ConstraintError(failures);
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto tables, db.catalog.All(txn));  // in name order
  ListTablesResponse out;
  std::size_t limit = static_cast<std::size_t>(r.limit.value_or(100));
  auto it = tables.begin();
  if (r.exclusive_start_table_name)
    it = std::find_if(tables.begin(), tables.end(),
                      [&](const TablePtr& t) { return t->name > *r.exclusive_start_table_name; });
  for (; it != tables.end() && out.table_names.size() < limit; ++it)
    out.table_names.push_back((*it)->name);
  if (it != tables.end() && !out.table_names.empty())
    out.last_evaluated_table_name = out.table_names.back();
  return out;
}

}  // namespace localdynamo
