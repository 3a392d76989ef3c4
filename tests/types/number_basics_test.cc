#include <doctest/doctest.h>
#include <rapidcheck.h>

#include "localdynamo/number.h"

using namespace localdynamo;

namespace {
std::string Canon(std::string_view s) {
  auto n = Number::Parse(s);
  REQUIRE_MESSAGE(n.ok(), s);
  return n->ToString();
}
std::string ParseError(std::string_view s) {
  auto n = Number::Parse(s);
  REQUIRE_MESSAGE(!n.ok(), s);
  return n.error().message;
}
}  // namespace

TEST_CASE("canonical text form") {
  CHECK(Canon("0100.500") == "100.5");
  CHECK(Canon("1e2") == "100");
  CHECK(Canon("-0") == "0");
  CHECK(Canon("0.0000") == "0");
  CHECK(Canon("1E-5") == "0.00001");
  CHECK(Canon("-1.50") == "-1.5");
  CHECK(Canon(".5") == "0.5");
  CHECK(Canon("5.") == "5");
  CHECK(Canon("+7") == "7");
  CHECK(Canon("1E+125") == "1" + std::string(125, '0'));
  CHECK(Canon("12345678901234567890123456789012345678") ==
        "12345678901234567890123456789012345678");
}

TEST_CASE("limits and errors") {
  CHECK(Canon("1E-130") == "0." + std::string(129, '0') + "1");
  CHECK(
      ParseError("1E-131") ==
      "Number underflow. Attempting to store a number with magnitude smaller than supported range");
  CHECK(Number::Parse("9.9999999999999999999999999999999999999E+125").ok());
  CHECK(ParseError("1E+126") ==
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK(ParseError("123456789012345678901234567890123456789") ==
        "Attempting to store more than 38 significant digits in a Number");
  CHECK(Number::Parse("1234567890123456789012345678901234567800000")
            .ok());  // trailing zeros don't count
  for (const char* bad : {"", "abc", "1e", "--1", "1.2.3", "1e5x", " 1", "e5", "."})
    CHECK(ParseError(bad) == "A value provided cannot be converted into a number");
}

TEST_CASE("exact comparison and arithmetic agree with int64 on small values") {
  CHECK(rc::check("compare, add, subtract", [](int32_t a, int32_t b) {
    Number x = Number::FromInt(a), y = Number::FromInt(b);
    RC_ASSERT((x < y) == (a < b));
    RC_ASSERT((x == y) == (a == b));
    RC_ASSERT(Number::Add(x, y)->ToString() == std::to_string(int64_t{a} + b));
    RC_ASSERT(Number::Subtract(x, y)->ToString() == std::to_string(int64_t{a} - b));
  }));
  CHECK(Number::Add(*Number::Parse("0.1"), *Number::Parse("0.2"))->ToString() == "0.3");
  CHECK(Number::Subtract(*Number::Parse("1"), *Number::Parse("0.001"))->ToString() == "0.999");
  CHECK(!Number::Add(*Number::Parse("9.9999999999999999999999999999999999999E+125"),
                     *Number::Parse("1E+125"))
             .ok());
  CHECK(*Number::Parse("-100") < *Number::Parse("-1.5"));
  CHECK(*Number::Parse("0.001") < *Number::Parse("1"));
}

TEST_CASE("round trip through text") {
  CHECK(rc::check("Parse(ToString(x)) == x", [](int64_t m, int8_t e) {
    auto n = Number::Parse(std::to_string(m) + "e" + std::to_string(e % 90));
    RC_PRE(n.ok());
    RC_ASSERT(*Number::Parse(n->ToString()) == *n);
  }));
}

// dynalite's rule (recorded against DynamoDB's consumed capacity): ceil(digits / 2) plus 1
// when the decimal exponent is odd, 2 when it is even.
TEST_CASE("storage size: one byte per two significant digits, plus one or two") {
  CHECK(Number::Parse("1")->StorageSize() == 3);
  CHECK(Number::Parse("10")->StorageSize() == 2);
  CHECK(Number::Parse("123")->StorageSize() == 4);
  CHECK(Number::Parse("0.5")->StorageSize() == 2);
  CHECK(Number::Parse("12345")->StorageSize() == 5);
  CHECK(Number().StorageSize() == 3);
}
