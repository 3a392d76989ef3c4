#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "storage/key_codec.h"
#include "storage/layout.h"

using namespace localdynamo;
using namespace localdynamo::storage;

namespace {

struct TempEnv {
  std::string dir;
  std::shared_ptr<Env> env;
  TempEnv() {
    dir = (std::filesystem::temp_directory_path() / "ld_layout_test_XXXXXX").string();
    REQUIRE(mkdtemp(dir.data()));
    auto r = Env::Open(dir, EnvOptions{false, uint64_t{1} << 30});
    REQUIRE(r.ok());
    env = r.value();
  }
  ~TempEnv() {
    env.reset();
    std::filesystem::remove_all(dir);
  }
};

std::string FullKey(const std::string& pk, const std::string& sk) {
  std::string k = KeyspacePrefix(1, 0);
  AppendKeyValue(&k, AttributeValue::S(pk));
  AppendKeyValue(&k, AttributeValue::S(sk));
  return k;
}

std::vector<std::string> ScanAll(TempEnv& t, Bound lo, Bound hi, bool forward) {
  auto txn = ReadTxn::Begin(t.env);
  REQUIRE(txn.ok());
  auto cursor = Cursor::Open(*txn, t.env->dbis().data);
  REQUIRE(cursor.ok());
  RangeScanner scanner(std::move(cursor).value(), lo, hi, forward);
  std::vector<std::string> out;
  while (true) {
    auto e = scanner.Next();
    REQUIRE(e.ok());
    if (!*e) break;
    out.emplace_back((*e)->payload);
  }
  return out;
}

}  // namespace

TEST_CASE("long keys: exact order among long sort keys sharing a long prefix") {
  TempEnv t;
  // Partition keys of 2048 bytes, sort keys of 1024 bytes sharing a 1000-byte prefix, plus
  // short partitions around them.
  std::mt19937 rng(7);
  std::string long_pk(2048, 'p');
  std::vector<std::string> sks;
  for (int i = 0; i < 200; ++i) {
    std::string sk(1000, 's');
    int len = 1 + static_cast<int>(rng() % 24);
    for (int j = 0; j < len; ++j) sk.push_back(static_cast<char>('a' + rng() % 3));
    sks.push_back(sk);
  }
  std::sort(sks.begin(), sks.end());
  sks.erase(std::unique(sks.begin(), sks.end()), sks.end());
  {
    auto txn = WriteTxn::Begin(t.env);
    REQUIRE(txn.ok());
    std::vector<std::string> shuffled = sks;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    for (const auto& sk : shuffled)
      REQUIRE(PutEntry(*txn, t.env->dbis().data, FullKey(long_pk, sk), sk).ok());
    // Neighbours: a short key whose bytes equal the long prefix, and keys just around it.
    REQUIRE(PutEntry(*txn, t.env->dbis().data, FullKey("a", "x"), "before").ok());
    REQUIRE(PutEntry(*txn, t.env->dbis().data, FullKey("q", "x"), "after").ok());
    REQUIRE(txn->Commit().ok());
  }
  std::string part = KeyspacePrefix(1, 0);
  AppendKeyValue(&part, AttributeValue::S(long_pk));

  auto forward = ScanAll(t, {part, Bound::Kind::kInclusive}, {part, Bound::Kind::kPrefix}, true);
  CHECK(forward == sks);
  auto backward = ScanAll(t, {part, Bound::Kind::kInclusive}, {part, Bound::Kind::kPrefix}, false);
  std::vector<std::string> reversed(sks.rbegin(), sks.rend());
  CHECK(backward == reversed);

  // Starting strictly after a long key (ExclusiveStartKey) resumes at the next one.
  auto from = ScanAll(t, {FullKey(long_pk, sks[50]), Bound::Kind::kExclusive},
                      {part, Bound::Kind::kPrefix}, true);
  CHECK(from == std::vector<std::string>(sks.begin() + 51, sks.end()));
  auto down = ScanAll(t, {part, Bound::Kind::kInclusive},
                      {FullKey(long_pk, sks[50]), Bound::Kind::kExclusive}, false);
  CHECK(down == std::vector<std::string>(sks.rend() - 50, sks.rend()));

  // The whole table, both ways, keeps neighbours in place.
  std::string table = KeyspacePrefix(1, 0);
  auto all = ScanAll(t, {table, Bound::Kind::kInclusive}, {table, Bound::Kind::kPrefix}, true);
  REQUIRE(all.size() == sks.size() + 2);
  CHECK(all.front() == "before");
  CHECK(all.back() == "after");

  // Point reads and deletes of long keys.
  auto txn = WriteTxn::Begin(t.env);
  REQUIRE(txn.ok());
  auto got = GetEntry(*txn, t.env->dbis().data, FullKey(long_pk, sks[3]));
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK(**got == sks[3]);
  auto missing = GetEntry(*txn, t.env->dbis().data, FullKey(long_pk, sks[3] + "zz"));
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  auto del = DeleteEntry(*txn, t.env->dbis().data, FullKey(long_pk, sks[3]));
  REQUIRE(del.ok());
  CHECK(*del);
}

TEST_CASE("Env::Open returns the same environment for the same path") {
  TempEnv t;
  auto again = Env::Open(t.dir + "/.", EnvOptions{});
  REQUIRE(again.ok());
  CHECK(again->get() == t.env.get());
}

TEST_CASE("read transactions, reused once ended, each see the data committed before they began") {
  TempEnv t;
  const MDB_dbi data = t.env->dbis().data;
  auto put = [&](const std::string& value) {
    auto w = WriteTxn::Begin(t.env);
    REQUIRE(w.ok());
    REQUIRE(w->Put(data, "k", value).ok());
    REQUIRE(w->Commit().ok());
  };
  auto read = [&](const Txn& txn) {
    auto v = txn.Get(data, "k");
    REQUIRE(v.ok());
    return v->has_value() ? std::string(**v) : std::string("(none)");
  };
  put("1");
  {
    auto first = ReadTxn::Begin(t.env);
    REQUIRE(first.ok());
    CHECK(read(*first) == "1");
  }  // ended: kept for the next reader
  put("2");
  auto older = ReadTxn::Begin(t.env);  // the one just ended, renewed
  REQUIRE(older.ok());
  CHECK(read(*older) == "2");
  put("3");
  auto newer = ReadTxn::Begin(t.env);  // a second at the same time: its own snapshot
  REQUIRE(newer.ok());
  CHECK(read(*newer) == "3");
  CHECK(read(*older) == "2");
  CHECK(older->snapshot_id() < newer->snapshot_id());

  // More readers at once than are kept, from several threads, while a writer commits.
  std::atomic<bool> wrong{false};
  std::vector<std::thread> readers;
  for (int n = 0; n < 4; ++n)
    readers.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        std::vector<ReadTxn> held;
        for (int j = 0; j < 5; ++j) {
          auto r = ReadTxn::Begin(t.env);
          if (!r.ok()) {
            wrong = true;
            return;
          }
          held.push_back(std::move(*r));
        }
        for (std::size_t j = 1; j < held.size(); ++j)
          if (held[j].snapshot_id() < held[j - 1].snapshot_id()) wrong = true;
      }
    });
  for (int i = 4; i < 200; ++i) put(std::to_string(i));
  for (auto& r : readers) r.join();
  CHECK_FALSE(wrong);
  auto last = ReadTxn::Begin(t.env);
  REQUIRE(last.ok());
  CHECK(read(*last) == "199");
}
