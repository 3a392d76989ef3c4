// Stream records written by earlier releases (format 1, every field stored) are still read.

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "engine/stream_store.h"
#include "storage/lmdb.h"
#include "storage/item_codec.h"
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
  REQUIRE(DecodeStreamRecord(StreamKey(1, 42), v, {table, stream, "eu-west-1"}, &r));
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
  CHECK_FALSE(DecodeStreamRecord(StreamKey(1, 42), v.substr(0, 20), {table, stream, "eu-west-1"}, &r));
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
    CHECK(Must(txn.Get(txn.dbis().meta, "format")) == std::optional<std::string_view>("2"));
    Must(txn.Put(txn.dbis().meta, "format", "3"));
    Must(txn.Commit());
  }
  auto refused = Database::Open(dir, Options{});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        "the database in " + dir + " was written by a newer localdynamo (store format 3; this one reads up to 2)");
  std::filesystem::remove_all(dir);
}
