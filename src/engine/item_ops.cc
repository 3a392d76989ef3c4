// PutItem, GetItem, DeleteItem, UpdateItem: the writes are WriteOps (engine/write_op.h), run
// one each in its own write transaction; GetItem reads one item in a read transaction.

#include <fmt/format.h>

#include "engine/capacity.h"
#include "engine/encoded_reads.h"
#include "engine/expression_params.h"
#include "engine/keys.h"
#include "engine/write_op.h"
#include "storage/item_codec.h"
#include "storage/item_walk.h"
#include "storage/layout.h"

namespace localdynamo {

using engine::CapacityTally;

Result<PutItemResponse> Database::PutItem(const PutItemRequest& r) {
  LD_ASSIGN_OR_RETURN(auto op, engine::PreparePut(r));
  LD_ASSIGN_OR_RETURN(auto done, engine::RunWrite(*impl_, op, r.return_consumed_capacity,
                                                  r.return_item_collection_metrics));
  PutItemResponse out;
  out.attributes = engine::ReturnedAttributes(r.return_values, op, done);
  out.consumed_capacity = std::move(done.consumed_capacity);
  out.item_collection_metrics = std::move(done.item_collection_metrics);
  return out;
}

namespace {

// GetItem's reading, for both answers: `take` gets the stored item's bytes (while the read
// transaction still holds them) and the projection; returns the capacity report.
template <class Take>
Result<std::optional<ConsumedCapacity>> ReadForGetItem(Database::Impl& db, const GetItemRequest& r,
                                                       Take take) {
  engine::ParamUse use;
  if (r.attributes_to_get) use.legacy.push_back("AttributesToGet");
  if (r.projection_expression) use.expressions.push_back("ProjectionExpression");
  use.has_names = r.expression_attribute_names.has_value();
  LD_RETURN_IF_ERROR(engine::CheckParamMix(use));
  expr::Context ctx(r.expression_attribute_names ? &*r.expression_attribute_names : nullptr,
                    nullptr);
  LD_ASSIGN_OR_RETURN(auto projection,
                      engine::PrepareProjection(ctx, r.projection_expression, r.attributes_to_get));
  LD_RETURN_IF_ERROR(ctx.CheckAllUsed());

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto table, db.catalog.Require(txn, r.table_name));
  LD_RETURN_IF_ERROR(engine::ValidateKey(*table, r.key));
  LD_ASSIGN_OR_RETURN(auto payload,
                      storage::GetEntry(txn, txn.dbis().data, engine::TableKey(*table, r.key)));
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

namespace engine {

Result<EncodedGetItemResponse> GetItemEncoded(Database& db, const GetItemRequest& r) {
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
  LD_ASSIGN_OR_RETURN(out.consumed_capacity, ReadForGetItem(DatabaseInternals::Of(db), r, take));
  return out;
}

}  // namespace engine

Result<DeleteItemResponse> Database::DeleteItem(const DeleteItemRequest& r) {
  LD_ASSIGN_OR_RETURN(auto op, engine::PrepareDelete(r));
  LD_ASSIGN_OR_RETURN(auto done, engine::RunWrite(*impl_, op, r.return_consumed_capacity,
                                                  r.return_item_collection_metrics));
  DeleteItemResponse out;
  out.attributes = engine::ReturnedAttributes(r.return_values, op, done);
  out.consumed_capacity = std::move(done.consumed_capacity);
  out.item_collection_metrics = std::move(done.item_collection_metrics);
  return out;
}

Result<UpdateItemResponse> Database::UpdateItem(const UpdateItemRequest& r) {
  LD_ASSIGN_OR_RETURN(auto op, engine::PrepareUpdate(r));
  LD_ASSIGN_OR_RETURN(auto done, engine::RunWrite(*impl_, op, r.return_consumed_capacity,
                                                  r.return_item_collection_metrics));
  UpdateItemResponse out;
  out.attributes = engine::ReturnedAttributes(r.return_values, op, done);
  out.consumed_capacity = std::move(done.consumed_capacity);
  out.item_collection_metrics = std::move(done.item_collection_metrics);
  return out;
}

}  // namespace localdynamo
