// UpdateTimeToLive / DescribeTimeToLive: DynamoDB's answers, checks and their order, and the
// limit on how often the setting may change.

#include <doctest/doctest.h>

#include <chrono>

#include "support/fixtures.h"

using namespace ld_test;
using namespace std::chrono_literals;

namespace {

struct Ttl {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>();
  std::unique_ptr<Database> db;
  Ttl() {
    Options o;
    o.clock = clock;
    db = Must(Database::OpenInMemory(o));
    Must(db->CreateTable(CruddurMessagesSchema()));
  }
  Result<UpdateTimeToLiveResponse> Update(bool enabled, std::string attribute, std::string table = "cruddur-messages") {
    return db->UpdateTimeToLive({std::move(table), {std::move(attribute), enabled}});
  }
  TimeToLiveDescription Describe() { return Must(db->DescribeTimeToLive({"cruddur-messages"})).time_to_live_description; }
  void Wait(std::chrono::seconds s) { clock->now += s.count() * 1000; }
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
  CHECK(MustFail(t.Update(false, "expires")).message == "Time to live has been modified multiple times within a fixed interval");
  t.Wait(kInterval - 1s);
  CHECK(MustFail(t.Update(false, "expires")).message == "Time to live has been modified multiple times within a fixed interval");
  CHECK(t.Describe().time_to_live_status == TimeToLiveStatus::kEnabled);  // refusals changed nothing
  t.Wait(1s);
  Must(t.Update(false, "expires"));
  CHECK(t.Describe().time_to_live_status == TimeToLiveStatus::kDisabled);
  CHECK(!t.Describe().attribute_name);  // forgotten, as DynamoDB forgets it
  // A rename is disable, wait, enable.
  CHECK(MustFail(t.Update(true, "renamed")).message == "Time to live has been modified multiple times within a fixed interval");
  t.Wait(kInterval);
  Must(t.Update(true, "renamed"));
  CHECK(t.Describe().attribute_name == "renamed");
}

TEST_CASE("the partition key may be the attribute; names are 1 to 255 bytes; tables must exist") {
  Ttl t;
  Must(t.Update(true, "pk"));
  Ttl u;
  CHECK(MustFail(u.Update(true, "")).message ==
        "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  CHECK(MustFail(u.Update(true, std::string(256, 'a'))).message.ends_with("Member must have length less than or equal to 255"));
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
