#pragma once
// rapidcheck generators for attribute values and items of every type, nested.

#include <rapidcheck.h>

#include "localdynamo/value.h"

namespace ld_test {

using namespace localdynamo;

inline rc::Gen<AttributeValue> GenValue(int depth) {
  auto str = rc::gen::container<std::string>(rc::gen::element<char>('\0', 'a', 'z', '\xff'));
  auto num = rc::gen::apply(
      [](bool neg, int d, int e) {
        return Number::FromCanonicalParts(neg, std::to_string(d * 10 + 1), e);
      },
      rc::gen::arbitrary<bool>(), rc::gen::inRange(0, 100000), rc::gen::inRange(-120, 120));
  auto scalars = rc::gen::weightedOneOf<AttributeValue>({
      {3, rc::gen::map(str, [](std::string s) { return AttributeValue::S(s); })},
      {3, rc::gen::map(num, [](Number n) { return AttributeValue::N(n); })},
      {1, rc::gen::map(str, [](std::string s) { return AttributeValue::B(s); })},
      {1, rc::gen::map(rc::gen::arbitrary<bool>(), [](bool b) { return AttributeValue::Bool(b); })},
      {1, rc::gen::just(AttributeValue::MakeNull())},
      {1, rc::gen::map(rc::gen::container<std::vector<std::string>>(str),
                       [](auto v) { return AttributeValue::SS(v); })},
      {1, rc::gen::map(rc::gen::container<std::vector<Number>>(num),
                       [](auto v) { return AttributeValue::NS(v); })},
      {1, rc::gen::map(rc::gen::container<std::vector<std::string>>(str),
                       [](auto v) { return AttributeValue::BS(v); })},
  });
  if (depth >= 3) return scalars;
  return rc::gen::weightedOneOf<AttributeValue>({
      {8, scalars},
      {1, rc::gen::map(rc::gen::resize(
                           4, rc::gen::container<std::vector<AttributeValue>>(GenValue(depth + 1))),
                       [](List l) { return AttributeValue::L(l); })},
      {1, rc::gen::map(rc::gen::resize(4, rc::gen::container<Map>(str, GenValue(depth + 1))),
                       [](Map m) { return AttributeValue::M(m); })},
  });
}

// Items of up to 8 attributes with arbitrary names.
inline rc::Gen<Item> GenItem() {
  return rc::gen::resize(8, rc::gen::container<Item>(rc::gen::string<std::string>(), GenValue(0)));
}

}  // namespace ld_test
