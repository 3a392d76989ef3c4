// The offline check (localdynamo/check.h): a database with a GSI, an LSI, a stream, point-in-
// time recovery and a backup passes; each kind of damage, made through the storage layer on
// the closed directory, is named by its own line.

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>

#include <fmt/format.h>

#include "engine/backup/backup_record.h"
#include "engine/keys.h"
#include "engine/streams/stream_store.h"
#include "engine/table_meta.h"
#include "storage/item_codec.h"
#include "storage/layout.h"
#include "storage/lmdb.h"
#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr const char* kTable = "chats";
constexpr const char* kGsi = "by-user";
constexpr const char* kLsi = "by-at";

CreateTableRequest ChatsSchema() {
  CreateTableRequest r;
  r.table_name = kTable;
  r.attribute_definitions = {{"pk", ScalarAttributeType::kS},
                             {"sk", ScalarAttributeType::kS},
                             {"user", ScalarAttributeType::kS},
                             {"at", ScalarAttributeType::kN}};
  r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  r.billing_mode = BillingMode::kPayPerRequest;
  r.stream_specification = StreamSpecification{true, StreamViewType::kNewAndOldImages};
  GlobalSecondaryIndex g;
  g.index_name = kGsi;
  g.key_schema = {{"user", KeyType::kHash}, {"at", KeyType::kRange}};
  g.projection.projection_type = ProjectionType::kInclude;
  g.projection.non_key_attributes = {"text"};
  r.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{g};
  LocalSecondaryIndex l;
  l.index_name = kLsi;
  l.key_schema = {{"pk", KeyType::kHash}, {"at", KeyType::kRange}};
  l.projection.projection_type = ProjectionType::kKeysOnly;
  r.local_secondary_indexes = std::vector<LocalSecondaryIndex>{l};
  return r;
}

Item Chat(const std::string& pk, const std::string& sk, const std::string& user, int at,
          const std::string& text) {
  Item item{{"pk", S(pk)},
            {"sk", S(sk)},
            {"at", N(std::to_string(at))},
            {"text", S(text)},
            {"extra", S("x")}};
  if (!user.empty()) item.insert_or_assign("user", S(user));
  return item;
}

bool Has(const CheckReport& r, std::string_view text) {
  for (const auto& line : r.problems)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

std::string Lines(const CheckReport& r) {
  std::string out;
  for (const auto& line : r.problems) out += line + "\n";
  return out.empty() ? "(no problems)" : out;
}

// A database directory holding the chats table (GSI INCLUDE, LSI KEYS_ONLY, a stream of new and
// old images, recovery on, a backup) and a plain table; removed at the end.
struct Store {
  std::string dir = (std::filesystem::temp_directory_path() / "ld_check_XXXXXX").string();
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStartMillis);

  Store() {
    REQUIRE(mkdtemp(dir.data()));
    auto db = Open();
    Must(db->CreateTable(ChatsSchema()));
    UpdateContinuousBackupsRequest pitr;
    pitr.table_name = kTable;
    pitr.point_in_time_recovery_specification.point_in_time_recovery_enabled = true;
    Must(db->UpdateContinuousBackups(pitr));
    // The first two writes are one item's INSERT and MODIFY (the swap below relies on it).
    Write(*db, Chat("p1", "a", "ann", 1, "hello"));
    Write(*db, Chat("p1", "a", "ann", 1, "hello again"));
    Write(*db, Chat("p1", "b", "bob", 2, "hi"));
    Write(*db, Chat("p2", "a", "", 3, "not in the GSI"));
    Write(*db, Chat("p2", "b", "ann", 4, "moved"));
    Write(*db, Chat("p2", "b", "cat", 5, "moved"));  // changes its GSI and LSI keys
    Write(*db, Chat("p2", "b", "cat", 5, "moved"));  // no change: no record
    Write(*db, Chat("p3", "a", "dan", 6, "bye"));
    DeleteItemRequest d;
    d.table_name = kTable;
    d.key = {{"pk", S("p3")}, {"sk", S("a")}};
    Must(db->DeleteItem(d));
    clock->Advance(1000);
    TransactWriteItemsRequest tx;
    for (const char* sk : {"c", "d"}) {
      TransactPut w;
      w.table_name = kTable;
      w.item = Chat("p1", sk, "eve", 7, "in a transaction");
      tx.transact_items.push_back(w);
    }
    Must(db->TransactWriteItems(tx));
    Must(db->CreateBackup({kTable, "nightly"}));
    Write(*db, Chat("p4", "a", "fay", 8, "after the backup"));
    CreateTableRequest plain = HashKeySchema("plain", "id");
    Must(db->CreateTable(plain));
    Put(*db, "plain", Item{{"id", S("one")}});
    Put(*db, "plain", Item{{"id", S(std::string(2000, 'L'))}});  // a long key: stored in long form
  }
  ~Store() { std::filesystem::remove_all(dir); }

  std::unique_ptr<Database> Open() {
    Options o;
    o.clock = clock;
    o.ids = SequentialIds(3);
    o.durability = Durability::kNoSync;
    return Must(Database::Open(dir, o));
  }
  void Write(Database& db, Item item) {
    clock->Advance(1000);
    Put(db, kTable, std::move(item));
  }
  CheckReport Check() { return Must(CheckDatabase(dir)); }

  // Runs `damage` in one write transaction on the directory (closed: nothing caches it).
  void Damage(const std::function<void(storage::WriteTxn&, const engine::TableMeta&)>& damage) {
    auto env = Must(storage::Env::Open(dir, {}));
    auto txn = Must(storage::WriteTxn::Begin(env));
    auto v = Must(txn.Get(txn.dbis().catalog, kTable));
    REQUIRE(v);
    auto t = engine::ParseTableMeta(*v);
    REQUIRE(t);
    damage(txn, *t);
    REQUIRE(txn.Commit().ok());
  }
};

const engine::IndexMeta& IndexNamed(const engine::TableMeta& t, std::string_view name) {
  const engine::IndexMeta* i = t.FindIndex(name);
  REQUIRE(i);
  return *i;
}

// The first entry of a keyspace: (stored key, value).
std::pair<std::string, std::string> FirstEntry(storage::WriteTxn& txn, MDB_dbi dbi,
                                               const std::string& prefix) {
  auto cursor = Must(storage::Cursor::Open(txn, dbi));
  auto e = Must(cursor.SeekGE(prefix));
  REQUIRE(e);
  REQUIRE(e->key.starts_with(prefix));
  return {std::string(e->key), std::string(e->value)};
}

void DeleteFirst(storage::WriteTxn& txn, MDB_dbi dbi, const std::string& prefix) {
  REQUIRE(Must(txn.Del(dbi, FirstEntry(txn, dbi, prefix).first)));
}

// The stats value of table `number` with `delta` added to the item count of index `index`
// (0: the table) or, with `bytes`, to its size.
void AddToStats(storage::WriteTxn& txn, uint32_t number, uint8_t index, int64_t delta, bool bytes) {
  const std::string key = "stats/" + storage::TableKeyspace(number);
  auto v = Must(txn.Get(txn.dbis().meta, key));
  REQUIRE(v);
  std::string value(*v);
  for (std::size_t at = 8; at + 17 <= value.size(); at += 17) {
    if (static_cast<uint8_t>(value[at]) != index) continue;
    int64_t n;
    std::memcpy(&n, value.data() + at + (bytes ? 9 : 1), 8);
    n += delta;
    std::memcpy(value.data() + at + (bytes ? 9 : 1), &n, 8);
    REQUIRE(txn.Put(txn.dbis().meta, key, value).ok());
    return;
  }
  FAIL("no statistics for index ", int(index));
}

}  // namespace

TEST_CASE(
    "check: a database with a GSI, an LSI, a stream, recovery on and a backup is consistent") {
  Store store;
  CheckReport r = store.Check();
  CHECK_MESSAGE(r.ok(), Lines(r));
  CHECK(r.tables == 2);
  CHECK(r.items == 9);           // p1 a b c d, p2 a b, p4 a; plain one and L...
  CHECK(r.index_entries == 13);  // GSI: 6 (p2/a has no user), LSI: 7
  CHECK(r.stream_records == 11);
  CHECK(r.recovery_records == 11);
  CHECK(r.backups == 1);
  CHECK(r.backup_items == 6);

  SUBCASE("and stays so after restores, a GSI added and deleted, recovery off, the table deleted") {
    {
      auto db = store.Open();
      RestoreTableFromBackupRequest rb;
      rb.target_table_name = "from-backup";
      rb.backup_arn = Must(db->ListBackups({})).backup_summaries.at(0).details.backup_arn;
      Must(db->RestoreTableFromBackup(rb));
      store.clock->Advance(10 * 60 * 1000);  // the latest restorable time lags by minutes
      RestoreTableToPointInTimeRequest pt;
      pt.source_table_name = kTable;
      pt.target_table_name = "from-log";
      pt.restore_date_time = static_cast<double>(kStartMillis + 4500) / 1000.0;
      Must(db->RestoreTableToPointInTime(pt));
      UpdateTableRequest u;
      u.table_name = kTable;
      GlobalSecondaryIndexUpdate add;
      add.create = GlobalSecondaryIndex{};
      add.create->index_name = "by-text";
      add.create->key_schema = {{"text", KeyType::kHash}};
      add.create->projection.projection_type = ProjectionType::kKeysOnly;
      u.attribute_definitions = ChatsSchema().attribute_definitions;
      u.attribute_definitions->push_back({"text", ScalarAttributeType::kS});
      u.global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{add};
      Must(db->UpdateTable(u));
      GlobalSecondaryIndexUpdate drop;
      drop.delete_index_name = kGsi;
      u.global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{drop};
      u.attribute_definitions.reset();
      Must(db->UpdateTable(u));
      store.Write(*db, Chat("p5", "a", "gus", 9, "after the updates"));
      UpdateContinuousBackupsRequest pitr;
      pitr.table_name = "plain";
      pitr.point_in_time_recovery_specification.point_in_time_recovery_enabled = true;
      Must(db->UpdateContinuousBackups(pitr));
      Put(*db, "plain", Item{{"id", S("two")}});
      pitr.point_in_time_recovery_specification.point_in_time_recovery_enabled = false;
      Must(db->UpdateContinuousBackups(pitr));  // its log goes
      DeleteTableRequest del;
      del.table_name = "from-backup";
      Must(db->DeleteTable(del));
    }
    r = store.Check();
    CHECK_MESSAGE(r.ok(), Lines(r));
    CHECK(r.tables == 3);
    {
      auto db = store.Open();
      Must(db->DeleteTable({kTable}));  // recovery on: kept as a system backup; its stream stays
    }
    r = store.Check();
    CHECK_MESSAGE(r.ok(), Lines(r));
    CHECK(r.tables == 2);
    CHECK(r.backups == 2);
  }
}

TEST_CASE("check: damage to items and indexes") {
  Store store;
  REQUIRE(store.Check().ok());
  SUBCASE("a GSI entry deleted") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      DeleteFirst(txn, txn.dbis().data,
                  storage::KeyspacePrefix(t.number, IndexNamed(t, kGsi).number));
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r,
                      "table chats index by-user: no entry for item "
                      "{\"pk\":{\"S\":\"p1\"},\"sk\":{\"S\":\"a\"}}"),
                  Lines(r));
    CHECK_MESSAGE(Has(r, "table chats index by-user: ItemCount is 6, 5 entries are stored"),
                  Lines(r));
  }
  SUBCASE("an LSI entry deleted") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      DeleteFirst(txn, txn.dbis().data,
                  storage::KeyspacePrefix(t.number, IndexNamed(t, kLsi).number));
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "table chats index by-at: no entry for item"), Lines(r));
  }
  SUBCASE("a stale GSI entry: its item is gone") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      const auto& gsi = IndexNamed(t, kGsi);
      auto key = engine::IndexKey(t, gsi, Chat("ghost", "a", "ann", 1, "boo"));
      REQUIRE(storage::PutEntry(txn, txn.dbis().data, *key,
                                storage::EncodeItem(engine::ProjectForIndex(
                                    t, gsi, Chat("ghost", "a", "ann", 1, "boo"))))
                  .ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "index by-user: stale entry"), Lines(r));
    CHECK_MESSAGE(Has(r, "no item has its table key"), Lines(r));
  }
  SUBCASE("a stale GSI entry: its item's index key changed") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      const auto& gsi = IndexNamed(t, kGsi);
      Item before = Chat("p2", "b", "ann", 4, "moved");  // the item's index key before its update
      REQUIRE(storage::PutEntry(txn, txn.dbis().data, *engine::IndexKey(t, gsi, before),
                                storage::EncodeItem(engine::ProjectForIndex(t, gsi, before)))
                  .ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "its item's index key is"), Lines(r));
  }
  SUBCASE("a GSI entry that isn't its item's projection") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      const auto& gsi = IndexNamed(t, kGsi);
      Item item = Chat("p1", "b", "bob", 2, "hi");
      Item projected = engine::ProjectForIndex(t, gsi, item);
      projected.insert_or_assign("text", S("edited"));
      REQUIRE(storage::PutEntry(txn, txn.dbis().data, *engine::IndexKey(t, gsi, item),
                                storage::EncodeItem(projected))
                  .ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "differs from its item's projection"), Lines(r));
  }
  SUBCASE("an item's bytes that don't decode") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      auto [key, value] = FirstEntry(txn, txn.dbis().data, storage::KeyspacePrefix(t.number, 0));
      REQUIRE(txn.Put(txn.dbis().data, key, std::string("\0\x05\x02pk\x01", 6)).ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(
        Has(r, "table chats: item {\"pk\":{\"S\":\"p1\"},\"sk\":{\"S\":\"a\"}} does not decode"),
        Lines(r));
  }
  SUBCASE("an item under another item's key") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      auto [key, value] = FirstEntry(txn, txn.dbis().data, storage::KeyspacePrefix(t.number, 0));
      REQUIRE(
          txn.Put(txn.dbis().data, engine::TableKey(t, Chat("p9", "z", "", 0, "")), value).ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "is stored under another key"), Lines(r));
  }
  SUBCASE("a long key's entry holding another full key") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta&) {
      auto plain = engine::ParseTableMeta(*Must(txn.Get(txn.dbis().catalog, "plain")));
      REQUIRE(plain);
      const std::string stored =
          storage::StoredKey(engine::TableKey(*plain, Item{{"id", S(std::string(2000, 'L'))}}));
      REQUIRE(storage::IsLongForm(stored));
      const std::string other = engine::TableKey(*plain, Item{{"id", S(std::string(2000, 'M'))}});
      REQUIRE(txn.Put(txn.dbis().data, stored,
                      storage::EncodeEntryValue(other, storage::EncodeItem(Item{{"id", S("x")}})))
                  .ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "table plain: the entry under "), Lines(r));
    CHECK_MESSAGE(Has(r, " is malformed"), Lines(r));
  }
  SUBCASE("entries under a number nothing has") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      auto [key, value] = FirstEntry(txn, txn.dbis().data, storage::KeyspacePrefix(t.number, 0));
      REQUIRE(
          txn.Put(txn.dbis().data, storage::KeyspacePrefix(9999, 0) + key.substr(5), value).ok());
      REQUIRE(txn.Put(txn.dbis().data, storage::KeyspacePrefix(t.number, 77) + key.substr(5), value)
                  .ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(
        Has(r,
            "data: 1 entry under number 9999, index number 0, which no table, index or backup has"),
        Lines(r));
    CHECK_MESSAGE(Has(r, "index number 77, which no table, index or backup has"), Lines(r));
  }
}

TEST_CASE("check: damage to the statistics") {
  Store store;
  SUBCASE("the table's item count") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      AddToStats(txn, t.number, 0, 1, false);
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "table chats: ItemCount is 8, 7 items are stored"), Lines(r));
    CHECK(r.problems.size() == 1);
  }
  SUBCASE("an index's size") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      AddToStats(txn, t.number, IndexNamed(t, kLsi).number, -3, true);
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "table chats index by-at: IndexSizeBytes is"), Lines(r));
    CHECK(r.problems.size() == 1);
  }
  SUBCASE("statistics of a table that isn't there") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      auto v = Must(txn.Get(txn.dbis().meta, "stats/" + storage::TableKeyspace(t.number)));
      REQUIRE(v);
      REQUIRE(
          txn.Put(txn.dbis().meta, "stats/" + storage::TableKeyspace(777), std::string(*v)).ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "meta: statistics are kept for table number 777, which no table has"),
                  Lines(r));
  }
  SUBCASE("the table's size") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      AddToStats(txn, t.number, 0, 100, true);
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "table chats: TableSizeBytes is"), Lines(r));
  }
}

TEST_CASE("check: damage to the stream and the recovery log") {
  Store store;
  SUBCASE("two records' sequence numbers swapped") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      const uint32_t stream = t.streams.at(0).number;
      auto first = Must(txn.Get(txn.dbis().stream, engine::StreamKey(stream, 1)));
      auto second = Must(txn.Get(txn.dbis().stream, engine::StreamKey(stream, 2)));
      REQUIRE(first);
      REQUIRE(second);
      std::string a(*first), b(*second);
      REQUIRE(txn.Put(txn.dbis().stream, engine::StreamKey(stream, 1), b).ok());
      REQUIRE(txn.Put(txn.dbis().stream, engine::StreamKey(stream, 2), a).ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r,
                      "record 2, an INSERT of item {\"pk\":{\"S\":\"p1\"},\"sk\":{\"S\":\"a\"}}, "
                      "follows record 1, a MODIFY"),
                  Lines(r));
    CHECK_MESSAGE(Has(r,
                      "record 1 is a MODIFY, but the recovery log's record 1 says the item wasn't "
                      "there before"),
                  Lines(r));
  }
  SUBCASE("a record numbered past the table's last sequence") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      const uint32_t stream = t.streams.at(0).number;
      auto last = Must(txn.Get(txn.dbis().stream, engine::StreamKey(stream, 11)));
      REQUIRE(last);
      std::string value(*last);
      REQUIRE(Must(txn.Del(txn.dbis().stream, engine::StreamKey(stream, 11))));
      REQUIRE(txn.Put(txn.dbis().stream, engine::StreamKey(stream, 40), value).ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "record 40 is numbered after the table's last issued sequence, 11"),
                  Lines(r));
  }
  SUBCASE("a record that doesn't decode, and a lost one") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      const uint32_t stream = t.streams.at(0).number;
      REQUIRE(txn.Put(txn.dbis().stream, engine::StreamKey(stream, 3), "\xF2\x09").ok());
      REQUIRE(Must(txn.Del(txn.dbis().stream, engine::StreamKey(stream, 11))));  // p4/a's INSERT
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, ": record 3 does not decode"), Lines(r));
    // The stream's last record of an item says what the table has: p4/a's record is gone, so
    // nothing is compared for it; p1/a's last one (2) still agrees.
    CHECK(r.problems.size() == 1);
  }
  SUBCASE("a record whose image isn't the table's item") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      REQUIRE(storage::PutEntry(txn, txn.dbis().data,
                                engine::TableKey(t, Chat("p4", "a", "", 0, "")),
                                storage::EncodeItem(Chat("p4", "a", "", 8, "edited")))
                  .ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r,
                      "the table's item {\"pk\":{\"S\":\"p4\"},\"sk\":{\"S\":\"a\"}} is not the "
                      "new image of its last record, 11"),
                  Lines(r));
  }
  SUBCASE("a recovery-log record that doesn't decode") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      REQUIRE(txn.Put(txn.dbis().stream, engine::StreamKey(t.recovery_log, 5),
                      std::string("12345678\x07", 9))
                  .ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "table chats recovery log: record 5 does not decode"), Lines(r));
  }
  SUBCASE("records under a stream number nothing has") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta& t) {
      auto [key, value] =
          FirstEntry(txn, txn.dbis().stream, engine::StreamPrefix(t.streams.at(0).number));
      REQUIRE(txn.Put(txn.dbis().stream, engine::StreamKey(4242, 1), value).ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r,
                      "streams: 1 record under stream number 4242, which no table (in the catalog "
                      "or deleted) has"),
                  Lines(r));
  }
}

TEST_CASE("check: damage to a backup") {
  Store store;
  SUBCASE("an item of its copy deleted") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta&) {
      auto [key, value] =
          FirstEntry(txn, txn.dbis().meta, std::string(engine::kBackupRecordPrefix));
      auto b = engine::ParseBackupRecord(value);
      REQUIRE(b);
      DeleteFirst(txn, txn.dbis().data, storage::KeyspacePrefix(b->number, 0));
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "backup nightly"), Lines(r));
    CHECK_MESSAGE(Has(r, "of table chats: ItemCount is 6, 5 items are stored"), Lines(r));
    CHECK_MESSAGE(Has(r, "of table chats index by-user: stale entry"), Lines(r));
  }
  SUBCASE("its record damaged") {
    store.Damage([](storage::WriteTxn& txn, const engine::TableMeta&) {
      auto [key, value] =
          FirstEntry(txn, txn.dbis().meta, std::string(engine::kBackupRecordPrefix));
      REQUIRE(txn.Put(txn.dbis().meta, key, value.substr(0, value.size() / 2)).ok());
    });
    CheckReport r = store.Check();
    CHECK_MESSAGE(Has(r, "its record does not parse"), Lines(r));
    // Its copy now belongs to nothing.
    CHECK_MESSAGE(Has(r, "which no table, index or backup has"), Lines(r));
  }
}

TEST_CASE("check: what it can't check is an error, and it writes nothing") {
  std::string missing = (std::filesystem::temp_directory_path() / "ld_check_missing").string();
  std::filesystem::remove_all(missing);
  auto r = CheckDatabase(missing);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("no database in") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(missing));

  Store store;
  SUBCASE("a directory this process has open is read in a snapshot") {
    auto db = store.Open();
    CheckReport report = Must(CheckDatabase(store.dir));
    CHECK_MESSAGE(report.ok(), Lines(report));
    CHECK(report.items == 9);
  }
  SUBCASE("a directory another process has open is refused") {
    int ready[2], done[2];
    REQUIRE(pipe(ready) == 0);
    REQUIRE(pipe(done) == 0);
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      close(ready[0]);
      close(done[1]);
      auto db = Database::Open(store.dir);
      char c = db.ok() ? 'y' : 'n';
      if (write(ready[1], &c, 1) != 1) _exit(2);
      if (read(done[0], &c, 1) < 0) _exit(3);  // until the parent is done (or gone)
      _exit(0);
    }
    close(ready[1]);
    close(done[0]);
    char c = 0;
    REQUIRE(read(ready[0], &c, 1) == 1);
    REQUIRE(c == 'y');
    auto refused = CheckDatabase(store.dir);
    close(done[1]);
    int status;
    waitpid(child, &status, 0);
    close(ready[0]);
    REQUIRE_FALSE(refused.ok());
    CHECK_MESSAGE(refused.error().message.find("in use by process") != std::string::npos,
                  refused.error().message);
    CHECK(Must(CheckDatabase(store.dir)).ok());
  }
}

TEST_CASE("check: an item kept out of a new GSI by its attribute's type, then deleted or updated") {
  // Items written before a GSI exists may hold its key attribute with another type: backfill
  // leaves them out, and writing them later must not count index entries they never had.
  Store store;
  {
    auto db = store.Open();
    Put(*db, "plain", Item{{"id", S("two")}, {"score", S("high")}});
    Put(*db, "plain", Item{{"id", S("three")}, {"score", S("low")}});
    UpdateTableRequest u;
    u.table_name = "plain";
    u.attribute_definitions = std::vector<AttributeDefinition>{{"id", ScalarAttributeType::kS},
                                                               {"score", ScalarAttributeType::kN}};
    GlobalSecondaryIndexUpdate add;
    add.create = GlobalSecondaryIndex{};
    add.create->index_name = "by-score";
    add.create->key_schema = {{"score", KeyType::kHash}};
    add.create->projection.projection_type = ProjectionType::kAll;
    u.global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{add};
    Must(db->UpdateTable(u));
    DeleteItemRequest d;
    d.table_name = "plain";
    d.key = {{"id", S("two")}};
    Must(db->DeleteItem(d));
    UpdateItemRequest up;
    up.table_name = "plain";
    up.key = {{"id", S("three")}};
    up.update_expression = "SET score = :n";
    up.expression_attribute_values = ValueMap{{":n", N("3")}};
    Must(db->UpdateItem(up));
  }
  CheckReport r = store.Check();
  CHECK_MESSAGE(r.ok(), Lines(r));
}
