// TransactWriteItems (its actions are WriteOps run by engine::RunTransaction) and
// TransactGetItems (every Get from one read snapshot, doubled capacity).

#include <set>

#include <fmt/format.h>

#include "engine/capacity.h"
#include "engine/errors.h"
#include "engine/expression_params.h"
#include "engine/item_collection.h"
#include "engine/item_validation.h"
#include "engine/keys.h"
#include "engine/write_op.h"
#include "engine/request_tokens.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo {

using engine::CapacityTally;

namespace {
constexpr std::size_t kMaxTransactItems = 100;
}  // namespace

Result<TransactWriteItemsResponse> Database::TransactWriteItems(
    const TransactWriteItemsRequest& r) {
  LD_RETURN_IF_ERROR(
      errors::CheckListLength(r.transact_items.size(), kMaxTransactItems, "transactItems"));
  engine::TransactionOptions options;
  options.client_request_token = r.client_request_token;
  options.return_consumed_capacity = r.return_consumed_capacity;
  options.return_item_collection_metrics = r.return_item_collection_metrics;
  if (r.client_request_token) {
    LD_RETURN_IF_ERROR(engine::CheckRequestToken(*r.client_request_token));
    options.request_hash = engine::HashRequest(r);
  }
  std::vector<engine::WriteOp> ops;
  ops.reserve(r.transact_items.size());
  for (const auto& a : r.transact_items) {
    LD_ASSIGN_OR_RETURN(auto op, engine::PrepareTransactWrite(a));
    ops.push_back(std::move(op));
  }
  return engine::RunTransaction(*impl_, ops, options);
}

Result<TransactGetItemsResponse> Database::TransactGetItems(const TransactGetItemsRequest& r) {
  Impl& db = *impl_;
  LD_RETURN_IF_ERROR(
      errors::CheckListLength(r.transact_items.size(), kMaxTransactItems, "transactItems"));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());  // one snapshot for every Get
  TransactGetItemsResponse out;
  std::map<std::string, CapacityTally> tallies;
  std::set<std::pair<std::string, std::string>> seen;
  // A key that does not match its table's schema cancels the transaction with that Get's
  // ValidationError reason (every Get is checked); the other refusals are the request's.
  std::vector<CancellationReason> reasons(r.transact_items.size());
  bool cancelled = false;
  for (std::size_t i = 0; i < r.transact_items.size(); ++i) {
    const TransactGetItem& g = r.transact_items[i];
    LD_ASSIGN_OR_RETURN(auto table, db.catalog.Require(txn, g.table_name));
    expr::Context ctx(g.expression_attribute_names ? &*g.expression_attribute_names : nullptr,
                      nullptr);
    LD_ASSIGN_OR_RETURN(auto projection,
                        engine::PrepareProjection(ctx, g.projection_expression, std::nullopt));
    LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
    ItemResponse resp;
    if (Status valid = engine::ValidateKey(*table, g.key); !valid.ok()) {
      reasons[i] = {CancellationCode::kValidationError, valid.error().message, nullptr};
      cancelled = true;
      out.responses.push_back(std::move(resp));
      continue;
    }
    std::string full = engine::TableKey(*table, g.key);
    if (!seen.insert({table->name, full}).second)
      return ValidationError("Transaction request cannot include multiple operations on one item");
    LD_ASSIGN_OR_RETURN(auto payload, storage::GetEntry(txn, txn.dbis().data, full));
    std::size_t size = 0;
    if (payload) {
      Item item;
      if (!storage::DecodeItem(*payload, &item)) return InternalError("corrupt item");
      size = ItemSize(item);
      resp.item = projection ? expr::Project(*projection, item) : std::move(item);
    }
    out.responses.push_back(std::move(resp));
    CapacityTally& t = tallies[table->name];
    t.table_name = table->name;
    t.table += 2 * engine::ReadUnits(size, true);
  }
  if (cancelled) return errors::TransactionCanceled(std::move(reasons));
  if (r.return_consumed_capacity && *r.return_consumed_capacity != ReturnConsumedCapacity::kNone) {
    out.consumed_capacity.emplace();
    for (const auto& [_, t] : tallies)
      out.consumed_capacity->push_back(*engine::Report(t, r.return_consumed_capacity));
  }
  return out;
}

}  // namespace localdynamo
