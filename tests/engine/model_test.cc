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
  return rc::gen::map(
      rc::gen::pair(rc::gen::inRange(-50000, 50000), rc::gen::inRange(-3, 4)), [](auto p) {
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
            got.emplace_back(it.at("sk").n(),
                             static_cast<int>(std::stoi(it.at("v").n().ToString())));
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

TEST_CASE(
    "property: a point-in-time restore gives the table as the model had it at that moment, its "
    "index too") {
  CHECK(rc::check(
      "random writes at random times, then a restore to a random moment of the window", [] {
        auto clock = std::make_shared<ManualClock>(kStartMillis);
        Options o;
        o.clock = clock;
        auto db = Must(Database::OpenInMemory(o));
        CreateTableRequest r;
        r.table_name = "model";
        r.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"g", ScalarAttributeType::kS}};
        r.key_schema = {{"pk", KeyType::kHash}};
        r.billing_mode = BillingMode::kPayPerRequest;
        GlobalSecondaryIndex gsi;
        gsi.index_name = "by-g";
        gsi.key_schema = {{"g", KeyType::kHash}};
        gsi.projection.projection_type = ProjectionType::kAll;
        r.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{gsi};
        RC_ASSERT(db->CreateTable(r).ok());
        using State = std::map<std::string, std::pair<std::string, int>>;  // pk -> (g, v)
        State state;
        auto write = [&](int i) {
          const std::string pk = *rc::gen::element<std::string>("a", "b", "c", "d");
          if (*rc::gen::inRange(0, 3) == 0) {
            DeleteItemRequest d;
            d.table_name = "model";
            d.key = Item{{"pk", AttributeValue::S(pk)}};
            RC_ASSERT(db->DeleteItem(d).ok());
            state.erase(pk);
          } else {
            const std::string g = *rc::gen::element<std::string>("x", "y");
            PutItemRequest p;
            p.table_name = "model";
            p.item = Item{{"pk", AttributeValue::S(pk)},
                          {"g", AttributeValue::S(g)},
                          {"v", AttributeValue::N(Number::FromInt(i))}};
            RC_ASSERT(db->PutItem(p).ok());
            state[pk] = {g, i};
          }
        };
        for (int i = 0; i < *rc::gen::inRange(0, 6); ++i)
          write(i);  // before recovery: all of it is the start
        RC_ASSERT(db->UpdateContinuousBackups({"model", {true, std::nullopt}}).ok());
        std::vector<std::pair<int64_t, State>> history{
            {clock->NowMillis(), state}};  // the state from each moment on
        const int ops = *rc::gen::inRange(0, 40);
        for (int i = 0; i < ops; ++i) {
          clock->Advance(*rc::gen::inRange(0, 3) * 1000);  // several writes may share a millisecond
          write(100 + i);
          if (history.back().first == clock->NowMillis()) {
            history.back().second = state;
          } else {
            history.emplace_back(clock->NowMillis(), state);
          }
        }
        clock->Advance(10 * 60 * 1000);
        const int64_t earliest = history.front().first, latest = clock->NowMillis() - 5 * 60 * 1000;
        // Half the time exactly a moment some writes were made at (the boundary: those writes are
        // in).
        const int64_t at = *rc::gen::inRange(0, 2) == 0
                               ? history[*rc::gen::inRange<std::size_t>(0, history.size())].first
                               : earliest + *rc::gen::inRange<int64_t>(0, latest - earliest + 1);
        State expected;
        for (const auto& [when, s] : history)
          if (when <= at) expected = s;

        RestoreTableToPointInTimeRequest restore;
        restore.source_table_name = "model";
        restore.target_table_name = "restored";
        restore.restore_date_time = static_cast<double>(at) / 1000.0;
        auto restored = db->RestoreTableToPointInTime(restore);
        RC_ASSERT(restored.ok());
        ScanRequest scan;
        scan.table_name = "restored";
        scan.consistent_read = true;
        auto page = db->Scan(scan);
        RC_ASSERT(page.ok());
        State got;
        for (const Item& item : *page->items)
          got[item.at("pk").s()] = {item.at("g").s(), std::stoi(item.at("v").n().ToString())};
        RC_ASSERT(got == expected);
        scan.index_name = "by-g";
        scan.consistent_read.reset();
        auto through_index = db->Scan(scan);
        RC_ASSERT(through_index.ok());
        RC_ASSERT(through_index->count == static_cast<int64_t>(expected.size()));
        auto described = db->DescribeTable({"restored"});
        RC_ASSERT(described.ok());
        RC_ASSERT(described->table.item_count == static_cast<int64_t>(expected.size()));
      }));
}
