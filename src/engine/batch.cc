// BatchGetItem and BatchWriteItem. Everything requested is processed (Unprocessed* stay empty
// unless BatchGetItem passes its 16 MB response limit); a batch write commits in one LMDB
// transaction, so it is all-or-nothing here (DynamoDB only promises per-item atomicity).

#include <set>

#include <fmt/format.h>

#include "engine/capacity.h"
#include "engine/errors.h"
#include "engine/expression_params.h"
#include "engine/item_collection.h"
#include "engine/item_validation.h"
#include "engine/keys.h"
#include "engine/mutation.h"
#include "engine/write_op.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo {

using engine::CapacityTally;

namespace {

constexpr std::size_t kMaxBatchGetKeys = 100;
constexpr std::size_t kMaxBatchWrites = 25;
constexpr std::size_t kMaxBatchGetBytes = 16 * 1024 * 1024;

Error RequestItemsLength(std::size_t n, bool empty) {
  (void)n;
  return ValidationError(fmt::format(
      "1 validation error detected: Value '{{}}' at 'requestItems' failed to satisfy constraint: "
      "Member must have length {} 1",
      empty ? "greater than or equal to" : "less than or equal to"));
}

}  // namespace

Result<BatchGetItemResponse> Database::BatchGetItem(const BatchGetItemRequest& r) {
  Impl& db = *impl_;
  if (r.request_items.empty()) return RequestItemsLength(0, true);
  std::size_t total = 0;
  for (const auto& [_, ka] : r.request_items) total += ka.keys.size();
  if (total > kMaxBatchGetKeys)
    return ValidationError("Too many items requested for the BatchGetItem call");

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  BatchGetItemResponse out;
  std::vector<CapacityTally> tallies;
  std::size_t response_bytes = 0;
  for (const auto& [table_name, ka] : r.request_items) {
    if (ka.keys.empty())
      return ValidationError("1 validation error detected: Value '[]' at 'requestItems." +
                             table_name +
                             ".member.keys' failed to satisfy constraint: Member must have length "
                             "greater than or equal to 1");
    engine::ParamUse use;
    if (ka.attributes_to_get) use.legacy.push_back("AttributesToGet");
    if (ka.projection_expression) use.expressions.push_back("ProjectionExpression");
    use.has_names = ka.expression_attribute_names.has_value();
    LD_RETURN_IF_ERROR(engine::CheckParamMix(use));
    expr::Context ctx(ka.expression_attribute_names ? &*ka.expression_attribute_names : nullptr,
                      nullptr);
    LD_ASSIGN_OR_RETURN(auto projection, engine::PrepareProjection(ctx, ka.projection_expression,
                                                                   ka.attributes_to_get));
    LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
    LD_ASSIGN_OR_RETURN(auto table, db.catalog.Require(txn, table_name));
    std::set<std::string> seen;
    for (const auto& key : ka.keys) {
      LD_RETURN_IF_ERROR(engine::ValidateKey(*table, key));
      if (!seen.insert(engine::TableKey(*table, key)).second)
        return errors::DuplicateKeys();
    }
    CapacityTally tally;
    tally.table_name = table->name;
    // Answered under the name as the request gave it (a table's ARN stays an ARN).
    auto& items = out.responses[table_name];
    for (const auto& key : ka.keys) {
      if (response_bytes >= kMaxBatchGetBytes) {
        auto& un = out.unprocessed_keys[table_name];
        un.keys.push_back(key);
        un.projection_expression = ka.projection_expression;
        un.expression_attribute_names = ka.expression_attribute_names;
        un.consistent_read = ka.consistent_read;
        un.attributes_to_get = ka.attributes_to_get;
        continue;
      }
      LD_ASSIGN_OR_RETURN(auto payload,
                          storage::GetEntry(txn, txn.dbis().data, engine::TableKey(*table, key)));
      std::size_t size = 0;
      if (payload) {
        Item item;
        if (!storage::DecodeItem(*payload, &item)) return InternalError("corrupt item");
        size = ItemSize(item);
        response_bytes += size;
        items.push_back(projection ? expr::Project(*projection, item) : std::move(item));
      }
      tally.table += engine::ReadUnits(size, ka.consistent_read.value_or(false));
    }
    tallies.push_back(std::move(tally));
  }
  if (r.return_consumed_capacity && *r.return_consumed_capacity != ReturnConsumedCapacity::kNone) {
    out.consumed_capacity.emplace();
    for (const auto& t : tallies)
      out.consumed_capacity->push_back(*engine::Report(t, r.return_consumed_capacity));
  }
  return out;
}

Result<BatchWriteItemResponse> Database::BatchWriteItem(const BatchWriteItemRequest& r) {
  Impl& db = *impl_;
  if (r.request_items.empty()) return RequestItemsLength(0, true);
  std::size_t total = 0;
  for (const auto& [_, writes] : r.request_items) total += writes.size();
  if (total > kMaxBatchWrites)
    return ValidationError("Too many items requested for the BatchWriteItem call");

  std::vector<CapacityTally> tallies;
  std::map<std::string, std::vector<ItemCollectionMetrics>> metrics;
  LD_RETURN_IF_ERROR(db.commits.Write([&](storage::WriteTxn& txn, engine::Mutation& m) -> Status {
    tallies.clear();
    metrics.clear();
    // Every request is validated before any is written.
    std::vector<std::pair<TablePtr, std::vector<engine::WriteOp>>> tables;
    for (const auto& [table_name, writes] : r.request_items) {
      if (writes.empty())
        return ValidationError(
            "1 validation error detected: Value '[]' at 'requestItems." + table_name +
            "' failed to satisfy constraint: Member must have length greater than or equal to 1");
      LD_ASSIGN_OR_RETURN(auto table, db.catalog.Require(txn, table_name));
      std::vector<engine::WriteOp> ops;
      ops.reserve(writes.size());
      std::set<std::string> seen;
      for (const auto& w : writes) {
        if (w.put_item.has_value() == w.delete_key.has_value())
          return ValidationError(
              "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
              "of the supported datatypes");
        ops.push_back(w.put_item ? engine::BatchPut(table_name, *w.put_item)
                                 : engine::BatchDelete(table_name, *w.delete_key));
        if (auto refusal = engine::ValidateWrite(ops.back(), *table))
          return std::move(refusal->error);
        if (!seen.insert(engine::TableKey(*table, *ops.back().item)).second)
          return errors::DuplicateKeys();
      }
      tables.emplace_back(std::move(table), std::move(ops));
    }
    for (const auto& [table, ops] : tables) {
      CapacityTally tally;
      tally.table_name = table->name;
      tally.is_read = false;
      for (const engine::WriteOp& op : ops) {
        LD_ASSIGN_OR_RETURN(auto old_item, m.Read(*table, *op.item));
        engine::WriteOutcome outcome =
            engine::Evaluate(op, *table, old_item);  // no condition: a write
        LD_RETURN_IF_ERROR(
            m.Apply(*table, engine::Mutation::Ptr(old_item), outcome.Left(op, old_item), &tally));
        LD_ASSIGN_OR_RETURN(auto icm, engine::CollectionMetrics(txn, *table, *op.item,
                                                                r.return_item_collection_metrics));
        if (icm) metrics[table->name].push_back(std::move(*icm));
      }
      tallies.push_back(std::move(tally));
    }
    return OkStatus();
  }));
  BatchWriteItemResponse out;
  if (!metrics.empty()) out.item_collection_metrics = std::move(metrics);
  if (r.return_consumed_capacity && *r.return_consumed_capacity != ReturnConsumedCapacity::kNone) {
    out.consumed_capacity.emplace();
    for (const auto& t : tallies)
      out.consumed_capacity->push_back(*engine::Report(t, r.return_consumed_capacity));
  }
  return out;
}

}  // namespace localdynamo
