#include "engine/item_validation.h"

#include <algorithm>

#include <fmt/format.h>

#include "engine/errors.h"
#include "types/set_rules.h"

namespace localdynamo::engine {
namespace {

Status CheckValue(const AttributeValue& v, int depth, bool* too_deep) {
  if (depth > kMaxNesting) {
    if (too_deep) *too_deep = true;
    return ValidationError("Nesting Levels have exceeded supported limits");
  }
  switch (v.type()) {
    case Type::kSS:
    case Type::kNS:
    case Type::kBS:
      return CheckSetMembers(v);
    case Type::kM:
      for (const auto& [_, e] : v.m()) LD_RETURN_IF_ERROR(CheckValue(e, depth + 1, too_deep));
      break;
    case Type::kL:
      for (const auto& e : v.l()) LD_RETURN_IF_ERROR(CheckValue(e, depth + 1, too_deep));
      break;
    default:
      break;
  }
  return OkStatus();
}

}  // namespace

Status ValidateValues(const Item& item, bool* too_deep) {
  for (const auto& [_, v] : item) LD_RETURN_IF_ERROR(CheckValue(v, 1, too_deep));
  return OkStatus();
}

Status ValidateSize(const Item& item) {
  if (ItemSize(item) > kMaxItemBytes)
    return errors::ItemTooLarge();
  return OkStatus();
}

}  // namespace localdynamo::engine
