#include "engine/write_op.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "engine/capacity.h"
#include "engine/errors.h"
#include "engine/expression_params.h"
#include "engine/item_collection.h"
#include "engine/item_validation.h"
#include "engine/keys.h"
#include "engine/mutation.h"

namespace localdynamo::engine {
namespace {

constexpr std::size_t kMaxTransactionBytes = 4 * 1024 * 1024;

// PutItem and DeleteItem return nothing or the old item; UpdateItem may ask for any.
Status CheckReturnValues(std::optional<ReturnValue> rv) {
  if (rv && *rv != ReturnValue::kNone && *rv != ReturnValue::kAllOld)
    return ValidationError("Return values set to invalid value");
  return OkStatus();
}

expr::Context ContextOf(const std::optional<NameMap>& names,
                        const std::optional<ValueMap>& values) {
  return expr::Context(names ? &*names : nullptr, values ? &*values : nullptr);
}

// PutItem's and DeleteItem's parameters: ConditionExpression or legacy Expected, with
// DynamoDB's parameter checks (mixing, ReturnValues NONE/ALL_OLD, unused names and values).
template <class Request>
Result<WriteOp> PrepareConditional(const Request& r, WriteKind kind, const Item* item) {
  ParamUse use;
  if (r.expected) use.legacy.push_back("Expected");
  if (r.conditional_operator) use.legacy.push_back("ConditionalOperator");
  if (r.condition_expression) use.expressions.push_back("ConditionExpression");
  use.has_names = r.expression_attribute_names.has_value();
  use.has_values = r.expression_attribute_values.has_value();
  LD_RETURN_IF_ERROR(CheckParamMix(use));
  LD_RETURN_IF_ERROR(CheckReturnValues(r.return_values));
  expr::Context ctx = ContextOf(r.expression_attribute_names, r.expression_attribute_values);
  WriteOp op;
  op.kind = kind;
  op.table_name = r.table_name;
  op.item = item;
  op.on_condition_failure = r.return_values_on_condition_check_failure;
  LD_ASSIGN_OR_RETURN(op.condition, PrepareCondition(ctx, r.condition_expression, r.expected,
                                                     r.conditional_operator));
  LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
  return op;
}

bool IsKeyAttribute(const TableMeta& table, const std::string& name) {
  return name == table.key.hash.name || (table.key.range && name == table.key.range->name);
}

// An empty string or binary as one of the table's key values: refused before anything else
// (a transaction refuses the whole request for it, rather than cancelling).
bool HasEmptyKeyValue(const TableMeta& table, const Item& item) {
  for (const KeyAttr* attr : {&table.key.hash, table.key.range ? &*table.key.range : nullptr}) {
    if (!attr) continue;
    auto v = item.find(attr->name);
    if (v == item.end() || v->second.type() != ToValueType(attr->type)) return false;
    if ((v->second.is(Type::kS) && v->second.s().empty()) ||
        (v->second.is(Type::kB) && v->second.b().empty()))
      return true;
  }
  return false;
}

std::optional<WriteRefusal> Refuse(Status s, bool whole_request) {
  if (s.ok()) return std::nullopt;
  return WriteRefusal{std::move(s).error(), whole_request};
}

// Where a single-item write counts its capacity: `tally`, set up for the table, when the
// request reports capacity; nowhere (null) otherwise, so the write skips the counting.
CapacityTally* WriteTally(CapacityTally& tally, const TableMeta& t,
                          std::optional<ReturnConsumedCapacity> mode) {
  if (!Reported(mode)) return nullptr;
  tally.table_name = t.name;
  tally.is_read = false;
  return &tally;
}

// A retry of an applied request (same ClientRequestToken, same parameters): "the responses to
// the calls might not be the same. If the ReturnConsumedCapacity parameter is set, then the
// initial TransactWriteItems call returns the amount of write capacity units consumed in making
// the changes. Subsequent TransactWriteItems calls with the same client token return the number
// of read capacity units consumed in reading the item." Reported as the retry asks.
TransactWriteItemsResponse RetryResponse(const TransactionOptions& o, TokenAnswer answer) {
  TransactWriteItemsResponse out;
  if (Reported(o.return_consumed_capacity)) {
    out.consumed_capacity.emplace();
    for (const auto& [table, units] : answer.read_units) {
      CapacityTally t;
      t.table_name = table;
      t.is_read = true;
      t.table = units;
      out.consumed_capacity->push_back(*Report(t, o.return_consumed_capacity));
    }
  }
  if (o.return_item_collection_metrics == ReturnItemCollectionMetrics::kSize)
    out.item_collection_metrics = std::move(answer.item_collection_metrics);
  return out;
}

}  // namespace

// ---- preparation ------------------------------------------------------------------------------

Result<WriteOp> PreparePut(const PutItemRequest& r) {
  return PrepareConditional(r, WriteKind::kPut, &r.item);
}

Result<WriteOp> PrepareDelete(const DeleteItemRequest& r) {
  return PrepareConditional(r, WriteKind::kDelete, &r.key);
}

Result<WriteOp> PrepareUpdate(const UpdateItemRequest& r) {
  ParamUse use;
  if (r.attribute_updates) use.legacy.push_back("AttributeUpdates");
  if (r.expected) use.legacy.push_back("Expected");
  if (r.conditional_operator) use.legacy.push_back("ConditionalOperator");
  if (r.update_expression) use.expressions.push_back("UpdateExpression");
  if (r.condition_expression) use.expressions.push_back("ConditionExpression");
  use.has_names = r.expression_attribute_names.has_value();
  use.has_values = r.expression_attribute_values.has_value();
  LD_RETURN_IF_ERROR(CheckParamMix(use));
  expr::Context ctx = ContextOf(r.expression_attribute_names, r.expression_attribute_values);
  WriteOp op;
  op.kind = WriteKind::kUpdate;
  op.table_name = r.table_name;
  op.item = &r.key;
  op.on_condition_failure = r.return_values_on_condition_check_failure;
  if (r.update_expression) {
    LD_ASSIGN_OR_RETURN(op.update, expr::ParseUpdate(*r.update_expression, ctx));
  } else if (r.attribute_updates) {
    LD_ASSIGN_OR_RETURN(op.update, expr::FromAttributeUpdates(*r.attribute_updates));
  }
  LD_ASSIGN_OR_RETURN(op.condition, PrepareCondition(ctx, r.condition_expression, r.expected,
                                                     r.conditional_operator));
  LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
  return op;
}

Result<WriteOp> PrepareTransactWrite(const TransactWriteItem& action) {
  return std::visit(
      [](const auto& a) -> Result<WriteOp> {
        using A = std::decay_t<decltype(a)>;
        WriteOp op;
        op.table_name = a.table_name;
        op.on_condition_failure = a.return_values_on_condition_check_failure;
        expr::Context ctx = ContextOf(a.expression_attribute_names, a.expression_attribute_values);
        std::optional<std::string> condition;
        if constexpr (std::is_same_v<A, TransactPut>) {
          op.kind = WriteKind::kPut;
          op.item = &a.item;
          condition = a.condition_expression;
        } else if constexpr (std::is_same_v<A, TransactConditionCheck>) {
          op.kind = WriteKind::kConditionCheck;
          op.item = &a.key;
          condition = a.condition_expression;
        } else if constexpr (std::is_same_v<A, TransactDelete>) {
          op.kind = WriteKind::kDelete;
          op.item = &a.key;
          condition = a.condition_expression;
        } else {
          op.kind = WriteKind::kUpdate;
          op.item = &a.key;
          condition = a.condition_expression;
          LD_ASSIGN_OR_RETURN(op.update, expr::ParseUpdate(a.update_expression, ctx));
        }
        LD_ASSIGN_OR_RETURN(op.condition,
                            PrepareCondition(ctx, condition, std::nullopt, std::nullopt));
        LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
        return op;
      },
      action);
}

WriteOp BatchPut(const std::string& table_name, const Item& item) {
  WriteOp op;
  op.kind = WriteKind::kPut;
  op.table_name = table_name;
  op.item = &item;
  return op;
}

WriteOp BatchDelete(const std::string& table_name, const Item& key) {
  WriteOp op = BatchPut(table_name, key);
  op.kind = WriteKind::kDelete;
  return op;
}

// ---- validation against the table ---------------------------------------------------------------

std::optional<WriteRefusal> ValidateWrite(const WriteOp& op, const TableMeta& table) {
  if (op.kind == WriteKind::kPut) {
    if (auto r = Refuse(ValidateItemKeys(table, *op.item), HasEmptyKeyValue(table, *op.item)))
      return r;
    bool too_deep = false;
    Status values = ValidateValues(*op.item, &too_deep);
    if (auto r = Refuse(std::move(values), too_deep)) return r;
    return Refuse(ValidateSize(*op.item), true);
  }
  if (auto r = Refuse(ValidateKey(table, *op.item), HasEmptyKeyValue(table, *op.item))) return r;
  if (op.update) {
    for (const auto& name : expr::TopLevelAttributeNames(*op.update))
      if (IsKeyAttribute(table, name))
        return WriteRefusal{
            errors::Invalid(
                fmt::format("Cannot update attribute {}. This attribute is part of the key", name)),
            true};
  }
  return std::nullopt;
}

// ---- evaluation
// -------------------------------------------------------------------------------------

WriteOutcome Evaluate(const WriteOp& op, const TableMeta& table, const std::optional<Item>& old) {
  WriteOutcome out;
  if (op.condition && !expr::Evaluate(*op.condition, old ? *old : Item{})) {
    out.kind = WriteOutcome::Kind::kConditionFailed;
    if (op.insert) {
      out.error = errors::DuplicateItem();
    } else {
      out.error = ConditionalCheckFailed();
      if (op.on_condition_failure == ReturnValuesOnConditionCheckFailure::kAllOld && old)
        out.error.item = std::make_shared<const Item>(*old);
    }
    return out;
  }
  auto invalid = [&out](Error e) {
    out.kind = WriteOutcome::Kind::kInvalid;
    out.error = std::move(e);
    return std::move(out);
  };
  if (op.kind != WriteKind::kUpdate) return out;
  // UpdateItem upserts: a missing item starts as its key.
  const Item& base = old ? *old : *op.item;
  if (!op.update) {
    out.updated = base;
  } else {
    auto next = expr::ApplyUpdate(*op.update, base);
    if (!next.ok()) return invalid(std::move(next).error());
    out.updated = std::move(*next);
  }
  Status valid = ValidateItemKeys(table, *out.updated);
  if (valid.ok()) valid = ValidateValues(*out.updated);
  if (valid.ok()) valid = ValidateSize(*out.updated);
  if (!valid.ok()) return invalid(std::move(valid).error());
  return out;
}

const Item* WriteOutcome::Left(const WriteOp& op, const std::optional<Item>& old) const {
  switch (op.kind) {
    case WriteKind::kConditionCheck:
      return old ? &*old : nullptr;
    case WriteKind::kPut:
      return op.item;
    case WriteKind::kDelete:
      return nullptr;
    case WriteKind::kUpdate:
      return updated ? &*updated : nullptr;
  }
  return nullptr;
}

CancellationReason ReasonFor(const WriteOutcome& outcome) {
  switch (outcome.kind) {
    case WriteOutcome::Kind::kWrite:
      return {};
    case WriteOutcome::Kind::kConditionFailed:
      if (outcome.error.code == ErrorCode::kDuplicateItem)
        return {CancellationCode::kDuplicateItem, outcome.error.message, nullptr};
      return {CancellationCode::kConditionalCheckFailed, outcome.error.message, outcome.error.item};
    case WriteOutcome::Kind::kInvalid:
      return {CancellationCode::kValidationError, outcome.error.message, nullptr};
  }
  return {};
}

std::optional<Item> ReturnedAttributes(std::optional<ReturnValue> rv, const WriteOp& op,
                                       const WriteDone& done) {
  if (!rv || *rv == ReturnValue::kNone) return std::nullopt;
  const bool old_side = *rv == ReturnValue::kAllOld || *rv == ReturnValue::kUpdatedOld;
  const Item* source =
      old_side ? Mutation::Ptr(done.old_item) : done.outcome.Left(op, done.old_item);
  if (!source) return std::nullopt;
  if (*rv == ReturnValue::kAllOld || *rv == ReturnValue::kAllNew) return *source;
  if (!op.update) return std::nullopt;
  Item out = expr::Project(expr::UpdatedPaths(*op.update), *source);
  if (out.empty()) return std::nullopt;
  return out;
}

// ---- running
// ----------------------------------------------------------------------------------------

Result<WriteDone> RunWrite(Database::Impl& db, const WriteOp& op,
                           std::optional<ReturnConsumedCapacity> capacity,
                           std::optional<ReturnItemCollectionMetrics> metrics) {
  WriteDone done;
  CapacityTally tally;
  LD_RETURN_IF_ERROR(db.commits.Write([&](storage::WriteTxn& txn, Mutation& m) -> Status {
    done = {};
    tally = {};
    LD_ASSIGN_OR_RETURN(auto table, db.catalog.Require(txn, op.table_name));
    if (auto refusal = ValidateWrite(op, *table)) return std::move(refusal->error);
    LD_ASSIGN_OR_RETURN(done.old_item, m.Read(*table, *op.item));
    done.outcome = Evaluate(op, *table, done.old_item);
    if (done.outcome.kind != WriteOutcome::Kind::kWrite) return std::move(done.outcome.error);
    if (op.kind != WriteKind::kConditionCheck)
      LD_RETURN_IF_ERROR(m.Apply(*table, Mutation::Ptr(done.old_item),
                                 done.outcome.Left(op, done.old_item),
                                 WriteTally(tally, *table, capacity)));
    LD_ASSIGN_OR_RETURN(done.item_collection_metrics,
                        CollectionMetrics(txn, *table, *op.item, metrics));
    return OkStatus();
  }));
  done.consumed_capacity = Report(tally, capacity);
  return done;
}

Result<TransactWriteItemsResponse> RunTransaction(Database::Impl& db,
                                                  const std::vector<WriteOp>& ops,
                                                  const TransactionOptions& o) {
  const int64_t now = db.options.clock->NowMillis();
  TransactWriteItemsResponse out;
  LD_RETURN_IF_ERROR(db.commits.Write([&](storage::WriteTxn& txn, Mutation& m) -> Status {
    out = {};
    if (o.client_request_token) {
      // Looked up in the write transaction: a request with the same token that committed before
      // it began is seen, so two such requests never both apply (and neither does a retry after
      // a restart: the tokens are in the database).
      LD_ASSIGN_OR_RETURN(auto answer,
                          FindRequestToken(txn, *o.client_request_token, o.request_hash, now));
      if (answer) {
        out = RetryResponse(o, std::move(*answer));
        return OkStatus();
      }
    }
    // What the request shows is checked for every action before any item is read: its tables,
    // keys, the items it names twice and its size refuse it as a whole; an action that does not
    // fit its table's schema cancels it, with that action's ValidationError reason.
    std::vector<TablePtr> tables;
    std::vector<CancellationReason> reasons(ops.size());
    bool cancelled = false;
    std::set<std::pair<std::string, std::string>> seen;
    std::size_t request_bytes = 0;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const WriteOp& op = ops[i];
      LD_ASSIGN_OR_RETURN(auto table, db.catalog.Require(txn, op.table_name));
      tables.push_back(table);
      if (auto refusal = ValidateWrite(op, *table)) {
        if (refusal->whole_request) return std::move(refusal->error);
        reasons[i] = {CancellationCode::kValidationError, refusal->error.message, nullptr};
        cancelled = true;
      } else if (!seen.insert({table->name, TableKey(*table, *op.item)}).second) {
        return ValidationError(
            "Transaction request cannot include multiple operations on one item");
      }
      // "The aggregate size of the items in the transaction cannot exceed 4 MB"
      // (TransactWriteItems' reference): what the request carries of each, a Put's item and the
      // others' keys. The text is in the style of DynamoDB's other transaction refusals; no
      // recording of it was found.
      request_bytes += ItemSize(*op.item);
      if (request_bytes > kMaxTransactionBytes)
        return ValidationError("Transaction request cannot be larger than 4 MB");
    }

    // Every action is evaluated before anything is written; DynamoDB reports each one's outcome.
    std::vector<std::optional<Item>> olds(ops.size());
    std::vector<WriteOutcome> outcomes(ops.size());
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (reasons[i].code != CancellationCode::kNone) continue;
      LD_ASSIGN_OR_RETURN(olds[i], m.Read(*tables[i], *ops[i].item));
      outcomes[i] = Evaluate(ops[i], *tables[i], olds[i]);
      if (outcomes[i].kind != WriteOutcome::Kind::kWrite) {
        reasons[i] = ReasonFor(outcomes[i]);
        cancelled = true;
      }
    }
    if (cancelled) return errors::TransactionCanceled(std::move(reasons));

    std::map<std::string, CapacityTally> tallies;
    std::map<std::string, std::vector<ItemCollectionMetrics>> metrics;
    TokenAnswer token_answer;  // with a ClientRequestToken: what its retries are told
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const WriteOp& op = ops[i];
      const TableMeta& table = *tables[i];
      CapacityTally& tally = tallies[table.name];
      tally.table_name = table.name;
      tally.is_read = false;
      // The item as the transaction leaves it (none: 0), when something needs its size.
      const bool sized = op.kind == WriteKind::kConditionCheck || o.client_request_token;
      const Item* left = outcomes[i].Left(op, olds[i]);
      const std::size_t left_size = sized && left ? ItemSize(*left) : 0;
      if (op.kind == WriteKind::kConditionCheck) {
        // A condition check costs a read... billed as a write unit in a transaction.
        tally.table += WriteUnits(left_size);
      } else {
        LD_RETURN_IF_ERROR(m.Apply(table, Mutation::Ptr(olds[i]), left, &tally));
        LD_ASSIGN_OR_RETURN(
            auto icm, CollectionMetrics(txn, table, *op.item, o.return_item_collection_metrics));
        if (icm) metrics[table.name].push_back(std::move(*icm));
      }
      // A retry reads the item: a transactional read, strongly consistent and doubled.
      if (o.client_request_token)
        token_answer.read_units[table.name] += 2 * ReadUnits(left_size, true);
    }

    if (!metrics.empty()) out.item_collection_metrics = std::move(metrics);
    if (Reported(o.return_consumed_capacity)) {
      out.consumed_capacity.emplace();
      for (auto& [_, t] : tallies) {
        t.Scale(2);  // transactional writes cost double
        out.consumed_capacity->push_back(*Report(t, o.return_consumed_capacity));
      }
    }
    if (o.client_request_token) {
      // In the transaction it guards: the token is used if and only if the request applied.
      token_answer.item_collection_metrics = out.item_collection_metrics;
      LD_RETURN_IF_ERROR(
          RecordRequestToken(txn, *o.client_request_token, o.request_hash, now, token_answer));
    }
    return OkStatus();
  }));
  return out;
}

}  // namespace localdynamo::engine
