#include "engine/item_validation.h"

#include <algorithm>

#include <fmt/format.h>

namespace localdynamo::engine {
namespace {

template <class T>
bool HasDuplicates(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return std::adjacent_find(v.begin(), v.end()) != v.end();
}

Status CheckValue(const AttributeValue& v, int depth) {
  if (depth > kMaxNesting) return ValidationError("Nesting Levels have exceeded supported limits");
  switch (v.type()) {
    case Type::kSS:
      if (v.ss().empty()) return ValidationError("One or more parameter values were invalid: An string set  may not be empty");
      if (HasDuplicates(v.ss())) return ValidationError("One or more parameter values were invalid: Input collection contains duplicates");
      break;
    case Type::kNS:
      if (v.ns().empty()) return ValidationError("One or more parameter values were invalid: An number set  may not be empty");
      if (HasDuplicates(v.ns())) return ValidationError("One or more parameter values were invalid: Input collection contains duplicates");
      break;
    case Type::kBS:
      if (v.bs().empty()) return ValidationError("One or more parameter values were invalid: An binary set  may not be empty");
      if (HasDuplicates(v.bs())) return ValidationError("One or more parameter values were invalid: Input collection contains duplicates");
      break;
    case Type::kM:
      for (const auto& [_, e] : v.m()) LD_RETURN_IF_ERROR(CheckValue(e, depth + 1));
      break;
    case Type::kL:
      for (const auto& e : v.l()) LD_RETURN_IF_ERROR(CheckValue(e, depth + 1));
      break;
    default: break;
  }
  return OkStatus();
}

}  // namespace

Status ValidateValues(const Item& item) {
  for (const auto& [_, v] : item) LD_RETURN_IF_ERROR(CheckValue(v, 1));
  return OkStatus();
}

Status ValidateSize(const Item& item) {
  if (ItemSize(item) > kMaxItemBytes) return ValidationError("Item size has exceeded the maximum allowed size");
  return OkStatus();
}

}  // namespace localdynamo::engine
