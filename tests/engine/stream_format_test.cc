// Stores written by earlier releases are still read: format-1 stream records (every field
// stored) and format-2 table statistics (without the table's stream sequence).

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "engine/streams/stream_store.h"
#include "storage/lmdb.h"
#include "storage/item_codec.h"
#include "storage/layout.h"
#include "support/fixtures.h"

using namespace ld_test;
using namespace localdynamo::engine;

namespace {

void Field(std::string* out, std::string_view s) {
  localdynamo::storage::AppendVarint(out, s.size());
  out->append(s);
}

}  // namespace

TEST_CASE("a format-1 stream record decodes as before") {
  Item keys = {{"pk", S("MSG#g1")}, {"sk", S("2023")}};
  Item image = keys;
  image["message"] = S("hello");
  std::string v;
  Field(&v, "0123456789abcdef0123456789abcdef");
  Field(&v, "MODIFY");
  Field(&v, "us-east-1");
  localdynamo::storage::AppendVarint(&v, 1679306400000);
  Field(&v, "100000000000000000042");
  localdynamo::storage::AppendVarint(&v, 57);
  v.push_back(static_cast<char>(StreamViewType::kNewImage));
  v.push_back(1);  // new image only
  Field(&v, localdynamo::storage::EncodeItem(keys));
  Field(&v, localdynamo::storage::EncodeItem(image));
  Field(&v, "cruddur-messages");
  Field(&v, "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages/stream/x");

  TableMeta table;
  table.name = "other";
  StreamMeta stream;
  stream.arn = "other-arn";
  StreamRecord r;
  REQUIRE(DecodeStreamRecord(42, v, {table, stream, "eu-west-1"}, &r));
  CHECK(r.event_id == "0123456789abcdef0123456789abcdef");
  CHECK(r.event_name == "MODIFY");
  CHECK(r.aws_region == "us-east-1");
  CHECK(r.approximate_creation_date_time == 1679306400.0);
  CHECK(r.sequence_number == "100000000000000000042");
  CHECK(r.size_bytes == 57);
  CHECK(r.keys == keys);
  CHECK(r.new_image == image);
  CHECK_FALSE(r.old_image);
  CHECK(r.table_name == "cruddur-messages");
  CHECK(r.stream_arn == "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages/stream/x");
  CHECK(StreamRecordMillis(v) == 1679306400000);
  CHECK_FALSE(DecodeStreamRecord(42, v.substr(0, 20), {table, stream, "eu-west-1"}, &r));
}

TEST_CASE("a store is marked with its format; one from a newer release is refused") {
  std::string dir = (std::filesystem::temp_directory_path() / "ld_format_XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()));
  {
    auto db = Must(Database::Open(dir, Options{}));
    Must(db->CreateTable(CruddurMessagesSchema()));
  }
  {
    auto env = Must(localdynamo::storage::Env::Open(dir, localdynamo::storage::EnvOptions{}));
    auto txn = Must(localdynamo::storage::WriteTxn::Begin(env));
    CHECK(Must(txn.Get(txn.dbis().meta, "format")) == std::optional<std::string_view>("3"));
    Must(txn.Put(txn.dbis().meta, "format", "4"));
    Must(txn.Commit());
  }
  auto refused = Database::Open(dir, Options{});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        "the database in " + dir +
            " was written by a newer localdynamo (store format 4; this one reads up to 3)");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a format-2 store: its tables' stream sequences continue above the store-wide counter") {
  std::string dir = (std::filesystem::temp_directory_path() / "ld_format_XXXXXX").string();
  REQUIRE(mkdtemp(dir.data()));
  {
    auto db = Must(Database::Open(dir, Options{}));
    Must(db->CreateTable(CruddurMessagesSchema()));
    Put(*db, "cruddur-messages", MessageRow("g1", "2023-03-20T10:00:00", "one"));
  }
  // Rewrite what a format-2 release leaves: statistics entries only, the sequence counted
  // store-wide (here: 500 records issued).
  const std::string stats_key = "stats/" + localdynamo::storage::KeyspacePrefix(1, 0).substr(0, 4);
  {
    auto env = Must(localdynamo::storage::Env::Open(dir, localdynamo::storage::EnvOptions{}));
    auto txn = Must(localdynamo::storage::WriteTxn::Begin(env));
    std::string stats(*Must(txn.Get(txn.dbis().meta, stats_key)));
    REQUIRE(stats.size() == 8 + 17);
    CHECK(stats.substr(0, 8) == std::string("\x01\0\0\0\0\0\0\0", 8));  // one record issued
    Must(txn.Put(txn.dbis().meta, stats_key, stats.substr(8)));
    uint64_t issued = 500;
    Must(txn.Put(txn.dbis().meta, "counter/stream_sequence",
                 std::string(reinterpret_cast<char*>(&issued), 8)));
    Must(txn.Put(txn.dbis().meta, "format", "2"));
    Must(txn.Commit());
  }
  auto db = Must(Database::Open(dir, Options{}));
  std::vector<std::string> seen;
  Must(db->Subscribe("cruddur-messages",
                     [&](const StreamRecord& r) { seen.push_back(r.sequence_number); }));
  Put(*db, "cruddur-messages", MessageRow("g1", "2023-03-20T10:00:01", "two"));
  Put(*db, "cruddur-messages", MessageRow("g1", "2023-03-20T10:00:02", "three"));
  REQUIRE(seen.size() == 2);
  CHECK(ParseSequence(seen[0]) == 501u);
  CHECK(ParseSequence(seen[1]) == 502u);
  // The statistics carried over.
  CHECK(Must(db->DescribeTable({"cruddur-messages"})).table.item_count == 3);
  db.reset();
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "a format-2 record: its flags say which images it holds, and whether time to live deleted the "
    "item") {
  Item image = {{"pk", S("MSG#g1")}, {"sk", S("2023")}, {"message", S("hello")}};
  const std::string encoded = localdynamo::storage::EncodeItem(image);
  TableMeta table;
  table.name = "cruddur-messages";
  table.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  table.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kS}};
  table.key = ShapeOf(table.key_schema, table.attribute_definitions);
  StreamMeta stream;
  stream.arn = "arn";
  for (bool by_ttl : {false, true}) {
    std::string v;
    EncodeStreamRecord({StreamEvent::kRemove, 1679306400000, 40, StreamViewType::kOldImage, by_ttl},
                       RecordBytes{std::nullopt, encoded, std::nullopt}, &v);
    StreamRecord r;
    REQUIRE(DecodeStreamRecord(7, v, {table, stream, "us-east-1"}, &r));
    CHECK(r.event_name == "REMOVE");
    CHECK(r.old_image == image);
    CHECK(r.keys == Item{{"pk", S("MSG#g1")}, {"sk", S("2023")}});
    CHECK(r.user_identity.has_value() == by_ttl);
    if (by_ttl) CHECK(r.user_identity->principal_id == "dynamodb.amazonaws.com");
  }
}
