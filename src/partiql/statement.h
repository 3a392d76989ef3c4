#pragma once
// DynamoDB's dialect of PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction):
// the statements DynamoDB accepts, parsed into a small tree. execute.cc runs them as the
// operations they stand for, through DynamoDB's expression language, so their semantics are
// the ones every other operation has.
//
//   SELECT * | path, ... FROM "table"["index"] [WHERE condition] [ORDER BY path [ASC|DESC]]
//   INSERT INTO "table" VALUE {'attr': value, ...}
//   UPDATE "table" [SET path = operand | REMOVE path]... WHERE condition [RETURNING ...]
//   FROM "table" WHERE condition [SET ... | REMOVE ...]... [RETURNING ...]   (the same UPDATE)
//   DELETE FROM "table" WHERE condition [RETURNING ALL OLD *]
//   EXISTS(SELECT * FROM "table" WHERE condition)     (ExecuteTransaction's condition check)
//
// Values: 'text' (quotes doubled inside), numbers, TRUE / FALSE, NULL, {'k': v}, [v, ...],
// <<v, ...>> (a set), and ? (the next of the request's Parameters). Names: bare identifiers,
// or "quoted" (any text). Keywords are case-insensitive.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expressions.h"
#include "localdynamo/status.h"
#include "localdynamo/value.h"

namespace localdynamo::partiql {

// A value, a path, or a function call / arithmetic on them (UPDATE's SET, conditions' sides).
struct Operand {
  enum class Kind { kValue, kPath, kCall, kPlus, kMinus };
  Kind kind = Kind::kValue;
  AttributeValue value;       // kValue
  expr::Path path;            // kPath
  std::string function;       // kCall, lower case
  std::vector<Operand> args;  // kCall's arguments; kPlus / kMinus: the two sides
};

struct Condition {
  enum class Kind { kCompare, kBetween, kIn, kIsMissing, kIsNull, kIsType, kCall, kAnd, kOr, kNot };
  Kind kind = Kind::kCompare;
  bool negated = false;  // IS NOT MISSING, IS NOT NULL
  std::string op;        // kCompare: = <> < <= > >=
  std::string function;  // kCall, lower case
  // kCompare: 2; kBetween: 3; kIn: 1 + the list; kIsMissing / kIsNull: 1; kIsType: the path and
  // DynamoDB's type name ('S', 'BOOL', ...); kCall: the arguments.
  std::vector<Operand> operands;
  std::vector<Condition> children;  // kAnd / kOr: 2; kNot: 1
};

// What RETURNING asks for (DynamoDB's ReturnValues).
enum class Returning { kNone, kAllOld, kModifiedOld, kAllNew, kModifiedNew };

struct Statement {
  enum class Kind { kSelect, kInsert, kUpdate, kDelete, kExists };  // kExists: EXISTS(SELECT ...)
  Kind kind = Kind::kSelect;
  std::string table;
  std::optional<std::string> index;                   // SELECT ... FROM "table"."index"
  std::optional<std::vector<expr::Path>> projection;  // SELECT's list; absent for *
  std::optional<Condition> where;
  std::optional<bool> descending;  // ORDER BY's direction, when there is one
  std::vector<expr::Path> order_by;
  Item item;                                         // INSERT's VALUE
  std::vector<std::pair<expr::Path, Operand>> sets;  // UPDATE's SET clauses, in order
  std::vector<expr::Path> removes;                   // UPDATE's REMOVE clauses
  Returning returning = Returning::kNone;
};

// Parses `text`, taking the `?`s from `parameters` in order. Errors are DynamoDB's
// ValidationExceptions ("Statement wasn't well formed, can't be processed: ...", and the
// parameter count's).
Result<Statement> ParseStatement(std::string_view text,
                                 const std::vector<AttributeValue>& parameters);

}  // namespace localdynamo::partiql
