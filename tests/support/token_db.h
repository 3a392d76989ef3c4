#pragma once
// For tests of ClientRequestToken (tests/engine/request_tokens_test.cc, and ExecuteTransaction's
// in tests/partiql): a database in a directory, holding table "counters" (string key "id") with
// item "a" counting from 0, that the test closes and opens again, on a clock it moves.

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "support/fixtures.h"

namespace ld_test {

// A database directory whose Database is closed and opened again, on a clock the test moves.
struct TokenDb {
  std::string dir;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStartMillis);
  std::unique_ptr<Database> db;

  TokenDb() {
    dir = (std::filesystem::temp_directory_path() / "ld_tokens_XXXXXX").string();
    REQUIRE(mkdtemp(dir.data()));
    Reopen();
    CreateTableRequest c = HashKeySchema("counters", "id");
    Must(db->CreateTable(c));
    Put(*db, "counters", Item{{"id", S("a")}, {"c", N("0")}});
  }
  ~TokenDb() {
    db.reset();
    std::filesystem::remove_all(dir);
  }
  void Reopen() {
    db.reset();
    Options o;
    o.clock = clock;
    o.ids = SequentialIds(7);
    o.durability = Durability::kNoSync;
    db = Must(Database::Open(dir, o));
  }
  AttributeValue Counter(const std::string& id = "a") {
    GetItemRequest g;
    g.table_name = "counters";
    g.key = {{"id", S(id)}};
    auto item = Must(db->GetItem(g)).item;
    REQUIRE(item.has_value());
    return item->at("c");
  }
};

}  // namespace ld_test
