#include <doctest/doctest.h>

#include <fmt/format.h>

#include "storage/item_codec.h"
#include "engine/encoded_reads.h"
#include "support/fixtures.h"

using namespace ld_test;

namespace {

const char* kTable = "cruddur-messages";

GetItemRequest GetReq(const std::string& pk, const std::string& sk) {
  GetItemRequest g;
  g.table_name = kTable;
  g.key = {{"pk", S(pk)}, {"sk", S(sk)}};
  return g;
}

int64_t ItemCount(Database& db) { return Must(db.DescribeTable({kTable})).table.item_count; }

}  // namespace

TEST_CASE("PutItem / GetItem / DeleteItem round trip with ReturnValues") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  Item row = MessageRow("g1", "2023-03-20T10:00:00", "hello");
  PutItemRequest p;
  p.table_name = kTable;
  p.item = row;
  p.return_values = ReturnValue::kAllOld;
  CHECK_FALSE(Must(db->PutItem(p)).attributes);

  auto got = Must(db->GetItem(GetReq("MSG#g1", "2023-03-20T10:00:00")));
  REQUIRE(got.item);
  CHECK(*got.item == row);

  Item changed = row;
  changed["message"] = S("edited");
  p.item = changed;
  auto old = Must(db->PutItem(p)).attributes;
  REQUIRE(old);
  CHECK(*old == row);
  CHECK(ItemCount(*db) == 1);

  DeleteItemRequest d;
  d.table_name = kTable;
  d.key = {{"pk", S("MSG#g1")}, {"sk", S("2023-03-20T10:00:00")}};
  d.return_values = ReturnValue::kAllOld;
  auto deleted = Must(db->DeleteItem(d)).attributes;
  REQUIRE(deleted);
  CHECK(*deleted == changed);
  CHECK_FALSE(Must(db->GetItem(GetReq("MSG#g1", "2023-03-20T10:00:00"))).item);
  CHECK(ItemCount(*db) == 0);
}

TEST_CASE("engine::GetItemEncoded answers what GetItem does: item, projection, capacity, errors") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  Item row = MessageRow("g1", "2023-03-20T10:00:00", "hello");
  row["tags"] = AttributeValue::L({S("a"), N("1.50")});
  Put(*db, kTable, row);
  GetItemRequest g;
  g.table_name = kTable;
  g.key = Item{{"pk", row.at("pk")}, {"sk", row.at("sk")}};
  g.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto same = [&] {
    auto decoded = Must(db->GetItem(g));
    auto encoded = Must(engine::GetItemEncoded(*db, g));
    REQUIRE(decoded.item.has_value() == encoded.item.has_value());
    if (decoded.item) CHECK(storage::EncodeItem(*decoded.item) == *encoded.item);
    REQUIRE(encoded.consumed_capacity.has_value());
    CHECK(decoded.consumed_capacity->capacity_units == encoded.consumed_capacity->capacity_units);
    CHECK(encoded.consumed_capacity->table_name == kTable);
  };
  same();
  g.projection_expression = "message, #t[1]";
  g.expression_attribute_names = NameMap{{"#t", "tags"}};
  same();
  CHECK(Must(db->GetItem(g)).item ==
        Item{{"message", S("hello")}, {"tags", AttributeValue::L({N("1.5")})}});
  g.key["sk"] = S("2024");
  same();                          // no item
  g.projection_expression = "#u";  // an undefined name
  CHECK(engine::GetItemEncoded(*db, g).error().message == db->GetItem(g).error().message);
  CHECK_FALSE(db->GetItem(g).error().message.empty());
}

TEST_CASE("key and item validation leave the table unchanged") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  auto put = [&](Item item) {
    PutItemRequest p;
    p.table_name = kTable;
    p.item = std::move(item);
    return MustFail(db->PutItem(p));
  };
  CHECK(put({{"pk", S("x")}}).message ==
        "One or more parameter values were invalid: Missing the key sk in the item");
  CHECK(
      put({{"pk", N("1")}, {"sk", S("a")}}).message ==
      "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
  CHECK(put({{"pk", S("")}, {"sk", S("a")}}).message ==
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        "contain an empty string value. Key: pk");
  CHECK(put({{"pk", S(std::string(2049, 'x'))}, {"sk", S("a")}}).message ==
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size "
        "limit of2048 bytes");
  CHECK(put({{"pk", S("x")}, {"sk", S(std::string(1025, 'x'))}}).message ==
        "One or more parameter values were invalid: Aggregated size of all range keys has exceeded "
        "the size limit of 1024 bytes");
  CHECK(put({{"pk", S("x")}, {"sk", S("a")}, {"message_group_uuid", N("5")}}).message ==
        "One or more parameter values were invalid: Type mismatch for Index Key message_group_uuid "
        "Expected: S Actual: N IndexName: message-group-sk-index");
  CHECK(put({{"pk", S("x")}, {"sk", S("a")}, {"big", S(std::string(400 * 1024, 'x'))}}).message ==
        "Item size has exceeded the maximum allowed size");
  CHECK(put({{"pk", S("x")}, {"sk", S("a")}, {"set", AttributeValue::SS({})}}).message ==
        "One or more parameter values were invalid: An string set  may not be empty");
  CHECK(
      put({{"pk", S("x")}, {"sk", S("a")}, {"set", AttributeValue::SS({"b", "a", "b"})}}).message ==
      "One or more parameter values were invalid: Input collection [b, a, b] contains duplicates.");
  // Numbers are members by value: 1 and 1.0 are the same member (listed in canonical form).
  CHECK(put({{"pk", S("x")},
             {"sk", S("a")},
             {"m", AttributeValue::M(
                       {{"n", AttributeValue::NS({*Number::Parse("1"), *Number::Parse("1.0")})}})}})
            .message ==
        "One or more parameter values were invalid: Input collection [1, 1] contains duplicates.");
  CHECK(put({{"pk", S("x")}, {"sk", S("a")}, {"set", AttributeValue::BS({"ab", "ab"})}}).message ==
        "One or more parameter values were invalid: Input collection [YWI=, YWI=] contains "
        "duplicates.");
  CHECK(ItemCount(*db) == 0);

  GetItemRequest g = GetReq("x", "a");
  g.key.erase("sk");
  CHECK(MustFail(db->GetItem(g)).message == "The provided key element does not match the schema");
  g = GetReq("x", "a");
  g.key["extra"] = S("1");
  CHECK(MustFail(db->GetItem(g)).message == "The provided key element does not match the schema");
  g = GetReq("x", "a");
  g.table_name = "no-such-table";
  auto e = MustFail(db->GetItem(g));
  CHECK(e.code == ErrorCode::kResourceNotFound);
  CHECK(e.message == "Requested resource not found");
}

TEST_CASE("items at the key size limits are stored and found") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  std::string pk(2048, 'p'), sk(1024, 's');
  Put(*db, kTable, {{"pk", S(pk)}, {"sk", S(sk)}, {"v", S("max")}});
  Put(*db, kTable, {{"pk", S(pk)}, {"sk", S(sk.substr(1))}, {"v", S("shorter")}});
  auto got = Must(db->GetItem(GetReq(pk, sk)));
  REQUIRE(got.item);
  CHECK(got.item->at("v") == S("max"));
  CHECK(Must(db->GetItem(GetReq(pk, sk.substr(1)))).item->at("v") == S("shorter"));
}

TEST_CASE("GSI entries follow the item: sparse, moved, removed") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  Put(*db, kTable, MessageRow("g1", "2023-03-20T10:00:00", "no index attribute"));
  Put(*db, kTable, GroupRow("u1", "g1", "2023-03-20T10:00:00"));
  auto index_count = [&] {
    return Must(db->DescribeTable({kTable})).table.global_secondary_indexes[0].item_count;
  };
  CHECK(index_count() == 1);
  Item moved = GroupRow("u1", "g2", "2023-03-20T10:00:00");
  Put(*db, kTable, moved);
  CHECK(index_count() == 1);
  DeleteItemRequest d;
  d.table_name = kTable;
  d.key = {{"pk", S("GRP#u1")}, {"sk", S("2023-03-20T10:00:00")}};
  Must(db->DeleteItem(d));
  CHECK(index_count() == 0);
}

TEST_CASE("consumed capacity: reads in 4 KB units, halves when eventual; writes in 1 KB units") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  // pk(2)+"x"(1) + sk(2)+"a"(1) + big(3)+5000 = 5009 bytes: 2 read units, 5 write units.
  PutItemRequest p;
  p.table_name = kTable;
  p.item = {{"pk", S("x")}, {"sk", S("a")}, {"big", S(std::string(5000, 'x'))}};
  p.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto put = Must(db->PutItem(p));
  REQUIRE(put.consumed_capacity);
  CHECK(put.consumed_capacity->capacity_units == 5);
  CHECK(put.consumed_capacity->table_name == kTable);

  GetItemRequest g = GetReq("x", "a");
  g.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  CHECK(Must(db->GetItem(g)).consumed_capacity->capacity_units == 1.0);
  g.consistent_read = true;
  CHECK(Must(db->GetItem(g)).consumed_capacity->capacity_units == 2.0);
  g = GetReq("missing", "a");
  g.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  CHECK(Must(db->GetItem(g)).consumed_capacity->capacity_units == 0.5);
}

TEST_CASE(
    "a transaction's items total at most 4 MB: ten 390 KB puts commit, eleven are refused and "
    "write nothing") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  auto request = [](int n) {
    TransactWriteItemsRequest r;
    for (int i = 0; i < n; ++i) {
      TransactPut w;
      w.table_name = "cruddur-messages";
      w.item = MessageRow("big", fmt::format("{:03}", i), std::string(390 * 1024, 'x'));
      r.transact_items.push_back(std::move(w));
    }
    return r;
  };
  const Error e = MustFail(db->TransactWriteItems(request(11)));
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.message == "Transaction request cannot be larger than 4 MB");
  auto count = [&] {  // every page: a Scan page stops at 1 MB
    ScanRequest s;
    s.table_name = "cruddur-messages";
    int n = 0;
    do {
      auto page = Must(db->Scan(s));
      n += page.count;
      s.exclusive_start_key = page.last_evaluated_key;
    } while (s.exclusive_start_key);
    return n;
  };
  CHECK(count() == 0);
  Must(db->TransactWriteItems(request(10)));
  CHECK(count() == 10);
}
