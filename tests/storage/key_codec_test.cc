#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <algorithm>

#include "storage/key_codec.h"

using namespace localdynamo;
using localdynamo::storage::AppendKeyValue;
using localdynamo::storage::DecodeKeyValue;

namespace {

std::string Enc(const AttributeValue& v) {
  std::string out;
  AppendKeyValue(&out, v);
  return out;
}

int Sign(int c) { return (c > 0) - (c < 0); }

// Random canonical numbers: 1..38 digits, exponent in DynamoDB's range.
rc::Gen<Number> GenNumber() {
  return rc::gen::apply(
      [](bool negative, std::vector<int> ds, int exponent, bool zero) {
        if (zero) return Number();
        std::string digits;
        for (int d : ds) digits.push_back(static_cast<char>('0' + d));
        digits.front() = digits.front() == '0' ? '1' : digits.front();
        digits.back() = digits.back() == '0' ? '7' : digits.back();
        return Number::FromCanonicalParts(negative, digits, exponent);
      },
      rc::gen::arbitrary<bool>(),
      rc::gen::resize(
          38, rc::gen::nonEmpty(rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 10)))),
      rc::gen::inRange(-129, 127), rc::gen::weightedElement<bool>({{1, true}, {15, false}}));
}

// Strings over a small alphabet including 0x00, 0x01 and 0xFF, to stress the escaping.
rc::Gen<std::string> GenBytes() {
  return rc::gen::container<std::string>(
      rc::gen::element<char>('\0', '\x01', 'a', 'b', '\x7f', '\x80', '\xff'));
}

}  // namespace

TEST_CASE("key codec: numbers sort numerically") {
  CHECK(rc::check("memcmp order == numeric order", [] {
    Number a = *GenNumber(), b = *GenNumber();
    int want = a < b ? -1 : (a == b ? 0 : 1);
    RC_ASSERT(Sign(Enc(AttributeValue::N(a)).compare(Enc(AttributeValue::N(b)))) == want);
  }));
  auto n = [](bool neg, const char* d, int e) {
    return AttributeValue::N(Number::FromCanonicalParts(neg, d, e));
  };
  // -100 < -1.5 < -1 < 0 < 0.001 < 1 < 1.5 < 10
  std::vector<AttributeValue> ordered = {
      n(true, "1", 3),   n(true, "15", 1), n(true, "1", 1),   AttributeValue::N(Number()),
      n(false, "1", -2), n(false, "1", 1), n(false, "15", 1), n(false, "1", 2)};
  for (std::size_t i = 1; i < ordered.size(); ++i) CHECK(Enc(ordered[i - 1]) < Enc(ordered[i]));
}

TEST_CASE("key codec: strings and binary sort by unsigned bytes, prefix-free") {
  CHECK(rc::check("memcmp order == byte order, also as a composite key prefix", [] {
    std::string a = *GenBytes(), b = *GenBytes(), sa = *GenBytes(), sb = *GenBytes();
    RC_ASSERT(Sign(Enc(AttributeValue::S(a)).compare(Enc(AttributeValue::S(b)))) ==
              Sign(a.compare(b)));
    // (a, sa) vs (b, sb) compares lexicographically as pairs.
    std::string ka = Enc(AttributeValue::B(a)) + Enc(AttributeValue::B(sa));
    std::string kb = Enc(AttributeValue::B(b)) + Enc(AttributeValue::B(sb));
    int want = a != b ? Sign(a.compare(b)) : Sign(sa.compare(sb));
    RC_ASSERT(Sign(ka.compare(kb)) == want);
  }));
}

TEST_CASE("key codec: round trip") {
  CHECK(rc::check("decode(encode(x)) == x", [] {
    std::string s = *GenBytes();
    Number n = *GenNumber();
    std::string enc =
        Enc(AttributeValue::S(s)) + Enc(AttributeValue::N(n)) + Enc(AttributeValue::B(s));
    std::string_view in = enc;
    AttributeValue a, b, c;
    RC_ASSERT(DecodeKeyValue(&in, ScalarAttributeType::kS, &a));
    RC_ASSERT(DecodeKeyValue(&in, ScalarAttributeType::kN, &b));
    RC_ASSERT(DecodeKeyValue(&in, ScalarAttributeType::kB, &c));
    RC_ASSERT(in.empty());
    RC_ASSERT(a == AttributeValue::S(s));
    RC_ASSERT(b.n().digits() == n.digits());
    RC_ASSERT(b.n().exponent() == n.exponent());
    RC_ASSERT(b.n().negative() == n.negative());
    RC_ASSERT(c == AttributeValue::B(s));
  }));
}

TEST_CASE("key codec: a string's escapes and terminator, and what is not one") {
  auto decode = [](std::string_view bytes, AttributeValue* v) {
    return DecodeKeyValue(&bytes, ScalarAttributeType::kS, v);
  };
  AttributeValue v;
  REQUIRE(decode(std::string_view("a\0\xFF"
                                  "b\0\x01",
                                  6),
                 &v));
  CHECK(v == AttributeValue::S(std::string("a\0b", 3)));
  std::string_view rest("xy\0\x01tail", 8);
  REQUIRE(DecodeKeyValue(&rest, ScalarAttributeType::kS, &v));
  CHECK(v == AttributeValue::S("xy"));
  CHECK(rest == "tail");
  for (std::string_view bad :
       {std::string_view("ab"), std::string_view("a\0", 2), std::string_view("a\0\x02", 3),
        std::string_view("a\0\xFF", 3), std::string_view("", 0)})
    CHECK_FALSE(decode(bad, &v));
}
