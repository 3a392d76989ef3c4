// KeyConditionExpression: a condition restricted to `=` on the partition key and one of
// = < <= > >= BETWEEN begins_with on the sort key, joined by AND
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html).

#include <fmt/format.h>

#include "expr/ast.h"
#include "expr/parser.h"

namespace localdynamo::expr {
namespace {

const char* OperatorName(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kOr: return "OR";
    case Node::Kind::kNot: return "NOT";
    case Node::Kind::kIn: return "IN";
    case Node::Kind::kAttributeExists: return "attribute_exists";
    case Node::Kind::kAttributeNotExists: return "attribute_not_exists";
    case Node::Kind::kAttributeType: return "attribute_type";
    case Node::Kind::kContains: return "contains";
    case Node::Kind::kCompare: return n.op == Node::Op::kNe ? "<>" : nullptr;
    default: return nullptr;
  }
}

Status Flatten(const Node& n, std::vector<const Node*>* leaves) {
  if (n.kind == Node::Kind::kAnd) {
    LD_RETURN_IF_ERROR(Flatten(*n.children[0], leaves));
    return Flatten(*n.children[1], leaves);
  }
  if (const char* op = OperatorName(n))
    return ValidationError(fmt::format("Invalid operator used in KeyConditionExpression: {}", op));
  leaves->push_back(&n);
  return OkStatus();
}

std::string ShowValue(const AttributeValue& v) {
  std::string text = v.is(Type::kS) ? v.s() : v.is(Type::kN) ? v.n().ToString() : DebugString(v);
  return fmt::format("AttributeValue: {{{}:{}}}", TypeName(v.type()), text);
}

}  // namespace

Result<KeyCondition> ParseKeyCondition(std::string_view text, Context& ctx, const KeySchemaView& keys) {
  Parser p(text, ctx, "KeyConditionExpression");
  LD_ASSIGN_OR_RETURN(NodePtr root, p.ParseConditionTree());
  std::vector<const Node*> leaves;
  LD_RETURN_IF_ERROR(Flatten(*root, &leaves));
  if (leaves.size() > 2) return ValidationError("Conditions can be of length 1 or 2 only");

  KeyCondition kc;
  bool have_hash = false, have_range = false;
  auto type_mismatch = [] {  // built only when it is the answer: every Query passes here
    return ValidationError("One or more parameter values were invalid: Condition parameter type does not match schema type");
  };
  for (const Node* leaf : leaves) {
    // Normalise to: attribute <op> values...
    const Node* attr = nullptr;
    std::vector<const Node*> values;
    Node::Op op = leaf->op;
    if (leaf->kind == Node::Kind::kCompare) {
      attr = leaf->children[0].get();
      values = {leaf->children[1].get()};
      if (attr->kind != Node::Kind::kPath && values[0]->kind == Node::Kind::kPath) {
        std::swap(attr, values[0]);
        static const Node::Op kFlip[] = {Node::Op::kEq, Node::Op::kNe, Node::Op::kGt,
                                         Node::Op::kGe, Node::Op::kLt, Node::Op::kLe};
        op = kFlip[static_cast<int>(op)];
      }
    } else if (leaf->kind == Node::Kind::kBetween || leaf->kind == Node::Kind::kBeginsWith) {
      attr = leaf->children[0].get();
      for (std::size_t i = 1; i < leaf->children.size(); ++i) values.push_back(leaf->children[i].get());
    } else {
      return ValidationError("Invalid operator used in KeyConditionExpression: " +
                             std::string(leaf->kind == Node::Kind::kSize ? "size" : "unknown"));
    }
    if (attr->kind != Node::Kind::kPath || attr->path.size() != 1)
      return ValidationError("Invalid condition in KeyConditionExpression: Key condition must be on a key attribute");
    for (const Node* v : values)
      if (v->kind != Node::Kind::kValue)
        return ValidationError("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
    const std::string& name = attr->path[0].name;
    const bool is_hash = name == keys.hash_name;
    const bool is_range = keys.range_name && name == *keys.range_name;
    if (!is_hash && !is_range)
      return ValidationError(fmt::format("Query condition missed key schema element: {}",
                                         have_hash && keys.range_name ? *keys.range_name : keys.hash_name));
    if ((is_hash && have_hash) || (is_range && have_range))
      return ValidationError("KeyConditionExpressions must only contain one condition per key");
    const Type want = ToValueType(is_hash ? keys.hash_type : keys.range_type);
    for (const Node* v : values)
      if (!v->value.is(want)) return type_mismatch();
    if (is_hash) {
      if (leaf->kind != Node::Kind::kCompare || op != Node::Op::kEq)
        return ValidationError("Query key condition not supported");
      kc.hash_value = values[0]->value;
      have_hash = true;
      continue;
    }
    have_range = true;
    if (leaf->kind == Node::Kind::kBetween) {
      kc.range_op = KeyCondition::RangeOp::kBetween;
      kc.range_value = values[0]->value;
      kc.range_value2 = values[1]->value;
      auto c = CompareScalars(kc.range_value, kc.range_value2);
      if (c && *c > 0)
        return ValidationError(fmt::format(
            "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: {}, upper bound operand: {}",
            ShowValue(kc.range_value), ShowValue(kc.range_value2)));
      continue;
    }
    if (leaf->kind == Node::Kind::kBeginsWith) {
      if (keys.range_type == ScalarAttributeType::kN)
        return ValidationError("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
      kc.range_op = KeyCondition::RangeOp::kBeginsWith;
      kc.range_value = values[0]->value;
      continue;
    }
    static const KeyCondition::RangeOp kOps[] = {KeyCondition::RangeOp::kEq, KeyCondition::RangeOp::kNone,
                                                 KeyCondition::RangeOp::kLt, KeyCondition::RangeOp::kLe,
                                                 KeyCondition::RangeOp::kGt, KeyCondition::RangeOp::kGe};
    kc.range_op = kOps[static_cast<int>(op)];
    kc.range_value = values[0]->value;
  }
  if (!have_hash) return ValidationError(fmt::format("Query condition missed key schema element: {}", keys.hash_name));
  return kc;
}

}  // namespace localdynamo::expr
