// Database::Reset: the store emptied, as new; SaveSnapshot / RestoreSnapshot: the whole store
// kept and brought back. The same requests after a Reset (with the clock
// and ids rewound) answer exactly as on a new database: ARNs, ids, stream labels, sequence
// numbers, event ids.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr const char* kTable = "cruddur-messages";

struct Store {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStartMillis);
  std::shared_ptr<SeededIds> ids = SequentialIds(7);
  std::unique_ptr<Database> db;
  Store() {
    Options o;
    o.clock = clock;
    o.ids = ids;
    db = Must(Database::OpenInMemory(o));
  }
  void Rewind() {
    clock->Restart();
    ids->Restart();
  }
};

// A table with a GSI and a stream, three messages, a backup; what the answers say.
std::string Script(Database& db) {
  std::string out;
  auto created = Must(db.CreateTable(CruddurMessagesSchema())).table_description;
  out += fmt::format("table {} {} {} {}\n", created.table_arn, created.table_id,
                     created.latest_stream_arn.value_or("-"), created.creation_date_time);
  for (int i = 0; i < 3; ++i) {
    Item row = MessageRow("g1", fmt::format("2023-03-20T10:00:0{}", i), fmt::format("m{}", i));
    row.insert_or_assign("message_group_uuid", S("g1"));
    Put(db, kTable, std::move(row));
  }
  const auto streams = Must(db.ListStreams({})).streams;
  out += fmt::format("{} stream(s)\n", streams.size());
  const auto stream =
      Must(db.DescribeStream({*created.latest_stream_arn, {}, {}})).stream_description;
  auto it = Must(db.GetShardIterator(
                     {stream.stream_arn, stream.shards.at(0).shard_id, "TRIM_HORIZON", {}}))
                .shard_iterator;
  for (const auto& r : Must(db.GetRecords({*it, {}})).records)
    out += fmt::format("record {} {} {}\n", r.sequence_number, r.event_id, r.event_name);
  out += "backup " + Must(db.CreateBackup({kTable, "before"})).backup_details.backup_arn + "\n";
  out += fmt::format("{} table(s)\n", Must(db.ListTables({})).table_names.size());
  return out;
}

}  // namespace

TEST_CASE("after Reset, the same requests answer as on a new database") {
  Store fresh;
  const std::string expected = Script(*fresh.db);

  Store used;
  Script(*used.db);
  Must(used.db->CreateTable(HashKeySchema("other", "id")));
  Put(*used.db, "other", Item{{"id", S("x")}});
  used.clock->Advance(60'000);
  REQUIRE(used.db->Reset().ok());
  CHECK(Must(used.db->ListTables({})).table_names.empty());
  CHECK(Must(used.db->ListBackups({})).backup_summaries.empty());
  CHECK(Must(used.db->ListStreams({})).streams.empty());
  used.Rewind();
  CHECK(Script(*used.db) == expected);
}

TEST_CASE("a subscription outlives Reset and hears the table created again") {
  Store s;
  Must(s.db->CreateTable(CruddurMessagesSchema()));
  std::vector<std::string> heard;
  Must(s.db->Subscribe(kTable, [&](const StreamRecord& r) {
    heard.push_back(r.event_name + " " + r.keys.at("sk").s());
  }));
  Put(*s.db, kTable, MessageRow("g1", "2023-03-20T10:00:00", "before"));
  REQUIRE(s.db->Reset().ok());
  Must(s.db->CreateTable(CruddurMessagesSchema()));
  Put(*s.db, kTable, MessageRow("g1", "2023-03-20T10:00:01", "after"));
  CHECK(heard ==
        std::vector<std::string>{"INSERT 2023-03-20T10:00:00", "INSERT 2023-03-20T10:00:01"});
}

TEST_CASE("a snapshot brings back the whole store, as often as it is restored") {
  Store s;
  Script(*s.db);  // a table with a GSI and a stream, three messages, a backup
  REQUIRE(s.db->SaveSnapshot("fixtures").ok());
  auto state = [&] {
    std::string out;
    for (const auto& name : Must(s.db->ListTables({})).table_names) {
      auto d = Must(s.db->DescribeTable({name})).table;
      out += fmt::format("{} {} items\n", name, d.item_count);
    }
    QueryRequest q;
    q.table_name = kTable;
    q.index_name = "message-group-sk-index";
    q.key_condition_expression = "message_group_uuid = :g";
    q.expression_attribute_values = ValueMap{{":g", S("g1")}};
    out += fmt::format("{} in the index\n", Must(s.db->Query(q)).count);
    out += fmt::format("{} backup(s)\n", Must(s.db->ListBackups({})).backup_summaries.size());
    return out;
  };
  const std::string saved = state();
  for (int round = 0; round < 2; ++round) {
    Put(*s.db, kTable, [] {
      Item row = MessageRow("g1", "2023-03-20T11:00:00", "later");
      row.insert_or_assign("message_group_uuid", S("g1"));
      return row;
    }());
    Must(s.db->CreateTable(HashKeySchema("other", "id")));
    REQUIRE(s.db->Reset().ok());  // even from empty
    REQUIRE(s.db->RestoreSnapshot("fixtures").ok());
    CHECK(state() == saved);
  }
  // Restored, it is a store like any other: writes, and the stream goes on from the snapshot.
  Put(*s.db, kTable, MessageRow("g2", "2023-03-20T12:00:00", "after"));
  CHECK(Must(s.db->DescribeTable({kTable})).table.item_count == 4);
  auto missing = s.db->RestoreSnapshot("nothing");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kResourceNotFound);
  CHECK(missing.error().message == "Snapshot not found: nothing");
  CHECK(s.db->SaveSnapshot("").error().code == ErrorCode::kValidation);
}
