// PutItem with a NEW_AND_OLD_IMAGES stream vs without, same run (target: the stream costs
// <= 25% more). Synchronous delivery with no subscriber: the record is written in the same
// LMDB transaction, which is the cost measured.

#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "localdynamo/localdynamo.h"

using namespace localdynamo;

namespace {

std::unique_ptr<Database> Open(bool stream) {
  Options o;
  o.durability = Durability::kNoSync;
  auto db = std::move(Database::OpenInMemory(o)).value();
  CreateTableRequest r;
  r.table_name = "cruddur-messages";
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kS}};
  r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  r.billing_mode = BillingMode::kPayPerRequest;
  if (stream) r.stream_specification = StreamSpecification{true, StreamViewType::kNewAndOldImages};
  (void)db->CreateTable(r);
  return db;
}

void Put(benchmark::State& state, bool stream) {
  auto db = Open(stream);
  int64_t n = 0;
  for (auto _ : state) {
    PutItemRequest p;
    p.table_name = "cruddur-messages";
    p.item = {{"pk", AttributeValue::S(fmt::format("MSG#{}", n % 1000))},
              {"sk", AttributeValue::S(fmt::format("2023-03-20T10:{:08}", n))},
              {"message", AttributeValue::S("I think my favorite season is season 3. So many great episodes.")},
              {"user_handle", AttributeValue::S("bayko")}};
    ++n;
    auto r = db->PutItem(p);
    benchmark::DoNotOptimize(r);
  }
}

void BM_PutItem_NoStream(benchmark::State& state) { Put(state, false); }
void BM_PutItem_WithStream(benchmark::State& state) { Put(state, true); }
BENCHMARK(BM_PutItem_NoStream);
BENCHMARK(BM_PutItem_WithStream);

}  // namespace

BENCHMARK_MAIN();
