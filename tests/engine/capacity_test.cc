// Consumed capacity, rule by rule, with the sizes stated
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html).

#include <doctest/doctest.h>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

const char* kTable = "cruddur-messages";

// pk(2)+"p"(1) + sk(2)+sk + message_group_uuid(18)+"g"(1) + "pad"(3)+n bytes.
Item Sized(const std::string& sk, std::size_t pad, const char* group = "g") {
  return {{"pk", S("p")},
          {"sk", S(sk)},
          {"message_group_uuid", S(group)},
          {"pad", S(std::string(pad, 'x'))}};
}

}  // namespace

TEST_CASE("writes: 1 KB units of the larger of old and new, plus each affected index") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  PutItemRequest p;
  p.table_name = kTable;
  p.return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  p.item =
      Sized("a", 1500);  // 2+1+2+1+18+1+3+1500 = 1528 bytes: 2 units, in the table and in the GSI
  auto c = *Must(db->PutItem(p)).consumed_capacity;
  CHECK(c.capacity_units == 4);
  CHECK(c.table->capacity_units == 2);
  CHECK(c.global_secondary_indexes.at("message-group-sk-index").capacity_units == 2);

  p.item = Sized("a", 100);  // smaller new item: the old one's 1528 bytes count
  c = *Must(db->PutItem(p)).consumed_capacity;
  CHECK(c.table->capacity_units == 2);

  p.item = Sized("a", 100, "h");  // the index key moves: a delete and a put in the GSI
  c = *Must(db->PutItem(p)).consumed_capacity;
  CHECK(c.table->capacity_units == 1);
  CHECK(c.global_secondary_indexes.at("message-group-sk-index").capacity_units == 2);

  p.item = {{"pk", S("p")}, {"sk", S("b")}};  // not in the sparse index: no index cost
  p.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  c = *Must(db->PutItem(p)).consumed_capacity;
  CHECK(c.capacity_units == 1);
  CHECK_FALSE(c.table);

  DeleteItemRequest d;
  d.table_name = kTable;
  d.key = {{"pk", S("missing")}, {"sk", S("x")}};
  d.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  CHECK(Must(db->DeleteItem(d)).consumed_capacity->capacity_units == 1);  // a miss still costs 1
}

TEST_CASE("Query: sizes of every item read (before the filter) summed, then rounded up") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  Put(*db, kTable, Sized("1", 1500, "g"));  // 3 x 1528 = 4584 bytes
  Put(*db, kTable, Sized("2", 1500, "h"));
  Put(*db, kTable, Sized("3", 1500, "h"));
  QueryRequest q;
  q.table_name = kTable;
  q.key_condition_expression = "pk = :p";
  q.filter_expression = "message_group_uuid = :g";
  q.expression_attribute_values = ValueMap{{":p", S("p")}, {":g", S("g")}};
  q.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto r = Must(db->Query(q));
  CHECK(r.count == 1);
  CHECK(r.scanned_count == 3);
  CHECK(r.consumed_capacity->capacity_units ==
        1.0);  // ceil(4584 / 4096) = 2 units, halved: eventual
  q.consistent_read = true;
  CHECK(Must(db->Query(q)).consumed_capacity->capacity_units == 2.0);
}

TEST_CASE("transactions cost double; batches report per table") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  TransactWriteItemsRequest t;
  TransactPut w;
  w.table_name = kTable;
  w.item = {{"pk", S("t")}, {"sk", S("1")}};  // 1 unit, doubled
  t.transact_items = {w};
  t.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto tc = Must(db->TransactWriteItems(t)).consumed_capacity;
  REQUIRE(tc);
  CHECK(tc->at(0).capacity_units == 2);

  TransactGetItemsRequest tg;
  tg.transact_items = {
      TransactGetItem{kTable, {{"pk", S("t")}, {"sk", S("1")}}, std::nullopt, std::nullopt}};
  tg.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  CHECK(Must(db->TransactGetItems(tg)).consumed_capacity->at(0).capacity_units ==
        2);  // 1 strong read, doubled

  BatchGetItemRequest bg;
  bg.request_items[kTable].keys = {{{"pk", S("t")}, {"sk", S("1")}},
                                   {{"pk", S("t")}, {"sk", S("2")}}};
  bg.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto bc = *Must(db->BatchGetItem(bg)).consumed_capacity;
  REQUIRE(bc.size() == 1);
  CHECK(bc[0].table_name == kTable);
  CHECK(bc[0].capacity_units == 1.0);  // two eventually consistent reads of 0.5
}

TEST_CASE("ReturnItemCollectionMetrics for a table with an LSI") {
  auto db = OpenTestDb();
  CreateTableRequest r;
  r.table_name = "with-lsi";
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                             {"sk", ScalarAttributeType::kS},
                             {"at", ScalarAttributeType::kS}};
  r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  r.billing_mode = BillingMode::kPayPerRequest;
  r.local_secondary_indexes =
      std::vector<LocalSecondaryIndex>{{"by-at",
                                        {{"pk", KeyType::kHash}, {"at", KeyType::kRange}},
                                        {ProjectionType::kKeysOnly, {}}}};
  Must(db->CreateTable(r));
  PutItemRequest p;
  p.table_name = "with-lsi";
  p.item = {{"pk", S("p")}, {"sk", S("1")}, {"at", S("2023")}};
  p.return_item_collection_metrics = ReturnItemCollectionMetrics::kSize;
  auto m = Must(db->PutItem(p)).item_collection_metrics;
  REQUIRE(m);
  CHECK(m->item_collection_key == Item{{"pk", S("p")}});
  CHECK(m->size_estimate_range_gb == std::vector<double>{0.0, 1.0});
  p.table_name = kTable;
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  p.item = {{"pk", S("p")}, {"sk", S("1")}};
  CHECK_FALSE(Must(db->PutItem(p)).item_collection_metrics);  // no LSI: no metrics
}

TEST_CASE("ItemCollectionMetrics from BatchWriteItem and TransactWriteItems, per table") {
  auto db = OpenTestDb();
  CreateTableRequest r;
  r.table_name = "with-lsi";
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                             {"sk", ScalarAttributeType::kS},
                             {"at", ScalarAttributeType::kS}};
  r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  r.billing_mode = BillingMode::kPayPerRequest;
  r.local_secondary_indexes = std::vector<LocalSecondaryIndex>{
      {"by-at", {{"pk", KeyType::kHash}, {"at", KeyType::kRange}}, {ProjectionType::kAll, {}}}};
  Must(db->CreateTable(r));
  BatchWriteItemRequest b;
  b.request_items["with-lsi"] = {
      WriteRequest{Item{{"pk", S("p")}, {"sk", S("1")}, {"at", S("x")}}, std::nullopt},
      WriteRequest{Item{{"pk", S("q")}, {"sk", S("1")}}, std::nullopt}};
  b.return_item_collection_metrics = ReturnItemCollectionMetrics::kSize;
  auto bm = Must(db->BatchWriteItem(b)).item_collection_metrics;
  REQUIRE(bm);
  CHECK(bm->at("with-lsi").size() == 2);
  CHECK(bm->at("with-lsi")[1].item_collection_key == Item{{"pk", S("q")}});
  TransactWriteItemsRequest t;
  TransactPut w;
  w.table_name = "with-lsi";
  w.item = {{"pk", S("p")}, {"sk", S("2")}};
  t.transact_items = {w};
  t.return_item_collection_metrics = ReturnItemCollectionMetrics::kSize;
  auto tm = Must(db->TransactWriteItems(t)).item_collection_metrics;
  REQUIRE(tm);
  CHECK(tm->at("with-lsi").at(0).size_estimate_range_gb == std::vector<double>{0.0, 1.0});
}
