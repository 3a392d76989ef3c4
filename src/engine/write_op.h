#pragma once
// WriteOp: the one read-modify-write path in front of Mutation.
//
// Every item write DynamoDB has is a WriteOp: PutItem, UpdateItem, DeleteItem, each action of
// TransactWriteItems, each put and delete of BatchWriteItem, and PartiQL's INSERT, UPDATE,
// DELETE and EXISTS. A WriteOp is prepared once from its request (DynamoDB's parameter rules
// checked, its expressions parsed), validated against the table (ValidateWrite), and
// evaluated against the item it finds (Evaluate), which gives its outcome: the item the write
// leaves, a failed condition, or a validation error. A single-item call runs one (RunWrite);
// a transaction runs a list of them (RunTransaction), its cancellation reasons being their
// outcomes; a batch applies its puts and deletes. All of them write through Mutation.

#include <optional>
#include <string>
#include <vector>

#include "engine/database_impl.h"
#include "engine/request_tokens.h"
#include "expr/expressions.h"
#include "localdynamo/requests.h"

namespace localdynamo::engine {

enum class WriteKind { kConditionCheck, kPut, kDelete, kUpdate };

struct WriteOp {
  WriteKind kind = WriteKind::kPut;
  std::string table_name;
  // kPut: the item to store; the others: the key. Borrowed: it points into the request the op
  // was prepared from (or storage its caller keeps), which must outlive the op.
  const Item* item = nullptr;
  std::optional<expr::ConditionExpr> condition;
  // kUpdate: the changes (none: an UpdateItem that only creates the item or checks it).
  std::optional<expr::UpdateExpr> update;
  std::optional<ReturnValuesOnConditionCheckFailure> on_condition_failure;
  // PartiQL's INSERT: the condition is that the item is new, so its failure is a duplicate
  // item (DuplicateItemException; the DuplicateItem cancellation reason).
  bool insert = false;
};

// ---- preparation (no table needed) ----------------------------------------------------------
// DynamoDB's rules for the request's parameters (legacy and expression parameters not mixed,
// ReturnValues allowed, every name and value used) and its expressions' syntax, as
// ValidationExceptions.
Result<WriteOp> PreparePut(const PutItemRequest& r);
Result<WriteOp> PrepareDelete(const DeleteItemRequest& r);
Result<WriteOp> PrepareUpdate(const UpdateItemRequest& r);
Result<WriteOp> PrepareTransactWrite(const TransactWriteItem& a);
// A BatchWriteItem put or delete (no condition).
WriteOp BatchPut(const std::string& table_name, const Item& item);
WriteOp BatchDelete(const std::string& table_name, const Item& key);

// ---- validation against the table -----------------------------------------------------------
// A write the table's schema refuses, and how a transaction reports it: the request refused as
// a whole (an empty key value, a Put's item over 400 KB, an update of a key attribute: what the
// request alone shows) or the action's ValidationError cancellation reason (a key or item that
// does not match the schema). Single-item calls and batches answer `error` either way.
struct WriteRefusal {
  Error error;
  bool whole_request = false;
};
// The key (a Put's item: its key attributes, every index key attribute it has, its sets and its
// size) and an update's target attributes; nullopt when valid.
std::optional<WriteRefusal> ValidateWrite(const WriteOp& op, const TableMeta& table);

// ---- evaluation against the item found --------------------------------------------------------
struct WriteOutcome {
  enum class Kind { kWrite, kConditionFailed, kInvalid };
  Kind kind = Kind::kWrite;
  // kWrite of an update: the item it computed.
  std::optional<Item> updated;
  // kConditionFailed: ConditionalCheckFailedException (with the old item when asked) or, for an
  // INSERT, DuplicateItemException. kInvalid: the ValidationException computing the new item
  // raised (an update's operand of the wrong type, an item grown past 400 KB, ...).
  Error error;

  // kWrite: the item as the write leaves it (null: none), given the op and the old item it was
  // evaluated against: a Put's item, an update's result, the old item for a condition check.
  const Item* Left(const WriteOp& op, const std::optional<Item>& old) const;
};
// Precondition: ValidateWrite(op, table) passed; `old` is the item stored under op's key.
WriteOutcome Evaluate(const WriteOp& op, const TableMeta& table, const std::optional<Item>& old);
// The outcome as a transaction's cancellation reason (None for kWrite).
CancellationReason ReasonFor(const WriteOutcome& outcome);

// ---- running ----------------------------------------------------------------------------------
// One write in its own LMDB transaction: the item before and after, capacity and item
// collection metrics as asked. Errors: ResourceNotFoundException (no such table),
// ValidationException, ConditionalCheckFailedException / DuplicateItemException, and LMDB's
// failures (InternalServerError; the map or disk full).
struct WriteDone {
  std::optional<Item> old_item;
  WriteOutcome outcome;  // kWrite
  std::optional<ConsumedCapacity> consumed_capacity;
  std::optional<ItemCollectionMetrics> item_collection_metrics;
};
Result<WriteDone> RunWrite(Database::Impl& db, const WriteOp& op,
                           std::optional<ReturnConsumedCapacity> capacity,
                           std::optional<ReturnItemCollectionMetrics> metrics);

// What TransactWriteItems and ExecuteTransaction ask of a transaction besides its writes.
struct TransactionOptions {
  std::optional<std::string> client_request_token;
  RequestHash request_hash{};  // the request's, when it has a token
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics;
};
// The writes, all or none, in one LMDB transaction. Errors: those of RunWrite, and
// TransactionCanceledException with a reason per write, in order, when any condition fails
// or any write is invalid for its item; IdempotentParameterMismatchException for a token in
// use by other parameters.
Result<TransactWriteItemsResponse> RunTransaction(Database::Impl& db,
                                                  const std::vector<WriteOp>& ops,
                                                  const TransactionOptions& options);

// The attributes ReturnValues asks for: the whole old or new item, or only the paths an
// update wrote (none: nothing to return).
std::optional<Item> ReturnedAttributes(std::optional<ReturnValue> rv, const WriteOp& op,
                                       const WriteDone& done);

}  // namespace localdynamo::engine
