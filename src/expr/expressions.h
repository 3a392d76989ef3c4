#pragma once
// DynamoDB's expression language: one hand-written lexer and recursive-descent parser for
// key condition, condition/filter, projection and update expressions. Parse once per request
// (names and values are resolved while parsing), then evaluate against items.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "localdynamo/requests.h"
#include "localdynamo/schema.h"
#include "localdynamo/status.h"
#include "localdynamo/value.h"

namespace localdynamo::expr {

// The request's ExpressionAttributeNames/Values plus which were used; one per request, shared
// by all of the request's expressions.
class Context {
 public:
  Context(const NameMap* names, const ValueMap* values) : names_(names), values_(values) {}
  // After parsing all of a request's expressions: DynamoDB's errors for unused names/values.
  Status CheckAllUsed() const;

  const NameMap* names() const { return names_; }
  const ValueMap* values() const { return values_; }
  const std::set<std::string>& used_names() const { return used_names_; }
  void MarkName(const std::string& n) { used_names_.insert(n); }
  void MarkValue(const std::string& v) { used_values_.insert(v); }

 private:
  const NameMap* names_;
  const ValueMap* values_;
  std::set<std::string> used_names_, used_values_;
};

struct PathElement {
  std::string name;  // attribute / map key, when index < 0
  int index = -1;    // list index
  bool operator==(const PathElement&) const = default;
};
using Path = std::vector<PathElement>;
std::string PathToString(const Path& p);  // "[a, b, [2]]", as DynamoDB's messages show paths

struct Node;  // condition / operand tree (ast.h)

class ConditionExpr {
 public:
  ConditionExpr();
  explicit ConditionExpr(std::shared_ptr<const Node> root);
  const Node& root() const { return *root_; }

 private:
  std::shared_ptr<const Node> root_;
};

class ProjectionExpr {
 public:
  std::vector<Path> paths;
};

struct UpdateAction {
  enum class Kind { kSet, kRemove, kAdd, kDelete } kind = Kind::kSet;
  Path path;
  std::shared_ptr<const Node> value;  // SET: the value operand; ADD/DELETE: the value
};
class UpdateExpr {
 public:
  std::vector<UpdateAction> actions;
};

struct KeySchemaView {
  std::string hash_name;
  ScalarAttributeType hash_type = ScalarAttributeType::kS;
  std::optional<std::string> range_name;
  ScalarAttributeType range_type = ScalarAttributeType::kS;
  bool operator==(const KeySchemaView&) const = default;
};

struct KeyCondition {
  AttributeValue hash_value;
  enum class RangeOp {
    kNone,
    kEq,
    kLt,
    kLe,
    kGt,
    kGe,
    kBetween,
    kBeginsWith
  } range_op = RangeOp::kNone;
  AttributeValue range_value;   // lower bound for BETWEEN
  AttributeValue range_value2;  // upper bound for BETWEEN
};

// `kind` names the parameter in messages: "ConditionExpression" or "FilterExpression".
Result<ConditionExpr> ParseCondition(std::string_view text, Context& ctx,
                                     std::string_view kind = "ConditionExpression");
// Missing attributes and type mismatches make comparisons false, as in DynamoDB.
bool Evaluate(const ConditionExpr& c, const Item& item);
std::vector<std::string> TopLevelAttributeNames(const ConditionExpr& c);

// A successful parse is remembered (a few per thread) apart from its values: the next
// request with the same text, key schema and names only looks its values up and checks them.
Result<KeyCondition> ParseKeyCondition(std::string_view text, Context& ctx,
                                       const KeySchemaView& keys);
// Forgets what this thread remembers (tests compare a fresh parse with a remembered one).
void ForgetKeyConditions();

Result<ProjectionExpr> ParseProjection(std::string_view text, Context& ctx);
Item Project(const ProjectionExpr& p, const Item& item);
std::vector<std::string> TopLevelAttributeNames(const ProjectionExpr& p);

Result<UpdateExpr> ParseUpdate(std::string_view text, Context& ctx);
// Applies to `old` (the key alone when the item doesn't exist: UpdateItem upserts). Errors are
// DynamoDB's ValidationExceptions raised at evaluation time. `updated_names` receives the
// top-level attributes written or removed (ReturnValues UPDATED_OLD / UPDATED_NEW).
Result<Item> ApplyUpdate(const UpdateExpr& u, const Item& old,
                         std::vector<std::string>* updated_names = nullptr);
std::vector<std::string> TopLevelAttributeNames(const UpdateExpr& u);
// The document paths an update writes or removes, as a projection: ReturnValues UPDATED_OLD /
// UPDATED_NEW return exactly these (nested) paths.
ProjectionExpr UpdatedPaths(const UpdateExpr& u);

// Legacy parameters, translated onto the same trees.
Result<ConditionExpr> FromExpected(const std::map<std::string, ExpectedAttributeValue>& expected,
                                   std::optional<ConditionalOperator> op);
Result<ConditionExpr> FromConditions(const std::map<std::string, Condition>& conditions,
                                     std::optional<ConditionalOperator> op);
Result<KeyCondition> FromKeyConditions(const std::map<std::string, Condition>& conditions,
                                       const KeySchemaView& keys);
Result<UpdateExpr> FromAttributeUpdates(const std::map<std::string, AttributeValueUpdate>& updates);
ProjectionExpr FromAttributesToGet(const std::vector<std::string>& names);

bool IsReservedWord(std::string_view word);

}  // namespace localdynamo::expr
