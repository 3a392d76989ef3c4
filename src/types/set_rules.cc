#include "types/set_rules.h"

#include <algorithm>

#include <fmt/format.h>

#include "types/json_text.h"

namespace localdynamo {
namespace {

// "[a, b, a]": the members as DynamoDB lists them in its message (numbers in canonical form,
// binary as base64).
template <class T, class Text>
std::string MemberList(const std::vector<T>& values, Text text) {
  std::string out = "[";
  for (const auto& v : values) {
    if (out.size() > 1) out += ", ";
    out += text(v);
  }
  return out + "]";
}

template <class T, class Text>
Status Check(const std::vector<T>& values, std::string_view what, Text text) {
  if (values.empty())
    return ValidationError(fmt::format(
        "One or more parameter values were invalid: An {} set  may not be empty", what));
  std::vector<const T*> sorted;
  sorted.reserve(values.size());
  for (const auto& v : values) sorted.push_back(&v);
  std::sort(sorted.begin(), sorted.end(), [](const T* a, const T* b) { return *a < *b; });
  auto same = [](const T* a, const T* b) { return *a == *b; };
  if (std::adjacent_find(sorted.begin(), sorted.end(), same) != sorted.end())
    return ValidationError(fmt::format(
        "One or more parameter values were invalid: Input collection {} contains duplicates.",
        MemberList(values, text)));
  return OkStatus();
}

}  // namespace

Status CheckSetMembers(const AttributeValue& v) {
  switch (v.type()) {
    case Type::kSS:
      return Check(v.ss(), "string", [](const std::string& s) { return s; });
    case Type::kNS:
      return Check(v.ns(), "number", [](const Number& n) { return n.ToString(); });
    case Type::kBS:
      return Check(v.bs(), "binary", [](const std::string& b) { return Base64Encode(b); });
    default:
      return OkStatus();
  }
}

}  // namespace localdynamo
