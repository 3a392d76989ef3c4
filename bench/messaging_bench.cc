// Each Cruddur pattern on a large seeded store (10,000 users, 50,000 conversations,
// 5,000,000 messages; LOCALDYNAMO_BENCH_SCALE=0.01 shrinks it), built once into .bench-data/
// (git-ignored) and reused. Reports µs per call and DynamoDB's consumed capacity per call.
// The C+E and D benchmarks add messages and conversations to the cached store, so later runs
// read a slightly larger one; delete .bench-data/ for figures from a fresh store.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>

#include <fmt/format.h>

#include "localdynamo/localdynamo.h"
#include "messaging.h"
#include "seed.h"

using namespace localdynamo;

namespace {

double Scale() {
  const char* s = std::getenv("LOCALDYNAMO_BENCH_SCALE");
  return s ? std::atof(s) : 1.0;
}

struct Store {
  std::unique_ptr<Database> db;
  std::unique_ptr<cruddur::App> app;
  cruddur::SyntheticSize size;

  Store() {
    double scale = Scale();
    size = {static_cast<int64_t>(10000 * scale), static_cast<int64_t>(50000 * scale),
            static_cast<int64_t>(5000000 * scale)};
    std::string dir =
        fmt::format(".bench-data/cruddur-{}-{}-{}", size.users, size.groups, size.messages);
    bool fresh = !std::filesystem::exists(dir + "/data.mdb");
    Options o;
    o.durability = Durability::kNoSync;
    o.ids = SequentialIds(1);
    db = std::move(Database::Open(dir, o)).value();
    app = std::make_unique<cruddur::App>(*db);
    (void)app->SchemaLoad();
    if (fresh) {
      std::cerr << "building " << dir << " (once)...\n";
      auto st = cruddur::SeedSynthetic(*app, *db, size);
      if (!st.ok()) std::cerr << st.error().ToString() << "\n";
    }
    (void)app->StartStreamUpdater();
  }
  static Store& Get() {
    static Store s;
    return s;
  }
  cruddur::User User(int64_t i) const { return cruddur::User{"", fmt::format("user{}", i), ""}; }
};

cruddur::User Resolve(Store& s, int64_t i) {
  return s.app->FindUser(fmt::format("user{}", i)).value();
}

// Pattern B through the public API with consumed capacity, as the app issues it.
void BM_B_ListConversations(benchmark::State& state) {
  auto& s = Store::Get();
  std::mt19937 rng(1);
  double units = 0;
  int64_t calls = 0;
  for (auto _ : state) {
    auto u = Resolve(s, static_cast<int64_t>(rng() % static_cast<uint64_t>(s.size.users)));
    QueryRequest q;
    q.table_name = cruddur::kMessagesTable;
    q.key_condition_expression = "pk = :pkey";
    q.expression_attribute_values = ValueMap{{":pkey", AttributeValue::S("GRP#" + u.uuid)}};
    q.scan_index_forward = false;
    q.limit = 20;
    q.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    auto r = s.db->Query(q);
    units += r->consumed_capacity->capacity_units;
    ++calls;
  }
  state.counters["RCU/call"] = units / static_cast<double>(calls);
}
BENCHMARK(BM_B_ListConversations);

void BM_A_GetConversation_Year(benchmark::State& state) {
  auto& s = Store::Get();
  std::mt19937 rng(2);
  double units = 0;
  int64_t calls = 0;
  for (auto _ : state) {
    auto u = Resolve(s, static_cast<int64_t>(rng() % static_cast<uint64_t>(s.size.users)));
    auto groups = s.app->ListMessageGroups(u).value().groups;
    if (groups.empty()) continue;
    QueryRequest q;
    q.table_name = cruddur::kMessagesTable;
    q.key_condition_expression = "pk = :pk AND begins_with(sk,:year)";
    q.expression_attribute_values = ValueMap{{":pk", AttributeValue::S("MSG#" + groups[0].uuid)},
                                             {":year", AttributeValue::S("2023")}};
    q.scan_index_forward = false;
    q.limit = 20;
    q.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    auto r = s.db->Query(q);
    units += r->consumed_capacity->capacity_units;
    ++calls;
  }
  state.counters["RCU/call"] = calls ? units / static_cast<double>(calls) : 0;
}
BENCHMARK(BM_A_GetConversation_Year);

// Pattern C + E: create_message with the stream updater applied synchronously (the message
// put, then the GSI query and delete + put of both group rows, before the call returns).
void BM_CE_CreateMessage_WithStreamUpdater(benchmark::State& state) {
  auto& s = Store::Get();
  std::mt19937 rng(3);
  for (auto _ : state) {
    state.PauseTiming();
    auto u = Resolve(s, static_cast<int64_t>(rng() % static_cast<uint64_t>(s.size.users)));
    auto groups = s.app->ListMessageGroups(u).value().groups;
    state.ResumeTiming();
    if (groups.empty()) continue;
    auto m = s.app->CreateMessage(u, groups[0].uuid, "benchmark message");
    benchmark::DoNotOptimize(m);
  }
}
BENCHMARK(BM_CE_CreateMessage_WithStreamUpdater);

void BM_D_CreateMessageGroup(benchmark::State& state) {
  auto& s = Store::Get();
  std::mt19937 rng(4);
  for (auto _ : state) {
    state.PauseTiming();
    auto a = Resolve(s, static_cast<int64_t>(rng() % static_cast<uint64_t>(s.size.users)));
    auto b = Resolve(s, static_cast<int64_t>(rng() % static_cast<uint64_t>(s.size.users)));
    state.ResumeTiming();
    if (a.uuid == b.uuid) continue;
    auto g = s.app->CreateMessageGroup(a, b, "hello");
    benchmark::DoNotOptimize(g);
  }
}
BENCHMARK(BM_D_CreateMessageGroup);

}  // namespace

BENCHMARK_MAIN();
