#pragma once
// Shared test fixtures: an in-memory database with a fixed clock and ids, and the Cruddur
// messages table of the seed.

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>

#include "localdynamo/localdynamo.h"

namespace ld_test {

using namespace localdynamo;

inline constexpr int64_t kStartMillis = 1679306400000;  // 2023-03-20T10:00:00Z

// A clock the test moves by hand: std::make_shared<ManualClock>(kStartMillis), then Advance.

inline std::unique_ptr<Database> OpenTestDb() {
  Options o;
  o.clock = FixedClock(kStartMillis, 1);
  o.ids = SequentialIds(42);
  auto db = Database::OpenInMemory(o);
  REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().ToString()));
  return std::move(db).value();
}

inline AttributeValue S(std::string s) { return AttributeValue::S(std::move(s)); }
inline AttributeValue N(std::string_view text) {
  auto n = Number::Parse(text);
  REQUIRE(n.ok());
  return AttributeValue::N(*n);
}

// An on-demand table keyed by the string attribute `key` alone.
inline CreateTableRequest HashKeySchema(std::string table, std::string key) {
  CreateTableRequest r;
  r.table_name = std::move(table);
  r.attribute_definitions = {{key, ScalarAttributeType::kS}};
  r.key_schema = {{key, KeyType::kHash}};
  r.billing_mode = BillingMode::kPayPerRequest;
  return r;
}

inline CreateTableRequest CruddurMessagesSchema(bool with_stream = true) {
  CreateTableRequest r;
  r.table_name = "cruddur-messages";
  r.attribute_definitions = {{"message_group_uuid", ScalarAttributeType::kS},
                             {"pk", ScalarAttributeType::kS},
                             {"sk", ScalarAttributeType::kS}};
  r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  r.billing_mode = BillingMode::kProvisioned;
  r.provisioned_throughput = ProvisionedThroughput{5, 5};
  if (with_stream) r.stream_specification = StreamSpecification{true, StreamViewType::kNewImage};
  GlobalSecondaryIndex g;
  g.index_name = "message-group-sk-index";
  g.key_schema = {{"message_group_uuid", KeyType::kHash}, {"sk", KeyType::kRange}};
  g.projection.projection_type = ProjectionType::kAll;
  g.provisioned_throughput = ProvisionedThroughput{5, 5};
  r.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{g};
  return r;
}

template <class T>
T Must(Result<T> r) {
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().ToString()));
  return std::move(r).value();
}

template <class T>
Error MustFail(Result<T> r) {
  REQUIRE_MESSAGE(!r.ok(), "expected an error");
  return std::move(r).error();
}

inline Item MessageRow(const std::string& group, const std::string& at, const std::string& text) {
  return Item{{"pk", S("MSG#" + group)},
              {"sk", S(at)},
              {"message", S(text)},
              {"message_uuid", S("u-" + at)},
              {"user_uuid", S("user-1")},
              {"user_display_name", S("Andrew Brown")},
              {"user_handle", S("andrewbrown")}};
}

inline Item GroupRow(const std::string& owner, const std::string& group, const std::string& at) {
  return Item{{"pk", S("GRP#" + owner)},        {"sk", S(at)},
              {"message_group_uuid", S(group)}, {"message", S("hi")},
              {"user_uuid", S("other")},        {"user_display_name", S("Other")},
              {"user_handle", S("other")}};
}

inline void Put(Database& db, const std::string& table, Item item) {
  PutItemRequest r;
  r.table_name = table;
  r.item = std::move(item);
  Must(db.PutItem(r));
}

}  // namespace ld_test
