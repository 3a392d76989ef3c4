#pragma once
// The expression tree shared by conditions, key conditions and update values.

#include <memory>
#include <vector>

#include "expr/expressions.h"

namespace localdynamo::expr {

struct Node {
  enum class Kind {
    // operands
    kPath,         // path
    kValue,        // value
    kSize,         // size(children[0])
    kIfNotExists,  // if_not_exists(children[0] path, children[1])
    kListAppend,   // list_append(children[0], children[1])
    kPlus,         // children[0] + children[1]
    kMinus,        // children[0] - children[1]
    // conditions
    kCompare,  // children[0] op children[1]
    kBetween,  // children[0] BETWEEN children[1] AND children[2]
    kIn,       // children[0] IN (children[1..])
    kAnd,
    kOr,
    kNot,
    kAttributeExists,
    kAttributeNotExists,
    kAttributeType,  // (path, :type)
    kBeginsWith,
    kContains,
    kTrue,  // the empty legacy condition
  };
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };

  Kind kind = Kind::kTrue;
  Op op = Op::kEq;
  Path path;
  AttributeValue value;
  std::string placeholder;  // kValue: the ":name" the value was given as
  std::vector<std::shared_ptr<const Node>> children;
};

using NodePtr = std::shared_ptr<const Node>;

// An operand's value in `item`: a pointer into the item or the tree, or into `scratch` for
// computed values; null when it has none (missing attribute, size of a number, ...).
const AttributeValue* EvalOperand(const Node& n, const Item& item, AttributeValue* scratch);
// The value at `path` in `item`, or null.
const AttributeValue* Lookup(const Item& item, const Path& path);
// DynamoDB ordering of two values of the same scalar type (S, N, B); nullopt otherwise.
std::optional<int> CompareScalars(const AttributeValue& a, const AttributeValue& b);

}  // namespace localdynamo::expr
