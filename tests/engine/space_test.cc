// Running out of space (issue 21): a write that finds the LMDB map full (MDB_MAP_FULL) or the
// disk full (ENOSPC; here RLIMIT_FSIZE's EFBIG) fails with an InternalServerError that says
// so, and nothing else changes: the write was not applied, reads go on answering, the
// process's own state (catalog, stream delivery, time to live's position) follows only what
// committed, and every acknowledged write is there after a reopen. Once there is room again
// (the limit raised) writes go through without reopening; a full map takes a reopen with a
// larger map, since in a full map most deletes are refused too (LMDB copies the pages a delete
// changes, and this test found about 1 in 20 committing).

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <string>

#include "storage/lmdb.h"
#include "support/fixtures.h"

#if __has_include("localdynamo/check.h")
#include "localdynamo/check.h"
#define LD_HAVE_CHECK 1
#endif

using namespace ld_test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kTable = "cruddur-messages";

std::string TempDir() {
  std::string dir = (fs::temp_directory_path() / "ld_space_XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()));
  return dir;
}

std::string SortKey(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08d", i);
  return buf;
}

// An item of ~1 KB (twice that stored: the table and its ALL-projection index, plus the
// stream record), in one conversation.
Item Row(int i) {
  Item item = MessageRow("g", SortKey(i), std::string(600, static_cast<char>('a' + i % 26)));
  item["message_group_uuid"] = S("g");
  return item;
}

Status PutRow(Database& db, int i) {
  PutItemRequest r;
  r.table_name = kTable;
  r.item = Row(i);
  auto out = db.PutItem(r);
  if (!out.ok()) return std::move(out).error();
  return OkStatus();
}

Status DeleteRow(Database& db, int i) {
  DeleteItemRequest r;
  r.table_name = kTable;
  r.key = Item{{"pk", S("MSG#g")}, {"sk", S(SortKey(i))}};
  auto out = db.DeleteItem(r);
  if (!out.ok()) return std::move(out).error();
  return OkStatus();
}

Result<std::optional<Item>> GetRow(Database& db, int i) {
  GetItemRequest r;
  r.table_name = kTable;
  r.key = Item{{"pk", S("MSG#g")}, {"sk", S(SortKey(i))}};
  auto out = db.GetItem(r);
  if (!out.ok()) return std::move(out).error();
  return std::move(out->item);
}

Result<int64_t> CountRows(Database& db) {
  int64_t count = 0;
  std::optional<Item> start;
  do {
    QueryRequest q;
    q.table_name = kTable;
    q.key_condition_expression = "pk = :pk";
    q.expression_attribute_values = ValueMap{{":pk", S("MSG#g")}};
    q.select = Select::kCount;
    q.exclusive_start_key = start;
    auto page = db.Query(q);
    if (!page.ok()) return std::move(page).error();
    count += page->count;
    start = page->last_evaluated_key;
  } while (start);
  return count;
}

// Puts rows from `next` on until one fails (at most `limit`); returns the failure.
Error PutUntilRefused(Database& db, int& next, std::set<int>& stored, int limit = 100000) {
  for (; next < limit; ++next) {
    auto put = PutRow(db, next);
    if (!put.ok()) return std::move(put).error();
    stored.insert(next);
  }
  FAIL("the database never filled up");
  return InternalError("");
}

// Every acknowledged row reads back as written, and nothing else is in the table.
void ExpectExactly(Database& db, const std::set<int>& stored) {
  for (int i : stored) {
    auto got = Must(GetRow(db, i));
    REQUIRE_MESSAGE(got.has_value(), "row " << i << " is missing");
    CHECK(*got == Row(i));
  }
  CHECK(Must(CountRows(db)) == static_cast<int64_t>(stored.size()));
  DescribeTableRequest d;
  d.table_name = kTable;
  CHECK(Must(db.DescribeTable(d)).table.item_count == static_cast<int64_t>(stored.size()));
}

void ExpectConsistent(const std::string& dir) {
#ifdef LD_HAVE_CHECK
  auto report = Must(CheckDatabase(dir));
  for (const auto& line : report.problems) CAPTURE(line);
  CHECK(report.ok());
#else
  (void)dir;
#endif
}

bool IsFull(const Error& e) {
  return e.code == ErrorCode::kInternalServerError &&
         e.message.find("The database is full") != std::string::npos;
}

// The map-full sequence on an open database: fills it, checks the error and that reads go on,
// and that what else is tried meanwhile either commits or is refused the same way, the
// in-process state (catalog, stream delivery) following what committed. Returns the rows
// stored at the end.
std::set<int> FillUntilFull(Database& db, uint64_t map_size) {
  Must(db.CreateTable(CruddurMessagesSchema()));
  std::atomic<int> delivered{0};
  const auto subscription = Must(db.Subscribe(kTable, [&](const StreamRecord&) { ++delivered; }));
  std::set<int> stored;
  int next = 0;
  Error full = PutUntilRefused(db, next, stored);
  CAPTURE(full.message);
  CHECK(IsFull(full));
  CHECK(full.message.find(std::to_string(map_size) + " bytes") !=
        std::string::npos);                                         // the map's size
  CHECK(full.message.find("map_size_bytes") != std::string::npos);  // how to raise it
  REQUIRE(stored.size() > 100);
  // Still full, and still refused the same way; the refused write left nothing behind.
  CHECK(MustFail(PutRow(db, next)).message == full.message);
  CHECK_FALSE(Must(GetRow(db, next)).has_value());
  ExpectExactly(db, stored);
  CHECK(delivered == static_cast<int>(stored.size()));

  // Deletes copy the pages they change too: in a full map each either commits (there were
  // pages earlier commits had freed) or is refused as the put was.
  int deletes = 0;
  for (int i = 0; i < 40; i += 2) {
    auto del = DeleteRow(db, i);
    if (del.ok()) {
      stored.erase(i);
      ++deletes;
    } else {
      CHECK(IsFull(del.error()));
    }
  }
  MESSAGE(deletes << " of 20 deletes committed in a full map");
  // A table that can't be created isn't there, in this process's catalog either.
  CreateTableRequest other = CruddurMessagesSchema(false);
  other.table_name = "other";
  auto created = db.CreateTable(other);
  if (!created.ok()) CHECK(IsFull(created.error()));
  CHECK(Must(db.ListTables({})).table_names.size() == (created.ok() ? 2u : 1u));
  ExpectExactly(db, stored);
  // Only what committed reached the subscriber.
  CHECK(delivered == static_cast<int>(stored.size()) + 2 * deletes);
  db.Unsubscribe(subscription);
  return stored;
}

}  // namespace

TEST_CASE(
    "a full map refuses writes with InternalServerError \"The database is full\"; reads go on; a "
    "reopen finds every acknowledged write, and with a larger map takes more") {
  const std::string dir = TempDir();
  constexpr uint64_t kMap = 1 << 20;
  Options o;
  o.map_size_bytes = kMap;
  o.durability = Durability::kNoSync;
  std::set<int> stored;
  {
    auto db = Must(Database::Open(dir, o));
    stored = FillUntilFull(*db, kMap);
  }
  ExpectConsistent(dir);
  {
    auto db = Must(Database::Open(dir, o));
    ExpectExactly(*db, stored);
  }
  o.map_size_bytes = 4 * kMap;
  {
    auto db = Must(Database::Open(dir, o));
    for (int i = 0; i < 200; ++i) {
      Must(PutRow(*db, 1000000 + i));
      stored.insert(1000000 + i);
    }
  }
  ExpectConsistent(dir);
  {
    auto db = Must(Database::Open(dir, o));
    ExpectExactly(*db, stored);
  }
  fs::remove_all(dir);
}

TEST_CASE("in memory (tmpfs, MDB_WRITEMAP) a full map is the same error, not a SIGBUS") {
  constexpr uint64_t kMap = 1 << 20;
  Options o;
  o.map_size_bytes = kMap;
  auto db = Must(Database::OpenInMemory(o));
  FillUntilFull(*db, kMap);
}

TEST_CASE(
    "the map is sized to the disk by default (Options::map_size_bytes = 0), so that the disk fills "
    "first") {
  CHECK(Options{}.map_size_bytes == 0);
  const std::string dir = TempDir();
  {
    auto db = Must(Database::Open(dir));
    Must(db->CreateTable(CruddurMessagesSchema()));
    for (int i = 0; i < 10; ++i) Must(PutRow(*db, i));
    // The process's one environment for the directory, as the database has it.
    auto env = Must(storage::Env::Open(dir, {}));
    MDB_envinfo info{};
    REQUIRE(mdb_env_info(env->raw(), &info) == 0);
    struct statvfs vfs {};
    REQUIRE(statvfs(dir.c_str(), &vfs) == 0);
    const uint64_t disk = uint64_t{vfs.f_blocks} * vfs.f_frsize;
    CHECK(info.me_mapsize == std::clamp(disk, uint64_t{64} << 30, uint64_t{16} << 40));
    CHECK(info.me_mapsize >= disk);  // short of a disk over 16 TiB
  }
  fs::remove_all(dir);
}

namespace {

// The disk-full child: opens `dir`, limits its file size a little above the database's, and
// checks the behaviour; reports the rows it stored (one per line) on `out`. Exit status 0 when
// every check held, else the number of the check that failed.
[[noreturn]] void DiskFullChild(const std::string& dir, int out) {
  signal(SIGXFSZ, SIG_IGN);  // past the limit a write is EFBIG, not death
  Options o;
  o.durability = Durability::kNoSync;  // the same writes, without waiting for the disk
  auto opened = Database::Open(dir, o);
  if (!opened.ok()) _exit(10);
  Database& db = **opened;
  if (!db.CreateTable(CruddurMessagesSchema()).ok()) _exit(11);
  // A table whose items have all expired: more than one sweep's worth, and more pages than a
  // full file has free (a sweep copies the pages it changes).
  CreateTableRequest expiring = HashKeySchema("expiring", "pk");
  if (!db.CreateTable(expiring).ok()) _exit(15);
  if (!db.UpdateTimeToLive({"expiring", {"ttl", true}}).ok()) _exit(16);
  const std::string expired_at = std::to_string(std::time(nullptr) - 100);
  for (int i = 0; i < 1500; ++i) {
    PutItemRequest r;
    r.table_name = "expiring";
    r.item =
        Item{{"pk", S("T#" + SortKey(i))}, {"ttl", N(expired_at)}, {"v", S(std::string(600, 'v'))}};
    if (!db.PutItem(r).ok()) _exit(17);
  }
  struct stat st {};
  if (stat((dir + "/data.mdb").c_str(), &st) != 0) _exit(12);
  rlimit limit{};
  getrlimit(RLIMIT_FSIZE, &limit);
  const rlimit unlimited = limit;
  limit.rlim_cur = static_cast<rlim_t>(st.st_size) + (256 << 10);
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(13);

  std::string report;
  std::set<int> stored;
  int next = 0;
  Error full;
  for (;; ++next) {
    if (next > 100000) _exit(14);
    auto put = PutRow(db, next);
    if (!put.ok()) {
      full = std::move(put).error();
      break;
    }
    stored.insert(next);
  }
  report += "error: " + full.message + "\n";
  auto fail = [&](int code) {
    report += "failed check " + std::to_string(code) + "\n";
    (void)!write(out, report.data(), report.size());
    _exit(code);
  };
  if (full.code != ErrorCode::kInternalServerError) fail(20);
  if (full.message.find("The database file can't grow") == std::string::npos) fail(21);
  if (full.message.find("file size limit") == std::string::npos) fail(22);
  if (stored.size() < 50) fail(23);
  // Reads answer, the refused write is not there.
  for (int i : stored) {
    auto got = GetRow(db, i);
    if (!got.ok() || !*got || **got != Row(i)) fail(24);
  }
  auto missing = GetRow(db, next);
  if (!missing.ok() || *missing) fail(25);
  auto count = CountRows(db);
  if (!count.ok() || *count != static_cast<int64_t>(stored.size())) fail(26);
  // Still refused, still clearly.
  auto again = PutRow(db, next);
  if (again.ok() || again.error().code != ErrorCode::kInternalServerError) fail(27);
  // Time to live's deletions can't commit either (they copy the pages they change)...
  auto swept = db.DeleteExpiredItems();
  if (swept.ok() || swept.error().code != ErrorCode::kInternalServerError) fail(31);
  // ... nor can a table be created; one that wasn't isn't in this process's catalog.
  CreateTableRequest other = expiring;
  other.table_name = "other";
  auto created = db.CreateTable(other);
  auto listed = db.ListTables({});
  if (!listed.ok() || listed->table_names.size() != (created.ok() ? 3u : 2u)) fail(32);

  // Room again: the limit raised, writes resume without reopening.
  if (setrlimit(RLIMIT_FSIZE, &unlimited) != 0) fail(28);
  for (int i = 0; i < 50; ++i, ++next) {
    if (!PutRow(db, next).ok()) fail(29);
    stored.insert(next);
  }
  // The sweep takes up where its last committed pass stopped: the first 1,000 again.
  for (int64_t want : {1000, 500, 0}) {
    auto n = db.DeleteExpiredItems();
    if (!n.ok() || *n != want) {
      report += "swept " + (n.ok() ? std::to_string(*n) : n.error().ToString()) + ", not " +
                std::to_string(want) + "\n";
      fail(33);
    }
  }
  other.table_name = "third";
  if (!db.CreateTable(other).ok()) fail(34);
  listed = db.ListTables({});
  if (!listed.ok() || listed->table_names.size() != (created.ok() ? 4u : 3u) ||
      listed->table_names.back() != "third")
    fail(35);
  report.clear();
  for (int i : stored) report += std::to_string(i) + "\n";
  if (write(out, report.data(), report.size()) != static_cast<ssize_t>(report.size())) _exit(30);
  _exit(0);
}

}  // namespace

TEST_CASE(
    "a full disk (RLIMIT_FSIZE: EFBIG) refuses the write clearly; reads go on, raising the limit "
    "resumes writes, a reopen finds every acknowledged write") {
  const std::string dir = TempDir();
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(pipe_fds[0]);
    DiskFullChild(dir, pipe_fds[1]);
  }
  close(pipe_fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CAPTURE(text);
  REQUIRE_MESSAGE(WIFEXITED(status),
                  "the child died of signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0));
  REQUIRE(WEXITSTATUS(status) == 0);

  std::set<int> stored;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    stored.insert(std::stoi(text.substr(at, end - at)));
    at = end + 1;
  }
  REQUIRE(stored.size() > 50);
  ExpectConsistent(dir);
  {
    auto db = Must(Database::Open(dir));
    ExpectExactly(*db, stored);
  }
  fs::remove_all(dir);
}
