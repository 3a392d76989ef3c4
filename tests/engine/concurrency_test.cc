// Concurrency (issue 21, "Proof to build"): transfers between items while other threads read,
// and counters written from many threads at once, on one Database (and on a second handle of
// the same directory, which shares its LMDB environment). The cases are skipped in the `engine`
// run: CTest runs each on its own, label `concurrency` (engine_concurrency_*, CMakeLists.txt),
// and tools/test.sh again under ThreadSanitizer.
//
// What a read may be checked against: Scan and Query read their page in one LMDB read
// transaction (query.cc: RunScan/RunQuery begin one ReadTxn and ReadPage reads the whole page
// from it), so a table small enough for one page is read from one snapshot; TransactGetItems
// reads every item from one snapshot too (transact.cc). A global secondary index is written
// in the write transaction of the item, so a Query on it is one snapshot as well (DynamoDB's
// indexes are only eventually consistent; this emulator's are not, and the test holds it to
// that). Each thread's operations come from a seeded generator (LOCALDYNAMO_TEST_SEED
// overrides the seed); the interleaving is the scheduler's.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "storage/item_codec.h"
#include "engine/encoded_reads.h"
#include "support/fixtures.h"

using namespace ld_test;
namespace fs = std::filesystem;

namespace {

constexpr int kAccounts = 16;
constexpr int64_t kOpening = 100;  // each account's first balance
constexpr int64_t kTotal = kAccounts * kOpening;

uint64_t TestSeed() {
  const char* text = std::getenv("LOCALDYNAMO_TEST_SEED");
  return text ? std::strtoull(text, nullptr, 10) : 20261204;
}

// Failures seen on worker threads, checked on the test's thread (doctest's REQUIRE must not
// throw on another thread); the first few messages are kept.
class Failures {
 public:
  void Add(std::string message) {
    std::lock_guard lock(mu_);
    if (messages_.size() < 10) messages_.push_back(std::move(message));
    ++count_;
  }
  void Check() {
    std::lock_guard lock(mu_);
    for (const auto& m : messages_) FAIL_CHECK(m);
    CHECK(count_ == 0);
  }

 private:
  std::mutex mu_;
  std::vector<std::string> messages_;
  int count_ = 0;
};

std::string AccountId(int i) { return fmt::format("acct-{:02}", i); }
Item AccountKey(int i) { return Item{{"pk", S("bank")}, {"id", S(AccountId(i))}}; }

int64_t Int(const AttributeValue& v) { return std::stoll(v.n().ToString()); }
// A number made on a worker thread (the fixtures' N() asserts, which only the test's thread may).
AttributeValue Num(int64_t v) { return AttributeValue::N(Number::FromInt(v)); }

// A temporary directory opened twice in this process (both handles share one environment).
struct Bank {
  std::string dir;
  std::unique_ptr<Database> writer, reader;

  Bank() {
    dir = (fs::temp_directory_path() / "ld_conc_XXXXXX").string();
    REQUIRE(mkdtemp(dir.data()));
    Options o;
    o.durability = Durability::kNoSync;
    o.clock = FixedClock(kStartMillis, 1);
    o.ids = SequentialIds(7);
    writer = Must(Database::Open(dir, o));
    reader = Must(Database::Open(dir, o));
    CreateTableRequest c;
    c.table_name = "accounts";
    c.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                               {"id", ScalarAttributeType::kS},
                               {"branch", ScalarAttributeType::kS}};
    c.key_schema = {{"pk", KeyType::kHash}, {"id", KeyType::kRange}};
    c.billing_mode = BillingMode::kPayPerRequest;
    c.stream_specification = StreamSpecification{true, StreamViewType::kNewAndOldImages};
    GlobalSecondaryIndex g;
    g.index_name = "by-branch";
    g.key_schema = {{"branch", KeyType::kHash}, {"id", KeyType::kRange}};
    g.projection.projection_type = ProjectionType::kAll;
    c.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{g};
    Must(writer->CreateTable(c));
    for (int i = 0; i < kAccounts; ++i) {
      Item item = AccountKey(i);
      item.insert_or_assign("branch", S("main"));
      item.insert_or_assign("balance", Num(kOpening));
      Put(*writer, "accounts", std::move(item));
    }
  }
  ~Bank() {
    writer.reset();
    reader.reset();
    fs::remove_all(dir);
  }
};

// One transfer: both updates in one transaction, the debit conditional on the balance.
TransactWriteItemsRequest Transfer(int from, int to, int64_t amount) {
  TransactWriteItemsRequest r;
  ValueMap values{{":a", Num(amount)}};
  TransactUpdate debit;
  debit.table_name = "accounts";
  debit.key = AccountKey(from);
  debit.update_expression = "SET balance = balance - :a";
  debit.condition_expression = "balance >= :a";
  debit.expression_attribute_values = values;
  TransactUpdate credit;
  credit.table_name = "accounts";
  credit.key = AccountKey(to);
  credit.update_expression = "ADD balance :a";
  credit.expression_attribute_values = values;
  r.transact_items = {debit, credit};
  return r;
}

// The accounts one read returned: all of them, none negative, the total unchanged.
template <class Items>
void CheckBalances(const char* what, const Items& items, Failures& failures) {
  int64_t sum = 0;
  int count = 0;
  for (const Item& item : items) {
    auto found = item.find("balance");
    if (found == item.end() || !found->second.is(Type::kN)) {
      failures.Add(fmt::format("{}: an account without a balance", what));
      continue;
    }
    const int64_t balance = Int(found->second);
    if (balance < 0) failures.Add(fmt::format("{}: {} has {}", what, item.at("id").s(), balance));
    sum += balance;
    ++count;
  }
  if (count != kAccounts || sum != kTotal)
    failures.Add(fmt::format("{}: {} accounts holding {} (want {} holding {})", what, count, sum,
                             kAccounts, kTotal));
}

}  // namespace

TEST_CASE("concurrency/transfers: every Scan, Query and TransactGetItems sees the same total" *
          doctest::skip()) {
  const uint64_t seed = TestSeed();
  CAPTURE(seed);
  Bank bank;
  constexpr int kWriters = 4;
  constexpr int kTransfers = 1000;  // per writer
  constexpr int kMinReads = 20;     // per reader, however fast the writers are
  Failures failures;
  std::atomic<int> writers_left{kWriters};
  std::atomic<int> committed{0}, cancelled{0};
  std::atomic<int> reads{0};

  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      std::mt19937_64 rng(seed + static_cast<uint64_t>(w));
      std::uniform_int_distribution<int> account(0, kAccounts - 1);
      std::uniform_int_distribution<int64_t> amount(1, 120);  // sometimes more than a balance
      for (int i = 0; i < kTransfers; ++i) {
        const int from = account(rng);
        int to = account(rng);
        if (to == from) to = (to + 1) % kAccounts;
        auto r = bank.writer->TransactWriteItems(Transfer(from, to, amount(rng)));
        if (r.ok()) {
          ++committed;
        } else if (r.error().code == ErrorCode::kTransactionCanceled &&
                   r.error().cancellation_reasons.size() == 2 &&
                   r.error().cancellation_reasons[0].code ==
                       CancellationCode::kConditionalCheckFailed &&
                   r.error().cancellation_reasons[1].code == CancellationCode::kNone) {
          ++cancelled;
        } else {
          failures.Add("transfer: " + r.error().ToString());
        }
      }
      --writers_left;
    });
  }
  // Readers: each kind of read keeps going while any writer does.
  auto reader = [&](auto read_once) {
    return [&, read_once]() mutable {
      for (int n = 0; n < kMinReads || writers_left.load() > 0; ++n) {
        read_once();
        ++reads;
      }
    };
  };
  threads.emplace_back(reader([&] {
    ScanRequest r;
    r.table_name = "accounts";
    r.consistent_read = true;
    auto page = bank.reader->Scan(r);
    if (!page.ok()) return failures.Add("scan: " + page.error().ToString());
    if (page->last_evaluated_key) failures.Add("scan: more than one page");
    CheckBalances("scan", *page->items, failures);
  }));
  threads.emplace_back(reader([&] {
    // The endpoint's way: the items as stored, handed over while the snapshot is open.
    ScanRequest r;
    r.table_name = "accounts";
    std::vector<Item> items;
    auto page = engine::ScanEncoded(*bank.writer, r, [&](std::string_view encoded) {
      Item item;
      if (!storage::DecodeItem(encoded, &item))
        failures.Add("scan (encoded): an item does not decode");
      items.push_back(std::move(item));
    });
    if (!page.ok()) return failures.Add("scan (encoded): " + page.error().ToString());
    CheckBalances("scan (encoded)", items, failures);
  }));
  threads.emplace_back(reader([&, flip = false]() mutable {
    // The table's partition, and the index's (written in the item's transaction).
    flip = !flip;
    QueryRequest r;
    r.table_name = "accounts";
    if (flip) {
      r.key_condition_expression = "pk = :p";
      r.expression_attribute_values = ValueMap{{":p", S("bank")}};
      r.consistent_read = true;
    } else {
      r.index_name = "by-branch";
      r.key_condition_expression = "branch = :b";
      r.expression_attribute_values = ValueMap{{":b", S("main")}};
    }
    auto page = bank.reader->Query(r);
    if (!page.ok()) return failures.Add("query: " + page.error().ToString());
    CheckBalances(flip ? "query" : "query (index)", *page->items, failures);
  }));
  threads.emplace_back(reader([&] {
    TransactGetItemsRequest r;
    for (int i = 0; i < kAccounts; ++i)
      r.transact_items.push_back({"accounts", AccountKey(i), std::nullopt, std::nullopt});
    auto got = bank.writer->TransactGetItems(r);
    if (!got.ok()) return failures.Add("transact get: " + got.error().ToString());
    std::vector<Item> items;
    for (auto& response : got->responses)
      if (response.item) items.push_back(std::move(*response.item));
    CheckBalances("transact get", items, failures);
  }));
  for (auto& t : threads) t.join();

  failures.Check();
  MESSAGE(fmt::format("{} transfers, {} cancelled, {} reads", committed.load(), cancelled.load(),
                      reads.load()));
  CHECK(committed.load() + cancelled.load() == kWriters * kTransfers);
  CHECK(committed.load() > 0);
  CHECK(cancelled.load() > 0);  // the condition was exercised, not only the happy path
  // And once everything settled, through either handle.
  ScanRequest all;
  all.table_name = "accounts";
  all.consistent_read = true;
  Failures after;
  CheckBalances("final scan", *Must(bank.writer->Scan(all)).items, after);
  CheckBalances("final scan (second handle)", *Must(bank.reader->Scan(all)).items, after);
  after.Check();
  DescribeTableRequest d;
  d.table_name = "accounts";
  const auto table = Must(bank.writer->DescribeTable(d)).table;
  CHECK(table.item_count == kAccounts);
  // The stream: the opening INSERTs, then two MODIFYs per committed transfer, their sequence
  // numbers strictly increasing, the balances' changes adding up to nothing.
  REQUIRE(table.latest_stream_arn);
  DescribeStreamRequest ds;
  ds.stream_arn = *table.latest_stream_arn;
  const auto shards = Must(bank.writer->DescribeStream(ds)).stream_description.shards;
  REQUIRE(shards.size() == 1);
  GetShardIteratorRequest gi;
  gi.stream_arn = ds.stream_arn;
  gi.shard_id = shards[0].shard_id;
  gi.shard_iterator_type = "TRIM_HORIZON";
  std::optional<std::string> iterator = Must(bank.writer->GetShardIterator(gi)).shard_iterator;
  int inserts = 0, modifies = 0;
  int64_t net = 0;
  std::string last_sequence;
  while (iterator) {
    GetRecordsRequest gr;
    gr.shard_iterator = *iterator;
    auto got = Must(bank.writer->GetRecords(gr));
    if (got.records.empty()) break;
    for (const auto& record : got.records) {
      CHECK(record.sequence_number > last_sequence);  // same width: text order is number order
      last_sequence = record.sequence_number;
      if (record.event_name == "INSERT") ++inserts;
      if (record.event_name == "MODIFY") {
        ++modifies;
        net += Int(record.new_image->at("balance")) - Int(record.old_image->at("balance"));
      }
    }
    iterator = got.next_shard_iterator;
  }
  CHECK(inserts == kAccounts);
  CHECK(modifies == 2 * committed.load());
  CHECK(net == 0);
}

TEST_CASE("concurrency/counters: ADD and BatchWriteItem from many threads count exactly" *
          doctest::skip()) {
  const uint64_t seed = TestSeed();
  CAPTURE(seed);
  auto db = OpenTestDb();
  for (const char* name : {"counters", "events"}) {
    CreateTableRequest c = HashKeySchema(name, "id");
    Must(db->CreateTable(c));
  }
  constexpr int kThreads = 6;
  constexpr int kCounters = 4;
  constexpr int kIncrements = 500;            // per thread
  constexpr int kBatches = kIncrements / 25;  // per thread, of 25 puts each
  Failures failures;
  std::vector<std::array<int64_t, kCounters>> added(kThreads);  // what each thread added where
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(seed + 100 + static_cast<uint64_t>(t));
      std::uniform_int_distribution<int> counter(0, kCounters - 1);
      std::uniform_int_distribution<int> by(1, 5);
      added[t].fill(0);
      for (int i = 0; i < kIncrements; ++i) {
        const int c = counter(rng);
        const int n = by(rng);
        UpdateItemRequest u;
        u.table_name = "counters";
        u.key = Item{{"id", S(fmt::format("c{}", c))}};
        u.update_expression = "ADD hits :n SET calls = if_not_exists(calls, :zero) + :one";
        u.expression_attribute_values =
            ValueMap{{":n", Num(n)}, {":zero", Num(0)}, {":one", Num(1)}};
        auto r = db->UpdateItem(u);
        if (!r.ok()) {
          failures.Add("update: " + r.error().ToString());
          continue;
        }
        added[t][c] += n;
        // Every 25th increment, a batch of new items (distinct per thread): the table's item
        // count is a read-modify-write of its statistics in each batch's transaction.
        if (i % 25 == 24 && i / 25 < kBatches) {
          BatchWriteItemRequest b;
          auto& writes = b.request_items["events"];
          for (int k = 0; k < 25; ++k)
            writes.push_back(
                {Item{{"id", S(fmt::format("t{}-b{}-{}", t, i / 25, k))}, {"n", Num(k)}},
                 std::nullopt});
          auto w = db->BatchWriteItem(b);
          if (!w.ok()) {
            failures.Add("batch: " + w.error().ToString());
          } else if (!w->unprocessed_items.empty()) {
            failures.Add("batch: unprocessed items");
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  failures.Check();

  std::array<int64_t, kCounters> want{};
  for (const auto& a : added)
    for (int c = 0; c < kCounters; ++c) want[c] += a[c];
  int64_t calls = 0;
  for (int c = 0; c < kCounters; ++c) {
    GetItemRequest g;
    g.table_name = "counters";
    g.key = Item{{"id", S(fmt::format("c{}", c))}};
    g.consistent_read = true;
    auto item = Must(db->GetItem(g)).item;
    REQUIRE(item);
    CAPTURE(c);
    CHECK(Int(item->at("hits")) == want[c]);
    calls += Int(item->at("calls"));
  }
  CHECK(calls == kThreads * kIncrements);
  ScanRequest s;
  s.table_name = "events";
  s.select = Select::kCount;
  auto counted = Must(db->Scan(s));
  CHECK_FALSE(counted.last_evaluated_key);
  CHECK(counted.count == kThreads * kBatches * 25);
  DescribeTableRequest d;
  d.table_name = "events";
  CHECK(Must(db->DescribeTable(d)).table.item_count == kThreads * kBatches * 25);
}

namespace {

// Writers on several threads, one subscriber in the given delivery mode.
void SubscribeUnderWriters(bool background) {
  const uint64_t seed = TestSeed();
  CAPTURE(seed);
  Options o;
  o.clock = FixedClock(kStartMillis, 1);
  o.ids = SequentialIds(9);
  o.stream_delivery = background ? StreamDelivery::kBackground : StreamDelivery::kSynchronous;
  auto db = Must(Database::OpenInMemory(o));
  CreateTableRequest c = HashKeySchema("log", "id");
  c.stream_specification = StreamSpecification{true, StreamViewType::kKeysOnly};
  Must(db->CreateTable(c));

  constexpr int kThreads = 4;
  constexpr int kWrites = 400;  // per thread
  Failures failures;
  std::mutex mu;  // guards what the subscriber saw
  std::set<std::string> keys;
  std::string last_sequence;
  int delivered = 0;
  Must(db->Subscribe("log", [&](const StreamRecord& r) {
    std::lock_guard lock(mu);
    // In commit order, both ways (synchronous: CommitAndDeliver queues a write's records
    // before the next write commits; without that, 15 runs in 60 got two writers' records
    // the other way round).
    if (r.sequence_number <= last_sequence)
      failures.Add(fmt::format("record {} after {}", r.sequence_number, last_sequence));
    last_sequence = r.sequence_number;
    if (!keys.insert(r.keys.at("id").s()).second)
      failures.Add("delivered twice: " + r.keys.at("id").s());
    ++delivered;
  }));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(seed + 200 + static_cast<uint64_t>(t));
      for (int i = 0; i < kWrites; ++i) {
        const std::string id = fmt::format("t{}-{}-{}", t, i, rng() % 1000);
        PutItemRequest p;
        p.table_name = "log";
        p.item = Item{{"id", S(id)}};
        if (auto r = db->PutItem(p); !r.ok()) failures.Add("put: " + r.error().ToString());
        if (background) continue;
        // Synchronous delivery: the write returns only once its record was handed over.
        std::lock_guard lock(mu);
        if (!keys.contains(id)) failures.Add("put returned before its record was delivered: " + id);
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 1000; ++i) {  // the background worker catches up (it polls every 50 ms)
    {
      std::lock_guard lock(mu);
      if (delivered >= kThreads * kWrites) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  db.reset();  // stops the worker
  failures.Check();
  CHECK(delivered == kThreads * kWrites);
}

}  // namespace

TEST_CASE("concurrency/streams: subscribers get every concurrent write once" * doctest::skip()) {
  SUBCASE("synchronous") { SubscribeUnderWriters(false); }
  SUBCASE("background") { SubscribeUnderWriters(true); }
}
