#include <doctest/doctest.h>

#include "localdynamo/value.h"

using namespace localdynamo;

TEST_CASE("sets compare as sets") {
  CHECK(AttributeValue::SS({"a", "b"}) == AttributeValue::SS({"b", "a"}));
  CHECK_FALSE(AttributeValue::SS({"a"}) == AttributeValue::SS({"a", "b"}));
  CHECK_FALSE(AttributeValue::S("a") == AttributeValue::B("a"));
}

TEST_CASE("DebugString renders DynamoDB JSON") {
  Item item{{"pk", AttributeValue::S("a\"b")},
            {"l", AttributeValue::L({AttributeValue::Bool(true)})}};
  CHECK(DebugString(item) == R"({"l":{"L":[{"BOOL":true}]},"pk":{"S":"a\"b"}})");
}
