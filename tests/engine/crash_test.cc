// Durability under SIGKILL: a child process writes in sync mode (puts, updates, deletes and
// two-item transactions on a table with a GSI, a stream and point-in-time recovery) and
// acknowledges each write over a pipe once its call returned; the parent kills it at a random
// point, reopens the directory and checks that
//  - the offline check (CheckDatabase) finds nothing wrong;
//  - the table holds exactly every acknowledged write, plus at most the one write in flight
//    when the child died, whole: both items of a transaction or neither;
//  - the stream holds exactly one record per write that changed an item, in order, with the
//    images the write made;
// then starts the next child on the same directory. With several writer threads (crash/groups)
// their writes meet in the commit queue and are committed in groups: each thread writes its own
// keys, and the check is made per thread (its acknowledged writes, plus at most its one write in
// flight, whole; its keys' stream records in its order).
//
// The cases are skipped in the `engine` run; ctest runs them on their own (CMakeLists.txt):
// crash/bounded and crash/groups (20 kills each, label crash) by default, crash/soak (1,000
// kills, label soak) only on request. LD_CRASH_SEED=N repeats a run's random choices,
// LD_CRASH_KILLS=N sets the kills.

#include <doctest/doctest.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr const char* kTable = "crash";
constexpr int kKeys = 40;
constexpr int kGroups = 4;

struct Op {
  int thread = 0;
  enum class Kind { kPut, kUpdate, kDelete, kTransact } kind;
  int64_t number;         // also the value it writes (v), so each write's images are told apart
  std::string key, key2;  // key2: a transaction's second item
  std::optional<std::string> group;  // the GSI's key g (none: left out / removed)
};

// Op `number` of a run: the same in the child that performs it and the parent that checks it.
// Thread `thread`'s op `number`; its keys are its own ("t<thread>k<nn>").
Op MakeOp(uint64_t seed, int thread, int64_t number) {
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                    static_cast<uint32_t>(number), static_cast<uint32_t>(number >> 32),
                    static_cast<uint32_t>(thread)};
  std::mt19937_64 rng(seq);
  Op op;
  op.thread = thread;
  op.number = number;
  const int pick = static_cast<int>(rng() % 100);
  op.kind = pick < 35   ? Op::Kind::kPut
            : pick < 65 ? Op::Kind::kUpdate
            : pick < 75 ? Op::Kind::kDelete
                        : Op::Kind::kTransact;
  const int a = static_cast<int>(rng() % kKeys);
  const int b = (a + 1 + static_cast<int>(rng() % (kKeys - 1))) % kKeys;
  op.key = fmt::format("t{}k{:02}", thread, a);
  op.key2 = fmt::format("t{}k{:02}", thread, b);
  if (rng() % 5) op.group = fmt::format("g{}", rng() % kGroups);
  return op;
}

AttributeValue Num(int64_t n) { return AttributeValue::N(Number::FromInt(n)); }

int64_t IntOf(const AttributeValue& v) { return std::stoll(v.n().ToString()); }

// ---- the writer (child process) ----

TransactWriteItem PutAction(const Op& op) {
  TransactPut w;
  w.table_name = kTable;
  w.item =
      Item{{"id", S(op.key)}, {"v", Num(op.number)}, {"n", Num(op.number)}, {"tx", Num(op.number)}};
  if (op.group) w.item.insert_or_assign("g", S(*op.group));
  return w;
}

TransactWriteItem UpdateAction(const Op& op) {
  TransactUpdate w;
  w.table_name = kTable;
  w.key = Item{{"id", S(op.key2)}};
  w.update_expression = "SET v = :v, tx = :v";
  w.expression_attribute_values = ValueMap{{":v", Num(op.number)}};
  return w;
}

Status Perform(Database& db, const Op& op) {
  switch (op.kind) {
    case Op::Kind::kPut: {
      PutItemRequest r;
      r.table_name = kTable;
      r.item = Item{{"id", S(op.key)}, {"v", Num(op.number)}, {"n", Num(op.number)}};
      if (op.group) r.item.insert_or_assign("g", S(*op.group));
      auto out = db.PutItem(r);
      return out.ok() ? OkStatus() : Status(out.error());
    }
    case Op::Kind::kUpdate: {
      UpdateItemRequest r;
      r.table_name = kTable;
      r.key = Item{{"id", S(op.key)}};
      r.expression_attribute_values = ValueMap{{":v", Num(op.number)}};
      if (op.group) {
        r.update_expression = "SET v = :v, n = :v, g = :g";
        r.expression_attribute_values->insert_or_assign(":g", S(*op.group));
      } else {
        r.update_expression = "SET v = :v, n = :v REMOVE g";
      }
      auto out = db.UpdateItem(r);
      return out.ok() ? OkStatus() : Status(out.error());
    }
    case Op::Kind::kDelete: {
      DeleteItemRequest r;
      r.table_name = kTable;
      r.key = Item{{"id", S(op.key)}};
      auto out = db.DeleteItem(r);
      return out.ok() ? OkStatus() : Status(out.error());
    }
    case Op::Kind::kTransact: {
      TransactWriteItemsRequest r;
      r.transact_items = {PutAction(op), UpdateAction(op)};
      auto out = db.TransactWriteItems(r);
      return out.ok() ? OkStatus() : Status(out.error());
    }
  }
  return OkStatus();
}

// An acknowledgement on the pipe: thread `thread`'s op `number` returned (one write of
// fewer than PIPE_BUF bytes: whole, whichever thread sends it).
struct Ack {
  int64_t thread;
  int64_t number;
};

// Each thread writes its ops from `first[thread]` on, acknowledging each on `ack` after its
// call returned; never returns (killed, or _exit on a failure).
[[noreturn]] void Writer(const std::string& dir, uint64_t seed, const std::vector<int64_t>& first,
                         int ack) {
  auto db = Database::Open(dir);  // sync: every commit on disk before the call returns
  if (!db.ok()) {
    std::fprintf(stderr, "writer: %s\n", db.error().ToString().c_str());
    _exit(2);
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < static_cast<int>(first.size()); ++t)
    threads.emplace_back([&, t] {
      for (int64_t i = first[static_cast<std::size_t>(t)];; ++i) {
        Status s = Perform(**db, MakeOp(seed, t, i));
        if (!s.ok()) {
          std::fprintf(stderr, "writer: thread %d op %lld: %s\n", t, static_cast<long long>(i),
                       s.error().ToString().c_str());
          _exit(3);
        }
        const Ack a{t, i};
        if (write(ack, &a, sizeof a) != sizeof a) _exit(4);
      }
    });
  for (auto& t : threads) t.join();
  _exit(5);
}

// ---- the model the parent checks against ----

using State = std::map<std::string, Item>;

// One stream record as the check compares it.
struct Rec {
  std::string event, key;
  std::optional<int64_t> new_v, old_v;
  bool operator==(const Rec&) const = default;
  bool operator<(const Rec& o) const {
    return std::tie(key, event, new_v, old_v) < std::tie(o.key, o.event, o.new_v, o.old_v);
  }
};

std::string RecText(const Rec& r) {
  return fmt::format("{} {} new v={} old v={}", r.event, r.key,
                     r.new_v ? std::to_string(*r.new_v) : "-",
                     r.old_v ? std::to_string(*r.old_v) : "-");
}

// Applies `op` to `state`; appends the records it makes.
void Apply(State& state, const Op& op, std::vector<Rec>* recs) {
  auto write = [&](const std::string& key, Item item) {
    auto it = state.find(key);
    std::optional<int64_t> old_v;
    if (it != state.end()) old_v = IntOf(it->second.at("v"));
    recs->push_back({old_v ? "MODIFY" : "INSERT", key, IntOf(item.at("v")), old_v});
    state[key] = std::move(item);
  };
  switch (op.kind) {
    case Op::Kind::kPut:
    case Op::Kind::kTransact: {
      Item item{{"id", S(op.key)}, {"v", Num(op.number)}, {"n", Num(op.number)}};
      if (op.kind == Op::Kind::kTransact) item.insert_or_assign("tx", Num(op.number));
      if (op.group) item.insert_or_assign("g", S(*op.group));
      write(op.key, std::move(item));
      if (op.kind == Op::Kind::kPut) break;
      auto it = state.find(op.key2);
      Item second = it == state.end() ? Item{{"id", S(op.key2)}} : it->second;
      second.insert_or_assign("v", Num(op.number));
      second.insert_or_assign("tx", Num(op.number));
      write(op.key2, std::move(second));
      break;
    }
    case Op::Kind::kUpdate: {
      auto it = state.find(op.key);
      Item item = it == state.end() ? Item{{"id", S(op.key)}} : it->second;
      item.insert_or_assign("v", Num(op.number));
      item.insert_or_assign("n", Num(op.number));
      if (op.group)
        item.insert_or_assign("g", S(*op.group));
      else
        item.erase("g");
      write(op.key, std::move(item));
      break;
    }
    case Op::Kind::kDelete: {
      auto it = state.find(op.key);
      if (it == state.end()) break;  // nothing changes: no record
      recs->push_back({"REMOVE", op.key, std::nullopt, IntOf(it->second.at("v"))});
      state.erase(it);
      break;
    }
  }
}

State ReadState(Database& db) {
  State out;
  ScanRequest r;
  r.table_name = kTable;
  while (true) {
    auto page = Must(db.Scan(r));
    if (page.items)
      for (const Item& item : *page.items) out[item.at("id").s()] = item;
    if (!page.last_evaluated_key) break;
    r.exclusive_start_key = page.last_evaluated_key;
  }
  return out;
}

// The stream's records after `after` (a SequenceNumber; none: from the start).
std::vector<StreamRecord> ReadStream(Database& db, const std::optional<std::string>& after) {
  auto arn = *Must(db.DescribeTable({kTable})).table.latest_stream_arn;
  DescribeStreamRequest ds;
  ds.stream_arn = arn;
  GetShardIteratorRequest gi;
  gi.stream_arn = arn;
  gi.shard_id = Must(db.DescribeStream(ds)).stream_description.shards.at(0).shard_id;
  gi.shard_iterator_type = after ? "AFTER_SEQUENCE_NUMBER" : "TRIM_HORIZON";
  gi.sequence_number = after;
  GetRecordsRequest gr;
  gr.shard_iterator = *Must(db.GetShardIterator(gi)).shard_iterator;
  std::vector<StreamRecord> out;
  while (true) {
    auto page = Must(db.GetRecords(gr));
    if (page.records.empty()) break;
    for (auto& rec : page.records) out.push_back(std::move(rec));
    gr.shard_iterator = *page.next_shard_iterator;
  }
  return out;
}

Rec RecOf(const StreamRecord& r) {
  Rec out{r.event_name, r.keys.at("id").s(), std::nullopt, std::nullopt};
  if (r.new_image) out.new_v = IntOf(r.new_image->at("v"));
  if (r.old_image) out.old_v = IntOf(r.old_image->at("v"));
  return out;
}

uint64_t SeedFromEnv() {
  if (const char* s = std::getenv("LD_CRASH_SEED")) return std::strtoull(s, nullptr, 10);
  return (uint64_t{std::random_device{}()} << 32) | std::random_device{}();
}

int KillsFromEnv(int fallback) {
  const char* s = std::getenv("LD_CRASH_KILLS");
  return s ? std::atoi(s) : fallback;
}

// Kills the writer if a check fails while it runs.
struct ChildGuard {
  pid_t pid;
  ~ChildGuard() {
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

// What differs between the table and the two states it may be in, key by key.
std::string Differences(const State& stored, const State& acked, const State& with_next) {
  auto text = [](const State& s, const std::string& key) {
    auto it = s.find(key);
    return it == s.end() ? std::string("absent") : DebugString(it->second);
  };
  std::map<std::string, int> keys;
  for (const State* s : {&stored, &acked, &with_next})
    for (const auto& [key, item] : *s) keys[key];
  std::string out;
  for (const auto& [key, unused] : keys)
    if (text(stored, key) != text(acked, key) || text(stored, key) != text(with_next, key))
      out += fmt::format("\n  {}: stored {}; acknowledged {}; with the write in flight {}", key,
                         text(stored, key), text(acked, key), text(with_next, key));
  return out;
}

// Waits up to `timeout_ms` for the pipe to be readable; false on a timeout.
bool Readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) > 0;
}

// The keys of thread `t` ("t<t>k..."): its part of a state.
State PartOf(const State& all, int t) {
  State out;
  const std::string prefix = fmt::format("t{}k", t);
  for (const auto& [key, item] : all)
    if (key.starts_with(prefix)) out.emplace(key, item);
  return out;
}

// `got` against `expected`, records in order (a transaction's two in either order).
void CheckRecords(const std::vector<Rec>& got, const std::vector<Rec>& expected,
                  const std::vector<std::string>& sequence_numbers) {
  REQUIRE_MESSAGE(got.size() == expected.size(), "the stream has ", got.size(),
                  " new records, the writes made ", expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    // A transaction's records are adjacent: compare the pair as a set.
    const bool pair = i + 1 < got.size() && expected[i].new_v && expected[i + 1].new_v &&
                      *expected[i].new_v == *expected[i + 1].new_v;
    if (pair) {
      std::vector<Rec> a{got[i], got[i + 1]}, b{expected[i], expected[i + 1]};
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      REQUIRE_MESSAGE(a == b, "stream record ", sequence_numbers[i], ": ", RecText(got[i]), " / ",
                      RecText(got[i + 1]), ", expected ", RecText(expected[i]), " / ",
                      RecText(expected[i + 1]));
      ++i;
      continue;
    }
    REQUIRE_MESSAGE(got[i] == expected[i], "stream record ", sequence_numbers[i], ": ",
                    RecText(got[i]), ", expected ", RecText(expected[i]));
  }
}

void RunCrashTest(int kills, int threads) {
  const uint64_t seed = SeedFromEnv();
  std::printf(
      "crash test: seed %llu (LD_CRASH_SEED=%llu repeats it), %d kills, %d writer thread(s)\n",
      static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed), kills, threads);
  std::fflush(stdout);
  INFO("seed ", seed);
  std::mt19937_64 rng(seed);
  const auto started = std::chrono::steady_clock::now();

  std::string dir = (std::filesystem::temp_directory_path() / "ld_crash_XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()));
  {
    auto db = Must(Database::Open(dir));
    CreateTableRequest r;
    r.table_name = kTable;
    r.attribute_definitions = {{"id", ScalarAttributeType::kS},
                               {"g", ScalarAttributeType::kS},
                               {"n", ScalarAttributeType::kN}};
    r.key_schema = {{"id", KeyType::kHash}};
    r.billing_mode = BillingMode::kPayPerRequest;
    r.stream_specification = StreamSpecification{true, StreamViewType::kNewAndOldImages};
    GlobalSecondaryIndex g;
    g.index_name = "by-group";
    g.key_schema = {{"g", KeyType::kHash}, {"n", KeyType::kRange}};
    g.projection.projection_type = ProjectionType::kInclude;
    g.projection.non_key_attributes = {"v"};
    r.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{g};
    Must(db->CreateTable(r));
    UpdateContinuousBackupsRequest pitr;
    pitr.table_name = kTable;
    pitr.point_in_time_recovery_specification.point_in_time_recovery_enabled = true;
    Must(db->UpdateContinuousBackups(pitr));
  }

  const std::size_t n = static_cast<std::size_t>(threads);
  std::vector<State> state(n);         // per thread: every write known to be committed applied
  std::vector<int64_t> next(n, 0);     // per thread: the first op not known to be committed
  std::optional<std::string> read_to;  // the last stream record checked
  int64_t acked_total = 0, in_flight_committed = 0, records_total = 0;
  for (int round = 0; round < kills; ++round) {
    CAPTURE(round);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      close(fds[0]);
      Writer(dir, seed, next, fds[1]);
    }
    close(fds[1]);
    ChildGuard guard{child};
    // A random point: after 0..25 acknowledged writes (all threads together), and 0..3 ms more.
    const int64_t wanted = static_cast<int64_t>(rng() % 26);
    const auto extra = std::chrono::microseconds(rng() % 3000);
    std::vector<int64_t> last_ack(n);
    for (std::size_t t = 0; t < n; ++t) last_ack[t] = next[t] - 1;
    int64_t acked = 0;
    bool ended = false;
    auto take = [&](const Ack& a) {
      REQUIRE(a.thread >= 0);
      REQUIRE(a.thread < threads);
      REQUIRE(a.number == last_ack[static_cast<std::size_t>(a.thread)] + 1);
      last_ack[static_cast<std::size_t>(a.thread)] = a.number;
      ++acked;
    };
    Ack a{};
    while (acked < wanted) {
      if (!Readable(fds[0], 20000)) FAIL("the writer acknowledged nothing for 20 s");
      if (read(fds[0], &a, sizeof a) != sizeof a) {
        ended = true;
        break;
      }
      take(a);
    }
    if (!ended) std::this_thread::sleep_for(extra);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    guard.pid = 0;
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
      FAIL("the writer ended by itself (exit ", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
           ") in round ", round);
    while (read(fds[0], &a, sizeof a) == sizeof a) take(a);  // acknowledged before the kill
    close(fds[0]);
    acked_total += acked;

    CheckReport report = Must(CheckDatabase(dir));
    std::string problems;
    for (std::size_t i = 0; i < std::min<std::size_t>(report.problems.size(), 20); ++i)
      problems += "\n  " + report.problems[i];
    REQUIRE_MESSAGE(report.ok(), "check found ", report.problems.size(), " problems:", problems);

    auto db = Must(Database::Open(dir));
    const State stored_all = ReadState(*db);
    std::vector<StreamRecord> records = ReadStream(*db, read_to);
    for (std::size_t t = 0; t < n; ++t) {
      CAPTURE(t);
      // Every acknowledged write of the thread, and its one in flight either whole or not at all.
      State acked_state = state[t];
      std::vector<Rec> expected;
      const int thread = static_cast<int>(t);
      for (int64_t i = next[t]; i <= last_ack[t]; ++i)
        Apply(acked_state, MakeOp(seed, thread, i), &expected);
      State with_next = acked_state;
      std::vector<Rec> next_recs;
      Apply(with_next, MakeOp(seed, thread, last_ack[t] + 1), &next_recs);
      const State stored = PartOf(stored_all, thread);
      if (stored == acked_state) {
        next[t] = last_ack[t] + 1;
        state[t] = std::move(acked_state);
      } else {
        REQUIRE_MESSAGE(stored == with_next, "thread ", t,
                        ": the table is neither every acknowledged write (up to op ", last_ack[t],
                        ") nor those and op ", last_ack[t] + 1, " whole: a write lost or torn",
                        Differences(stored, acked_state, with_next));
        ++in_flight_committed;
        next[t] = last_ack[t] + 2;
        state[t] = std::move(with_next);
        expected.insert(expected.end(), next_recs.begin(), next_recs.end());
      }
      // The stream: one record per change of the thread's keys, in the thread's order.
      const std::string prefix = fmt::format("t{}k", t);
      std::vector<Rec> got;
      std::vector<std::string> sequence_numbers;
      for (const auto& r : records)
        if (r.keys.at("id").s().starts_with(prefix)) {
          got.push_back(RecOf(r));
          sequence_numbers.push_back(r.sequence_number);
        }
      CheckRecords(got, expected, sequence_numbers);
    }
    records_total += static_cast<int64_t>(records.size());
    if (!records.empty()) read_to = records.back().sequence_number;
  }
  std::size_t items = 0;
  for (const State& s : state) items += s.size();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "crash test: seed %llu: %d kills, %d thread(s), %lld writes acknowledged (+%lld in flight "
      "that committed), %lld stream records, %zu items, %.1f s\n",
      static_cast<unsigned long long>(seed), kills, threads, static_cast<long long>(acked_total),
      static_cast<long long>(in_flight_committed), static_cast<long long>(records_total), items,
      seconds);
  std::filesystem::remove_all(dir);
}

}  // namespace

TEST_CASE(
    "crash/bounded: acknowledged writes, their stream records and whole transactions survive 20 "
    "SIGKILLs" *
    doctest::skip()) {
  RunCrashTest(KillsFromEnv(20), 1);
}

TEST_CASE(
    "crash/groups: the same with 4 writer threads, whose writes are committed in groups, through "
    "20 SIGKILLs" *
    doctest::skip()) {
  RunCrashTest(KillsFromEnv(20), 4);
}

TEST_CASE("crash/soak: the same through 1,000 SIGKILLs" * doctest::skip()) {
  RunCrashTest(KillsFromEnv(1000), 1);
}
