#include "localdynamo/value.h"

#include "types/json_text.h"

#include <algorithm>

namespace localdynamo {

namespace {

template <class T>
bool SameMembers(std::vector<T> a, std::vector<T> b) {
  if (a.size() != b.size()) return false;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace

bool AttributeValue::operator==(const AttributeValue& other) const {
  if (type() != other.type()) return false;
  switch (type()) {
    case Type::kSS:
      return SameMembers(ss(), other.ss());
    case Type::kNS:
      return SameMembers(ns(), other.ns());
    case Type::kBS:
      return SameMembers(bs(), other.bs());
    default:
      return v_ == other.v_;
  }
}

std::string DebugString(const AttributeValue& v) {
  std::string out;
  AppendValueJson(&out, v);
  return out;
}

std::string DebugString(const Item& item) {
  std::string out;
  AppendItemJson(&out, item);
  return out;
}

}  // namespace localdynamo
