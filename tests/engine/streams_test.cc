#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "engine/streams/stream_store.h"
#include "support/fixtures.h"

using namespace ld_test;

namespace {
const char* kTable = "cruddur-messages";

std::string LatestStreamArn(Database& db) {
  return *Must(db.DescribeTable({kTable})).table.latest_stream_arn;
}

// An iterator request for the start of the stream's (single) shard.
GetShardIteratorRequest TrimHorizon(Database& db, const std::string& stream_arn) {
  DescribeStreamRequest ds;
  ds.stream_arn = stream_arn;
  GetShardIteratorRequest gi;
  gi.stream_arn = stream_arn;
  gi.shard_id = Must(db.DescribeStream(ds)).stream_description.shards.at(0).shard_id;
  gi.shard_iterator_type = "TRIM_HORIZON";
  return gi;
}

// The stream's records from its start (one GetRecords page: up to 1000).
std::vector<StreamRecord> ReadFromStart(Database& db, const std::string& stream_arn) {
  GetRecordsRequest gr;
  gr.shard_iterator = *Must(db.GetShardIterator(TrimHorizon(db, stream_arn))).shard_iterator;
  return Must(db.GetRecords(gr)).records;
}
}  // namespace

TEST_CASE("sequence numbers increase per table, across a drop and re-create of its name") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  CreateTableRequest other = CruddurMessagesSchema();
  other.table_name = "other";
  Must(db->CreateTable(other));
  std::vector<uint64_t> seen;
  auto record = [&](const StreamRecord& r) {
    seen.push_back(*localdynamo::engine::ParseSequence(r.sequence_number));
  };
  Must(db->Subscribe(kTable, record));
  for (int i = 0; i < 3; ++i)
    Put(*db, kTable, MessageRow("g1", fmt::format("2023-03-20T10:00:0{}", i), "hi"));
  Put(*db, "other", MessageRow("g1", "2023-03-20T10:00:00", "elsewhere"));
  // A named consumer's checkpoint outlives the table: the new table's records must sort after it.
  Must(db->DeleteTable({kTable}));
  Must(db->CreateTable(CruddurMessagesSchema()));  // the subscription (by name) carries on
  Put(*db, kTable, MessageRow("g1", "2023-03-20T10:00:09", "again"));
  REQUIRE(seen.size() == 4);
  CHECK(seen[0] < seen[1]);
  CHECK(seen[1] < seen[2]);
  CHECK(seen[2] < seen[3]);
  // LATEST on the re-created table's stream starts after its record.
  GetShardIteratorRequest latest = TrimHorizon(*db, LatestStreamArn(*db));
  latest.shard_iterator_type = "LATEST";
  GetRecordsRequest gr;
  gr.shard_iterator = *Must(db->GetShardIterator(latest)).shard_iterator;
  CHECK(Must(db->GetRecords(gr)).records.empty());
  Put(*db, kTable, MessageRow("g1", "2023-03-20T10:00:10", "later"));
  auto after = Must(db->GetRecords(gr)).records;
  REQUIRE(after.size() == 1);
  CHECK(*localdynamo::engine::ParseSequence(after[0].sequence_number) > seen[3]);
}

TEST_CASE("stream records: INSERT / MODIFY / REMOVE, none for no-op writes") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  std::vector<StreamRecord> seen;
  Must(db->Subscribe(kTable, [&](const StreamRecord& r) { seen.push_back(r); }));

  Item row = MessageRow("g1", "2023-03-20T10:00:00", "hello");
  Put(*db, kTable, row);
  Put(*db, kTable, row);  // identical: no record
  Item edited = row;
  edited["message"] = S("edited");
  Put(*db, kTable, edited);
  DeleteItemRequest d;
  d.table_name = kTable;
  d.key = {{"pk", S("MSG#g1")}, {"sk", S("2023-03-20T10:00:00")}};
  Must(db->DeleteItem(d));
  Must(db->DeleteItem(d));  // missing item: no record

  REQUIRE(seen.size() == 3);
  CHECK(seen[0].event_name == "INSERT");
  CHECK(seen[1].event_name == "MODIFY");
  CHECK(seen[2].event_name == "REMOVE");
  CHECK(seen[0].keys == Item{{"pk", S("MSG#g1")}, {"sk", S("2023-03-20T10:00:00")}});
  REQUIRE(seen[0].new_image);
  CHECK(*seen[0].new_image == row);
  CHECK_FALSE(seen[0].old_image);  // NEW_IMAGE view
  CHECK_FALSE(seen[2].new_image);
  CHECK(seen[0].event_source == "aws:dynamodb");
  CHECK(seen[0].aws_region == "us-east-1");
  CHECK(seen[0].sequence_number < seen[1].sequence_number);
  CHECK(seen[1].sequence_number < seen[2].sequence_number);
  CHECK(seen[0].sequence_number.size() == 21);

  // The same records by position, through the Streams API.
  auto desc = Must(db->DescribeTable({kTable})).table;
  DescribeStreamRequest ds;
  ds.stream_arn = *desc.latest_stream_arn;
  auto stream = Must(db->DescribeStream(ds)).stream_description;
  REQUIRE(stream.shards.size() == 1);
  CHECK(stream.stream_status == "ENABLED");
  GetShardIteratorRequest gi;
  gi.stream_arn = stream.stream_arn;
  gi.shard_id = stream.shards[0].shard_id;
  gi.shard_iterator_type = "TRIM_HORIZON";
  auto it = Must(db->GetShardIterator(gi)).shard_iterator;
  REQUIRE(it);
  GetRecordsRequest gr;
  gr.shard_iterator = *it;
  gr.limit = 2;
  auto page = Must(db->GetRecords(gr));
  REQUIRE(page.records.size() == 2);
  CHECK(page.records[0].sequence_number == seen[0].sequence_number);
  REQUIRE(page.next_shard_iterator);
  gr.shard_iterator = *page.next_shard_iterator;
  page = Must(db->GetRecords(gr));
  REQUIRE(page.records.size() == 1);
  CHECK(page.records[0].event_name == "REMOVE");
  gr.shard_iterator = *page.next_shard_iterator;
  CHECK(Must(db->GetRecords(gr)).records.empty());

  gi.shard_iterator_type = "AFTER_SEQUENCE_NUMBER";
  gi.sequence_number = seen[0].sequence_number;
  gr.shard_iterator = *Must(db->GetShardIterator(gi)).shard_iterator;
  gr.limit = 1000;
  CHECK(Must(db->GetRecords(gr)).records.size() == 2);
}

TEST_CASE("synchronous delivery: a subscriber's own writes are delivered after, never nested") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  std::vector<std::string> order;
  int depth = 0, max_depth = 0;
  Must(db->Subscribe(kTable, [&](const StreamRecord& r) {
    ++depth;
    max_depth = std::max(max_depth, depth);
    std::string sk = r.keys.at("sk").s();
    order.push_back(sk);
    if (sk == "1") Put(*db, kTable, {{"pk", S("p")}, {"sk", S("2")}});
    if (sk == "2") Put(*db, kTable, {{"pk", S("p")}, {"sk", S("3")}});
    --depth;
  }));
  Put(*db, kTable, {{"pk", S("p")}, {"sk", S("1")}});
  // The whole cascade finished before the first write returned.
  CHECK(order == std::vector<std::string>{"1", "2", "3"});
  CHECK(max_depth == 1);
}

TEST_CASE("a throwing subscriber does not stop the others") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema()));
  int good = 0;
  Must(db->Subscribe(kTable, [&](const StreamRecord&) { throw std::runtime_error("boom"); }));
  Must(db->Subscribe(kTable, [&](const StreamRecord&) { ++good; }));
  Put(*db, kTable, {{"pk", S("p")}, {"sk", S("1")}});
  Put(*db, kTable, {{"pk", S("p")}, {"sk", S("2")}});
  CHECK(good == 2);
}

TEST_CASE("UpdateTable: a new stream each time one is enabled; old one stays readable") {
  auto db = OpenTestDb();
  Must(db->CreateTable(CruddurMessagesSchema(false)));
  CHECK_FALSE(Must(db->DescribeTable({kTable})).table.latest_stream_arn);
  UpdateTableRequest u;
  u.table_name = kTable;
  u.stream_specification = StreamSpecification{true, StreamViewType::kNewAndOldImages};
  auto first = *Must(db->UpdateTable(u)).table_description.latest_stream_arn;
  Put(*db, kTable, {{"pk", S("p")}, {"sk", S("1")}});
  u.stream_specification = StreamSpecification{false, std::nullopt};
  Must(db->UpdateTable(u));
  u.stream_specification = StreamSpecification{true, StreamViewType::kKeysOnly};
  auto second = *Must(db->UpdateTable(u)).table_description.latest_stream_arn;
  CHECK(first != second);
  ListStreamsRequest ls;
  ls.table_name = kTable;
  CHECK(Must(db->ListStreams(ls)).streams.size() == 2);
  DescribeStreamRequest ds;
  ds.stream_arn = first;
  CHECK(Must(db->DescribeStream(ds)).stream_description.stream_status == "DISABLED");
}

TEST_CASE("UpdateTable backfills a new GSI") {
  auto db = OpenTestDb();
  CreateTableRequest r = CruddurMessagesSchema(false);
  r.global_secondary_indexes.reset();
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kS}};
  Must(db->CreateTable(r));
  Put(*db, kTable, GroupRow("u1", "g1", "2023-03-20T10:00:00"));
  Put(*db, kTable, GroupRow("u2", "g1", "2023-03-20T10:00:00"));
  Put(*db, kTable, MessageRow("g1", "2023-03-20T10:00:00", "hi"));
  UpdateTableRequest u;
  u.table_name = kTable;
  u.attribute_definitions =
      std::vector<AttributeDefinition>{{"message_group_uuid", ScalarAttributeType::kS}};
  GlobalSecondaryIndexUpdate gu;
  gu.create = CruddurMessagesSchema().global_secondary_indexes->front();
  u.global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{gu};
  auto resp = Must(db->UpdateTable(u)).table_description;
  REQUIRE(resp.global_secondary_indexes.size() == 1);
  CHECK(resp.global_secondary_indexes[0].index_status == IndexStatus::kCreating);
  CHECK(resp.global_secondary_indexes[0].backfilling == true);
  auto after = Must(db->DescribeTable({kTable})).table;
  CHECK(after.global_secondary_indexes[0].index_status == IndexStatus::kActive);
  CHECK(after.global_secondary_indexes[0].item_count == 2);
}

TEST_CASE("background delivery resumes from a persisted checkpoint after a restart") {
  std::string dir = (std::filesystem::temp_directory_path() / "ld_bg_XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()));
  Options bg;
  bg.durability = Durability::kNoSync;
  bg.stream_delivery = StreamDelivery::kBackground;
  auto wait_for = [](std::atomic<int>& n, int want) {
    for (int i = 0; i < 400 && n.load() < want; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return n.load();
  };
  {
    auto db = Must(Database::Open(dir, bg));
    Must(db->CreateTable(CruddurMessagesSchema()));
    std::atomic<int> got{0};
    Must(db->Subscribe(
        kTable, [&](const StreamRecord&) { ++got; }, "updater"));
    Put(*db, kTable, {{"pk", S("p")}, {"sk", S("1")}});
    Put(*db, kTable, {{"pk", S("p")}, {"sk", S("2")}});
    CHECK(wait_for(got, 2) == 2);
  }
  {
    // Written while no consumer runs.
    Options sync;
    sync.durability = Durability::kNoSync;
    auto db = Must(Database::Open(dir, sync));
    Put(*db, kTable, {{"pk", S("p")}, {"sk", S("3")}});
  }
  {
    auto db = Must(Database::Open(dir, bg));
    std::atomic<int> got{0};
    std::vector<std::string> sks;
    std::mutex mu;
    Must(db->Subscribe(
        kTable,
        [&](const StreamRecord& r) {
          std::lock_guard lock(mu);
          sks.push_back(r.keys.at("sk").s());
          ++got;
        },
        "updater"));
    CHECK(wait_for(got, 1) == 1);
    std::lock_guard lock(mu);
    CHECK(sks == std::vector<std::string>{"3"});
  }
  std::filesystem::remove_all(dir);
}

namespace {
// An in-memory database on `clock` with the Cruddur messages table (stream on).
std::unique_ptr<Database> OpenMessagesOnClock(std::shared_ptr<Clock> clock) {
  Options o;
  o.clock = std::move(clock);
  auto db = Must(Database::OpenInMemory(o));
  Must(db->CreateTable(CruddurMessagesSchema()));
  return db;
}
}  // namespace

TEST_CASE("stream records older than 24 hours of Clock time are trimmed") {
  auto clock = std::make_shared<ManualClock>(kStartMillis);
  auto db = OpenMessagesOnClock(clock);
  for (int i = 0; i < 100; ++i) Put(*db, kTable, {{"pk", S("old")}, {"sk", S(std::to_string(i))}});
  clock->Advance(25LL * 3600 * 1000);
  for (int i = 0; i < 300; ++i) Put(*db, kTable, {{"pk", S("new")}, {"sk", S(std::to_string(i))}});
  auto records = ReadFromStart(*db, LatestStreamArn(*db));
  REQUIRE_FALSE(records.empty());
  CHECK(records.front().keys.at("pk") == S("new"));
  CHECK(records.size() == 300);
}

TEST_CASE("a deleted table's stream stays readable for 24 hours") {
  auto clock = std::make_shared<ManualClock>(kStartMillis);
  auto db = OpenMessagesOnClock(clock);
  Put(*db, kTable, {{"pk", S("p")}, {"sk", S("1")}});
  auto arn = *Must(db->DescribeTable({kTable})).table.latest_stream_arn;
  Must(db->DeleteTable({kTable}));
  DescribeStreamRequest ds;
  ds.stream_arn = arn;
  auto desc = Must(db->DescribeStream(ds)).stream_description;
  CHECK(desc.stream_status == "DISABLED");
  GetRecordsRequest gr;
  gr.shard_iterator = *Must(db->GetShardIterator(TrimHorizon(*db, arn))).shard_iterator;
  auto page = Must(db->GetRecords(gr));
  CHECK(page.records.size() == 1);
  CHECK_FALSE(page.next_shard_iterator);  // the shard is closed and read to its end
  ListStreamsRequest ls;
  CHECK(Must(db->ListStreams(ls)).streams.size() == 1);
  clock->Advance(25LL * 3600 * 1000);
  CHECK(MustFail(db->DescribeStream(ds)).code == ErrorCode::kResourceNotFound);
  CHECK(Must(db->ListStreams(ls)).streams.empty());
}

TEST_CASE("shard iterators expire after 15 minutes; trimmed positions are refused") {
  auto clock = std::make_shared<ManualClock>(kStartMillis);
  auto db = OpenMessagesOnClock(clock);
  Put(*db, kTable, {{"pk", S("p")}, {"sk", S("1")}});
  GetShardIteratorRequest gi = TrimHorizon(*db, LatestStreamArn(*db));
  GetRecordsRequest gr;
  gr.shard_iterator = *Must(db->GetShardIterator(gi)).shard_iterator;
  clock->Advance(16 * 60 * 1000);
  auto e = MustFail(db->GetRecords(gr));
  CHECK(e.code == ErrorCode::kExpiredIterator);
  CHECK(e.message.starts_with(
      "Iterator expired. The iterator was created at time Mon Mar 20 10:00:00 UTC 2023"));
  // A fresh iterator works, and each page hands out a fresh next iterator.
  gr.shard_iterator = *Must(db->GetShardIterator(gi)).shard_iterator;
  CHECK(Must(db->GetRecords(gr)).records.size() == 1);

  // Let the first records age out, then ask for a position before the oldest one kept.
  clock->Advance(25LL * 3600 * 1000);
  for (int i = 0; i < 300; ++i) Put(*db, kTable, {{"pk", S("q")}, {"sk", S(std::to_string(i))}});
  gi.shard_iterator_type = "AT_SEQUENCE_NUMBER";
  gi.sequence_number = "100000000000000000001";
  CHECK(MustFail(db->GetShardIterator(gi)).code == ErrorCode::kTrimmedDataAccess);
}

// Stored records keep only what their key, stream and table don't already say; read back
// through GetRecords they must equal the records delivered from memory, field for field.
TEST_CASE("records read back from storage equal the delivered ones, for every view type") {
  for (StreamViewType view : {StreamViewType::kKeysOnly, StreamViewType::kNewImage,
                              StreamViewType::kOldImage, StreamViewType::kNewAndOldImages}) {
    CAPTURE(static_cast<int>(view));
    auto db = OpenTestDb();
    CreateTableRequest schema = CruddurMessagesSchema(false);
    schema.stream_specification = StreamSpecification{true, view};
    std::string arn = *Must(db->CreateTable(schema)).table_description.latest_stream_arn;
    std::vector<StreamRecord> seen;
    Must(db->Subscribe(kTable, [&](const StreamRecord& r) { seen.push_back(r); }));
    Item row = MessageRow("g1", "2023-03-20T10:00:00", "hello");
    Put(*db, kTable, row);
    row["message"] = S("edited");
    Put(*db, kTable, row);
    DeleteItemRequest d;
    d.table_name = kTable;
    d.key = {{"pk", row.at("pk")}, {"sk", row.at("sk")}};
    Must(db->DeleteItem(d));
    REQUIRE(seen.size() == 3);

    auto stored = ReadFromStart(*db, arn);
    REQUIRE(stored.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      const StreamRecord &a = seen[i], &b = stored[i];
      CHECK(a.event_id == b.event_id);
      CHECK(a.event_name == b.event_name);
      CHECK(a.aws_region == b.aws_region);
      CHECK(a.approximate_creation_date_time == b.approximate_creation_date_time);
      CHECK(a.keys == b.keys);
      CHECK(a.new_image == b.new_image);
      CHECK(a.old_image == b.old_image);
      CHECK(a.sequence_number == b.sequence_number);
      CHECK(a.size_bytes == b.size_bytes);
      CHECK(a.stream_view_type == b.stream_view_type);
      CHECK(a.table_name == b.table_name);
      CHECK(a.stream_arn == b.stream_arn);
    }
    CHECK(stored[0].keys == Item{{"pk", row.at("pk")}, {"sk", row.at("sk")}});
    CHECK(stored[1].old_image.has_value() ==
          (view == StreamViewType::kOldImage || view == StreamViewType::kNewAndOldImages));
  }
}

// Trimming happens every 256 records and takes at most 1024 at a time, so a store reopened
// after a long pause catches up over the next writes instead of in one huge transaction.
TEST_CASE("trimming a backlog is spread over several writes") {
  auto clock = std::make_shared<ManualClock>(kStartMillis);
  auto db = OpenMessagesOnClock(clock);
  auto first_sk = [&] { return ReadFromStart(*db, LatestStreamArn(*db)).at(0).keys.at("sk").s(); };
  for (int i = 0; i < 2000; ++i)
    Put(*db, kTable, {{"pk", S("old")}, {"sk", S(fmt::format("{:04}", i))}});
  clock->Advance(25LL * 3600 * 1000);
  for (int i = 0; i < 256; ++i)
    Put(*db, kTable, {{"pk", S("new")}, {"sk", S(fmt::format("n{:04}", i))}});
  // Sequence 2048 trimmed records 1..1024 (sk 0000..1023); the rest are still there.
  CHECK(first_sk() == "1024");
  for (int i = 256; i < 512; ++i)
    Put(*db, kTable, {{"pk", S("new")}, {"sk", S(fmt::format("n{:04}", i))}});
  // Sequence 2304 trimmed the remaining 976.
  CHECK(first_sk() == "n0000");
}
