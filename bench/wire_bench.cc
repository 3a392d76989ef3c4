// Writing a Query response as DynamoDB JSON: 20 Cruddur messages, the page the HTTP
// benchmark's Query returns. QueryBody writes straight from the page's stored bytes; the
// reference, in the same run, is the generic path every other response takes (an
// nlohmann::json tree built from the Items, then dumped).

#include <benchmark/benchmark.h>

#include "localdynamo/localdynamo.h"
#include "cruddur_messages.h"
#include "wire/codec.h"
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

}  // namespace

BENCHMARK_MAIN();
