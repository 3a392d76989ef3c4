// Durability: a child process writing in sync mode is killed with SIGKILL mid-writes; after a
// reopen every acknowledged write and its stream record are there.

#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>

#include "support/fixtures.h"

using namespace ld_test;

TEST_CASE("acknowledged writes and their stream records survive SIGKILL (sync mode)") {
  std::string dir = (std::filesystem::temp_directory_path() / "ld_crash_XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()));
  {
    auto db = Must(Database::Open(dir));
    Must(db->CreateTable(CruddurMessagesSchema()));
  }
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(fds[0]);
    auto db = Database::Open(dir);
    if (!db.ok()) _exit(2);
    for (int i = 0;; ++i) {
      PutItemRequest p;
      p.table_name = "cruddur-messages";
      p.item = MessageRow("g", fmt::format("{:06}", i), "m");
      if (!(*db)->PutItem(p).ok()) _exit(3);
      // Acknowledge only after PutItem returned.
      if (write(fds[1], &i, sizeof i) != sizeof i) _exit(4);
    }
  }
  close(fds[1]);
  int acked = -1, v;
  while (acked < 40 && read(fds[0], &v, sizeof v) == sizeof v) acked = v;
  kill(child, SIGKILL);
  while (read(fds[0], &v, sizeof v) == sizeof v) acked = v;  // acks written before the kill
  close(fds[0]);
  int status;
  waitpid(child, &status, 0);
  REQUIRE(acked >= 40);

  auto db = Must(Database::Open(dir));
  for (int i = 0; i <= acked; ++i) {
    GetItemRequest g;
    g.table_name = "cruddur-messages";
    g.key = {{"pk", S("MSG#g")}, {"sk", S(fmt::format("{:06}", i))}};
    REQUIRE_MESSAGE(Must(db->GetItem(g)).item.has_value(), "lost acknowledged write ", i);
  }
  auto arn = *Must(db->DescribeTable({"cruddur-messages"})).table.latest_stream_arn;
  DescribeStreamRequest ds;
  ds.stream_arn = arn;
  auto shard = Must(db->DescribeStream(ds)).stream_description.shards.at(0).shard_id;
  GetShardIteratorRequest gi;
  gi.stream_arn = arn;
  gi.shard_id = shard;
  gi.shard_iterator_type = "TRIM_HORIZON";
  GetRecordsRequest gr;
  gr.shard_iterator = *Must(db->GetShardIterator(gi)).shard_iterator;
  auto records = Must(db->GetRecords(gr)).records;
  CHECK(static_cast<int>(records.size()) >= acked + 1);
  db.reset();
  std::filesystem::remove_all(dir);
}
