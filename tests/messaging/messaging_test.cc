#include <doctest/doctest.h>

#include "messaging.h"
#include "seed.h"

using namespace localdynamo;
using cruddur::App;

namespace {

struct Fixture {
  std::unique_ptr<Database> db;
  std::unique_ptr<App> app;
  cruddur::User andrew, bayko, londo;

  explicit Fixture(uint64_t seed = 7) {
    Options o;
    o.clock = FixedClock(1679313600000, 1000);  // 2023-03-20T12:00:00Z, a second per reading
    o.ids = SequentialIds(seed);
    db = std::move(Database::OpenInMemory(o)).value();
    app = std::make_unique<App>(*db);
    REQUIRE(app->SchemaLoad().ok());
    REQUIRE(app->StartStreamUpdater().ok());
    REQUIRE(cruddur::SeedConversation(*app, *db).ok());
    andrew = app->FindUser("andrewbrown").value();
    bayko = app->FindUser("bayko").value();
    londo = app->CreateUser("londo", "Londo Mollari").value();
  }

  int64_t ItemCount() {
    return db->DescribeTable({cruddur::kMessagesTable}).value().table.item_count;
  }

  std::vector<Item> ScanAll() {
    ScanRequest s;
    s.table_name = cruddur::kMessagesTable;
    return *db->Scan(s).value().items;
  }
};

}  // namespace

TEST_CASE("pattern B: conversations newest first; pattern A: newest 20 shown oldest first") {
  Fixture f;
  auto groups = f.app->ListMessageGroups(f.andrew).value();
  REQUIRE(groups.groups.size() == 1);
  CHECK(groups.groups[0].other_handle == "bayko");
  CHECK(groups.groups[0].last_message == "And I'll bring the Narn ale.");
  CHECK(groups.groups[0].last_message_at == "2023-03-20T10:24:00.000000+00:00");

  auto messages = f.app->ListMessages(f.andrew, cruddur::kSeedGroupUuid).value();
  REQUIRE(messages.size() == 20);
  CHECK(messages.front().created_at == "2023-03-20T10:05:00.000000+00:00");
  CHECK(messages.back().text == "And I'll bring the Narn ale.");
  for (std::size_t i = 1; i < messages.size(); ++i)
    CHECK(messages[i - 1].created_at < messages[i].created_at);

  cruddur::MessageRange y2024;
  y2024.year = "2024";
  CHECK(f.app->ListMessages(f.andrew, cruddur::kSeedGroupUuid, y2024).value().empty());
  cruddur::MessageRange between;
  between.between = {{"2023-03-20T10:03", "2023-03-20T10:06"}};
  CHECK(f.app->ListMessages(f.bayko, cruddur::kSeedGroupUuid, between).value().size() == 3);
}

TEST_CASE("pattern C + E: after a message, both users' lists show it first with its time") {
  Fixture f;
  auto group_al =
      f.app->CreateMessageGroup(f.londo, f.andrew, "The Centauri will rise again.").value();
  CHECK(f.app->ListMessageGroups(f.andrew).value().groups[0].uuid == group_al);

  auto sent = f.app->CreateMessage(f.bayko, cruddur::kSeedGroupUuid, "See you tomorrow!").value();
  for (const auto* user : {&f.andrew, &f.bayko}) {
    auto top = f.app->ListMessageGroups(*user).value().groups.at(0);
    CHECK(top.uuid == cruddur::kSeedGroupUuid);
    CHECK(top.last_message == "See you tomorrow!");
    CHECK(top.last_message_at == sent.created_at);
  }
  // Messages keep their order; the new one is last.
  auto messages = f.app->ListMessages(f.andrew, cruddur::kSeedGroupUuid).value();
  CHECK(messages.back().text == "See you tomorrow!");
  CHECK(messages[messages.size() - 2].text == "And I'll bring the Narn ale.");
}

TEST_CASE("pattern D writes both group rows and the first message in one transaction") {
  Fixture f;
  const int64_t before = f.ItemCount();
  auto group = f.app->CreateMessageGroup(f.bayko, f.londo, "Hello Londo").value();
  CHECK(f.ItemCount() == before + 3);
  CHECK(f.app->ListMessageGroups(f.londo).value().groups.at(0).uuid == group);
  CHECK(f.app->ListMessages(f.londo, group).value().at(0).text == "Hello Londo");
  // A conversation with oneself is refused before anything is written.
  CHECK_FALSE(f.app->CreateMessageGroup(f.bayko, f.bayko, "me").ok());
  CHECK(f.ItemCount() == before + 3);
}

TEST_CASE("errors are values and write nothing") {
  Fixture f;
  const int64_t before = f.ItemCount();
  auto unknown = f.app->CreateMessage(f.andrew, "no-such-group", "hi");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "no such conversation: no-such-group");
  auto outsider = f.app->CreateMessage(f.londo, cruddur::kSeedGroupUuid, "let me in");
  REQUIRE_FALSE(outsider.ok());
  CHECK(outsider.error().message ==
        "londo is not in conversation 5ae290ed-55d1-47a0-bc6d-fe2bc2700399");
  CHECK_FALSE(f.app->ListMessages(f.londo, cruddur::kSeedGroupUuid).ok());
  CHECK_FALSE(f.app->FindUser("nobody").ok());
  CHECK(f.ItemCount() == before);
}

TEST_CASE("deterministic: the same seed and clock give identical items") {
  Fixture a(11), b(11);
  a.app->CreateMessageGroup(a.londo, a.andrew, "x").value();
  b.app->CreateMessageGroup(b.londo, b.andrew, "x").value();
  a.app->CreateMessage(a.bayko, cruddur::kSeedGroupUuid, "y").value();
  b.app->CreateMessage(b.bayko, cruddur::kSeedGroupUuid, "y").value();
  CHECK(a.ScanAll() == b.ScanAll());
}

TEST_CASE("the in-process rows match what cruddur_e2e.py expects through the server") {
  // cruddur_e2e.py: after bayko's "See you tomorrow!", both GRP rows of the group carry it as
  // message with its time as sk, and the group's message rows are untouched.
  Fixture f;
  auto sent = f.app->CreateMessage(f.bayko, cruddur::kSeedGroupUuid, "See you tomorrow!").value();
  int grp_rows = 0;
  for (const auto& item : f.ScanAll()) {
    if (!item.at("pk").s().starts_with("GRP#")) continue;
    if (item.count("message_group_uuid") &&
        item.at("message_group_uuid").s() == cruddur::kSeedGroupUuid) {
      ++grp_rows;
      CHECK(item.at("sk").s() == sent.created_at);
      CHECK(item.at("message").s() == "See you tomorrow!");
      CHECK(item.size() == 7);
    }
  }
  CHECK(grp_rows == 2);
}

TEST_CASE("synthetic seed is deterministic and queryable") {
  Options o;
  o.ids = SequentialIds(1);
  auto db = std::move(Database::OpenInMemory(o)).value();
  App app(*db);
  REQUIRE(app.SchemaLoad().ok());
  REQUIRE(cruddur::SeedSynthetic(app, *db, {20, 10, 200}).ok());
  auto u = app.FindUser("user0").value();
  auto groups = app.ListMessageGroups(u).value().groups;
  REQUIRE_FALSE(groups.empty());
  CHECK(app.ListMessages(u, groups[0].uuid).value().size() == 20);
}
