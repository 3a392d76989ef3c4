#include <doctest/doctest.h>

#include <algorithm>

#include <fmt/format.h>

#include "storage/item_codec.h"
#include "engine/encoded_reads.h"
#include "support/fixtures.h"

using namespace ld_test;

namespace {

const char* kTable = "cruddur-messages";

std::string Ts(int minute, int year = 2023) {
  return fmt::format("{}-03-20T{:02}:{:02}:00.000000+00:00", year, 10 + minute / 60, minute % 60);
}

// The seed's conversation: 25 messages one minute apart in 2023, two in 2024, plus two
// groups for andrew.
std::unique_ptr<Database> Seeded() {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  for (int i = 0; i < 25; ++i) Put(*db, kTable, MessageRow("ab", Ts(i), fmt::format("m{}", i)));
  Put(*db, kTable, MessageRow("ab", Ts(0, 2024), "Happy new year!"));
  Put(*db, kTable, MessageRow("ab", Ts(1, 2024), "Happy new year to you too."));
  Put(*db, kTable, GroupRow("andrew", "ab", Ts(1, 2024)));
  Put(*db, kTable, GroupRow("bayko", "ab", Ts(1, 2024)));
  Put(*db, kTable, GroupRow("andrew", "al", Ts(0)));
  Put(*db, kTable, GroupRow("londo", "al", Ts(0)));
  return db;
}

std::vector<std::string> Sks(const QueryResponse& r) {
  std::vector<std::string> out;
  for (const auto& i : *r.items) out.push_back(i.at("sk").s());
  return out;
}

QueryRequest Q(std::string kce, ValueMap values) {
  QueryRequest q;
  q.table_name = kTable;
  q.key_condition_expression = std::move(kce);
  q.expression_attribute_values = std::move(values);
  return q;
}

}  // namespace

TEST_CASE("pattern B: conversations newest first, Limit 20") {
  auto db = Seeded();
  auto q = Q("pk = :pkey", {{":pkey", S("GRP#andrew")}});
  q.scan_index_forward = false;
  q.limit = 20;
  q.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto r = Must(db->Query(q));
  REQUIRE(r.items->size() == 2);
  CHECK((*r.items)[0].at("message_group_uuid") == S("ab"));
  CHECK((*r.items)[1].at("message_group_uuid") == S("al"));
  CHECK_FALSE(r.last_evaluated_key);
  CHECK(r.consumed_capacity->capacity_units == 0.5);
}

TEST_CASE("pattern A: begins_with(sk, year), newest 20, then the next page") {
  auto db = Seeded();
  auto q = Q("pk = :pk AND begins_with(sk,:year)", {{":pk", S("MSG#ab")}, {":year", S("2023")}});
  q.scan_index_forward = false;
  q.limit = 20;
  auto first = Must(db->Query(q));
  REQUIRE(first.items->size() == 20);
  CHECK(Sks(first).front() == Ts(24));
  CHECK(Sks(first).back() == Ts(5));
  REQUIRE(first.last_evaluated_key);
  CHECK(*first.last_evaluated_key == Item{{"pk", S("MSG#ab")}, {"sk", S(Ts(5))}});
  q.exclusive_start_key = first.last_evaluated_key;
  auto second = Must(db->Query(q));
  CHECK(Sks(second) == std::vector<std::string>{Ts(4), Ts(3), Ts(2), Ts(1), Ts(0)});
  CHECK_FALSE(second.last_evaluated_key);
}

TEST_CASE("pattern A: sk BETWEEN is inclusive and ascending") {
  auto db = Seeded();
  auto q = Q("pk = :pk AND sk BETWEEN :start_date AND :end_date",
             {{":pk", S("MSG#ab")}, {":start_date", S(Ts(3))}, {":end_date", S(Ts(7))}});
  auto r = Must(db->Query(q));
  CHECK(Sks(r) == std::vector<std::string>{Ts(3), Ts(4), Ts(5), Ts(6), Ts(7)});
  auto bad =
      Q("pk = :pk AND sk BETWEEN :a AND :b", {{":pk", S("MSG#x")}, {":a", S("b")}, {":b", S("a")}});
  CHECK(MustFail(db->Query(bad)).code == ErrorCode::kValidation);
}

TEST_CASE("comparison operators on the sort key") {
  auto db = Seeded();
  auto count = [&](const char* op) {
    auto q = Q(fmt::format("pk = :pk AND sk {} :v", op), {{":pk", S("MSG#ab")}, {":v", S(Ts(10))}});
    return Must(db->Query(q)).count;
  };
  CHECK(count("<") == 10);
  CHECK(count("<=") == 11);
  CHECK(count(">") == 16);
  CHECK(count(">=") == 17);
  CHECK(count("=") == 1);
}

TEST_CASE("the GSI query of the stream updater; sparse index; errors") {
  auto db = Seeded();
  QueryRequest q = Q("message_group_uuid = :g", {{":g", S("ab")}});
  q.index_name = "message-group-sk-index";
  auto r = Must(db->Query(q));
  CHECK(r.count == 2);
  q = Q("pk = :p", {{":p", S("x")}});
  q.index_name = "message-group-sk-index";
  CHECK(MustFail(db->Query(q)).code == ErrorCode::kValidation);
  q = Q("message_group_uuid = :g", {{":g", S("ab")}});
  q.index_name = "message-group-sk-index";
  q.consistent_read = true;
  CHECK(MustFail(db->Query(q)).message ==
        "Consistent reads are not supported on global secondary indexes");
  q.consistent_read.reset();
  q.index_name = "nope";
  CHECK(MustFail(db->Query(q)).message == "The table does not have the specified index: nope");
}

TEST_CASE("page-by-page continuation equals one long query, both directions, with a filter") {
  auto db = Seeded();
  for (bool forward : {true, false}) {
    for (int limit : {1, 3, 7}) {
      auto q = Q("pk = :pk", {{":pk", S("MSG#ab")}, {":m", S("m1")}});
      q.filter_expression = "begins_with(message, :m)";
      q.scan_index_forward = forward;
      auto all = Must(db->Query(q));
      std::vector<std::string> paged;
      q.limit = limit;
      int64_t scanned = 0;
      while (true) {
        auto page = Must(db->Query(q));
        for (const auto& s : Sks(page)) paged.push_back(s);
        scanned += page.scanned_count;
        if (!page.last_evaluated_key) break;
        q.exclusive_start_key = page.last_evaluated_key;
      }
      CHECK(paged == Sks(all));
      CHECK(scanned >= all.scanned_count);
    }
  }
}

TEST_CASE("Select COUNT and Scan paging") {
  auto db = Seeded();
  ScanRequest s;
  s.table_name = kTable;
  s.select = Select::kCount;
  auto c = Must(db->Scan(s));
  CHECK(c.count == 31);
  CHECK_FALSE(c.items);
  s.select.reset();
  s.limit = 7;
  int64_t total = 0;
  int pages = 0;
  while (true) {
    auto page = Must(db->Scan(s));
    total += page.count;
    ++pages;
    if (!page.last_evaluated_key) break;
    s.exclusive_start_key = page.last_evaluated_key;
  }
  CHECK(total == 31);
  CHECK(pages == 5);
}

TEST_CASE("parallel scan segments are disjoint and cover the table") {
  auto db = Seeded();
  std::vector<std::string> seen;
  for (int seg = 0; seg < 4; ++seg) {
    ScanRequest s;
    s.table_name = kTable;
    s.segment = seg;
    s.total_segments = 4;
    auto page = Must(db->Scan(s));
    for (const auto& i : *page.items) seen.push_back(i.at("pk").s() + "|" + i.at("sk").s());
  }
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
  CHECK(seen.size() == 31);
}

TEST_CASE(
    "an index page's LastEvaluatedKey is the index key plus the table key, read off the entry") {
  auto db = Seeded();
  auto q = Q("message_group_uuid = :g", {{":g", S("ab")}});
  q.index_name = "message-group-sk-index";
  q.limit = 1;
  auto r = Must(db->Query(q));
  REQUIRE(r.items->size() == 1);
  REQUIRE(r.last_evaluated_key);
  const Item& last = r.items->back();
  CHECK(*r.last_evaluated_key == Item{{"message_group_uuid", last.at("message_group_uuid")},
                                      {"pk", last.at("pk")},
                                      {"sk", last.at("sk")}});
  // A filtered page (items built) and a plain one (bytes kept) end on the same key.
  q.filter_expression = "attribute_exists(message)";
  CHECK(Must(db->Query(q)).last_evaluated_key == r.last_evaluated_key);
}

namespace {

// QueryEncoded / ScanEncoded's page as a response like Query's: the items handed over, decoded.
template <class Req, class Op>
QueryResponse Collected(Database& db, const Req& r, Op op) {
  std::vector<Item> items;
  auto res = Must(op(db, r, [&items](std::string_view bytes) {
    Item item;
    REQUIRE(storage::DecodeItem(bytes, &item));
    items.push_back(std::move(item));
  }));
  if (res.items) {
    CHECK(res.items->empty());  // nothing collected in the response itself
    res.items = ItemList(std::move(items));
  } else {
    CHECK(items.empty());
  }
  return res;
}

std::string CapacityText(const std::optional<ConsumedCapacity>& c) {
  if (!c) return "none";
  std::string s =
      fmt::format("{} {} {} {}", c->table_name, c->capacity_units,
                  c->read_capacity_units.value_or(-1), c->table ? c->table->capacity_units : -1);
  for (const auto& [n, cap] : c->global_secondary_indexes)
    s += fmt::format(" g:{}={}", n, cap.capacity_units);
  for (const auto& [n, cap] : c->local_secondary_indexes)
    s += fmt::format(" l:{}={}", n, cap.capacity_units);
  return s;
}

void CheckSame(const QueryResponse& a, const QueryResponse& b) {
  REQUIRE(a.items.has_value() == b.items.has_value());
  if (a.items) CHECK(a.items->items() == b.items->items());
  CHECK(a.count == b.count);
  CHECK(a.scanned_count == b.scanned_count);
  CHECK(a.last_evaluated_key == b.last_evaluated_key);
  CHECK(CapacityText(a.consumed_capacity) == CapacityText(b.consumed_capacity));
}

}  // namespace

TEST_CASE("a page stops at the item that brings the bytes read to 1 MB, with or without capacity") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  for (int i = 0; i < 15; ++i)
    Put(*db, kTable,
        {{"pk", S("p")},
         {"sk", S(fmt::format("{:03}", i))},
         {"data", S(std::string(100000, 'x'))}});
  // Each item: "pk"+"p" 3, "sk"+3 digits 5, "data"+100000 = 100012 bytes; the 11th reaches
  // 1,100,132 >= 1 MB.
  for (bool with_capacity : {false, true}) {
    CAPTURE(with_capacity);
    auto q = Q("pk = :p", {{":p", S("p")}});
    if (with_capacity) q.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    auto r = Must(db->Query(q));
    CHECK(r.count == 11);
    CHECK(r.items->size() == 11);
    REQUIRE(r.last_evaluated_key);
    CHECK(*r.last_evaluated_key == Item{{"pk", S("p")}, {"sk", S("010")}});
    if (with_capacity)
      CHECK(r.consumed_capacity->capacity_units == 134.5);  // ceil(1100132 / 4096) / 2
    // Handed over item by item, the page stops at the same item (sizes bounded, then exact
    // from the items already handed over).
    const QueryResponse handed = Collected(*db, q, &engine::QueryEncoded);
    CHECK(handed.count == 11);
    CheckSame(handed, r);
    q.exclusive_start_key = r.last_evaluated_key;
    CHECK(Must(db->Query(q)).count == 4);
  }
}

TEST_CASE("QueryEncoded and ScanEncoded hand over, item by item, the page Query and Scan return") {
  auto db = Seeded();
  std::vector<QueryRequest> queries;
  queries.push_back(Q("pk = :p", {{":p", S("MSG#ab")}}));
  queries.back().scan_index_forward = false;
  queries.back().limit = 20;
  queries.push_back(Q("pk = :p AND begins_with(sk, :y)", {{":p", S("MSG#ab")}, {":y", S("2024")}}));
  queries.back().return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  queries.push_back(Q("pk = :p", {{":p", S("MSG#ab")}, {":m", S("m1")}}));
  queries.back().filter_expression = "begins_with(message, :m)";  // items built, kept as stored
  queries.back().limit = 15;
  queries.push_back(Q("pk = :p", {{":p", S("MSG#ab")}}));
  queries.back().projection_expression = "sk, message";  // projected: encoded afresh
  queries.push_back(Q("pk = :p", {{":p", S("MSG#ab")}}));
  queries.back().select = Select::kCount;
  queries.push_back(Q("message_group_uuid = :g", {{":g", S("ab")}}));
  queries.back().index_name = "message-group-sk-index";
  queries.push_back(Q("pk = :p", {{":p", S("nobody")}}));
  for (const auto& q : queries) {
    CAPTURE(*q.key_condition_expression);
    CheckSame(Collected(*db, q, &engine::QueryEncoded), Must(db->Query(q)));
  }
  ScanRequest scan;
  scan.table_name = kTable;
  scan.limit = 7;
  CheckSame(Collected(*db, scan, &engine::ScanEncoded), Must(db->Scan(scan)));
  scan.segment = 1;
  scan.total_segments = 3;
  scan.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  CheckSame(Collected(*db, scan, &engine::ScanEncoded), Must(db->Scan(scan)));
  // Errors are the same too.
  auto bad = Q("pk = :p", {});
  CHECK(engine::QueryEncoded(*db, bad, [](std::string_view) {}).error().message ==
        db->Query(bad).error().message);
}
