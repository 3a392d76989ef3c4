// TagResource / UntagResource / ListTagsOfResource and CreateTable's Tags: DynamoDB's rules,
// texts and order (see src/engine/control/tags.cc for where each was recorded).

#include <doctest/doctest.h>

#include <filesystem>

#include <fmt/format.h>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr const char* kArn = "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages";

struct Tagged {
  std::unique_ptr<Database> db = OpenTestDb();
  Tagged() { Must(db->CreateTable(CruddurMessagesSchema())); }
  std::vector<Tag> List(const std::string& arn = kArn) {
    return Must(db->ListTagsOfResource({arn, std::nullopt})).tags;
  }
  Error TagFails(std::vector<Tag> tags, const std::string& arn = kArn) {
    return MustFail(db->TagResource({arn, std::move(tags)}));
  }
};

std::vector<Tag> Numbered(int from, int to) {
  std::vector<Tag> tags;
  for (int i = from; i < to; ++i) tags.push_back({std::to_string(i), "v"});
  return tags;
}

}  // namespace

TEST_CASE(
    "a new table has no tags; tagging sets and overwrites, in the order keys were first set") {
  Tagged t;
  CHECK(t.List().empty());
  Must(t.db->TagResource({kArn, {{"env", "test"}, {"owner", "bayko"}}}));
  Must(t.db->TagResource({kArn, {{"team", "cruddur"}, {"env", "prod"}}}));
  CHECK(t.List() == std::vector<Tag>{{"env", "prod"}, {"owner", "bayko"}, {"team", "cruddur"}});
}

TEST_CASE("untagging removes the keys named; a key that isn't there is no error") {
  Tagged t;
  Must(t.db->TagResource({kArn, {{"env", "test"}, {"owner", "bayko"}}}));
  Must(t.db->UntagResource({kArn, {"env", "never-set"}}));
  CHECK(t.List() == std::vector<Tag>{{"owner", "bayko"}});
  Must(t.db->UntagResource({kArn, {"nothing-here"}}));
  CHECK(t.List() == std::vector<Tag>{{"owner", "bayko"}});
}

TEST_CASE("CreateTable's tags are the table's; [] is allowed there; bad tags create nothing") {
  auto db = OpenTestDb();
  auto schema = CruddurMessagesSchema();
  schema.tags = std::vector<Tag>{{"env", "test"}, {"empty", ""}};
  Must(db->CreateTable(schema));
  CHECK(Must(db->ListTagsOfResource({kArn, std::nullopt})).tags ==
        std::vector<Tag>{{"env", "test"}, {"empty", ""}});

  auto empty = CruddurMessagesSchema();
  empty.table_name = "no-tags";
  empty.tags = std::vector<Tag>{};
  Must(db->CreateTable(empty));

  auto bad = CruddurMessagesSchema();
  bad.table_name = "refused";
  bad.tags = Numbered(0, 51);
  CHECK(MustFail(db->CreateTable(bad)).message ==
        "Number of Tags exceed the current limit for the provided ResourceArn");
  bad.tags = std::vector<Tag>{{"aws:stack", "x"}};
  CHECK(MustFail(db->CreateTable(bad)).message ==
        "Tag Key cannot be prefixed with aws:, Key: aws:stack");
  CHECK(MustFail(db->DescribeTable({"refused"})).code == ErrorCode::kResourceNotFound);
}

TEST_CASE(
    "the ARN: missing, not an ARN, another service, an index, another account or region, no such "
    "table") {
  Tagged t;
  auto list_fails = [&](const std::string& arn) {
    return MustFail(t.db->ListTagsOfResource({arn, std::nullopt}));
  };
  CHECK(list_fails("").message == "Invalid TableArn");
  CHECK(list_fails("cruddur-messages").message ==
        "One or more parameter values were invalid: ARNs must start with 'arn:': cruddur-messages");
  Error denied = list_fails("arn:aws:s3:us-east-1:000000000000:bucket");
  CHECK(denied.code == ErrorCode::kAccessDenied);
  CHECK(denied.message == "Access is denied");
  CHECK(list_fails(std::string(kArn) + "/index/message-group-sk-index").message ==
        "One or more parameter values were invalid: Invalid resource arn provided, only table or "
        "stream is accepted. "
        "Provided resource arn: "
        "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages/index/"
        "message-group-sk-index");
  CHECK(list_fails(std::string(kArn) + "/backup/01679306400000-abcdef").message ==
        "One or more parameter values were invalid: Provided Arn is not a DynamoDB resource arn: "
        "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messages/backup/"
        "01679306400000-abcdef");
  CHECK(list_fails("arn:aws:dynamodb:us-east-1:123456789012:table/cruddur-messages").code ==
        ErrorCode::kAccessDenied);
  CHECK(list_fails("arn:aws:dynamodb:eu-west-1:000000000000:table/cruddur-messages").message ==
        "Invalid TableArn: Invalid ResourceArn provided as input "
        "arn:aws:dynamodb:eu-west-1:000000000000:table/cruddur-messages");
  CHECK(list_fails("arn:not/a/good/format").message ==
        "Invalid TableArn: Invalid ResourceArn provided as input arn:not/a/good/format");
  Error missing = list_fails(std::string(kArn) + "x");
  CHECK(missing.code == ErrorCode::kResourceNotFound);
  CHECK(missing.message ==
        "Requested resource not found: ResourceArn: "
        "arn:aws:dynamodb:us-east-1:000000000000:table/cruddur-messagesx not found");
}

TEST_CASE("a stream's ARN has its own tags, apart from its table's") {
  Tagged t;
  const std::string stream =
      *Must(t.db->DescribeTable({"cruddur-messages"})).table.latest_stream_arn;
  Must(t.db->TagResource({kArn, {{"env", "test"}}}));
  CHECK(t.List(stream).empty());
  Must(t.db->TagResource({stream, {{"consumer", "updater"}}}));
  CHECK(t.List(stream) == std::vector<Tag>{{"consumer", "updater"}});
  CHECK(t.List() == std::vector<Tag>{{"env", "test"}});
  CHECK(MustFail(t.db->ListTagsOfResource(
                     {std::string(kArn) + "/stream/2000-01-01T00:00:00.000", std::nullopt}))
            .code == ErrorCode::kResourceNotFound);
}

TEST_CASE(
    "keys and values: lengths in characters, DynamoDB's characters, the reserved prefix in any "
    "case") {
  Tagged t;
  CHECK(t.TagFails({}).message == "Atleast one Tag needs to be provided as Input.");
  CHECK(t.TagFails({{"", "v"}}).message == "The Tag Key provided is invalid, Key: ");
  CHECK(t.TagFails({{std::string(129, 'k'), "v"}}).message ==
        "The Tag Key provided is invalid, Key: " + std::string(129, 'k'));
  CHECK(t.TagFails({{"k", std::string(257, 'v')}}).message ==
        "The Tag Value provided is invalid, Value: " + std::string(257, 'v'));
  for (std::string bad :
       {"hi!", "d%g", "\"hello\"", "a#b", "x,y", "t\tab", "smile\xF0\x9F\x98\x80"}) {
    CAPTURE(bad);
    CHECK(t.TagFails({{bad, "v"}}).message == "The Tag Key provided is invalid, Key: " + bad);
    CHECK(t.TagFails({{"k", bad}}).message == "The Tag Value provided is invalid, Value: " + bad);
  }
  CHECK(t.TagFails({{"AWS:Stack", "v"}}).message ==
        "Tag Key cannot be prefixed with aws:, Key: AWS:Stack");
  CHECK(t.TagFails({{"a", "1"}, {"a", "2"}}).message ==
        "Duplicate Tag Keys provided as input: Duplicate Tag Key found a");
  CHECK(t.List().empty());  // all or nothing

  // Allowed: letters and numbers of any script, separators, + - = . _ : / @, empty values,
  // 128 characters of a two-byte script, "myaws:" (not the prefix).
  const std::string hebrew_128 = [] {
    std::string s;
    for (int i = 0; i < 128; ++i) s += "\xD7\x90";
    return s;
  }();
  std::vector<Tag> fine = {{"\xD0\xB7\xD0\xB0\xD0\xBA\xD0\xBE\xD0\xBD", "\xE6\x97\xA5\xE6\x9C\xAC"},
                           {"a b+c-d=e.f_g:h/i@j", "0 9"},
                           {"nbsp\xC2\xA0here", ""},
                           {hebrew_128, "v"},
                           {"myaws:x", std::string(256, 'v')}};
  Must(t.db->TagResource({kArn, fine}));
  CHECK(t.List() == fine);
}

TEST_CASE("at most 50 tags, counted after merging; the whole set at most 10240 bytes") {
  Tagged t;
  CHECK(t.TagFails(Numbered(0, 51)).message ==
        "Number of Tags exceed the current limit for the provided ResourceArn");
  Must(t.db->TagResource({kArn, Numbered(0, 30)}));
  Must(t.db->TagResource({kArn, Numbered(20, 50)}));  // 50 in all: overwriting 20..29 adds none
  CHECK(t.List().size() == 50);
  Must(t.db->TagResource({kArn, Numbered(0, 10)}));  // at the limit, overwriting is fine
  CHECK(t.TagFails({{"one-more", "v"}}).message ==
        "Number of Tags exceed the current limit for the provided ResourceArn");
  CHECK(t.List().size() == 50);

  Tagged big;
  std::vector<Tag> large;
  for (int i = 0; i < 40; ++i)
    large.push_back({fmt::format("{:0>128}", i), std::string(128, 'v')});  // 40 x 256 = 10240
  Must(big.db->TagResource({kArn, large}));
  CHECK(MustFail(big.db->TagResource({kArn, {{"k", "v"}}})).message ==
        "Tag set size 10242 bytes is above max size limit of 10240 bytes");
}

TEST_CASE("untagging: at least one key, at most 50, none with the reserved prefix") {
  Tagged t;
  CHECK(MustFail(t.db->UntagResource({kArn, {}})).message ==
        "Atleast one Tag Key needs to be provided as Input.");
  std::vector<std::string> keys;
  for (int i = 0; i < 51; ++i) keys.push_back(std::to_string(i));
  CHECK(MustFail(t.db->UntagResource({kArn, keys})).message ==
        "Number of Tags exceed the current limit for the provided ResourceArn");
  CHECK(MustFail(t.db->UntagResource({kArn, {"aws:x"}})).message ==
        "Tag Key cannot be prefixed with aws:, Key: aws:x");
}

TEST_CASE("the contents are checked before whether the table exists") {
  Tagged t;
  const std::string gone = "arn:aws:dynamodb:us-east-1:000000000000:table/gone";
  CHECK(t.TagFails({}, gone).message == "Atleast one Tag needs to be provided as Input.");
  CHECK(t.TagFails({{"a#", "v"}}, gone).message == "The Tag Key provided is invalid, Key: a#");
  CHECK(t.TagFails({{"a", "v"}}, gone).code == ErrorCode::kResourceNotFound);
}

TEST_CASE("tags go with a deleted table, and stay across a reopen") {
  const auto dir = std::filesystem::temp_directory_path() / "ld_tags_test";
  std::filesystem::remove_all(dir);
  {
    auto db = Must(Database::Open(dir.string()));
    Must(db->CreateTable(CruddurMessagesSchema()));
    Must(db->TagResource({kArn, {{"env", "test"}}}));
  }
  {
    auto db = Must(Database::Open(dir.string()));
    CHECK(Must(db->ListTagsOfResource({kArn, std::nullopt})).tags ==
          std::vector<Tag>{{"env", "test"}});
    Must(db->DeleteTable({"cruddur-messages"}));
    Must(db->CreateTable(CruddurMessagesSchema()));
    CHECK(Must(db->ListTagsOfResource({kArn, std::nullopt})).tags.empty());
  }
  std::filesystem::remove_all(dir);
}
