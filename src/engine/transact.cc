// TransactWriteItems and TransactGetItems: all-or-nothing in one LMDB transaction, DynamoDB's
// cancellation reasons in request order, ClientRequestToken idempotency, doubled capacity.

#include <set>

#include <fmt/format.h>

#include "engine/capacity.h"
#include "engine/errors.h"
#include "engine/expression_params.h"
#include "engine/item_collection.h"
#include "engine/item_validation.h"
#include "engine/keys.h"
#include "engine/mutation.h"
#include "engine/request_tokens.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo {

using engine::CapacityTally;
using Kind = TransactWriteItem::Kind;

namespace {

constexpr std::size_t kMaxTransactItems = 100;
constexpr std::size_t kMaxTransactionBytes = 4 * 1024 * 1024;
struct Prepared {
  TablePtr table;
  std::optional<expr::ConditionExpr> condition;
  std::optional<expr::UpdateExpr> update;
  std::string full_key;
};

// A retry of an applied request (same ClientRequestToken, same parameters): "the responses to
// the calls might not be the same. If the ReturnConsumedCapacity parameter is set, then the
// initial TransactWriteItems call returns the amount of write capacity units consumed in making
// the changes. Subsequent TransactWriteItems calls with the same client token return the number
// of read capacity units consumed in reading the item." Reported as the retry asks.
TransactWriteItemsResponse RetryResponse(const TransactWriteItemsRequest& r, engine::TokenAnswer answer) {
  TransactWriteItemsResponse out;
  if (engine::Reported(r.return_consumed_capacity)) {
    out.consumed_capacity.emplace();
    for (const auto& [table, units] : answer.read_units) {
      CapacityTally t;
      t.table_name = table;
      t.is_read = true;
      t.table = units;
      out.consumed_capacity->push_back(*engine::Report(t, r.return_consumed_capacity));
    }
  }
  if (r.return_item_collection_metrics == ReturnItemCollectionMetrics::kSize)
    out.item_collection_metrics = std::move(answer.item_collection_metrics);
  return out;
}

}  // namespace

Result<TransactWriteItemsResponse> Database::TransactWriteItems(const TransactWriteItemsRequest& r) {
  Impl& db = *impl_;
  LD_RETURN_IF_ERROR(errors::CheckListLength(r.transact_items.size(), kMaxTransactItems, "transactItems"));
  engine::RequestHash request_hash{};
  if (r.client_request_token) {
    LD_RETURN_IF_ERROR(engine::CheckRequestToken(*r.client_request_token));
    request_hash = engine::HashRequest(r);
  }
  const int64_t now = db.options.clock->NowMillis();

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  if (r.client_request_token) {
    // Looked up in the write transaction: a request with the same token that committed before
    // it began is seen, so two such requests never both apply (and neither does a retry after
    // a restart: the tokens are in the database).
    LD_ASSIGN_OR_RETURN(auto answer, engine::FindRequestToken(txn, *r.client_request_token, request_hash, now));
    if (answer) return RetryResponse(r, std::move(*answer));
  }
  std::vector<Prepared> prepared;
  std::set<std::pair<std::string, std::string>> seen;
  std::size_t request_bytes = 0;
  for (const auto& a : r.transact_items) {
    Prepared p;
    LD_ASSIGN_OR_RETURN(p.table, db.RequireTable(txn, a.table_name));
    if (a.kind == Kind::kPut) {
      LD_RETURN_IF_ERROR(engine::ValidateItemKeys(*p.table, a.item));
      LD_RETURN_IF_ERROR(engine::ValidateValues(a.item));
      LD_RETURN_IF_ERROR(engine::ValidateSize(a.item));
      p.full_key = engine::TableKey(*p.table, a.item);
    } else {
      LD_RETURN_IF_ERROR(engine::ValidateKey(*p.table, a.key));
      p.full_key = engine::TableKey(*p.table, a.key);
    }
    if (!seen.insert({p.table->name, p.full_key}).second)
      return ValidationError("Transaction request cannot include multiple operations on one item");
    expr::Context ctx(a.expression_attribute_names ? &*a.expression_attribute_names : nullptr,
                      a.expression_attribute_values ? &*a.expression_attribute_values : nullptr);
    if (a.kind == Kind::kConditionCheck && !a.condition_expression)
      return ValidationError("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
    if (a.kind == Kind::kUpdate) {
      if (!a.update_expression)
        return ValidationError("1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null");
      LD_ASSIGN_OR_RETURN(auto u, expr::ParseUpdate(*a.update_expression, ctx));
      for (const auto& name : expr::TopLevelAttributeNames(u)) {
        if (name == p.table->key.hash.name || (p.table->key.range && name == p.table->key.range->name))
          return errors::Invalid(fmt::format("Cannot update attribute {}. This attribute is part of the key", name));
      }
      p.update = std::move(u);
    }
    LD_ASSIGN_OR_RETURN(p.condition, engine::PrepareCondition(ctx, a.condition_expression, std::nullopt, std::nullopt));
    LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
    prepared.push_back(std::move(p));
    // "The aggregate size of the items in the transaction cannot exceed 4 MB" (TransactWriteItems'
    // reference): what the request carries of each, a Put's item and the others' keys. The text
    // is in the style of DynamoDB's other transaction refusals; no recording of it was found.
    request_bytes += ItemSize(a.kind == Kind::kPut ? a.item : a.key);
    if (request_bytes > kMaxTransactionBytes) return ValidationError("Transaction request cannot be larger than 4 MB");
  }

  // Evaluate every condition before writing anything; DynamoDB reports all of them.
  engine::Mutation m(db, txn);
  std::vector<CancellationReason> reasons(r.transact_items.size(), CancellationReason{"None", "", nullptr});
  bool cancelled = false;
  std::vector<std::optional<Item>> olds(r.transact_items.size());
  for (std::size_t i = 0; i < r.transact_items.size(); ++i) {
    const auto& a = r.transact_items[i];
    const auto& p = prepared[i];
    LD_ASSIGN_OR_RETURN(olds[i], m.Read(*p.table, a.kind == Kind::kPut ? a.item : a.key));
    if (p.condition && !expr::Evaluate(*p.condition, olds[i] ? *olds[i] : Item{})) {
      cancelled = true;
      reasons[i] = {"ConditionalCheckFailed", "The conditional request failed", nullptr};
      if (a.return_values_on_condition_check_failure == ReturnValuesOnConditionCheckFailure::kAllOld && olds[i])
        reasons[i].item = std::make_shared<const Item>(*olds[i]);
    }
  }
  if (cancelled) {
    return errors::TransactionCanceled(std::move(reasons));
  }

  std::map<std::string, CapacityTally> tallies;
  std::map<std::string, std::vector<ItemCollectionMetrics>> metrics;
  engine::TokenAnswer token_answer;  // with a ClientRequestToken: what its retries are told
  for (std::size_t i = 0; i < r.transact_items.size(); ++i) {
    const auto& a = r.transact_items[i];
    const auto& p = prepared[i];
    CapacityTally& tally = tallies[p.table->name];
    tally.table_name = p.table->name;
    tally.is_read = false;
    std::size_t left_size = 0;  // the item as the transaction leaves it (none: 0)
    switch (a.kind) {
      case Kind::kConditionCheck:
        left_size = olds[i] ? ItemSize(*olds[i]) : 0;
        // A condition check costs a read... billed as a write unit in a transaction.
        tally.table += engine::WriteUnits(left_size);
        break;
      case Kind::kPut:
        if (r.client_request_token) left_size = ItemSize(a.item);
        LD_RETURN_IF_ERROR(m.Apply(*p.table, engine::Mutation::Ptr(olds[i]), &a.item, &tally));
        break;
      case Kind::kDelete: LD_RETURN_IF_ERROR(m.Apply(*p.table, engine::Mutation::Ptr(olds[i]), nullptr, &tally)); break;
      case Kind::kUpdate: {
        Item base = olds[i] ? *olds[i] : a.key;
        LD_ASSIGN_OR_RETURN(Item next, expr::ApplyUpdate(*p.update, base, nullptr));
        LD_RETURN_IF_ERROR(engine::ValidateItemKeys(*p.table, next));
        LD_RETURN_IF_ERROR(engine::ValidateValues(next));
        LD_RETURN_IF_ERROR(engine::ValidateSize(next));
        if (r.client_request_token) left_size = ItemSize(next);
        LD_RETURN_IF_ERROR(m.Apply(*p.table, engine::Mutation::Ptr(olds[i]), &next, &tally));
        break;
      }
    }
    // A retry reads the item: a transactional read, strongly consistent and doubled.
    if (r.client_request_token) token_answer.read_units[p.table->name] += 2 * engine::ReadUnits(left_size, true);
    if (a.kind != Kind::kConditionCheck) {
      LD_ASSIGN_OR_RETURN(auto icm, engine::CollectionMetrics(txn, *p.table, a.kind == Kind::kPut ? a.item : a.key,
                                                              r.return_item_collection_metrics));
      if (icm) metrics[p.table->name].push_back(std::move(*icm));
    }
  }

  TransactWriteItemsResponse out;
  if (!metrics.empty()) out.item_collection_metrics = std::move(metrics);
  if (r.return_consumed_capacity && *r.return_consumed_capacity != ReturnConsumedCapacity::kNone) {
    out.consumed_capacity.emplace();
    for (auto& [_, t] : tallies) {
      t.Scale(2);  // transactional writes cost double
      out.consumed_capacity->push_back(*engine::Report(t, r.return_consumed_capacity));
    }
  }
  if (r.client_request_token) {
    // In the transaction it guards: the token is used if and only if the request applied.
    token_answer.item_collection_metrics = out.item_collection_metrics;
    LD_RETURN_IF_ERROR(engine::RecordRequestToken(txn, *r.client_request_token, request_hash, now, token_answer));
  }
  LD_RETURN_IF_ERROR(engine::CommitAndDeliver(db, txn, m));
  return out;
}

Result<TransactGetItemsResponse> Database::TransactGetItems(const TransactGetItemsRequest& r) {
  Impl& db = *impl_;
  LD_RETURN_IF_ERROR(errors::CheckListLength(r.transact_items.size(), kMaxTransactItems, "transactItems"));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());  // one snapshot for every Get
  TransactGetItemsResponse out;
  std::map<std::string, CapacityTally> tallies;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& g : r.transact_items) {
    LD_ASSIGN_OR_RETURN(auto table, db.RequireTable(txn, g.table_name));
    LD_RETURN_IF_ERROR(engine::ValidateKey(*table, g.key));
    std::string full = engine::TableKey(*table, g.key);
    if (!seen.insert({table->name, full}).second)
      return ValidationError("Transaction request cannot include multiple operations on one item");
    expr::Context ctx(g.expression_attribute_names ? &*g.expression_attribute_names : nullptr, nullptr);
    LD_ASSIGN_OR_RETURN(auto projection, engine::PrepareProjection(ctx, g.projection_expression, std::nullopt));
    LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
    LD_ASSIGN_OR_RETURN(auto payload, storage::GetEntry(txn, txn.dbis().data, full));
    ItemResponse resp;
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
  if (r.return_consumed_capacity && *r.return_consumed_capacity != ReturnConsumedCapacity::kNone) {
    out.consumed_capacity.emplace();
    for (const auto& [_, t] : tallies) out.consumed_capacity->push_back(*engine::Report(t, r.return_consumed_capacity));
  }
  return out;
}

}  // namespace localdynamo
