// TransactWriteItems' ClientRequestToken (ExecuteTransaction's: tests/partiql): a retry with the
// same token and the same parameters within 10 minutes succeeds without applying the transaction
// again, also after the database is closed (or its process killed) and opened again; the same
// token with other parameters is IdempotentParameterMismatchException; after 10 minutes the
// token is a new request
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "engine/request_tokens.h"
#include "storage/lmdb.h"
#include "support/fixtures.h"
#include "support/token_db.h"

using namespace ld_test;

namespace {

constexpr int64_t kTenMinutes = 10 * 60 * 1000;

TransactWriteItemsRequest Increment(std::optional<std::string> token, std::string_view by = "1",
                                    std::string id = "a") {
  TransactUpdate u;
  u.table_name = "counters";
  u.key = {{"id", S(std::move(id))}};
  u.update_expression = "ADD c :by";
  u.expression_attribute_values = ValueMap{{":by", N(by)}};
  TransactWriteItemsRequest r;
  r.transact_items = {u};
  r.client_request_token = std::move(token);
  return r;
}

// The token records and their expiry entries stored in `dir`'s meta DBI (`dir` open).
std::pair<std::size_t, std::size_t> StoredTokens(const std::string& dir) {
  auto env = Must(storage::Env::Open(dir, {}));  // the open Database's environment
  auto txn = Must(storage::ReadTxn::Begin(env));
  auto count = [&](std::string_view prefix) {
    std::size_t n = 0;
    auto cursor = Must(storage::Cursor::Open(txn, txn.dbis().meta));
    for (auto e = Must(cursor.SeekGE(prefix)); e && e->key.starts_with(prefix);
         e = Must(cursor.Next()))
      ++n;
    return n;
  };
  return {count(engine::kRequestTokenPrefix), count(engine::kRequestTokenTimePrefix)};
}

}  // namespace

TEST_CASE("a ClientRequestToken outlives closing and opening the database again") {
  TokenDb t;
  Must(t.db->TransactWriteItems(Increment("token-1")));
  CHECK(t.Counter() == N("1"));

  t.Reopen();
  t.clock->Advance(60 * 1000);
  Must(t.db->TransactWriteItems(Increment("token-1")));  // a retry: succeeds, not applied
  CHECK(t.Counter() == N("1"));

  SUBCASE("the same token with other parameters is IdempotentParameterMismatchException") {
    t.Reopen();
    Error e = MustFail(t.db->TransactWriteItems(Increment("token-1", "2")));
    CHECK(e.code == ErrorCode::kIdempotentParameterMismatch);
    CHECK(e.message ==
          "Request body does not match the previous request with the same ClientRequestToken.");
    CHECK(t.Counter() == N("1"));
  }
  SUBCASE("10 minutes after the first request the token is a new request") {
    t.clock->Set(kStartMillis + kTenMinutes);  // still within the window
    t.Reopen();
    Must(t.db->TransactWriteItems(Increment("token-1")));
    CHECK(t.Counter() == N("1"));
    t.clock->Set(kStartMillis + kTenMinutes + 1);
    t.Reopen();
    Must(t.db->TransactWriteItems(Increment("token-1")));
    CHECK(t.Counter() == N("2"));
    // Applied again, the token guards this second application for the next 10 minutes.
    t.Reopen();
    Must(t.db->TransactWriteItems(Increment("token-1")));
    CHECK(t.Counter() == N("2"));
    // ... and with other parameters, it is a mismatch again.
    CHECK(MustFail(t.db->TransactWriteItems(Increment("token-1", "5"))).code ==
          ErrorCode::kIdempotentParameterMismatch);
  }
  SUBCASE("other tokens and requests without one are applied") {
    t.Reopen();
    Must(t.db->TransactWriteItems(Increment("token-2")));
    Must(t.db->TransactWriteItems(Increment(std::nullopt)));
    Must(t.db->TransactWriteItems(Increment(std::nullopt)));
    CHECK(t.Counter() == N("4"));
  }
}

TEST_CASE("a retried token reports the capacity of reading the items, as DynamoDB does") {
  // "the initial TransactWriteItems call returns the amount of write capacity units consumed in
  // making the changes. Subsequent TransactWriteItems calls with the same client token return
  // the number of read capacity units consumed in reading the item."
  TokenDb t;
  auto r = Increment("token-c");
  r.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto first = Must(t.db->TransactWriteItems(r));
  REQUIRE(first.consumed_capacity.has_value());
  REQUIRE(first.consumed_capacity->size() == 1);
  CHECK(first.consumed_capacity->at(0).capacity_units == 2.0);  // a transactional write of < 1 KB

  t.Reopen();
  r.return_consumed_capacity = ReturnConsumedCapacity::kIndexes;
  auto retry = Must(t.db->TransactWriteItems(r));
  REQUIRE(retry.consumed_capacity.has_value());
  REQUIRE(retry.consumed_capacity->size() == 1);
  const ConsumedCapacity& c = retry.consumed_capacity->at(0);
  CHECK(c.table_name == "counters");
  CHECK(c.capacity_units == 2.0);  // a transactional (doubled) strongly consistent read of < 4 KB
  CHECK(c.read_capacity_units == 2.0);
  CHECK_FALSE(c.write_capacity_units.has_value());
  REQUIRE(c.table.has_value());
  CHECK(c.table->read_capacity_units == 2.0);

  r.return_consumed_capacity.reset();
  CHECK_FALSE(Must(t.db->TransactWriteItems(r)).consumed_capacity.has_value());
  CHECK(t.Counter() == N("1"));
}

TEST_CASE("a cancelled transaction leaves its token unused") {
  TokenDb t;
  auto r = Increment("token-x");
  auto& update = std::get<TransactUpdate>(r.transact_items[0]);
  update.condition_expression = "c = :ten";
  update.expression_attribute_values->emplace(":ten", N("10"));
  CHECK(MustFail(t.db->TransactWriteItems(r)).code == ErrorCode::kTransactionCanceled);
  t.Reopen();
  Put(*t.db, "counters", Item{{"id", S("a")}, {"c", N("10")}});
  Must(t.db->TransactWriteItems(r));
  CHECK(t.Counter() == N("11"));
  Must(t.db->TransactWriteItems(r));
  CHECK(t.Counter() == N("11"));
}

TEST_CASE("concurrent requests with one token apply once") {
  TokenDb t;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 20; ++j)
        if (t.db->TransactWriteItems(Increment(fmt::format("token-{}", j))).ok()) ++ok;
    });
  for (auto& th : threads) th.join();
  CHECK(ok.load() == 8 * 20);
  CHECK(t.Counter() == N("20"));
}

TEST_CASE("an in-memory database keeps tokens the same way") {
  auto db = OpenTestDb();
  CreateTableRequest c = HashKeySchema("counters", "id");
  Must(db->CreateTable(c));
  Must(db->TransactWriteItems(Increment("m")));
  Must(db->TransactWriteItems(Increment("m")));
  CHECK(MustFail(db->TransactWriteItems(Increment("m", "2"))).code ==
        ErrorCode::kIdempotentParameterMismatch);
  GetItemRequest g;
  g.table_name = "counters";
  g.key = {{"id", S("a")}};
  CHECK(Must(db->GetItem(g)).item->at("c") == N("1"));
}

TEST_CASE("expired tokens are removed a few at a time as new tokens are written") {
  TokenDb t;
  constexpr std::size_t kOld = 30;
  for (std::size_t i = 0; i < kOld; ++i)
    Must(t.db->TransactWriteItems(Increment(fmt::format("old-{}", i))));
  CHECK(StoredTokens(t.dir) == std::pair{kOld, kOld});
  // Requests without a token neither add nor remove any.
  t.clock->Advance(kTenMinutes + 1);
  Must(t.db->TransactWriteItems(Increment(std::nullopt)));
  CHECK(StoredTokens(t.dir) == std::pair{kOld, kOld});
  const std::size_t per_write = engine::kExpiredTokensRemovedPerWrite;
  for (std::size_t k = 1; k * per_write < kOld + per_write; ++k) {
    Must(t.db->TransactWriteItems(Increment(fmt::format("new-{}", k))));
    const std::size_t left = kOld > k * per_write ? kOld - k * per_write : 0;
    CHECK(StoredTokens(t.dir) == std::pair{left + k, left + k});
  }
  // An expired token, removed or not yet, is a new request; the new ones are still in use.
  Must(t.db->TransactWriteItems(Increment("old-29")));
  Must(t.db->TransactWriteItems(Increment("new-1")));
  CHECK(t.Counter() == N(std::to_string(kOld + 1 + (kOld + per_write - 1) / per_write + 1)));
}

TEST_CASE("a ClientRequestToken is 1 to 36 characters") {
  TokenDb t;
  Error e = MustFail(t.db->TransactWriteItems(Increment(std::string(37, 'x'))));
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.message == "1 validation error detected: Value '" + std::string(37, 'x') +
                         "' at 'clientRequestToken' failed to satisfy constraint: Member must have "
                         "length less than or equal to 36");
  CHECK(MustFail(t.db->TransactWriteItems(Increment(""))).message ==
        "1 validation error detected: Value '' at 'clientRequestToken' failed to satisfy "
        "constraint: Member must have length greater than or equal to 1");
  Must(t.db->TransactWriteItems(Increment(std::string(36, 'x'))));
  CHECK(t.Counter() == N("1"));
}
