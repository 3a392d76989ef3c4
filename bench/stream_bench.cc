// PutItem with a NEW_AND_OLD_IMAGES stream vs without, same run (target: the stream costs
// <= 25% more). Synchronous delivery with no subscriber: the record is written in the same
// LMDB transaction, which is the cost measured. Also PutItem with point-in-time recovery on
// (its log record per write), next to them.

#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "cruddur_messages.h"
#include "localdynamo/localdynamo.h"

using namespace localdynamo;

namespace {

void Put(benchmark::State& state, bool stream, bool recovery = false) {
  auto db = bench::OpenMessagesTable(
      stream ? std::optional(StreamSpecification{true, StreamViewType::kNewAndOldImages})
             : std::nullopt);
  if (recovery && !db->UpdateContinuousBackups({"cruddur-messages", {true, std::nullopt}}).ok())
    state.SkipWithError("recovery");
  int64_t n = 0;
  for (auto _ : state) {
    PutItemRequest p;
    p.table_name = "cruddur-messages";
    p.item = {{"pk", AttributeValue::S(fmt::format("MSG#{}", n % 1000))},
              {"sk", AttributeValue::S(fmt::format("2023-03-20T10:{:08}", n))},
              {"message", AttributeValue::S(
                              "I think my favorite season is season 3. So many great episodes.")},
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
void BM_PutItem_WithPointInTimeRecovery(benchmark::State& state) { Put(state, false, true); }
BENCHMARK(BM_PutItem_WithPointInTimeRecovery);

}  // namespace

BENCHMARK_MAIN();
