// UpdateTimeToLive / DescribeTimeToLive: DynamoDB's answers, checks and their order, and the
// limit on how often the setting may change.

#include <doctest/doctest.h>

#include <chrono>

#include <fmt/format.h>

#include "support/fixtures.h"

using namespace ld_test;
using namespace std::chrono_literals;

namespace {

struct Ttl {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStartMillis);
  std::unique_ptr<Database> db;
  Ttl() {
    Options o;
    o.clock = clock;
    db = Must(Database::OpenInMemory(o));
    Must(db->CreateTable(CruddurMessagesSchema()));
  }
  Result<UpdateTimeToLiveResponse> Update(bool enabled, std::string attribute,
                                          std::string table = "cruddur-messages") {
    return db->UpdateTimeToLive({std::move(table), {std::move(attribute), enabled}});
  }
  TimeToLiveDescription Describe() {
    return Must(db->DescribeTimeToLive({"cruddur-messages"})).time_to_live_description;
  }
  void Wait(std::chrono::seconds s) { clock->Advance(s.count() * 1000); }
};

constexpr auto kInterval = 31min;  // how long DynamoDB refuses a second change (measured)

}  // namespace

TEST_CASE("a new table's time to live is DISABLED, with no attribute") {
  Ttl t;
  CHECK(t.Describe().time_to_live_status == TimeToLiveStatus::kDisabled);
  CHECK(!t.Describe().attribute_name);
}

TEST_CASE("enabling echoes the specification, and shows ENABLED with the attribute at once") {
  Ttl t;
  auto r = Must(t.Update(true, "expires"));
  CHECK(r.time_to_live_specification.enabled);
  CHECK(r.time_to_live_specification.attribute_name == "expires");
  CHECK(t.Describe().time_to_live_status == TimeToLiveStatus::kEnabled);
  CHECK(t.Describe().attribute_name == "expires");
}

TEST_CASE("the content checks, in DynamoDB's order, before the interval check") {
  Ttl t;
  auto e = MustFail(t.Update(false, "expires"));
  CHECK(e.code == ErrorCode::kValidation);
  CHECK(e.message == "TimeToLive is already disabled");
  Must(t.Update(true, "expires"));
  // Within the interval, a request that is wrong on its own says so first.
  CHECK(MustFail(t.Update(true, "expires")).message == "TimeToLive is already enabled");
  CHECK(MustFail(t.Update(true, "other")).message ==
        "TimeToLive is active on a different AttributeName: current AttributeName is expires");
  CHECK(MustFail(t.Update(false, "other")).message ==
        "TimeToLive is active on a different AttributeName: current AttributeName is expires");
  // A valid change is refused until the interval has passed.
  CHECK(MustFail(t.Update(false, "expires")).message ==
        "Time to live has been modified multiple times within a fixed interval");
  t.Wait(kInterval - 1s);
  CHECK(MustFail(t.Update(false, "expires")).message ==
        "Time to live has been modified multiple times within a fixed interval");
  CHECK(t.Describe().time_to_live_status ==
        TimeToLiveStatus::kEnabled);  // refusals changed nothing
  t.Wait(1s);
  Must(t.Update(false, "expires"));
  CHECK(t.Describe().time_to_live_status == TimeToLiveStatus::kDisabled);
  CHECK(!t.Describe().attribute_name);  // forgotten, as DynamoDB forgets it
  // A rename is disable, wait, enable.
  CHECK(MustFail(t.Update(true, "renamed")).message ==
        "Time to live has been modified multiple times within a fixed interval");
  t.Wait(kInterval);
  Must(t.Update(true, "renamed"));
  CHECK(t.Describe().attribute_name == "renamed");
}

TEST_CASE("the partition key may be the attribute; names are 1 to 255 bytes; tables must exist") {
  Ttl t;
  Must(t.Update(true, "pk"));
  Ttl u;
  CHECK(MustFail(u.Update(true, "")).message ==
        "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed "
        "to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  CHECK(MustFail(u.Update(true, std::string(256, 'a')))
            .message.ends_with("Member must have length less than or equal to 255"));
  Must(u.Update(true, std::string(255, 'a')));
  auto missing = MustFail(u.Update(true, "expires", "no-such-table"));
  CHECK(missing.code == ErrorCode::kResourceNotFound);
  CHECK(missing.message == "Requested resource not found: Table: no-such-table not found");
  CHECK(MustFail(u.db->DescribeTimeToLive({"no-such-table"})).code == ErrorCode::kResourceNotFound);
  CHECK(MustFail(u.db->DescribeTimeToLive({"x"})).code == ErrorCode::kValidation);
}

TEST_CASE("the setting is stored with the table: another handle on the directory reads it") {
  {
    Ttl t;
    Must(t.Update(true, "expires"));
    auto second = Must(Database::Open(t.db->directory()));
    auto d = Must(second->DescribeTimeToLive({"cruddur-messages"})).time_to_live_description;
    CHECK(d.time_to_live_status == TimeToLiveStatus::kEnabled);
    CHECK(d.attribute_name == "expires");
  }
}

TEST_CASE(
    "DeleteExpiredItems: a Number of epoch seconds in the past (not more than five years), with "
    "the service's stream record") {
  Ttl t;
  std::vector<StreamRecord> seen;
  Must(t.db->Subscribe("cruddur-messages", [&](const StreamRecord& r) { seen.push_back(r); }));
  const int64_t now = t.clock->NowMillis() / 1000;
  auto row = [&](const std::string& sk, std::optional<AttributeValue> expires) {
    Item item = MessageRow("g1", sk, "hello");
    item["message_group_uuid"] = S("g1");
    if (expires) item["expires"] = *expires;
    Put(*t.db, "cruddur-messages", item);
  };
  row("a-expired", N(std::to_string(now - 10)));
  row("b-future", N(std::to_string(now + 100)));
  row("c-a-string", S(std::to_string(now - 10)));
  row("d-six-years-ago", N(std::to_string(now - 6 * 365 * 86400)));
  row("e-none", std::nullopt);
  row("f-fraction", N(std::to_string(now - 1) + ".5"));
  CHECK(Must(t.db->DeleteExpiredItems()) == 0);  // time to live is off
  Must(t.Update(true, "expires"));
  seen.clear();
  CHECK(Must(t.db->DeleteExpiredItems()) == 2);
  CHECK(Must(t.db->DeleteExpiredItems()) == 0);
  auto remaining = [&] {
    QueryRequest q;
    q.table_name = "cruddur-messages";
    q.index_name = "message-group-sk-index";  // the index lost the entries too
    q.key_condition_expression = "message_group_uuid = :g";
    q.expression_attribute_values = ValueMap{{":g", S("g1")}};
    std::vector<std::string> sks;
    const QueryResponse page = Must(t.db->Query(q));  // kept: the range below points into it
    for (const Item& i : *page.items) sks.push_back(i.at("sk").s());
    return sks;
  };
  CHECK(remaining() ==
        std::vector<std::string>{"b-future", "c-a-string", "d-six-years-ago", "e-none"});
  REQUIRE(seen.size() == 2);
  for (const auto& r : seen) {
    CHECK(r.event_name == "REMOVE");
    REQUIRE(r.user_identity);
    CHECK(r.user_identity->principal_id == "dynamodb.amazonaws.com");
    CHECK(r.user_identity->type == "Service");
  }
  // The future one expires when the clock gets there; an ordinary delete has no userIdentity.
  t.Wait(101s);
  CHECK(Must(t.db->DeleteExpiredItems()) == 1);
  DeleteItemRequest del;
  del.table_name = "cruddur-messages";
  del.key = {{"pk", S("MSG#g1")}, {"sk", S("e-none")}};
  Must(t.db->DeleteItem(del));
  REQUIRE(seen.size() == 4);
  CHECK(seen[2].user_identity);
  CHECK(!seen[3].user_identity);
  // Read back from the stream's storage too.
  auto streams = Must(t.db->ListStreams({})).streams;
  REQUIRE(streams.size() == 1);
  DescribeStreamRequest d;
  d.stream_arn = streams[0].stream_arn;
  GetShardIteratorRequest it;
  it.stream_arn = streams[0].stream_arn;
  it.shard_id = Must(t.db->DescribeStream(d)).stream_description.shards.at(0).shard_id;
  it.shard_iterator_type = "TRIM_HORIZON";
  GetRecordsRequest g;
  g.shard_iterator = *Must(t.db->GetShardIterator(it)).shard_iterator;
  auto records = Must(t.db->GetRecords(g)).records;
  int by_service = 0;
  for (const auto& r : records) by_service += r.user_identity && r.user_identity->type == "Service";
  CHECK(by_service == 3);
}

TEST_CASE("DeleteExpiredItems on a table without a stream, with a numeric key as the attribute") {
  auto clock = std::make_shared<ManualClock>(kStartMillis);
  Options o;
  o.clock = clock;
  auto db = Must(Database::OpenInMemory(o));
  CreateTableRequest c;
  c.table_name = "sessions";
  c.attribute_definitions = {{"expires_at", ScalarAttributeType::kN}};
  c.key_schema = {{"expires_at", KeyType::kHash}};
  c.billing_mode = BillingMode::kPayPerRequest;
  Must(db->CreateTable(c));
  const int64_t now = clock->NowMillis() / 1000;
  for (int64_t at : {now - 2, now - 1, now, now + 1})
    Put(*db, "sessions", {{"expires_at", N(std::to_string(at))}});
  Must(db->UpdateTimeToLive({"sessions", {"expires_at", true}}));
  CHECK(Must(db->DeleteExpiredItems()) == 2);  // before now; `now` itself is not yet past
  CHECK(Must(db->DescribeTable({"sessions"})).table.item_count == 2);
}

TEST_CASE("DeleteExpiredItems reads the clock only when a table has time to live on") {
  // A stepping clock moves on every reading; the server's sweep must leave it alone.
  struct CountingClock : Clock {
    std::atomic<int> readings{0};
    int64_t NowMillis() override { return ++readings, kStartMillis; }
  };
  auto clock = std::make_shared<CountingClock>();
  Options o;
  o.clock = clock;
  auto db = Must(Database::OpenInMemory(o));
  Must(db->CreateTable(CruddurMessagesSchema()));
  const int before = clock->readings;
  CHECK(Must(db->DeleteExpiredItems()) == 0);
  CHECK(clock->readings == before);
  Must(db->UpdateTimeToLive({"cruddur-messages", {"expires", true}}));
  const int enabled = clock->readings;
  CHECK(Must(db->DeleteExpiredItems()) == 0);
  CHECK(clock->readings == enabled + 1);
}

TEST_CASE("a pass takes up where the last stopped, and comes round to the start again") {
  auto clock = std::make_shared<ManualClock>(kStartMillis);
  Options o;
  o.clock = clock;
  o.durability = Durability::kNoSync;
  auto db = Must(Database::OpenInMemory(o));
  CreateTableRequest c = HashKeySchema("sessions", "id");
  Must(db->CreateTable(c));
  const int64_t now = clock->NowMillis() / 1000;
  // 3000 items, every other one expired: 1500 to delete, at most 1000 a call.
  BatchWriteItemRequest b;
  for (int i = 0; i < 3000; ++i) {
    auto& list = b.request_items["sessions"];
    list.push_back(WriteRequest{Item{{"id", S(fmt::format("{:05}", i))},
                                     {"exp", N(std::to_string(i % 2 ? now + 60 : now - 60))}},
                                std::nullopt});
    if (list.size() == 25) {
      Must(db->BatchWriteItem(b));
      b.request_items.clear();
    }
  }
  Must(db->UpdateTimeToLive({"sessions", {"exp", true}}));
  CHECK(Must(db->DeleteExpiredItems()) == 1000);
  // An item before where the pass stopped expires now: the next call finishes the pass first.
  Put(*db, "sessions", {{"id", S("00001")}, {"exp", N(std::to_string(now - 1))}});
  CHECK(Must(db->DeleteExpiredItems()) == 500);
  CHECK(Must(db->DeleteExpiredItems()) == 1);  // the next pass, from the start
  CHECK(Must(db->DeleteExpiredItems()) == 0);
  CHECK(Must(db->DescribeTable({"sessions"})).table.item_count == 1499);
}
