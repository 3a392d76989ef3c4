// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: PartiQL statements run as the
// operations they stand for, written out in DynamoDB's expression language (names and values
// as placeholders), so that conditions, updates, capacity, streams and their errors are the
// ones every other operation has. What is PartiQL's own (which statements are a Query, the
// whole-key rule for writes, RETURNING, projections keyed by their last name, the batch and
// transaction rules) follows DynamoDB as others recorded it (conformance suites run against
// it, 2026); where only DynamoDB Local's texts were found, those are used.

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "engine/database_impl.h"
#include "engine/errors.h"
#include "engine/request_tokens.h"
#include "engine/write_op.h"
#include "expr/ast.h"
#include "partiql/statement.h"
#include "localdynamo/database.h"
#include "storage/item_codec.h"
#include "storage/layout.h"
#include "types/ascii.h"

namespace localdynamo {
namespace {

using partiql::Condition;
using partiql::Operand;
using partiql::Statement;

constexpr std::size_t kMaxStatementLength = 8192;
constexpr std::size_t kMaxBatchStatements = 25;
constexpr std::size_t kMaxTransactionStatements = 100;

// ---- the statement as DynamoDB expressions ------------------------------------------------

class ExpressionWriter {
 public:
  std::string Name(const std::string& name) {
    auto [it, inserted] = name_ids_.try_emplace(name, name_ids_.size());
    const std::string placeholder = "#n" + std::to_string(it->second);
    names_[placeholder] = name;
    return placeholder;
  }
  std::string Value(const AttributeValue& v) {
    const std::string placeholder = ":v" + std::to_string(values_.size());
    values_[placeholder] = v;
    return placeholder;
  }
  std::string Path(const expr::Path& p) {
    std::string out;
    for (const auto& e : p) {
      if (e.index >= 0) {
        out.append("[").append(std::to_string(e.index)).append("]");
      } else {
        if (!out.empty()) out.push_back('.');
        out.append(Name(e.name));
      }
    }
    return out;
  }

  Result<std::string> Write(const Operand& o) {
    switch (o.kind) {
      case Operand::Kind::kValue:
        return Value(o.value);
      case Operand::Kind::kPath:
        return Path(o.path);
      case Operand::Kind::kPlus:
      case Operand::Kind::kMinus: {
        LD_ASSIGN_OR_RETURN(std::string a, Write(o.args[0]));
        LD_ASSIGN_OR_RETURN(std::string b, Write(o.args[1]));
        return a + (o.kind == Operand::Kind::kPlus ? " + " : " - ") + b;
      }
      case Operand::Kind::kCall: {
        static constexpr std::string_view kOperandFunctions[] = {"size", "list_append",
                                                                 "if_not_exists"};
        if (std::find(std::begin(kOperandFunctions), std::end(kOperandFunctions), o.function) ==
            std::end(kOperandFunctions))
          return ValidationError(fmt::format("Unrecognized function: {}", o.function));
        return Call(o.function, o.args);
      }
    }
    return InternalError("unknown operand");
  }

  Result<std::string> Write(const Condition& c) {
    using K = Condition::Kind;
    switch (c.kind) {
      case K::kAnd:
      case K::kOr: {
        LD_ASSIGN_OR_RETURN(std::string a, Write(c.children[0]));
        LD_ASSIGN_OR_RETURN(std::string b, Write(c.children[1]));
        return "(" + a + (c.kind == K::kAnd ? ") AND (" : ") OR (") + b + ")";
      }
      case K::kNot: {
        LD_ASSIGN_OR_RETURN(std::string a, Write(c.children[0]));
        return "NOT (" + a + ")";
      }
      case K::kCompare: {
        LD_ASSIGN_OR_RETURN(std::string a, Write(c.operands[0]));
        LD_ASSIGN_OR_RETURN(std::string b, Write(c.operands[1]));
        return a + " " + c.op + " " + b;
      }
      case K::kBetween: {
        LD_ASSIGN_OR_RETURN(std::string a, Write(c.operands[0]));
        LD_ASSIGN_OR_RETURN(std::string lo, Write(c.operands[1]));
        LD_ASSIGN_OR_RETURN(std::string hi, Write(c.operands[2]));
        return a + " BETWEEN " + lo + " AND " + hi;
      }
      case K::kIn: {
        LD_ASSIGN_OR_RETURN(std::string a, Write(c.operands[0]));
        std::string list;
        for (std::size_t i = 1; i < c.operands.size(); ++i) {
          LD_ASSIGN_OR_RETURN(std::string v, Write(c.operands[i]));
          list += (i > 1 ? ", " : "") + v;
        }
        return a + " IN (" + list + ")";
      }
      case K::kIsMissing: {
        LD_ASSIGN_OR_RETURN(std::string path, PathOnly(c.operands[0], "IS MISSING"));
        return fmt::format("{}({})", c.negated ? "attribute_exists" : "attribute_not_exists", path);
      }
      case K::kIsNull:
      case K::kIsType: {
        LD_ASSIGN_OR_RETURN(std::string path, PathOnly(c.operands[0], "IS"));
        const std::string type =
            Value(c.kind == K::kIsNull ? AttributeValue::S("NULL") : c.operands[1].value);
        return fmt::format("{}attribute_type({}, {})", c.negated ? "NOT " : "", path, type);
      }
      case K::kCall: {
        static constexpr std::string_view kConditionFunctions[] = {
            "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with",
            "contains"};
        if (std::find(std::begin(kConditionFunctions), std::end(kConditionFunctions), c.function) ==
            std::end(kConditionFunctions))
          return ValidationError(fmt::format("Unrecognized function: {}", c.function));
        return Call(c.function, c.operands);
      }
    }
    return InternalError("unknown condition");
  }

  NameMap names() const { return names_; }
  ValueMap values() const { return values_; }
  std::optional<NameMap> optional_names() const {
    return names_.empty() ? std::nullopt : std::optional(names_);
  }
  std::optional<ValueMap> optional_values() const {
    return values_.empty() ? std::nullopt : std::optional(values_);
  }

 private:
  Result<std::string> PathOnly(const Operand& o, std::string_view op) {
    if (o.kind != Operand::Kind::kPath)
      return ValidationError(fmt::format(
          "Operator or function requires a document path; operator or function: {}", op));
    return Path(o.path);
  }
  Result<std::string> Call(const std::string& function, const std::vector<Operand>& args) {
    std::string out = function + "(";
    for (std::size_t i = 0; i < args.size(); ++i) {
      LD_ASSIGN_OR_RETURN(std::string a, Write(args[i]));
      out += (i ? ", " : "") + a;
    }
    return out + ")";
  }

  std::map<std::string, std::size_t> name_ids_;
  NameMap names_;
  ValueMap values_;
};

// ---- keys ------------------------------------------------------------------------------------

struct KeyNames {
  std::string hash;
  std::optional<std::string> range;
  std::vector<std::string> all() const {
    std::vector<std::string> v{hash};
    if (range) v.push_back(*range);
    return v;
  }
};

KeyNames KeysOf(const std::vector<KeySchemaElement>& schema) {
  KeyNames k;
  for (const auto& e : schema)
    (e.key_type == KeyType::kHash ? k.hash : k.range.emplace()) = e.attribute_name;
  return k;
}

// The table's keys, and the index's when the statement reads one.
struct Target {
  KeyNames table;
  KeyNames keys;  // what the statement reads: the index's, or the table's
  // A global secondary index that doesn't project every attribute: its name and the
  // attributes it has (keys included). A SELECT can't ask it for others.
  std::optional<std::pair<std::string, std::set<std::string>>> partial_gsi;
};

Result<Target> TargetOf(Database::Impl& db, const Statement& st) {
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto table, db.catalog.Find(txn, st.table));
  if (!table) return errors::TableNotFound();  // as the item operations say it
  Target t;
  t.table = KeysOf(table->key_schema);
  t.keys = t.table;
  if (st.index) {
    const engine::IndexMeta* index = table->FindIndex(*st.index);
    if (!index) return ValidationError("The table does not have the specified index");
    t.keys = KeysOf(index->key_schema);
    const auto type = index->projection.projection_type.value_or(ProjectionType::kAll);
    if (index->global && type != ProjectionType::kAll) {
      std::set<std::string> has;
      for (const auto& names : {t.table.all(), t.keys.all()})
        has.insert(names.begin(), names.end());
      if (type == ProjectionType::kInclude)
        has.insert(index->projection.non_key_attributes.begin(),
                   index->projection.non_key_attributes.end());
      t.partial_gsi.emplace(index->name, std::move(has));
    }
  }
  return t;
}

// The conditions ANDed at the top of a WHERE clause.
void Conjuncts(const Condition& c, std::vector<const Condition*>* out) {
  if (c.kind == Condition::Kind::kAnd) {
    for (const auto& child : c.children) Conjuncts(child, out);
  } else {
    out->push_back(&c);
  }
}

// `name = value` (either way round) on a top-level attribute: its name and value.
std::optional<std::pair<std::string, AttributeValue>> Equality(const Condition& c) {
  if (c.kind != Condition::Kind::kCompare || c.op != "=") return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const Operand& a = c.operands[side];
    const Operand& b = c.operands[1 - side];
    if (a.kind == Operand::Kind::kPath && a.path.size() == 1 && a.path[0].index < 0 &&
        b.kind == Operand::Kind::kValue)
      return std::pair{a.path[0].name, b.value};
  }
  return std::nullopt;
}

// The item a write (or a transaction's read) names: an equality on each key attribute among
// the WHERE's top-level conjuncts. The rest of them are returned in `rest`.
Result<Item> WholeKey(const KeyNames& keys, const Condition& where,
                      std::vector<const Condition*>* rest) {
  std::vector<const Condition*> all;
  Conjuncts(where, &all);
  Item key;
  const auto names = keys.all();
  for (const Condition* c : all) {
    auto eq = Equality(*c);
    if (eq && std::find(names.begin(), names.end(), eq->first) != names.end()) {
      if (!key.try_emplace(eq->first, eq->second).second)
        return ValidationError(
            fmt::format("Multiple conditions on same key {}. Only single item Update/Insert/Delete "
                        "are supported",
                        eq->first));
    } else {
      rest->push_back(c);
    }
  }
  if (key.size() != names.size())
    return ValidationError(
        "Where clause does not contain a mandatory equality on all key attributes");
  return key;
}

Result<std::optional<std::string>> AndAll(ExpressionWriter& w,
                                          const std::vector<const Condition*>& conditions) {
  if (conditions.empty()) return std::optional<std::string>();
  std::string out;
  for (const Condition* c : conditions) {
    LD_ASSIGN_OR_RETURN(std::string s, w.Write(*c));
    out += (out.empty() ? "(" : " AND (") + s + ")";
  }
  return std::optional<std::string>(out);
}

// ---- SELECT's projection -------------------------------------------------------------------

// A projected path's name in the result: its last name, with the indexes after it ("b[0]").
std::string ProjectedName(const expr::Path& path) {
  std::size_t last = 0;
  for (std::size_t i = 0; i < path.size(); ++i)
    if (path[i].index < 0) last = i;
  std::string name = path[last].name;
  for (std::size_t i = last + 1; i < path.size(); ++i) name += fmt::format("[{}]", path[i].index);
  return name;
}

Status CheckProjection(const std::vector<expr::Path>& paths) {
  std::set<std::string> seen;
  for (const auto& p : paths)
    if (!seen.insert(ProjectedName(p)).second)
      return ValidationError(
          fmt::format("Duplicate identifiers in select clause: {}", ProjectedName(p)));
  return OkStatus();
}

Item Project(const Item& item, const std::optional<std::vector<expr::Path>>& projection) {
  if (!projection) return item;
  Item out;
  for (const auto& p : *projection)
    if (const AttributeValue* v = expr::Lookup(item, p)) out.insert_or_assign(ProjectedName(p), *v);
  return out;
}

// ---- NextToken -------------------------------------------------------------------------------
// The page's LastEvaluatedKey, tied to the statement it continues: hex of a hash of the
// statement and the key's encoding.

// Where a page stopped: which of the statement's partition key values it was reading (0 for
// one, or for a scan) and the last key it read there (none: that value is next, from its start).
struct Position {
  uint32_t key_index = 0;
  std::optional<Item> last_key;
};

std::string MakeNextToken(std::string_view statement, const Position& at) {
  const uint64_t h = storage::Hash64(statement);
  std::string bytes(reinterpret_cast<const char*>(&h), 8);
  storage::AppendVarint(&bytes, at.key_index);
  if (at.last_key) bytes += storage::EncodeItem(*at.last_key);
  return HexEncode(bytes);
}

Result<Position> ReadNextToken(std::string_view statement, std::string_view token) {
  const std::optional<std::string> decoded = HexDecode(token);
  if (!decoded || decoded->size() < 8) return ValidationError("Invalid NextToken");
  const std::string& bytes = *decoded;
  std::string_view rest = std::string_view(bytes).substr(8);
  uint64_t index = 0;
  Position at;
  if (!storage::ReadVarint(&rest, &index) || index > UINT32_MAX)
    return ValidationError("Invalid NextToken");
  at.key_index = static_cast<uint32_t>(index);
  if (!rest.empty() && !storage::DecodeItem(rest, &at.last_key.emplace()))
    return ValidationError("Invalid NextToken");
  const uint64_t h = storage::Hash64(statement);
  if (bytes.compare(0, 8, std::string(reinterpret_cast<const char*>(&h), 8)) != 0)
    return ValidationError("NextToken does not match request");
  return at;
}

// ---- running one statement -------------------------------------------------------------------

// An error of the expressions written for a statement, as DynamoDB words it for the statement:
// without naming an expression its caller never wrote ("Incorrect operand type for operator
// or function; ..." where a FilterExpression would have "Invalid FilterExpression: " first).
template <class T>
Result<T> AsStatement(Result<T> r) {
  if (r.ok()) return r;
  Error e = std::move(r).error();
  static constexpr std::string_view kPrefixes[] = {
      "Invalid KeyConditionExpression: ", "Invalid FilterExpression: ",
      "Invalid ConditionExpression: ", "Invalid UpdateExpression: "};
  auto strip = [](std::string& message) {
    for (std::string_view prefix : kPrefixes)
      if (message.starts_with(prefix)) message.erase(0, prefix.size());
  };
  strip(e.message);
  for (CancellationReason& reason : e.cancellation_reasons) strip(reason.message);
  return e;
}

std::optional<ReturnValue> ReturnValueOf(partiql::Returning r) {
  switch (r) {
    case partiql::Returning::kNone:
      return std::nullopt;
    case partiql::Returning::kAllOld:
      return ReturnValue::kAllOld;
    case partiql::Returning::kModifiedOld:
      return ReturnValue::kUpdatedOld;
    case partiql::Returning::kAllNew:
      return ReturnValue::kAllNew;
    case partiql::Returning::kModifiedNew:
      return ReturnValue::kUpdatedNew;
  }
  return std::nullopt;
}

Status CheckStatementText(std::string_view text) {
  if (text.empty())
    return errors::ConstraintError(
        {"Value '' at 'statement' failed to satisfy constraint: Member must have length greater "
         "than or equal to 1"});
  if (text.size() > kMaxStatementLength)
    return errors::ConstraintError(
        {fmt::format("Value '{}' at 'statement' failed to satisfy constraint: Member must have "
                     "length less than or equal to {}",
                     text, kMaxStatementLength)});
  return OkStatus();
}

Result<Statement> Parse(std::string_view text,
                        const std::optional<std::vector<AttributeValue>>& parameters) {
  LD_RETURN_IF_ERROR(CheckStatementText(text));
  if (parameters && parameters->empty())
    return errors::ConstraintError(
        {"Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater "
         "than or equal to 1"});
  static const std::vector<AttributeValue> kNone;
  return partiql::ParseStatement(text, parameters ? *parameters : kNone);
}

// A write as the transaction action it stands for, in DynamoDB's expression language (its
// WriteOp, engine/write_op.h, is prepared from that: OpOf).
struct Write {
  TransactWriteItem item;
  Item key;  // the item's key attributes (for an INSERT too)
  std::optional<ReturnValue> return_values;
  bool insert = false;
};

// The write's operation; `on_failure` is ReturnValuesOnConditionCheckFailure. Borrows from
// `plan`, which must outlive it.
Result<engine::WriteOp> OpOf(const Write& plan,
                             std::optional<ReturnValuesOnConditionCheckFailure> on_failure) {
  LD_ASSIGN_OR_RETURN(engine::WriteOp op, AsStatement(engine::PrepareTransactWrite(plan.item)));
  op.insert = plan.insert;
  if (!plan.insert) op.on_condition_failure = on_failure;
  return op;
}

Result<Write> PlanWrite(Database::Impl& impl, const Statement& st) {
  LD_ASSIGN_OR_RETURN(Target target, TargetOf(impl, st));
  ExpressionWriter w;
  Write out;
  auto with_expressions = [&w](auto action) {
    action.expression_attribute_names = w.optional_names();
    action.expression_attribute_values = w.optional_values();
    return TransactWriteItem(std::move(action));
  };
  if (st.kind == Statement::Kind::kInsert) {
    for (const std::string& k : target.table.all())
      if (!st.item.contains(k))
        return ValidationError(
            fmt::format("Key attribute should be present in the item: Key {}", k));
    TransactPut put;
    put.table_name = st.table;
    put.item = st.item;
    for (const std::string& k : target.table.all()) out.key.insert_or_assign(k, st.item.at(k));
    put.condition_expression = fmt::format("attribute_not_exists({})", w.Name(target.table.hash));
    out.insert = true;
    out.item = with_expressions(std::move(put));
    return out;
  }
  std::vector<const Condition*> rest;
  LD_ASSIGN_OR_RETURN(out.key, WholeKey(target.table, *st.where, &rest));
  LD_ASSIGN_OR_RETURN(auto condition, AndAll(w, rest));
  out.return_values = ReturnValueOf(st.returning);
  if (st.kind == Statement::Kind::kExists) {
    if (!condition)
      return ValidationError("EXISTS() must contain a single item read with additional condition");
    out.item = with_expressions(TransactConditionCheck{st.table, out.key, *condition, {}, {}, {}});
    return out;
  }
  if (st.kind == Statement::Kind::kDelete) {
    // Deleting nothing is no failure, whatever the other conditions say.
    TransactDelete del{st.table, out.key, {}, {}, {}, {}};
    if (condition)
      del.condition_expression =
          fmt::format("attribute_not_exists({}) OR ({})", w.Name(target.table.hash), *condition);
    out.item = with_expressions(std::move(del));
    return out;
  }
  // An UPDATE changes an item that exists, and creates none.
  TransactUpdate update{st.table, out.key, "", {}, {}, {}, {}};
  const std::string exists = fmt::format("attribute_exists({})", w.Name(target.table.hash));
  update.condition_expression = condition ? fmt::format("{} AND ({})", exists, *condition) : exists;
  std::string set, add, del, remove;
  for (const auto& [path, value] : st.sets) {
    const std::string target_path = w.Path(path);
    if (value.kind == Operand::Kind::kCall &&
        (value.function == "set_add" || value.function == "set_delete")) {
      const std::string fn = value.function == "set_add" ? "SET_ADD" : "SET_DELETE";
      if (value.args.size() != 2)
        return ValidationError(fmt::format("{} must have exactly two arguments", fn));
      if (value.args[0].kind != Operand::Kind::kPath || value.args[0].path != path)
        return ValidationError(
            fmt::format("The first argument to {} must equal the assignment value", fn));
      const Type type = value.args[1].value.type();
      if (value.args[1].kind != Operand::Kind::kValue ||
          (type != Type::kSS && type != Type::kNS && type != Type::kBS))
        return ValidationError(
            fmt::format("The second argument to {} must be a value with type SET", fn));
      (fn == "SET_ADD" ? add : del) +=
          fmt::format("{}{} {}", (fn == "SET_ADD" ? add : del).empty() ? "" : ", ", target_path,
                      w.Value(value.args[1].value));
      continue;
    }
    LD_ASSIGN_OR_RETURN(std::string v, w.Write(value));
    set += fmt::format("{}{} = {}", set.empty() ? "" : ", ", target_path, v);
  }
  for (const auto& path : st.removes) remove += (remove.empty() ? "" : ", ") + w.Path(path);
  for (const auto& [word, clause] :
       {std::pair{"SET", &set}, {"ADD", &add}, {"DELETE", &del}, {"REMOVE", &remove}})
    if (!clause->empty())
      update.update_expression +=
          (update.update_expression.empty() ? "" : " ") + std::string(word) + " " + *clause;
  out.item = with_expressions(std::move(update));
  return out;
}

// Runs a planned write on its own; the item RETURNING asked for, if any.
Result<std::pair<std::optional<Item>, std::optional<ConsumedCapacity>>> RunWrite(
    Database::Impl& db, const Write& plan, std::optional<ReturnConsumedCapacity> capacity,
    std::optional<ReturnValuesOnConditionCheckFailure> on_failure) {
  LD_ASSIGN_OR_RETURN(engine::WriteOp op, OpOf(plan, on_failure));
  LD_ASSIGN_OR_RETURN(auto done, AsStatement(engine::RunWrite(db, op, capacity, std::nullopt)));
  std::optional<Item> attributes = engine::ReturnedAttributes(plan.return_values, op, done);
  if (attributes && attributes->empty()) attributes.reset();
  return std::pair{std::move(attributes), std::move(done.consumed_capacity)};
}

// A read of one item by its whole key (a transaction's or a batch's SELECT): its key.
Result<Item> PlanKeyRead(Database::Impl& impl, const Statement& st) {
  if (st.index || !st.where || !st.order_by.empty()) return ValidationError("");
  LD_ASSIGN_OR_RETURN(Target target, TargetOf(impl, st));
  std::vector<const Condition*> rest;
  auto key = WholeKey(target.table, *st.where, &rest);
  if (!key.ok() || !rest.empty()) return ValidationError("");
  return std::move(*key);
}

// The partition key values a condition names: `pk = v`, `pk IN [v, ...]`, or equalities ORed
// (`pk = v OR pk = w`); nullopt when it names none this way. Repeats count once.
std::optional<std::vector<AttributeValue>> HashValues(const Condition& c, const std::string& hash) {
  std::vector<AttributeValue> values;
  if (auto eq = Equality(c)) {
    if (eq->first != hash) return std::nullopt;
    values.push_back(eq->second);
  } else if (c.kind == Condition::Kind::kIn) {
    const Operand& left = c.operands[0];
    if (left.kind != Operand::Kind::kPath || left.path.size() != 1 || left.path[0].name != hash)
      return std::nullopt;
    for (std::size_t i = 1; i < c.operands.size(); ++i) {
      if (c.operands[i].kind != Operand::Kind::kValue) return std::nullopt;
      values.push_back(c.operands[i].value);
    }
  } else if (c.kind == Condition::Kind::kOr) {
    auto a = HashValues(c.children[0], hash);
    auto b = HashValues(c.children[1], hash);
    if (!a || !b) return std::nullopt;
    values = std::move(*a);
    values.insert(values.end(), b->begin(), b->end());
  } else {
    return std::nullopt;
  }
  std::vector<AttributeValue> once;
  for (auto& v : values)
    if (std::find(once.begin(), once.end(), v) == once.end()) once.push_back(std::move(v));
  return once;
}

// Key values in key order (DynamoDB's ordering of strings, numbers and binaries).
bool KeyLess(const AttributeValue& a, const AttributeValue& b) {
  return expr::CompareScalars(a, b).value_or(0) < 0;
}

// Adds one page's consumed capacity to a statement's.
void Accumulate(std::optional<ConsumedCapacity>* total, std::optional<ConsumedCapacity> add) {
  if (!add) return;
  if (!*total) {
    *total = std::move(add);
    return;
  }
  ConsumedCapacity& t = **total;
  t.capacity_units += add->capacity_units;
  if (add->read_capacity_units)
    t.read_capacity_units = t.read_capacity_units.value_or(0) + *add->read_capacity_units;
  if (add->table && t.table) t.table->capacity_units += add->table->capacity_units;
  for (const auto& [name, c] : add->global_secondary_indexes)
    t.global_secondary_indexes[name].capacity_units += c.capacity_units;
  for (const auto& [name, c] : add->local_secondary_indexes)
    t.local_secondary_indexes[name].capacity_units += c.capacity_units;
}

Result<ExecuteStatementResponse> RunSelect(Database& db, Database::Impl& impl, const Statement& st,
                                           const ExecuteStatementRequest& r) {
  if (st.projection) {
    LD_RETURN_IF_ERROR(CheckProjection(*st.projection));
  }
  LD_ASSIGN_OR_RETURN(Target target, TargetOf(impl, st));
  if (target.partial_gsi && st.projection) {
    std::vector<std::string> missing;
    for (const auto& p : *st.projection)
      if (!target.partial_gsi->second.contains(p[0].name) &&
          std::find(missing.begin(), missing.end(), p[0].name) == missing.end())
        missing.push_back(p[0].name);
    if (!missing.empty()) {
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      return errors::Invalid(fmt::format("Global secondary index {} does not project [{}]",
                                         target.partial_gsi->first, list));
    }
  }
  ExpressionWriter w;
  std::vector<const Condition*> conjuncts;
  if (st.where) Conjuncts(*st.where, &conjuncts);
  // A Query when the partition key is named by equalities (or IN): one per value, each with
  // the sort key condition; the other conditions filter.
  const Condition* hash = nullptr;
  const Condition* range = nullptr;
  std::vector<AttributeValue> hash_values;
  for (const Condition* c : conjuncts) {
    if (hash) break;
    if (auto values = HashValues(*c, target.keys.hash)) {
      hash = c;
      hash_values = std::move(*values);
    }
  }
  if (hash && target.keys.range) {
    for (const Condition* c : conjuncts) {
      if (c == hash || range) continue;
      const bool on_range = !c->operands.empty() && c->operands[0].kind == Operand::Kind::kPath &&
                            c->operands[0].path.size() == 1 &&
                            c->operands[0].path[0].name == *target.keys.range;
      const bool values =
          std::all_of(c->operands.begin() + (c->operands.empty() ? 0 : 1), c->operands.end(),
                      [](const Operand& o) { return o.kind == Operand::Kind::kValue; });
      if (on_range && values &&
          ((c->kind == Condition::Kind::kCompare && c->op != "<>") ||
           c->kind == Condition::Kind::kBetween ||
           (c->kind == Condition::Kind::kCall && c->function == "begins_with" &&
            c->operands.size() == 2)))
        range = c;
    }
  }
  if (!st.order_by.empty()) {
    if (!st.where)
      return ValidationError("Must have WHERE clause in the statement when using ORDER BY clause.");
    if (!hash)
      return ValidationError(
          "Must have at least one non-optional hash key condition in WHERE clause when using ORDER "
          "BY clause.");
    bool by_hash = false;
    for (const auto& p : st.order_by) {
      const auto names = target.keys.all();
      if (p.size() != 1 || p[0].index >= 0 ||
          std::find(names.begin(), names.end(), p[0].name) == names.end())
        return ValidationError(
            fmt::format("Variable reference {} in ORDER BY clause must be part of the primary key",
                        expr::PathToString(p)));
      by_hash = by_hash || p[0].name == target.keys.hash;
    }
    if (hash_values.size() > 1 && !by_hash)
      return ValidationError(
          "Must have hash key in ORDER BY clause when more than one hash key condition specified "
          "in WHERE clause.");
    // Several partitions are read in the order asked for.
    std::stable_sort(hash_values.begin(), hash_values.end(), KeyLess);
    if (st.descending.value_or(false)) std::reverse(hash_values.begin(), hash_values.end());
  }
  std::vector<const Condition*> filter;
  for (const Condition* c : conjuncts)
    if (c != hash && c != range) filter.push_back(c);
  LD_ASSIGN_OR_RETURN(auto filter_text, hash ? AndAll(w, filter) : AndAll(w, conjuncts));

  Position at;
  if (r.next_token) {
    LD_ASSIGN_OR_RETURN(at, ReadNextToken(r.statement, *r.next_token));
  }
  ExecuteStatementResponse out;
  if (!hash) {
    ScanRequest s;
    s.table_name = st.table;
    s.index_name = st.index;
    s.limit = r.limit;
    s.consistent_read = r.consistent_read;
    s.return_consumed_capacity = r.return_consumed_capacity;
    s.exclusive_start_key = std::move(at.last_key);
    s.filter_expression = filter_text;
    s.expression_attribute_names = w.optional_names();
    s.expression_attribute_values = w.optional_values();
    LD_ASSIGN_OR_RETURN(auto page, AsStatement(db.Scan(s)));
    if (page.items) out.items = std::move(*page.items);
    if (page.last_evaluated_key)
      out.next_token = MakeNextToken(r.statement, Position{0, std::move(page.last_evaluated_key)});
    out.consumed_capacity = std::move(page.consumed_capacity);
  } else {
    std::string key_condition = w.Name(target.keys.hash) + " = :partition";
    if (range) {
      LD_ASSIGN_OR_RETURN(std::string range_condition, w.Write(*range));
      key_condition += " AND " + range_condition;
    }
    QueryRequest q;
    q.table_name = st.table;
    q.index_name = st.index;
    q.consistent_read = r.consistent_read;
    q.return_consumed_capacity = r.return_consumed_capacity;
    q.key_condition_expression = key_condition;
    q.filter_expression = filter_text;
    if (st.descending) q.scan_index_forward = !*st.descending;
    q.expression_attribute_names = w.optional_names();
    q.expression_attribute_values = w.values();
    std::optional<int64_t> left = r.limit;  // Limit counts the items read, across the partitions
    std::vector<Item> items;
    for (uint32_t i = at.key_index; i < hash_values.size(); ++i) {
      (*q.expression_attribute_values)[":partition"] = hash_values[i];
      q.limit = left;
      q.exclusive_start_key = i == at.key_index ? std::move(at.last_key) : std::nullopt;
      LD_ASSIGN_OR_RETURN(auto page, AsStatement(db.Query(q)));
      Accumulate(&out.consumed_capacity, std::move(page.consumed_capacity));
      if (hash_values.size() == 1 && page.items) {
        out.items = std::move(*page.items);  // one partition: the page as read
      } else if (page.items) {
        for (const Item& item : page.items->items()) items.push_back(item);
      }
      if (left) *left -= page.scanned_count;
      if (page.last_evaluated_key) {
        out.next_token =
            MakeNextToken(r.statement, Position{i, std::move(page.last_evaluated_key)});
        break;
      }
      if (left && *left <= 0) {
        if (i + 1 < hash_values.size())
          out.next_token = MakeNextToken(r.statement, Position{i + 1, std::nullopt});
        break;
      }
    }
    if (hash_values.size() > 1) out.items = std::move(items);
  }
  if (st.projection) {
    std::vector<Item> projected;
    for (const Item& item : out.items) projected.push_back(Project(item, st.projection));
    out.items = std::move(projected);
  }
  return out;
}

bool IsRead(const Statement& st) { return st.kind == Statement::Kind::kSelect; }

// A batch's consumed capacity: one entry per table, summed.
void AddCapacity(std::vector<ConsumedCapacity>* all, std::optional<ConsumedCapacity> c) {
  if (!c) return;
  auto it = std::find_if(all->begin(), all->end(),
                         [&](const ConsumedCapacity& x) { return x.table_name == c->table_name; });
  if (it == all->end()) {
    all->push_back(std::move(*c));
    return;
  }
  std::optional<ConsumedCapacity> total = std::move(*it);
  Accumulate(&total, std::move(c));
  *it = std::move(*total);
}

std::string BatchCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kConditionalCheckFailed:
      return "ConditionalCheckFailed";
    case ErrorCode::kDuplicateItem:
      return "DuplicateItem";
    case ErrorCode::kValidation:
      return "ValidationError";
    case ErrorCode::kResourceNotFound:
      return "ResourceNotFound";
    case ErrorCode::kTransactionConflict:
      return "TransactionConflict";
    case ErrorCode::kItemCollectionSizeLimitExceeded:
      return "ItemCollectionSizeLimitExceeded";
    case ErrorCode::kProvisionedThroughputExceeded:
      return "ProvisionedThroughputExceeded";
    case ErrorCode::kAccessDenied:
      return "AccessDenied";
    default:
      return "InternalServerError";
  }
}

}  // namespace

Result<ExecuteStatementResponse> Database::ExecuteStatement(const ExecuteStatementRequest& r) {
  if (r.limit && *r.limit < 1)
    return errors::ConstraintError(
        {fmt::format("Value '{}' at 'limit' failed to satisfy constraint: Member must have value "
                     "greater than or equal to 1",
                     *r.limit)});
  LD_ASSIGN_OR_RETURN(Statement st, Parse(r.statement, r.parameters));
  if (st.kind == Statement::Kind::kSelect) return RunSelect(*this, *impl_, st, r);
  if (st.kind == Statement::Kind::kExists)
    return ValidationError("EXISTS can only be used in ExecuteTransaction write requests.");
  LD_ASSIGN_OR_RETURN(Write plan, PlanWrite(*impl_, st));
  LD_ASSIGN_OR_RETURN(auto done, RunWrite(*impl_, plan, r.return_consumed_capacity,
                                          r.return_values_on_condition_check_failure));
  ExecuteStatementResponse out;
  if (done.first) out.items.push_back(std::move(*done.first));
  out.consumed_capacity = std::move(done.second);
  return out;
}

Result<ExecuteTransactionResponse> Database::ExecuteTransaction(
    const ExecuteTransactionRequest& r) {
  const auto& statements = r.transact_statements;
  LD_RETURN_IF_ERROR(
      errors::CheckListLength(statements.size(), kMaxTransactionStatements, "transactStatements"));
  std::vector<Statement> parsed;
  for (const auto& s : statements) {
    LD_ASSIGN_OR_RETURN(Statement st, Parse(s.statement, s.parameters));
    parsed.push_back(std::move(st));
  }
  const bool reads = IsRead(parsed[0]);
  for (const auto& st : parsed)
    if (IsRead(st) != reads)
      return ValidationError(
          "ExecuteTransaction API does not support both read and write operations in the same "
          "request.");
  auto failed = [](std::size_t i, const std::string& message) {
    return ValidationError(
        fmt::format("Validation failed in TransactStatements[{}]: {}", i, message));
  };
  ExecuteTransactionResponse out;
  if (reads) {
    TransactGetItemsRequest g;
    g.return_consumed_capacity = r.return_consumed_capacity;
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      auto key = PlanKeyRead(*impl_, parsed[i]);
      if (!key.ok()) {
        if (key.error().code != ErrorCode::kValidation || !key.error().message.empty())
          return key.error();
        return failed(i,
                      "Select statements within ExecuteTransaction must specify the primary key in "
                      "the where clause.");
      }
      g.transact_items.push_back({parsed[i].table, std::move(*key), std::nullopt, std::nullopt});
    }
    LD_ASSIGN_OR_RETURN(auto got, AsStatement(TransactGetItems(g)));
    for (std::size_t i = 0; i < got.responses.size(); ++i) {
      ItemResponse item;
      if (got.responses[i].item) item.item = Project(*got.responses[i].item, parsed[i].projection);
      out.responses.push_back(std::move(item));
    }
    out.consumed_capacity = std::move(got.consumed_capacity);
    return out;
  }
  std::vector<Write> plans;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    if (parsed[i].returning != partiql::Returning::kNone)
      return failed(i, "RETURNING is not supported in transactions");
    auto plan = PlanWrite(*impl_, parsed[i]);
    if (!plan.ok())
      return plan.error().code == ErrorCode::kValidation ? failed(i, plan.error().message)
                                                         : plan.error();
    plans.push_back(std::move(*plan));
  }
  engine::TransactionOptions options;
  options.client_request_token = r.client_request_token;
  options.return_consumed_capacity = r.return_consumed_capacity;
  if (r.client_request_token) {
    LD_RETURN_IF_ERROR(engine::CheckRequestToken(*r.client_request_token));
    // Bound to the actions the statements stand for, as TransactWriteItems' tokens are.
    TransactWriteItemsRequest actions;
    for (const Write& plan : plans) actions.transact_items.push_back(plan.item);
    options.request_hash = engine::HashRequest(actions);
  }
  std::vector<engine::WriteOp> ops;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    LD_ASSIGN_OR_RETURN(auto op,
                        OpOf(plans[i], statements[i].return_values_on_condition_check_failure));
    ops.push_back(std::move(op));
  }
  // An INSERT's failed condition is a DuplicateItem reason by construction (WriteOp::insert).
  LD_ASSIGN_OR_RETURN(auto done, AsStatement(engine::RunTransaction(*impl_, ops, options)));
  out.consumed_capacity = std::move(done.consumed_capacity);
  return out;
}

Result<BatchExecuteStatementResponse> Database::BatchExecuteStatement(
    const BatchExecuteStatementRequest& r) {
  const auto& statements = r.statements;
  LD_RETURN_IF_ERROR(errors::CheckListLength(statements.size(), kMaxBatchStatements, "statements"));
  // Each statement parsed on its own: one that fails reports its error in its place.
  std::vector<Result<Statement>> parsed;
  for (const auto& s : statements) parsed.push_back(Parse(s.statement, s.parameters));
  std::optional<bool> reads;
  for (const auto& p : parsed) {
    if (!p.ok()) continue;
    if (reads && *reads != IsRead(*p))
      return ValidationError(
          "Read and write requests together in the same batch is not supported.");
    reads = IsRead(*p);
  }
  // The items the statements name: no two may be the same.
  std::vector<Result<Item>> keys;
  std::vector<Result<Write>> plans;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& p : parsed) {
    if (!p.ok()) {
      keys.push_back(p.error());
      plans.push_back(p.error());
      continue;
    }
    if (p->kind == Statement::Kind::kExists) {
      keys.push_back(
          ValidationError("EXISTS can only be used in ExecuteTransaction write requests."));
      plans.push_back(keys.back().error());
      continue;
    }
    if (IsRead(*p)) {
      auto key = PlanKeyRead(*impl_, *p);
      if (!key.ok() && key.error().message.empty())
        key = ValidationError(
            "Select statements within BatchExecuteStatement must specify the primary key in the "
            "where clause.");
      keys.push_back(std::move(key));
      plans.push_back(ValidationError(""));
    } else {
      auto plan = PlanWrite(*impl_, *p);
      keys.push_back(plan.ok() ? Result<Item>(plan->key) : Result<Item>(plan.error()));
      plans.push_back(std::move(plan));
    }
    if (keys.back().ok() && !seen.insert({p->table, storage::EncodeItem(*keys.back())}).second)
      return errors::DuplicateKeys();
  }
  BatchExecuteStatementResponse out;
  std::vector<ConsumedCapacity> capacity;
  const bool want_capacity =
      r.return_consumed_capacity && *r.return_consumed_capacity != ReturnConsumedCapacity::kNone;
  std::optional<ReturnConsumedCapacity> per_call;
  if (want_capacity) per_call = ReturnConsumedCapacity::kTotal;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    BatchStatementResponse one;
    auto fail = [&](const Error& e) {
      one.error = BatchStatementError{BatchCode(e.code), e.message};
      // DynamoDB names the table for a failed write's condition, not for a statement it refused.
      if (e.code == ErrorCode::kConditionalCheckFailed || e.code == ErrorCode::kDuplicateItem)
        one.table_name = parsed[i]->table;
    };
    if (!keys[i].ok()) {
      fail(keys[i].error());
    } else if (IsRead(*parsed[i])) {
      GetItemRequest g;
      g.table_name = parsed[i]->table;
      g.key = *keys[i];
      g.consistent_read = statements[i].consistent_read;
      g.return_consumed_capacity = per_call;
      auto got = GetItem(g);
      if (!got.ok()) {
        fail(got.error());
      } else {
        one.table_name = parsed[i]->table;
        if (got->item) one.item = Project(*got->item, parsed[i]->projection);
        AddCapacity(&capacity, std::move(got->consumed_capacity));
      }
    } else {
      auto done = RunWrite(*impl_, *plans[i], per_call,
                           statements[i].return_values_on_condition_check_failure);
      if (!done.ok()) {
        fail(done.error());
      } else {
        one.table_name = parsed[i]->table;
        if (done->first) one.item = std::move(done->first);
        AddCapacity(&capacity, std::move(done->second));
      }
    }
    out.responses.push_back(std::move(one));
  }
  if (want_capacity) out.consumed_capacity = std::move(capacity);
  return out;
}

}  // namespace localdynamo
