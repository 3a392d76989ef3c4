// PutItem, GetItem, DeleteItem, UpdateItem: validate, evaluate the condition against the
// current item, apply through Mutation in one write transaction, report what was asked for.

#include <fmt/format.h>

#include "engine/capacity.h"
#include "engine/errors.h"
#include "engine/expression_params.h"
#include "engine/item_collection.h"
#include "engine/item_validation.h"
#include "engine/keys.h"
#include "engine/mutation.h"
#include "storage/item_codec.h"
#include "storage/item_walk.h"
#include "storage/layout.h"

namespace localdynamo {

using engine::CapacityTally;
using engine::Mutation;

namespace {

Error ConditionFailed(const std::optional<Item>& old,
                      std::optional<ReturnValuesOnConditionCheckFailure> rv) {
  Error e = ConditionalCheckFailed();
  if (rv == ReturnValuesOnConditionCheckFailure::kAllOld && old)
    e.item = std::make_shared<const Item>(*old);
  return e;
}

Status CheckReturnValues(std::optional<ReturnValue> rv, bool update) {
  if (!rv || update) return OkStatus();
  if (*rv != ReturnValue::kNone && *rv != ReturnValue::kAllOld)
    return ValidationError("Return values set to invalid value");
  return OkStatus();
}

// Attributes for ReturnValues: the whole old/new item, or only the updated paths of it.
std::optional<Item> Returned(std::optional<ReturnValue> rv, const std::optional<Item>& old_item,
                             const std::optional<Item>& new_item, const expr::ProjectionExpr& updated) {
  if (!rv || *rv == ReturnValue::kNone) return std::nullopt;
  const std::optional<Item>& source =
      (*rv == ReturnValue::kAllOld || *rv == ReturnValue::kUpdatedOld) ? old_item : new_item;
  if (!source) return std::nullopt;
  if (*rv == ReturnValue::kAllOld || *rv == ReturnValue::kAllNew) return source;
  Item out = expr::Project(updated, *source);
  if (out.empty()) return std::nullopt;
  return out;
}

// PutItem's and DeleteItem's condition: ConditionExpression or legacy Expected, with
// DynamoDB's parameter checks (mixing, ReturnValues NONE/ALL_OLD, unused names and values).
template <class Request>
Result<std::optional<expr::ConditionExpr>> WriteCondition(const Request& r) {
  engine::ParamUse use;
  if (r.expected) use.legacy.push_back("Expected");
  if (r.conditional_operator) use.legacy.push_back("ConditionalOperator");
  if (r.condition_expression) use.expressions.push_back("ConditionExpression");
  use.has_names = r.expression_attribute_names.has_value();
  use.has_values = r.expression_attribute_values.has_value();
  LD_RETURN_IF_ERROR(engine::CheckParamMix(use));
  LD_RETURN_IF_ERROR(CheckReturnValues(r.return_values, false));
  expr::Context ctx(r.expression_attribute_names ? &*r.expression_attribute_names : nullptr,
                    r.expression_attribute_values ? &*r.expression_attribute_values : nullptr);
  LD_ASSIGN_OR_RETURN(auto condition, engine::PrepareCondition(ctx, r.condition_expression, r.expected, r.conditional_operator));
  LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
  return condition;
}

// Where a single-item write counts its capacity: `tally`, set up for the table, when the
// request reports capacity; nowhere (null) otherwise, so the write skips the counting.
CapacityTally* WriteTally(CapacityTally& tally, const TableMeta& t, std::optional<ReturnConsumedCapacity> mode) {
  if (!engine::Reported(mode)) return nullptr;
  tally.table_name = t.name;
  tally.is_read = false;
  return &tally;
}

}  // namespace

Result<PutItemResponse> Database::PutItem(const PutItemRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto condition, WriteCondition(r));

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto table, db.RequireTable(txn, r.table_name));
  LD_RETURN_IF_ERROR(engine::ValidateItemKeys(*table, r.item));
  LD_RETURN_IF_ERROR(engine::ValidateValues(r.item));
  LD_RETURN_IF_ERROR(engine::ValidateSize(r.item));

  Mutation m(db, txn);
  LD_ASSIGN_OR_RETURN(auto old_item, m.Read(*table, r.item));
  if (condition && !expr::Evaluate(*condition, old_item ? *old_item : Item{}))
    return ConditionFailed(old_item, r.return_values_on_condition_check_failure);
  CapacityTally tally;
  LD_RETURN_IF_ERROR(m.Apply(*table, Mutation::Ptr(old_item), &r.item, WriteTally(tally, *table, r.return_consumed_capacity)));
  LD_ASSIGN_OR_RETURN(auto metrics, engine::CollectionMetrics(txn, *table, r.item, r.return_item_collection_metrics));
  LD_RETURN_IF_ERROR(engine::CommitAndDeliver(db, txn, m));

  PutItemResponse out;
  out.item_collection_metrics = std::move(metrics);
  if (r.return_values == ReturnValue::kAllOld) out.attributes = old_item;
  out.consumed_capacity = engine::Report(tally, r.return_consumed_capacity);
  return out;
}

namespace {

// GetItem's reading, for both answers: `take` gets the stored item's bytes (while the read
// transaction still holds them) and the projection; returns the capacity report.
template <class Take>
Result<std::optional<ConsumedCapacity>> ReadForGetItem(Database::Impl& db, const GetItemRequest& r, Take take) {
  engine::ParamUse use;
  if (r.attributes_to_get) use.legacy.push_back("AttributesToGet");
  if (r.projection_expression) use.expressions.push_back("ProjectionExpression");
  use.has_names = r.expression_attribute_names.has_value();
  LD_RETURN_IF_ERROR(engine::CheckParamMix(use));
  expr::Context ctx(r.expression_attribute_names ? &*r.expression_attribute_names : nullptr, nullptr);
  LD_ASSIGN_OR_RETURN(auto projection, engine::PrepareProjection(ctx, r.projection_expression, r.attributes_to_get));
  LD_RETURN_IF_ERROR(ctx.CheckAllUsed());

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto table, db.RequireTable(txn, r.table_name));
  LD_RETURN_IF_ERROR(engine::ValidateKey(*table, r.key));
  LD_ASSIGN_OR_RETURN(auto payload, storage::GetEntry(txn, txn.dbis().data, engine::TableKey(*table, r.key)));
  std::size_t size = 0;
  if (payload) {
    // The item's size only sets the capacity, which is only worth working out when reported.
    if (engine::Reported(r.return_consumed_capacity) && !storage::EncodedItemSize(*payload, &size))
      return InternalError("corrupt item");
    LD_RETURN_IF_ERROR(take(*payload, projection ? &*projection : nullptr));
  }
  if (!engine::Reported(r.return_consumed_capacity)) return std::optional<ConsumedCapacity>();
  CapacityTally tally;
  tally.table_name = table->name;
  tally.table = engine::ReadUnits(size, r.consistent_read.value_or(false));
  return engine::Report(tally, r.return_consumed_capacity);
}

// A stored item as an Item, projected when asked.
Result<Item> DecodeProjected(std::string_view payload, const expr::ProjectionExpr* projection) {
  Item item;
  if (!storage::DecodeItem(payload, &item)) return InternalError("corrupt item");
  if (projection) return expr::Project(*projection, item);
  return item;
}

}  // namespace

Result<GetItemResponse> Database::GetItem(const GetItemRequest& r) {
  GetItemResponse out;
  auto take = [&out](std::string_view payload, const expr::ProjectionExpr* projection) -> Status {
    LD_ASSIGN_OR_RETURN(out.item, DecodeProjected(payload, projection));
    return OkStatus();
  };
  LD_ASSIGN_OR_RETURN(out.consumed_capacity, ReadForGetItem(*impl_, r, take));
  return out;
}

Result<EncodedGetItemResponse> Database::GetItemEncoded(const GetItemRequest& r) {
  EncodedGetItemResponse out;
  auto take = [&out](std::string_view payload, const expr::ProjectionExpr* projection) -> Status {
    if (!projection) {
      out.item.emplace(payload);
      return OkStatus();
    }
    LD_ASSIGN_OR_RETURN(Item projected, DecodeProjected(payload, projection));
    out.item = storage::EncodeItem(projected);
    return OkStatus();
  };
  LD_ASSIGN_OR_RETURN(out.consumed_capacity, ReadForGetItem(*impl_, r, take));
  return out;
}

Result<DeleteItemResponse> Database::DeleteItem(const DeleteItemRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto condition, WriteCondition(r));

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto table, db.RequireTable(txn, r.table_name));
  LD_RETURN_IF_ERROR(engine::ValidateKey(*table, r.key));
  Mutation m(db, txn);
  LD_ASSIGN_OR_RETURN(auto old_item, m.Read(*table, r.key));
  if (condition && !expr::Evaluate(*condition, old_item ? *old_item : Item{}))
    return ConditionFailed(old_item, r.return_values_on_condition_check_failure);
  CapacityTally tally;
  LD_RETURN_IF_ERROR(m.Apply(*table, Mutation::Ptr(old_item), nullptr, WriteTally(tally, *table, r.return_consumed_capacity)));
  LD_ASSIGN_OR_RETURN(auto metrics, engine::CollectionMetrics(txn, *table, r.key, r.return_item_collection_metrics));
  LD_RETURN_IF_ERROR(engine::CommitAndDeliver(db, txn, m));

  DeleteItemResponse out;
  out.item_collection_metrics = std::move(metrics);
  if (r.return_values == ReturnValue::kAllOld) out.attributes = old_item;
  out.consumed_capacity = engine::Report(tally, r.return_consumed_capacity);
  return out;
}

Result<UpdateItemResponse> Database::UpdateItem(const UpdateItemRequest& r) {
  Impl& db = *impl_;
  engine::ParamUse use;
  if (r.attribute_updates) use.legacy.push_back("AttributeUpdates");
  if (r.expected) use.legacy.push_back("Expected");
  if (r.conditional_operator) use.legacy.push_back("ConditionalOperator");
  if (r.update_expression) use.expressions.push_back("UpdateExpression");
  if (r.condition_expression) use.expressions.push_back("ConditionExpression");
  use.has_names = r.expression_attribute_names.has_value();
  use.has_values = r.expression_attribute_values.has_value();
  LD_RETURN_IF_ERROR(engine::CheckParamMix(use));
  expr::Context ctx(r.expression_attribute_names ? &*r.expression_attribute_names : nullptr,
                    r.expression_attribute_values ? &*r.expression_attribute_values : nullptr);
  std::optional<expr::UpdateExpr> update;
  if (r.update_expression) {
    LD_ASSIGN_OR_RETURN(auto u, expr::ParseUpdate(*r.update_expression, ctx));
    update = std::move(u);
  } else if (r.attribute_updates) {
    LD_ASSIGN_OR_RETURN(auto u, expr::FromAttributeUpdates(*r.attribute_updates));
    update = std::move(u);
  }
  LD_ASSIGN_OR_RETURN(auto condition, engine::PrepareCondition(ctx, r.condition_expression, r.expected, r.conditional_operator));
  LD_RETURN_IF_ERROR(ctx.CheckAllUsed());

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto table, db.RequireTable(txn, r.table_name));
  LD_RETURN_IF_ERROR(engine::ValidateKey(*table, r.key));
  if (update) {
    for (const auto& name : expr::TopLevelAttributeNames(*update)) {
      if (name == table->key.hash.name || (table->key.range && name == table->key.range->name))
        return errors::Invalid(fmt::format("Cannot update attribute {}. This attribute is part of the key", name));
    }
  }
  Mutation m(db, txn);
  LD_ASSIGN_OR_RETURN(auto old_item, m.Read(*table, r.key));
  if (condition && !expr::Evaluate(*condition, old_item ? *old_item : Item{}))
    return ConditionFailed(old_item, r.return_values_on_condition_check_failure);
  // UpdateItem upserts: a missing item starts as its key.
  Item base = old_item ? *old_item : r.key;
  Item new_item = base;
  expr::ProjectionExpr updated;
  if (update) {
    LD_ASSIGN_OR_RETURN(new_item, expr::ApplyUpdate(*update, base));
    updated = expr::UpdatedPaths(*update);
  }
  LD_RETURN_IF_ERROR(engine::ValidateItemKeys(*table, new_item));
  LD_RETURN_IF_ERROR(engine::ValidateValues(new_item));
  LD_RETURN_IF_ERROR(engine::ValidateSize(new_item));
  CapacityTally tally;
  LD_RETURN_IF_ERROR(m.Apply(*table, Mutation::Ptr(old_item), &new_item, WriteTally(tally, *table, r.return_consumed_capacity)));
  LD_ASSIGN_OR_RETURN(auto metrics, engine::CollectionMetrics(txn, *table, r.key, r.return_item_collection_metrics));
  LD_RETURN_IF_ERROR(engine::CommitAndDeliver(db, txn, m));

  UpdateItemResponse out;
  out.item_collection_metrics = std::move(metrics);
  out.attributes = Returned(r.return_values, old_item, new_item, updated);
  out.consumed_capacity = engine::Report(tally, r.return_consumed_capacity);
  return out;
}

}  // namespace localdynamo
