// The legacy (pre-expression) parameters, translated onto the same trees: Expected,
// QueryFilter / ScanFilter, KeyConditions, AttributeUpdates, AttributesToGet
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html).

#include <fmt/format.h>

#include "expr/ast.h"

namespace localdynamo::expr {
namespace {

NodePtr PathNode(const std::string& name) {
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::kPath;
  n->path = {{name, -1}};
  return n;
}

NodePtr ValueNode(const AttributeValue& v) {
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::kValue;
  n->value = v;
  return n;
}

NodePtr Make(Node::Kind kind, std::vector<NodePtr> children, Node::Op op = Node::Op::kEq) {
  auto n = std::make_shared<Node>();
  n->kind = kind;
  n->op = op;
  n->children = std::move(children);
  return n;
}

Error ArgCount(std::string_view op) {
  return ValidationError(
      fmt::format("One or more parameter values were invalid: Invalid number of argument(s) for "
                  "the {} ComparisonOperator",
                  op));
}

Result<NodePtr> OneCondition(const std::string& attr, const std::string& op,
                             const std::vector<AttributeValue>& args) {
  auto need = [&](std::size_t n) -> Status {
    if (args.size() != n) return ArgCount(op);
    return OkStatus();
  };
  auto scalar = [&](const AttributeValue& v) -> Status {
    if (!v.is(Type::kS) && !v.is(Type::kN) && !v.is(Type::kB))
      return ValidationError(
          fmt::format("One or more parameter values were invalid: ComparisonOperator {} is not "
                      "valid for {} AttributeValue type",
                      op, TypeName(v.type())));
    return OkStatus();
  };
  static const std::pair<std::string_view, Node::Op> kCompare[] = {
      {"EQ", Node::Op::kEq}, {"NE", Node::Op::kNe}, {"LE", Node::Op::kLe},
      {"LT", Node::Op::kLt}, {"GE", Node::Op::kGe}, {"GT", Node::Op::kGt}};
  for (auto [name, cmp] : kCompare) {
    if (op != name) continue;
    LD_RETURN_IF_ERROR(need(1));
    if (cmp != Node::Op::kEq && cmp != Node::Op::kNe) LD_RETURN_IF_ERROR(scalar(args[0]));
    return Make(Node::Kind::kCompare, {PathNode(attr), ValueNode(args[0])}, cmp);
  }
  if (op == "NOT_NULL" || op == "NULL") {
    LD_RETURN_IF_ERROR(need(0));
    NodePtr p = PathNode(attr);
    return Make(op == "NULL" ? Node::Kind::kAttributeNotExists : Node::Kind::kAttributeExists, {p});
  }
  if (op == "CONTAINS" || op == "NOT_CONTAINS") {
    LD_RETURN_IF_ERROR(need(1));
    LD_RETURN_IF_ERROR(scalar(args[0]));
    NodePtr c = Make(Node::Kind::kContains, {PathNode(attr), ValueNode(args[0])});
    // NOT_CONTAINS is true only for an existing attribute that doesn't contain the value.
    if (op == "NOT_CONTAINS")
      return Make(Node::Kind::kAnd, {Make(Node::Kind::kAttributeExists, {PathNode(attr)}),
                                     Make(Node::Kind::kNot, {c})});
    return c;
  }
  if (op == "BEGINS_WITH") {
    LD_RETURN_IF_ERROR(need(1));
    if (!args[0].is(Type::kS) && !args[0].is(Type::kB))
      return ValidationError(
          fmt::format("One or more parameter values were invalid: ComparisonOperator {} is not "
                      "valid for {} AttributeValue type",
                      op, TypeName(args[0].type())));
    return Make(Node::Kind::kBeginsWith, {PathNode(attr), ValueNode(args[0])});
  }
  if (op == "IN") {
    if (args.empty()) return ArgCount(op);
    std::vector<NodePtr> children{PathNode(attr)};
    for (const auto& a : args) {
      LD_RETURN_IF_ERROR(scalar(a));
      children.push_back(ValueNode(a));
    }
    return Make(Node::Kind::kIn, std::move(children));
  }
  if (op == "BETWEEN") {
    LD_RETURN_IF_ERROR(need(2));
    LD_RETURN_IF_ERROR(scalar(args[0]));
    LD_RETURN_IF_ERROR(scalar(args[1]));
    if (args[0].type() != args[1].type())
      return ValidationError(
          fmt::format("One or more parameter values were invalid: AttributeValues inside "
                      "AttributeValueList must be of same type"));
    auto c = CompareScalars(args[0], args[1]);
    if (c && *c > 0)
      return ValidationError(
          "One or more parameter values were invalid: The BETWEEN condition was provided a range "
          "where the lower bound is greater than the upper bound");
    return Make(Node::Kind::kBetween, {PathNode(attr), ValueNode(args[0]), ValueNode(args[1])});
  }
  return ValidationError(
      fmt::format("1 validation error detected: Value '{}' at 'comparisonOperator' failed to "
                  "satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, "
                  "NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]",
                  op));
}

NodePtr Combine(std::vector<NodePtr> parts, std::optional<ConditionalOperator> op) {
  if (parts.empty()) return Make(Node::Kind::kTrue, {});
  NodePtr acc = parts[0];
  Node::Kind k = op == ConditionalOperator::kOr ? Node::Kind::kOr : Node::Kind::kAnd;
  for (std::size_t i = 1; i < parts.size(); ++i) acc = Make(k, {acc, parts[i]});
  return acc;
}

}  // namespace

Result<ConditionExpr> FromConditions(const std::map<std::string, Condition>& conditions,
                                     std::optional<ConditionalOperator> op) {
  std::vector<NodePtr> parts;
  for (const auto& [attr, c] : conditions) {
    LD_ASSIGN_OR_RETURN(
        NodePtr n, OneCondition(attr, c.comparison_operator,
                                c.attribute_value_list.value_or(std::vector<AttributeValue>{})));
    parts.push_back(n);
  }
  return ConditionExpr(Combine(std::move(parts), op));
}

Result<ConditionExpr> FromExpected(const std::map<std::string, ExpectedAttributeValue>& expected,
                                   std::optional<ConditionalOperator> op) {
  std::vector<NodePtr> parts;
  for (const auto& [attr, e] : expected) {
    if (e.comparison_operator) {
      if (e.value)
        return ValidationError(
            fmt::format("One or more parameter values were invalid: Value and ComparisonOperator "
                        "cannot be used together for Attribute: {}",
                        attr));
      std::vector<AttributeValue> args =
          e.attribute_value_list.value_or(std::vector<AttributeValue>{});
      LD_ASSIGN_OR_RETURN(NodePtr n, OneCondition(attr, *e.comparison_operator, args));
      parts.push_back(n);
      continue;
    }
    if (e.exists == false) {
      if (e.value)
        return ValidationError(
            fmt::format("One or more parameter values were invalid: Value cannot be used when "
                        "Exists is false for Attribute: {}",
                        attr));
      parts.push_back(Make(Node::Kind::kAttributeNotExists, {PathNode(attr)}));
      continue;
    }
    if (!e.value)
      return ValidationError(
          fmt::format("One or more parameter values were invalid: Value must be provided when "
                      "Exists is true for Attribute: {}",
                      attr));
    parts.push_back(Make(Node::Kind::kCompare, {PathNode(attr), ValueNode(*e.value)}));
  }
  return ConditionExpr(Combine(std::move(parts), op));
}

Result<KeyCondition> FromKeyConditions(const std::map<std::string, Condition>& conditions,
                                       const KeySchemaView& keys) {
  KeyCondition kc;
  bool have_hash = false;
  if (conditions.size() > 2) return ValidationError("Conditions can be of length 1 or 2 only");
  for (const auto& [attr, c] : conditions) {
    const auto args = c.attribute_value_list.value_or(std::vector<AttributeValue>{});
    const bool is_hash = attr == keys.hash_name;
    const bool is_range = keys.range_name && attr == *keys.range_name;
    if (!is_hash && !is_range)
      return ValidationError("Query condition missed key schema element: " + keys.hash_name);
    const Type want = ToValueType(is_hash ? keys.hash_type : keys.range_type);
    for (const auto& a : args)
      if (!a.is(want))
        return ValidationError(
            "One or more parameter values were invalid: Condition parameter type does not match "
            "schema type");
    const std::string& op = c.comparison_operator;
    if (is_hash) {
      if (op != "EQ") return ValidationError("Query key condition not supported");
      if (args.size() != 1) return ArgCount(op);
      kc.hash_value = args[0];
      have_hash = true;
      continue;
    }
    using R = KeyCondition::RangeOp;
    static const std::pair<std::string_view, R> kOps[] = {
        {"EQ", R::kEq},          {"LT", R::kLt}, {"LE", R::kLe},
        {"GT", R::kGt},          {"GE", R::kGe}, {"BEGINS_WITH", R::kBeginsWith},
        {"BETWEEN", R::kBetween}};
    std::optional<R> r;
    for (auto [n, v] : kOps)
      if (op == n) r = v;
    if (!r) return ValidationError("Query key condition not supported");
    if (args.size() != (*r == R::kBetween ? 2u : 1u)) return ArgCount(op);
    kc.range_op = *r;
    kc.range_value = args[0];
    if (*r == R::kBetween) {
      kc.range_value2 = args[1];
      auto cmp = CompareScalars(args[0], args[1]);
      if (cmp && *cmp > 0)
        return ValidationError(
            "One or more parameter values were invalid: The BETWEEN condition was provided a range "
            "where the lower bound is greater than the upper bound");
    }
  }
  if (!have_hash)
    return ValidationError("Query condition missed key schema element: " + keys.hash_name);
  return kc;
}

Result<UpdateExpr> FromAttributeUpdates(
    const std::map<std::string, AttributeValueUpdate>& updates) {
  UpdateExpr u;
  for (const auto& [attr, upd] : updates) {
    UpdateAction a;
    a.path = {{attr, -1}};
    const std::string action = upd.action.value_or("PUT");
    if (action == "PUT") {
      if (!upd.value)
        return ValidationError(
            fmt::format("One or more parameter values were invalid: Only DELETE action is allowed "
                        "when no attribute value is specified"));
      a.kind = UpdateAction::Kind::kSet;
      a.value = ValueNode(*upd.value);
    } else if (action == "DELETE") {
      if (upd.value) {
        a.kind = UpdateAction::Kind::kDelete;
        a.value = ValueNode(*upd.value);
      } else {
        a.kind = UpdateAction::Kind::kRemove;
      }
    } else if (action == "ADD") {
      if (!upd.value)
        return ValidationError(
            "One or more parameter values were invalid: Only DELETE action is allowed when no "
            "attribute value is specified");
      a.kind = UpdateAction::Kind::kAdd;
      a.value = ValueNode(*upd.value);
    } else {
      return ValidationError(fmt::format(
          "1 validation error detected: Value '{}' at 'attributeUpdates.{}.member.action' failed "
          "to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]",
          action, attr));
    }
    u.actions.push_back(std::move(a));
  }
  return u;
}

ProjectionExpr FromAttributesToGet(const std::vector<std::string>& names) {
  ProjectionExpr p;
  for (const auto& n : names) p.paths.push_back({{n, -1}});
  return p;
}

}  // namespace localdynamo::expr
