// Opening a database directory: who may open it (one process at a time), and who may read its
// files (the owner only, unless Options::file_mode says otherwise). Issue 21: two processes
// on one directory kept per-process caches (catalog, tokens, TTL position, subscribers) that
// nothing kept coherent, and the files were 0644 in a directory that followed the umask.

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "support/fixtures.h"

using namespace ld_test;
namespace fs = std::filesystem;

namespace {

std::string TempParent() {
  std::string dir = (fs::temp_directory_path() / "ld_open_XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()));
  return dir;
}

unsigned ModeOf(const fs::path& p) {
  struct stat st {};
  REQUIRE(stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("a database directory is made 0700 and its files 0600, whatever the umask") {
  const std::string parent = TempParent();
  const mode_t old = umask(0);
  {
    auto db = Must(Database::Open(parent + "/db"));
    Must(db->CreateTable(CruddurMessagesSchema()));
  }
  umask(old);
  CHECK(ModeOf(parent + "/db") == 0700);
  for (const auto& e : fs::directory_iterator(parent + "/db")) {
    CAPTURE(e.path().string());
    CHECK(ModeOf(e.path()) == 0600);
  }
  fs::remove_all(parent);
}

TEST_CASE("Options::file_mode widens who may read the files, and a made directory follows it") {
  const std::string parent = TempParent();
  const mode_t old = umask(0);
  Options o;
  o.file_mode = 0640;
  { auto db = Must(Database::Open(parent + "/db", o)); }
  umask(old);
  CHECK(ModeOf(parent + "/db") == 0750);
  CHECK(ModeOf(parent + "/db/data.mdb") == 0640);
  fs::remove_all(parent);
}

TEST_CASE(
    "a directory another process has open is refused, saying which process; free again once it "
    "closes") {
  const std::string parent = TempParent();
  const std::string dir = parent + "/db";
  { auto db = Must(Database::Open(dir)); }
  int ready[2], done[2];
  REQUIRE(pipe(ready) == 0);
  REQUIRE(pipe(done) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto db = Database::Open(dir);
    char c = db.ok() ? 'y' : 'n';
    if (write(ready[1], &c, 1) != 1) _exit(2);
    if (read(done[0], &c, 1) != 1) _exit(3);  // holds the database until told
    _exit(0);
  }
  char c = 0;
  REQUIRE(read(ready[0], &c, 1) == 1);
  REQUIRE(c == 'y');
  auto refused = Database::Open(dir);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("in use by process " + std::to_string(child)) !=
        std::string::npos);
  // In this process, every handle on the directory shares one environment, as before.
  c = 'x';
  REQUIRE(write(done[1], &c, 1) == 1);
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(Database::Open(dir).ok());
  for (int fd : {ready[0], ready[1], done[0], done[1]}) close(fd);
  fs::remove_all(parent);
}

TEST_CASE("one process opens the same directory twice and both handles work") {
  const std::string parent = TempParent();
  auto a = Must(Database::Open(parent + "/db"));
  auto b = Must(Database::Open(parent + "/db"));
  Must(a->CreateTable(CruddurMessagesSchema()));
  CHECK(Must(b->ListTables({})).table_names.size() == 1);
  fs::remove_all(parent);
}

TEST_CASE("Durability::kNone is a temporary database's: Open refuses it, OpenInMemory has it") {
  const std::string parent = TempParent();
  Options o;
  o.durability = Durability::kNone;
  auto refused = Database::Open(parent + "/db", o);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kValidation);
  CHECK_FALSE(fs::exists(parent + "/db"));  // nothing made
  o.durability = Durability::kSync;
  CHECK(Must(Database::OpenInMemory(o))->options().durability == Durability::kNone);
  fs::remove_all(parent);
}
