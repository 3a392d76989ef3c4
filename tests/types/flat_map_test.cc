// Item is a FlatMap: it must behave as the std::map it replaced (order, first-wins
// construction, insert/erase results), which a property test checks against std::map.

#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <map>

#include "localdynamo/value.h"

using namespace localdynamo;

TEST_CASE("FlatMap keeps names in unsigned byte order; the first of equal names wins") {
  Item item{{"b", AttributeValue::S("1")},
            {"\xc3\xa9", AttributeValue::S("2")},
            {"a", AttributeValue::S("3")},
            {"b", AttributeValue::S("ignored")}};
  std::vector<std::string> names;
  for (const auto& [name, _] : item) names.push_back(name);
  CHECK(names == std::vector<std::string>{"a", "b", "\xc3\xa9"});  // 0xC3 sorts after ASCII
  CHECK(item.at("b").s() == "1");
  CHECK_THROWS_AS(item.at("zz"), std::out_of_range);
  CHECK(item.erase("a") == 1);
  CHECK(item.erase("a") == 0);
  CHECK_FALSE(item.insert({"b", AttributeValue::S("x")}).second);
  CHECK(item.insert_or_assign("b", AttributeValue::S("x")).second == false);
  CHECK(item.at("b").s() == "x");
  // A decoder handing names out of order still gets an ordered map.
  Item decoded;
  decoded.AppendSorted("m") = AttributeValue::S("1");
  decoded.AppendSorted("c") = AttributeValue::S("2");
  decoded.AppendSorted("z") = AttributeValue::S("3");
  CHECK(decoded.begin()->first == "c");
  CHECK((decoded == Item{{"c", AttributeValue::S("2")},
                         {"m", AttributeValue::S("1")},
                         {"z", AttributeValue::S("3")}}));
}

TEST_CASE("FlatMap behaves as std::map under random inserts, assignments and erases") {
  CHECK(rc::check("same contents, same order",
                  [](const std::vector<std::pair<uint8_t, std::string>>& ops) {
                    Item flat;
                    std::map<std::string, std::string> model;
                    for (const auto& [op, name] : ops) {
                      switch (op % 4) {
                        case 0:
                          flat.insert({name, AttributeValue::S(std::to_string(op))});
                          model.insert({name, std::to_string(op)});
                          break;
                        case 1:
                          flat[name] = AttributeValue::S(std::to_string(op));
                          model[name] = std::to_string(op);
                          break;
                        case 2:
                          RC_ASSERT(flat.erase(name) == model.erase(name));
                          break;
                        case 3:
                          RC_ASSERT(flat.contains(name) == model.contains(name));
                          break;
                      }
                    }
                    RC_ASSERT(flat.size() == model.size());
                    auto it = model.begin();
                    for (const auto& [name, value] : flat) {
                      RC_ASSERT(name == it->first);
                      RC_ASSERT(value.s() == it->second);
                      ++it;
                    }
                  }));
}
