// GetItem, PutItem and Query (Limit 20, newest first) on the embedded engine, side by side
// with raw LMDB doing the same work in the same run:
//   raw GetItem  = read txn + mdb_get + copy of the value
//   raw PutItem  = write txn + mdb_put of the item + mdb_put of one index entry + commit
//   raw Query    = read txn + cursor positioned at the end of a partition + 20 entries copied
// 100,000 Cruddur-shaped items (1,000 partitions x 100), one GSI, nosync.
// The Query also through PartiQL's ExecuteStatement.
// Time to live's sweep (DeleteExpiredItems) over the same 100,000 items when none has expired,
// next to a consistent Scan of the whole table, page after page: the pass `serve` makes every
// few seconds, against reading the table.
// Durable PutItem (Durability::kSync, a directory on disk) from 1, 4 and 16 threads at once,
// whose writes the commit queue commits in groups, beside raw LMDB committing each put in a
// synced transaction of its own from as many threads (no grouping: LMDB's writer lock takes
// them one at a time). The directory is made under LOCALDYNAMO_BENCH_DISK (default: the
// temporary directory), which must be a disk for the figures to mean anything.

#include <benchmark/benchmark.h>
#include <lmdb.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "localdynamo/localdynamo.h"
#include "cruddur_messages.h"
#include "storage/item_codec.h"

using namespace localdynamo;

namespace {

constexpr int kPartitions = 1000;
constexpr int kPerPartition = 100;

CreateTableRequest Schema() {
  CreateTableRequest r;
  r.table_name = "cruddur-messages";
  r.attribute_definitions = {{"message_group_uuid", ScalarAttributeType::kS},
                             {"pk", ScalarAttributeType::kS},
                             {"sk", ScalarAttributeType::kS}};
  r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  r.billing_mode = BillingMode::kPayPerRequest;
  GlobalSecondaryIndex g;
  g.index_name = "message-group-sk-index";
  g.key_schema = {{"message_group_uuid", KeyType::kHash}, {"sk", KeyType::kRange}};
  g.projection.projection_type = ProjectionType::kAll;
  r.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{g};
  return r;
}

struct Engine {
  std::unique_ptr<Database> db;
  Engine() {
    Options o;
    o.durability = Durability::kNoSync;
    db = std::move(Database::OpenInMemory(o)).value();
    (void)db->CreateTable(Schema());
    for (int p = 0; p < kPartitions; ++p) {
      BatchWriteItemRequest b;
      for (int i = 0; i < kPerPartition; ++i) {
        b.request_items["cruddur-messages"].push_back(
            WriteRequest{bench::MessageRow(p, i), std::nullopt});
        if (b.request_items["cruddur-messages"].size() == 25) {
          (void)db->BatchWriteItem(b);
          b.request_items.clear();
        }
      }
    }
  }
  static Engine& Get() {
    static Engine e;
    return e;
  }
};

// Raw LMDB with the same data shape: key = pk + 0 + sk, value = the encoded item.
struct Raw {
  std::string dir;
  MDB_env* env = nullptr;
  MDB_dbi dbi = 0;
  static std::string Key(const Item& item) { return item.at("pk").s() + '\0' + item.at("sk").s(); }
  // An environment in `directory` opened with `flags`, holding the benchmark's 100,000 items
  // when `seeded`.
  Raw(std::string directory, unsigned flags, bool seeded) : dir(std::move(directory)) {
    mdb_env_create(&env);
    mdb_env_set_mapsize(env, uint64_t{4} << 30);
    mdb_env_set_maxdbs(env, 4);
    mdb_env_open(env, dir.c_str(), flags, 0644);
    MDB_txn* txn;
    mdb_txn_begin(env, nullptr, 0, &txn);
    mdb_dbi_open(txn, "data", MDB_CREATE, &dbi);
    for (int p = 0; seeded && p < kPartitions; ++p)
      for (int i = 0; i < kPerPartition; ++i) {
        Item item = bench::MessageRow(p, i);
        std::string k = Key(item), v = storage::EncodeItem(item);
        MDB_val kv{k.size(), k.data()}, vv{v.size(), v.data()};
        mdb_put(txn, dbi, &kv, &vv, 0);
      }
    mdb_txn_commit(txn);
  }
  ~Raw() {
    mdb_env_close(env);
    std::filesystem::remove_all(dir);
  }
  // The raw PutItem: the item and one index entry, in a write transaction of its own.
  void Put(const Item& item) const {
    std::string k = Key(item), v = storage::EncodeItem(item);
    std::string ik = item.at("message_group_uuid").s() + '\0' + k;
    MDB_txn* txn;
    mdb_txn_begin(env, nullptr, 0, &txn);
    MDB_val kv{k.size(), k.data()}, vv{v.size(), v.data()}, ikv{ik.size(), ik.data()};
    mdb_put(txn, dbi, &kv, &vv, 0);
    mdb_put(txn, dbi, &ikv, &vv, 0);
    mdb_txn_commit(txn);
  }
  // Seeded, where Database::OpenInMemory puts the engine's data (tmpfs when there is one)
  // and with its flags: MDB_WRITEMAP on tmpfs, plain nosync elsewhere.
  static Raw& Get() {
    static Raw r = [] {
      const bool shm = std::filesystem::is_directory("/dev/shm");
      std::filesystem::path base =
          shm ? std::filesystem::path("/dev/shm") : std::filesystem::temp_directory_path();
      std::string dir = (base / "ld_bench_raw_XXXXXX").string();
      (void)mkdtemp(dir.data());
      return Raw(dir, MDB_NOSYNC | MDB_NOTLS | (shm ? MDB_WRITEMAP : 0u), true);
    }();
    return r;
  }
};

void BM_GetItem_Engine(benchmark::State& state) {
  auto& e = Engine::Get();
  std::mt19937 rng(1);
  for (auto _ : state) {
    int p = rng() % kPartitions, i = rng() % kPerPartition;
    Item row = bench::MessageRow(p, i);
    GetItemRequest g;
    g.table_name = "cruddur-messages";
    g.key = {{"pk", row.at("pk")}, {"sk", row.at("sk")}};
    auto r = e.db->GetItem(g);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_GetItem_Engine);

void BM_GetItem_RawLmdb(benchmark::State& state) {
  auto& raw = Raw::Get();
  std::mt19937 rng(1);
  for (auto _ : state) {
    int p = rng() % kPartitions, i = rng() % kPerPartition;
    Item row = bench::MessageRow(p, i);
    std::string k = Raw::Key(row);
    MDB_txn* txn;
    mdb_txn_begin(raw.env, nullptr, MDB_RDONLY, &txn);
    MDB_val kv{k.size(), k.data()}, vv;
    std::string copy;
    if (mdb_get(txn, raw.dbi, &kv, &vv) == 0)
      copy.assign(static_cast<char*>(vv.mv_data), vv.mv_size);
    mdb_txn_abort(txn);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_GetItem_RawLmdb);

void BM_PutItem_Engine(benchmark::State& state) {
  auto& e = Engine::Get();
  int n = 0;
  for (auto _ : state) {
    PutItemRequest p;
    p.table_name = "cruddur-messages";
    p.item = bench::MessageRow(kPartitions + n / kPerPartition, n % kPerPartition);
    ++n;
    auto r = e.db->PutItem(p);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_PutItem_Engine);

void BM_PutItem_RawLmdb(benchmark::State& state) {
  auto& raw = Raw::Get();
  int n = 0;
  for (auto _ : state) {
    raw.Put(bench::MessageRow(kPartitions + n / kPerPartition, n % kPerPartition));
    ++n;
  }
}
BENCHMARK(BM_PutItem_RawLmdb);

// ---- durable writes from several threads ----

std::string DiskDirectory(const char* name) {
  const char* parent = std::getenv("LOCALDYNAMO_BENCH_DISK");
  std::filesystem::path base = parent ? parent : std::filesystem::temp_directory_path();
  std::string dir = (base / (std::string(name) + "_XXXXXX")).string();
  (void)mkdtemp(dir.data());
  return dir;
}

struct DurableEngine {
  std::string dir = DiskDirectory("ld_bench_durable");
  std::unique_ptr<Database> db = std::move(Database::Open(dir)).value();  // Durability::kSync
  DurableEngine() { (void)db->CreateTable(Schema()); }
  ~DurableEngine() {
    db.reset();
    std::filesystem::remove_all(dir);
  }
  static DurableEngine& Get() {
    static DurableEngine e;
    return e;
  }
};

// Raw LMDB on disk with LMDB's default flags: each commit synced.
Raw& DurableRaw() {
  static Raw r(DiskDirectory("ld_bench_durable_raw"), MDB_NOTLS, false);
  return r;
}

// Each thread writes its own new items (partitions of its own, from `first`).
Item DurableRow(benchmark::State& state, int64_t n) {
  const int partition = 3 * kPartitions + static_cast<int>(state.thread_index()) * 100000 +
                        static_cast<int>(n / kPerPartition);
  return bench::MessageRow(partition, static_cast<int>(n % kPerPartition));
}

void BM_PutItem_Durable_Engine(benchmark::State& state) {
  auto& e = DurableEngine::Get();
  int64_t n = 0;
  for (auto _ : state) {
    PutItemRequest p;
    p.table_name = "cruddur-messages";
    p.item = DurableRow(state, n++);
    auto r = e.db->PutItem(p);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PutItem_Durable_Engine)->Threads(1)->Threads(4)->Threads(16)->UseRealTime();

void BM_PutItem_Durable_RawLmdb(benchmark::State& state) {
  const Raw& raw = DurableRaw();
  int64_t n = 0;
  for (auto _ : state) raw.Put(DurableRow(state, n++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PutItem_Durable_RawLmdb)->Threads(1)->Threads(4)->Threads(16)->UseRealTime();

// Query Limit 20, newest first, on a random partition; `read_all` then builds every result
// Item (what a caller reading each item pays: the page holds the items' bytes until first
// access).
void QueryLimit20(benchmark::State& state, bool read_all) {
  auto& e = Engine::Get();
  std::mt19937 rng(2);
  for (auto _ : state) {
    int p = rng() % kPartitions;
    QueryRequest q;
    q.table_name = "cruddur-messages";
    q.key_condition_expression = "pk = :pk";
    q.expression_attribute_values = ValueMap{{":pk", bench::MessageRow(p, 0).at("pk")}};
    q.scan_index_forward = false;
    q.limit = 20;
    auto r = e.db->Query(q);
    if (read_all) benchmark::DoNotOptimize(r.value().items->items().data());
    benchmark::DoNotOptimize(r);
  }
}
void BM_Query_Limit20_Desc_Engine(benchmark::State& state) { QueryLimit20(state, false); }
void BM_Query_Limit20_Desc_Engine_ReadAll(benchmark::State& state) { QueryLimit20(state, true); }
BENCHMARK(BM_Query_Limit20_Desc_Engine);
BENCHMARK(BM_Query_Limit20_Desc_Engine_ReadAll);

// The same page through PartiQL (parsed, planned and run as the Query above), next to
// BM_Query_Limit20_Desc_Engine.
void BM_Query_Limit20_Desc_PartiQL(benchmark::State& state) {
  auto& e = Engine::Get();
  std::mt19937 rng(2);
  for (auto _ : state) {
    int p = rng() % kPartitions;
    ExecuteStatementRequest s;
    s.statement = "SELECT * FROM \"cruddur-messages\" WHERE pk = ? ORDER BY sk DESC";
    s.parameters = std::vector{bench::MessageRow(p, 0).at("pk")};
    s.limit = 20;
    auto r = e.db->ExecuteStatement(s);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Query_Limit20_Desc_PartiQL);

void BM_Query_Limit20_Desc_RawLmdb(benchmark::State& state) {
  auto& raw = Raw::Get();
  std::mt19937 rng(2);
  for (auto _ : state) {
    int p = rng() % kPartitions;
    std::string prefix = bench::MessageRow(p, 0).at("pk").s() + '\0';
    std::string end = prefix + "\xff";
    MDB_txn* txn;
    mdb_txn_begin(raw.env, nullptr, MDB_RDONLY, &txn);
    MDB_cursor* c;
    mdb_cursor_open(txn, raw.dbi, &c);
    MDB_val kv{end.size(), end.data()}, vv;
    std::vector<std::string> out;
    int rc = mdb_cursor_get(c, &kv, &vv, MDB_SET_RANGE);
    rc = rc == 0 ? mdb_cursor_get(c, &kv, &vv, MDB_PREV) : mdb_cursor_get(c, &kv, &vv, MDB_LAST);
    while (rc == 0 && out.size() < 20) {
      out.emplace_back(static_cast<char*>(vv.mv_data), vv.mv_size);
      rc = mdb_cursor_get(c, &kv, &vv, MDB_PREV);
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Query_Limit20_Desc_RawLmdb);

// Raw LMDB plus decoding the 20 values into Items: the share of the engine's Query time that
// is building std::map-based Items (the public Item type).
void BM_Query_Limit20_Desc_RawLmdbPlusDecode(benchmark::State& state) {
  auto& raw = Raw::Get();
  std::mt19937 rng(2);
  for (auto _ : state) {
    int p = rng() % kPartitions;
    std::string prefix = bench::MessageRow(p, 0).at("pk").s() + '\0';
    std::string end = prefix + "\xff";
    MDB_txn* txn;
    mdb_txn_begin(raw.env, nullptr, MDB_RDONLY, &txn);
    MDB_cursor* c;
    mdb_cursor_open(txn, raw.dbi, &c);
    MDB_val kv{end.size(), end.data()}, vv;
    std::vector<Item> out;
    out.reserve(20);
    int rc = mdb_cursor_get(c, &kv, &vv, MDB_SET_RANGE);
    rc = rc == 0 ? mdb_cursor_get(c, &kv, &vv, MDB_PREV) : mdb_cursor_get(c, &kv, &vv, MDB_LAST);
    while (rc == 0 && out.size() < 20) {
      out.emplace_back();
      storage::DecodeItem(std::string_view(static_cast<char*>(vv.mv_data), vv.mv_size),
                          &out.back());
      rc = mdb_cursor_get(c, &kv, &vv, MDB_PREV);
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Query_Limit20_Desc_RawLmdbPlusDecode);

// The Engine's items with an "expires" attribute a day after the clock's now, time to live on.
struct Expiring {
  std::unique_ptr<Database> db;
  Expiring() {
    Options o;
    o.durability = Durability::kNoSync;
    o.clock = FixedClock(1679306400000);
    db = std::move(Database::OpenInMemory(o)).value();
    (void)db->CreateTable(Schema());
    for (int p = 0; p < kPartitions; ++p) {
      BatchWriteItemRequest b;
      for (int i = 0; i < kPerPartition; ++i) {
        Item item = bench::MessageRow(p, i);
        item.insert_or_assign("expires", AttributeValue::N(Number::FromInt(1679306400 + 86400)));
        b.request_items["cruddur-messages"].push_back(WriteRequest{std::move(item), std::nullopt});
      }
      for (std::size_t at = 0; at < b.request_items["cruddur-messages"].size(); at += 25) {
        BatchWriteItemRequest part;
        auto& all = b.request_items["cruddur-messages"];
        part.request_items["cruddur-messages"].assign(all.begin() + at,
                                                      all.begin() + std::min(at + 25, all.size()));
        (void)db->BatchWriteItem(part);
      }
    }
    (void)db->UpdateTimeToLive({"cruddur-messages", {"expires", true}});
  }
  static Expiring& Get() {
    static Expiring e;
    return e;
  }
};

void BM_TimeToLiveSweep_NothingExpired(benchmark::State& state) {
  auto& e = Expiring::Get();
  for (auto _ : state) {
    auto deleted = e.db->DeleteExpiredItems();
    if (!deleted.ok() || *deleted != 0) state.SkipWithError("the sweep deleted something");
  }
  state.SetItemsProcessed(state.iterations() * kPartitions * kPerPartition);
}
BENCHMARK(BM_TimeToLiveSweep_NothingExpired)->Unit(benchmark::kMillisecond);

void BM_Scan_WholeTable(benchmark::State& state) {
  auto& e = Expiring::Get();
  for (auto _ : state) {
    ScanRequest s;
    s.table_name = "cruddur-messages";
    s.consistent_read = true;
    int64_t seen = 0;
    while (true) {
      auto page = e.db->Scan(s);
      seen += page->count;
      if (!page->last_evaluated_key) break;
      s.exclusive_start_key = page->last_evaluated_key;
    }
    benchmark::DoNotOptimize(seen);
  }
  state.SetItemsProcessed(state.iterations() * kPartitions * kPerPartition);
}
BENCHMARK(BM_Scan_WholeTable)->Unit(benchmark::kMillisecond);

// A backup of the 100,000-item table (and its index entries), then deleting it: next to the
// whole-table Scan above, what a backup costs against reading the table once.
void BM_CreateAndDeleteBackup_WholeTable(benchmark::State& state) {
  auto& e = Engine::Get();
  for (auto _ : state) {
    auto created = e.db->CreateBackup({"cruddur-messages", "bench"});
    if (!created.ok()) {
      state.SkipWithError(created.error().ToString().c_str());
      break;
    }
    (void)e.db->DeleteBackup({created->backup_details.backup_arn});
  }
  state.SetItemsProcessed(state.iterations() * kPartitions * kPerPartition);
}
BENCHMARK(BM_CreateAndDeleteBackup_WholeTable)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
