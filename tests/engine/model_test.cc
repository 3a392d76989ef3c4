// Property: the engine agrees with a plain in-memory model (std::map ordered the way DynamoDB
// orders keys) for random puts and deletes, and every Query direction and page size returns
// the model's order, page by page.

#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <map>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

struct NumberLess {
  bool operator()(const Number& a, const Number& b) const { return a < b; }
};

rc::Gen<Number> GenSortNumber() {
  return rc::gen::map(rc::gen::pair(rc::gen::inRange(-50000, 50000), rc::gen::inRange(-3, 4)), [](auto p) {
    return *Number::Parse(std::to_string(p.first) + "e" + std::to_string(p.second));
  });
}

}  // namespace

TEST_CASE("property: Query order and pagination match a model, N sort keys") {
  CHECK(rc::check("random puts/deletes, then paged queries both ways", [] {
    auto db = OpenTestDb();
    CreateTableRequest r;
    r.table_name = "model";
    r.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kN}};
    r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
    r.billing_mode = BillingMode::kPayPerRequest;
    RC_ASSERT(db->CreateTable(r).ok());
    std::map<std::string, std::map<Number, int, NumberLess>> model;
    const int ops = *rc::gen::inRange(1, 80);
    for (int i = 0; i < ops; ++i) {
      std::string pk = *rc::gen::element<std::string>("a", "b", "a\x01", "");
      if (pk.empty()) pk = "c";
      Number sk = *GenSortNumber();
      Item key{{"pk", AttributeValue::S(pk)}, {"sk", AttributeValue::N(sk)}};
      if (*rc::gen::inRange(0, 4) == 0) {
        DeleteItemRequest d;
        d.table_name = "model";
        d.key = key;
        RC_ASSERT(db->DeleteItem(d).ok());
        model[pk].erase(sk);
      } else {
        PutItemRequest p;
        p.table_name = "model";
        p.item = key;
        p.item["v"] = AttributeValue::N(Number::FromInt(i));
        RC_ASSERT(db->PutItem(p).ok());
        model[pk][sk] = i;
      }
    }
    for (const auto& [pk, rows] : model) {
      for (bool forward : {true, false}) {
        const int64_t limit = *rc::gen::inRange(1, 7);
        QueryRequest q;
        q.table_name = "model";
        q.key_condition_expression = "pk = :p";
        q.expression_attribute_values = ValueMap{{":p", AttributeValue::S(pk)}};
        q.scan_index_forward = forward;
        q.limit = limit;
        std::vector<std::pair<Number, int>> got;
        while (true) {
          auto page = db->Query(q);
          RC_ASSERT(page.ok());
          RC_ASSERT(static_cast<int64_t>(page->items->size()) <= limit);
          for (const auto& it : *page->items)
            got.emplace_back(it.at("sk").n(), static_cast<int>(std::stoi(it.at("v").n().ToString())));
          if (!page->last_evaluated_key) break;
          q.exclusive_start_key = page->last_evaluated_key;
        }
        std::vector<std::pair<Number, int>> want(rows.begin(), rows.end());
        if (!forward) std::reverse(want.begin(), want.end());
        RC_ASSERT(got == want);
      }
    }
  }));
}
