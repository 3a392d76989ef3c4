// The commit queue (src/engine/commit_queue.h): writes that wait while another commits are
// committed together, and one write failing after it wrote is nobody else's failure.

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/database_impl.h"
#include "engine/encoded_reads.h"
#include "engine/mutation.h"
#include "support/fixtures.h"

using namespace ld_test;

namespace {

std::unique_ptr<Database> TableWithStream() {
  auto db = OpenTestDb();
  CreateTableRequest r = HashKeySchema("tbl", "pk");
  r.stream_specification = StreamSpecification{true, StreamViewType::kNewImage};
  Must(db->CreateTable(r));
  return db;
}

// Puts {pk: key} through the queue's Mutation, as the write path does.
Status PutThrough(Database::Impl& impl, storage::WriteTxn& txn, engine::Mutation& m,
                  const std::string& key) {
  LD_ASSIGN_OR_RETURN(auto table, impl.catalog.Require(txn, "tbl"));
  const Item item{{"pk", S(key)}};
  LD_ASSIGN_OR_RETURN(auto old, m.Read(*table, item));
  return m.Apply(*table, engine::Mutation::Ptr(old), &item, nullptr);
}

bool Has(Database& db, const std::string& key) {
  GetItemRequest r;
  r.table_name = "tbl";
  r.key = Item{{"pk", S(key)}};
  return Must(db.GetItem(r)).item.has_value();
}

}  // namespace

TEST_CASE("commit queue: a write failing after it wrote leaves its group's other writes") {
  auto db = TableWithStream();
  Database::Impl& impl = engine::DatabaseInternals::Of(*db);
  std::mutex delivered_mu;
  std::map<std::string, int> delivered;  // key -> records delivered
  Must(db->Subscribe("tbl", [&](const StreamRecord& r) {
    std::lock_guard lock(delivered_mu);
    ++delivered[r.keys.at("pk").s()];
  }));

  // The leader's write holds the queue until the others are waiting behind it, so that they
  // are committed as one group: b, then c (which writes and then fails, as a full map would
  // fail it), then d (the order they join in varies; the outcome must not).
  std::atomic<bool> leading{false};
  std::atomic<int> arrived{0};
  std::atomic<int> runs_b{0}, runs_c{0}, runs_d{0};
  Status status_b = OkStatus(), status_c = OkStatus(), status_d = OkStatus();
  std::thread leader([&] {
    Must(impl.commits.Write([&](storage::WriteTxn& txn, engine::Mutation& m) -> Status {
      leading = true;
      while (arrived.load() < 3) std::this_thread::yield();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // they queue meanwhile
      return PutThrough(impl, txn, m, "a");
    }));
  });
  auto join = [&](std::atomic<int>& runs, Status& status, const std::string& key, bool fail) {
    return std::thread([&, key, fail] {
      // Not before the leader holds the queue: its work waits for us.
      while (!leading.load()) std::this_thread::yield();
      ++arrived;
      status = impl.commits.Write([&](storage::WriteTxn& txn, engine::Mutation& m) -> Status {
        ++runs;
        LD_RETURN_IF_ERROR(PutThrough(impl, txn, m, key));
        if (fail) return InternalError("failed after writing");
        return OkStatus();
      });
    });
  };
  std::thread b = join(runs_b, status_b, "b", false);
  std::thread c = join(runs_c, status_c, "c", true);
  std::thread d = join(runs_d, status_d, "d", false);
  for (std::thread* t : {&leader, &b, &c, &d}) t->join();

  CHECK(status_b.ok());
  CHECK(status_d.ok());
  REQUIRE_FALSE(status_c.ok());
  CHECK(status_c.error().message == "failed after writing");
  CHECK(Has(*db, "a"));
  CHECK(Has(*db, "b"));
  CHECK_FALSE(Has(*db, "c"));
  CHECK(Has(*db, "d"));
  // c ran in the group and once more alone; whichever of b and d joined before it ran twice.
  CHECK(runs_c.load() == 2);
  CHECK(runs_b.load() + runs_d.load() >= 2);
  // Each committed write's record was delivered once; none for c.
  std::lock_guard lock(delivered_mu);
  CHECK(delivered == std::map<std::string, int>{{"a", 1}, {"b", 1}, {"d", 1}});
}

TEST_CASE("commit queue: a write refused before writing leaves its group as it was") {
  auto db = TableWithStream();
  // From many threads at once: conditional puts of the same keys, each key's first wins.
  constexpr int kThreads = 8, kKeys = 50;
  std::atomic<int> wins{0}, refusals{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int k = 0; k < kKeys; ++k) {
        PutItemRequest r;
        r.table_name = "tbl";
        r.item = Item{{"pk", S("k" + std::to_string(k))}};
        r.condition_expression = "attribute_not_exists(pk)";
        auto out = db->PutItem(r);
        if (out.ok())
          ++wins;
        else if (out.error().code == ErrorCode::kConditionalCheckFailed)
          ++refusals;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(wins.load() == kKeys);
  CHECK(refusals.load() == kKeys * (kThreads - 1));
}
