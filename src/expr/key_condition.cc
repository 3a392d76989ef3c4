// KeyConditionExpression: a condition restricted to `=` on the partition key and one of
// = < <= > >= BETWEEN begins_with on the sort key, joined by AND
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html).

#include <array>
#include <span>

#include <fmt/format.h>

#include "expr/ast.h"
#include "expr/parser.h"

namespace localdynamo::expr {
namespace {

const char* OperatorName(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kOr:
      return "OR";
    case Node::Kind::kNot:
      return "NOT";
    case Node::Kind::kIn:
      return "IN";
    case Node::Kind::kAttributeExists:
      return "attribute_exists";
    case Node::Kind::kAttributeNotExists:
      return "attribute_not_exists";
    case Node::Kind::kAttributeType:
      return "attribute_type";
    case Node::Kind::kContains:
      return "contains";
    case Node::Kind::kCompare:
      return n.op == Node::Op::kNe ? "<>" : nullptr;
    default:
      return nullptr;
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

// The checks on a leaf's values, the same for a fresh parse and a remembered one.
Status CheckValueTypes(std::span<const AttributeValue* const> values, Type want) {
  for (const AttributeValue* v : values)
    if (!v->is(want))  // the error is built only when it is the answer: every Query passes here
      return ValidationError(
          "One or more parameter values were invalid: Condition parameter type does not match "
          "schema type");
  return OkStatus();
}

Status CheckBetween(const AttributeValue& lower, const AttributeValue& upper) {
  auto c = CompareScalars(lower, upper);
  if (c && *c > 0)
    return ValidationError(fmt::format(
        "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater "
        "than or equal to lower bound; lower bound operand: {}, upper bound operand: {}",
        ShowValue(lower), ShowValue(upper)));
  return OkStatus();
}

// A parsed key condition apart from its values. Requests repeat one text with new values
// (the app's, and boto3's Key() builder's placeholders), so a parse that succeeded is kept
// as this: the next request with the same text, key schema and the same meaning for the
// names the text uses (the parse resolved them) needs only to look up and check its values.
// Only successes are kept and only valid requests answered from them: the others are parsed
// in full.
struct Shape {
  struct Leaf {
    bool is_hash = false;
    KeyCondition::RangeOp op = KeyCondition::RangeOp::kNone;
    std::vector<std::string> values;  // placeholders, in the leaf's order of operands (1 or 2)
  };
  std::string text;
  KeySchemaView keys;
  std::vector<std::pair<std::string, std::string>>
      names;  // each name placeholder used, and what it stood for
  std::vector<Leaf> leaves;

  bool Matches(std::string_view t, const KeySchemaView& k, const NameMap* map) const {
    if (t != text || !(k == keys)) return false;
    for (const auto& [placeholder, name] : names) {
      if (!map) return false;
      auto it = map->find(placeholder);
      if (it == map->end() || it->second != name) return false;
    }
    return true;
  }
};

// A few shapes per thread (a program queries with a handful of texts), replaced in turn.
struct ShapeCache {
  static constexpr std::size_t kSize = 8;
  std::vector<Shape> shapes;
  std::size_t next = 0;

  const Shape* Find(std::string_view text, const KeySchemaView& keys, const NameMap* names) const {
    for (const Shape& s : shapes)
      if (s.Matches(text, keys, names)) return &s;
    return nullptr;
  }
  void Keep(Shape shape) {
    if (shapes.size() < kSize) {
      shapes.push_back(std::move(shape));
    } else {
      shapes[next] = std::move(shape);
      next = (next + 1) % kSize;
    }
  }
};

constexpr std::size_t kMaxRememberedText = 1024;

ShapeCache& Cache() {
  thread_local ShapeCache cache;
  return cache;
}

// The key condition from a remembered shape and this request's values, when the request is
// valid; nullopt otherwise, and the full parse then answers with DynamoDB's error, found in the
// order DynamoDB looks (the parser checks some values as it reads them, before these checks).
// Valid here means: every value is there, has its key's type (so the parser's checks, which
// accept strings, numbers and binaries, pass too), and BETWEEN's bounds are in order.
std::optional<KeyCondition> Bind(const Shape& shape, Context& ctx, const KeySchemaView& keys) {
  const ValueMap* map = ctx.values();
  if (!map) return std::nullopt;
  KeyCondition kc;
  for (const Shape::Leaf& leaf : shape.leaves) {
    std::array<const AttributeValue*, 2> found{};
    for (std::size_t i = 0; i < leaf.values.size(); ++i) {
      auto it = map->find(leaf.values[i]);
      if (it == map->end()) return std::nullopt;
      found[i] = &it->second;
    }
    const std::span<const AttributeValue* const> values(found.data(), leaf.values.size());
    if (!CheckValueTypes(values, ToValueType(leaf.is_hash ? keys.hash_type : keys.range_type)).ok())
      return std::nullopt;
    if (leaf.is_hash) {
      kc.hash_value = *values[0];
      continue;
    }
    kc.range_op = leaf.op;
    kc.range_value = *values[0];
    if (leaf.op == KeyCondition::RangeOp::kBetween) {
      kc.range_value2 = *values[1];
      if (!CheckBetween(kc.range_value, kc.range_value2).ok()) return std::nullopt;
    }
  }
  for (const auto& [placeholder, _] : shape.names) ctx.MarkName(placeholder);
  for (const Shape::Leaf& leaf : shape.leaves)
    for (const std::string& name : leaf.values) ctx.MarkValue(name);
  return kc;
}

}  // namespace

void ForgetKeyConditions() { Cache() = ShapeCache{}; }

Result<KeyCondition> ParseKeyCondition(std::string_view text, Context& ctx,
                                       const KeySchemaView& keys) {
  if (const Shape* shape = Cache().Find(text, keys, ctx.names()))
    if (auto kc = Bind(*shape, ctx, keys)) return std::move(*kc);

  const std::set<std::string> names_before = ctx.used_names();
  Parser p(text, ctx, "KeyConditionExpression");
  LD_ASSIGN_OR_RETURN(NodePtr root, p.ParseConditionTree());
  std::vector<const Node*> leaves;
  LD_RETURN_IF_ERROR(Flatten(*root, &leaves));
  if (leaves.size() > 2) return ValidationError("Conditions can be of length 1 or 2 only");

  KeyCondition kc;
  Shape shape;
  bool have_hash = false, have_range = false;
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
      for (std::size_t i = 1; i < leaf->children.size(); ++i)
        values.push_back(leaf->children[i].get());
    } else {
      return ValidationError("Invalid operator used in KeyConditionExpression: " +
                             std::string(leaf->kind == Node::Kind::kSize ? "size" : "unknown"));
    }
    if (attr->kind != Node::Kind::kPath || attr->path.size() != 1)
      return ValidationError(
          "Invalid condition in KeyConditionExpression: Key condition must be on a key attribute");
    for (const Node* v : values)
      if (v->kind != Node::Kind::kValue)
        return ValidationError(
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
            "condition");
    const std::string& name = attr->path[0].name;
    const bool is_hash = name == keys.hash_name;
    const bool is_range = keys.range_name && name == *keys.range_name;
    if (!is_hash && !is_range)
      return ValidationError(
          fmt::format("Query condition missed key schema element: {}",
                      have_hash && keys.range_name ? *keys.range_name : keys.hash_name));
    if ((is_hash && have_hash) || (is_range && have_range))
      return ValidationError("KeyConditionExpressions must only contain one condition per key");
    std::vector<const AttributeValue*> operands;
    Shape::Leaf& kept = shape.leaves.emplace_back();
    for (const Node* v : values) {
      operands.push_back(&v->value);
      kept.values.push_back(v->placeholder);
    }
    LD_RETURN_IF_ERROR(
        CheckValueTypes(operands, ToValueType(is_hash ? keys.hash_type : keys.range_type)));
    kept.is_hash = is_hash;
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
      LD_RETURN_IF_ERROR(CheckBetween(kc.range_value, kc.range_value2));
    } else if (leaf->kind == Node::Kind::kBeginsWith) {
      if (keys.range_type == ScalarAttributeType::kN)
        return ValidationError(
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N");
      kc.range_op = KeyCondition::RangeOp::kBeginsWith;
      kc.range_value = values[0]->value;
    } else {
      static const KeyCondition::RangeOp kOps[] = {
          KeyCondition::RangeOp::kEq, KeyCondition::RangeOp::kNone, KeyCondition::RangeOp::kLt,
          KeyCondition::RangeOp::kLe, KeyCondition::RangeOp::kGt,   KeyCondition::RangeOp::kGe};
      kc.range_op = kOps[static_cast<int>(op)];
      kc.range_value = values[0]->value;
    }
    kept.op = kc.range_op;
  }
  if (!have_hash)
    return ValidationError(
        fmt::format("Query condition missed key schema element: {}", keys.hash_name));

  // Remembered only when small: this stays per thread.
  if (text.size() > kMaxRememberedText) return kc;
  shape.text = text;
  shape.keys = keys;
  for (const std::string& placeholder : ctx.used_names())
    if (!names_before.count(placeholder))
      shape.names.emplace_back(placeholder, ctx.names()->at(placeholder));
  Cache().Keep(std::move(shape));
  return kc;
}

}  // namespace localdynamo::expr
