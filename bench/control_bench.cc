// The control surface for tests (issue 24), beside what a test suite does without it, in the
// same run:
//   Reset of an empty store                (target < 1 ms)
//   Reset of ten tables of 1,000 items     (target < 20 ms)  vs DeleteTable of each of them
//   RestoreSnapshot of 10,000 items        (target < 50 ms)  vs loading them again with
//     (the Cruddur messages table with a stream)                  BatchWriteItem, 25 at a time
// In-memory databases (tmpfs where there is one), as a test suite's server runs.

#include <benchmark/benchmark.h>

#include <string>

#include <fmt/format.h>

#include "cruddur_messages.h"
#include "localdynamo/localdynamo.h"

using namespace localdynamo;

namespace {

std::unique_ptr<Database> Open() {
  Options o;
  o.durability = Durability::kNoSync;
  return std::move(Database::OpenInMemory(o)).value();
}

CreateTableRequest Table(const std::string& name) {
  CreateTableRequest r;
  r.table_name = name;
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kS}};
  r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  r.billing_mode = BillingMode::kPayPerRequest;
  r.stream_specification = StreamSpecification{true, StreamViewType::kNewAndOldImages};
  return r;
}

// `count` messages into `table`, in BatchWriteItem requests of 25 (as a fixture loader would).
bool Load(Database& db, const std::string& table, int count, benchmark::State& state) {
  for (int done = 0; done < count;) {
    BatchWriteItemRequest batch;
    auto& requests = batch.request_items[table];
    for (int k = 0; k < 25 && done < count; ++k, ++done) {
      WriteRequest w;
      w.put_item = bench::MessageRow(done / 100, done % 100);
      requests.push_back(std::move(w));
    }
    auto r = db.BatchWriteItem(batch);
    if (!r.ok()) {
      state.SkipWithError(r.error().ToString().c_str());
      return false;
    }
  }
  return true;
}

void BM_Reset_EmptyStore(benchmark::State& state) {
  auto db = Open();
  for (auto _ : state) {
    if (!db->Reset().ok()) state.SkipWithError("Reset failed");
  }
}
BENCHMARK(BM_Reset_EmptyStore)->Unit(benchmark::kMicrosecond);

// Ten tables of 1,000 items, made again (untimed) before each Reset or round of DeleteTables.
void TenTables(benchmark::State& state, bool reset) {
  auto db = Open();
  for (auto _ : state) {
    state.PauseTiming();
    for (int t = 0; t < 10; ++t) {
      (void)db->CreateTable(Table(fmt::format("table-{}", t)));
      if (!Load(*db, fmt::format("table-{}", t), 1000, state)) return;
    }
    state.ResumeTiming();
    if (reset) {
      if (!db->Reset().ok()) state.SkipWithError("Reset failed");
    } else {
      for (int t = 0; t < 10; ++t) (void)db->DeleteTable({fmt::format("table-{}", t)});
    }
  }
}
void BM_Reset_TenTablesOf1000(benchmark::State& state) { TenTables(state, true); }
void BM_DeleteTable_TenTablesOf1000(benchmark::State& state) { TenTables(state, false); }
// A fixed number of rounds: each makes its 10,000 items again, untimed, which takes far longer
// than what is timed.
BENCHMARK(BM_Reset_TenTablesOf1000)->Unit(benchmark::kMillisecond)->Iterations(10);
BENCHMARK(BM_DeleteTable_TenTablesOf1000)->Unit(benchmark::kMillisecond)->Iterations(10);

void BM_RestoreSnapshot_10000Items(benchmark::State& state) {
  auto db = Open();
  (void)db->CreateTable(Table("cruddur-messages"));
  if (!Load(*db, "cruddur-messages", 10000, state)) return;
  if (!db->SaveSnapshot("fixtures").ok()) state.SkipWithError("SaveSnapshot failed");
  for (auto _ : state) {
    if (!db->RestoreSnapshot("fixtures").ok()) state.SkipWithError("RestoreSnapshot failed");
  }
  state.SetItemsProcessed(state.iterations() * 10000);
}
BENCHMARK(BM_RestoreSnapshot_10000Items)->Unit(benchmark::kMillisecond);

// The reference: the same 10,000 items loaded again into a reset store.
void BM_LoadAgain_10000Items(benchmark::State& state) {
  auto db = Open();
  for (auto _ : state) {
    state.PauseTiming();
    (void)db->Reset();
    (void)db->CreateTable(Table("cruddur-messages"));
    state.ResumeTiming();
    if (!Load(*db, "cruddur-messages", 10000, state)) return;
  }
  state.SetItemsProcessed(state.iterations() * 10000);
}
BENCHMARK(BM_LoadAgain_10000Items)->Unit(benchmark::kMillisecond)->Iterations(10);

}  // namespace

BENCHMARK_MAIN();
