#pragma once
// The benchmarks' Cruddur messages table: an in-memory database holding it (pk/sk keys, no
// index), and message <i> of conversation <p>, shaped like the seed's rows (and like
// bench/http_bench.py's).

#include <memory>
#include <optional>

#include <fmt/format.h>

#include "localdynamo/localdynamo.h"

namespace bench {

inline localdynamo::Item MessageRow(int p, int i) {
  using localdynamo::AttributeValue;
  return localdynamo::Item{
      {"pk", AttributeValue::S(fmt::format("MSG#{:08}-5ae2-47a0-bc6d-fe2bc2700399", p))},
      {"sk",
       AttributeValue::S(fmt::format("2023-03-20T{:02}:{:02}:00.000000+00:00", i / 60, i % 60))},
      {"message_group_uuid",
       AttributeValue::S(fmt::format("{:08}-5ae2-47a0-bc6d-fe2bc2700399", p))},
      {"message",
       AttributeValue::S("I think my favorite season is season 3. So many great episodes.")},
      {"message_uuid", AttributeValue::S("1506fa16-d775-4808-9f46-456661029af2")},
      {"user_uuid", AttributeValue::S("2f1c7a1e-30e8-4c5c-9b0f-6a5b7a7d3e21")},
      {"user_display_name", AttributeValue::S("Andrew Bayko")},
      {"user_handle", AttributeValue::S("bayko")}};
}

// A nosync in-memory database with an empty cruddur-messages table.
inline std::unique_ptr<localdynamo::Database> OpenMessagesTable(
    std::optional<localdynamo::StreamSpecification> stream = std::nullopt) {
  using namespace localdynamo;
  Options o;
  o.durability = Durability::kNoSync;
  auto db = std::move(Database::OpenInMemory(o)).value();
  CreateTableRequest r;
  r.table_name = "cruddur-messages";
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kS}};
  r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  r.billing_mode = BillingMode::kPayPerRequest;
  r.stream_specification = stream;
  (void)db->CreateTable(r);
  return db;
}

}  // namespace bench
