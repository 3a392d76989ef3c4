// The direct writer (hot responses) and the nlohmann path must produce the same JSON.

#include <doctest/doctest.h>

#include "wire/codec.h"
#include "wire/json_writer.h"

using namespace localdynamo;
using namespace localdynamo::wire;

TEST_CASE("QueryBody equals ToJson for every attribute type, escapes and all") {
  Item item = {{"s", AttributeValue::S("quote \" backslash \\ newline \n tab \t ctl \x01 utf8 é")},
               {"n", AttributeValue::N(*Number::Parse("-12.50"))},
               {"b", AttributeValue::B(std::string("\x00\xff", 2))},
               {"t", AttributeValue::Bool(false)},
               {"z", AttributeValue::MakeNull()},
               {"m", AttributeValue::M({{"k", AttributeValue::L({AttributeValue::S("v")})}})},
               {"ss", AttributeValue::SS({"a", "b"})},
               {"ns", AttributeValue::NS({*Number::Parse("1"), *Number::Parse("2.5")})},
               {"bs", AttributeValue::BS({"x"})}};
  QueryResponse r;
  r.items = std::vector<Item>{item, item};
  r.count = 2;
  r.scanned_count = 3;
  r.last_evaluated_key = Item{{"pk", AttributeValue::S("a")}};
  r.consumed_capacity = ConsumedCapacity{"t", 0.5, std::nullopt, std::nullopt, std::nullopt, {}, {}};
  CHECK(json::parse(QueryBody(r)) == ToJson(r));
  r.items.reset();  // Select COUNT
  r.last_evaluated_key.reset();
  CHECK(json::parse(QueryBody(r)) == ToJson(r));
  GetItemResponse g;
  CHECK(json::parse(GetItemBody(g)) == ToJson(g));
  g.item = item;
  g.consumed_capacity = r.consumed_capacity;
  CHECK(json::parse(GetItemBody(g)) == ToJson(g));
}
