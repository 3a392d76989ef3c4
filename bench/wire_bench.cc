// Writing a Query response as DynamoDB JSON: 20 Cruddur messages, the page the HTTP
// benchmark's Query returns. QueryBody writes straight from the page's stored bytes; the
// reference, in the same run, is the generic path every other response takes (an
// nlohmann::json tree built from the Items, then dumped).
// Reading a request: the HTTP benchmark's PutItem body through ParseRequestJson, and through
// nlohmann's parser (the reference; both build the same json value).

#include <benchmark/benchmark.h>

#include "localdynamo/localdynamo.h"
#include "cruddur_messages.h"
#include "wire/codec.h"
#include "wire/json_parse.h"
#include "wire/json_writer.h"

using namespace localdynamo;

namespace {

// The page as Query returns it (its items' stored bytes; it outlives the database).
QueryResponse Page() {
  auto db = bench::OpenMessagesTable();
  for (int i = 0; i < 20; ++i) {
    PutItemRequest p;
    p.table_name = "cruddur-messages";
    p.item = bench::MessageRow(7, i);
    (void)db->PutItem(p);
  }
  QueryRequest q;
  q.table_name = "cruddur-messages";
  q.key_condition_expression = "pk = :pk";
  q.expression_attribute_values = ValueMap{{":pk", bench::MessageRow(7, 0).at("pk")}};
  q.scan_index_forward = false;
  q.limit = 20;
  return std::move(db->Query(q)).value();
}

void BM_QueryBody_FromStoredBytes(benchmark::State& state) {
  QueryResponse r = Page();
  for (auto _ : state) benchmark::DoNotOptimize(wire::QueryBody(r));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * wire::QueryBody(r).size()));
}
BENCHMARK(BM_QueryBody_FromStoredBytes);

void BM_QueryBody_NlohmannTree(benchmark::State& state) {
  QueryResponse r = Page();
  (void)r.items->items();  // the Items built once, outside the loop: only the writing is timed
  for (auto _ : state) benchmark::DoNotOptimize(wire::ToJson(r).dump());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * wire::QueryBody(r).size()));
}
BENCHMARK(BM_QueryBody_NlohmannTree);

const std::string kPutItemBody =
    R"({"TableName":"cruddur-messages","Item":{"pk":{"S":"MSG#00000150-5ae2-47a0-bc6d-fe2bc2700399"},)"
    R"("sk":{"S":"w123456-789"},"message_group_uuid":{"S":"g"},)"
    R"("message":{"S":"I think my favorite season is season 3."},"user_handle":{"S":"bayko"}}})";

void BM_PutItemRequest_ParseRequestJson(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(wire::ParseRequestJson(kPutItemBody));
}
BENCHMARK(BM_PutItemRequest_ParseRequestJson);

void BM_PutItemRequest_NlohmannParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(wire::json::parse(kPutItemBody));
}
BENCHMARK(BM_PutItemRequest_NlohmannParse);

}  // namespace

BENCHMARK_MAIN();
