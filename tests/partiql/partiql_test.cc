// PartiQL: the statements DynamoDB accepts, what each one does, and DynamoDB's errors (texts as
// recorded against DynamoDB by conformance suites; DynamoDB Local's where nothing else was found).

#include <doctest/doctest.h>

#include <fmt/format.h>

#include "support/fixtures.h"
#include "support/token_db.h"

using namespace ld_test;

namespace {

struct Partiql {
  std::unique_ptr<Database> db = OpenTestDb();
  Partiql() {
    Must(db->CreateTable(CruddurMessagesSchema(/*with_stream=*/true)));
    for (int i = 1; i <= 5; ++i)
      Put(*db, "cruddur-messages",
          MessageRow("g1", fmt::format("2023-0{}", i), fmt::format("message {}", i)));
    Item group = GroupRow("andrew", "g1", "2023-05");
    Put(*db, "cruddur-messages", group);
  }
  Result<ExecuteStatementResponse> Run(std::string statement,
                                       std::vector<AttributeValue> parameters = {},
                                       std::optional<int64_t> limit = std::nullopt,
                                       std::optional<std::string> token = std::nullopt) {
    ExecuteStatementRequest r;
    r.statement = std::move(statement);
    if (!parameters.empty()) r.parameters = std::move(parameters);
    r.limit = limit;
    r.next_token = std::move(token);
    return db->ExecuteStatement(r);
  }
  std::vector<Item> Items(std::string statement, std::vector<AttributeValue> parameters = {}) {
    return Must(Run(std::move(statement), std::move(parameters))).items;
  }
  std::string Message(std::string statement, std::vector<AttributeValue> parameters = {}) {
    return MustFail(Run(std::move(statement), std::move(parameters))).message;
  }
  std::optional<Item> Get(const std::string& pk, const std::string& sk) {
    GetItemRequest g;
    g.table_name = "cruddur-messages";
    g.key = Item{{"pk", S(pk)}, {"sk", S(sk)}};
    return Must(db->GetItem(g)).item;
  }
};

std::vector<std::string> Sks(const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.at("sk").s());
  return out;
}

const std::string kMalformed = "Statement wasn't well formed, can't be processed: ";

}  // namespace

TEST_CASE(
    "SELECT with an equality on the partition key is a Query: sort key order, its conditions, "
    "ORDER BY") {
  Partiql p;
  CHECK(Sks(p.Items("SELECT * FROM \"cruddur-messages\" WHERE pk = 'MSG#g1'")) ==
        std::vector<std::string>{"2023-01", "2023-02", "2023-03", "2023-04", "2023-05"});
  CHECK(Sks(p.Items("select * from \"cruddur-messages\" where pk = 'MSG#g1' and sk between "
                    "'2023-02' and '2023-03'")) == std::vector<std::string>{"2023-02", "2023-03"});
  CHECK(Sks(p.Items("SELECT * FROM \"cruddur-messages\" WHERE pk = ? AND begins_with(sk, '2023') "
                    "ORDER BY sk DESC",
                    {S("MSG#g1")})) ==
        std::vector<std::string>{"2023-05", "2023-04", "2023-03", "2023-02", "2023-01"});
  // Other conditions filter what the key conditions read.
  CHECK(Sks(p.Items("SELECT * FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk > '2023-02' AND "
                    "message <> 'message 4'")) == std::vector<std::string>{"2023-03", "2023-05"});
  // The GSI, by "table"."index".
  auto rows = p.Items(
      "SELECT * FROM \"cruddur-messages\".\"message-group-sk-index\" WHERE message_group_uuid = "
      "'g1'");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].at("pk").s() == "GRP#andrew");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\".\"nope\" WHERE pk = 'x'") ==
        "The table does not have the specified index");
}

TEST_CASE(
    "IN, or equalities ORed, on the partition key: a Query per value, in the order ORDER BY asks") {
  Partiql p;
  for (int i = 1; i <= 3; ++i)
    Put(*p.db, "cruddur-messages",
        MessageRow("g0", fmt::format("2023-0{}", i), fmt::format("early {}", i)));
  auto pks = [](const std::vector<Item>& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.at("pk").s() + " " + i.at("sk").s());
    return out;
  };
  CHECK(pks(p.Items("SELECT * FROM \"cruddur-messages\" WHERE pk IN ['MSG#g1', 'MSG#g0'] AND sk >= "
                    "'2023-03'")) == std::vector<std::string>{"MSG#g1 2023-03", "MSG#g1 2023-04",
                                                              "MSG#g1 2023-05", "MSG#g0 2023-03"});
  CHECK(pks(p.Items("SELECT * FROM \"cruddur-messages\" WHERE (pk = 'MSG#g1' OR pk = 'MSG#g0') AND "
                    "sk < '2023-02' "
                    "ORDER BY pk, sk")) ==
        std::vector<std::string>{"MSG#g0 2023-01", "MSG#g1 2023-01"});
  CHECK(
      pks(p.Items(
          "SELECT * FROM \"cruddur-messages\" WHERE pk IN ['MSG#g0', 'MSG#g1'] AND sk > '2023-03' "
          "ORDER BY pk DESC, sk DESC")) ==
      std::vector<std::string>{"MSG#g1 2023-05", "MSG#g1 2023-04"});
  CHECK(p.Message(
            "SELECT * FROM \"cruddur-messages\" WHERE pk IN ['MSG#g0', 'MSG#g1'] ORDER BY sk") ==
        "Must have hash key in ORDER BY clause when more than one hash key condition specified in "
        "WHERE clause.");
  // Pages run across the partitions: Limit counts the items read in all of them.
  const std::string both =
      "SELECT * FROM \"cruddur-messages\" WHERE pk IN ['MSG#g0', 'MSG#g1'] ORDER BY pk";
  std::vector<std::string> seen;
  std::optional<std::string> token;
  int pages = 0;
  do {
    auto page = Must(p.Run(both, {}, 3, token));
    CHECK(page.items.size() <= 3);
    for (const auto& k : pks(page.items)) seen.push_back(k);
    token = page.next_token;
  } while (token && ++pages < 10);
  CHECK(seen.size() == 8);
  CHECK(seen.front() == "MSG#g0 2023-01");
  CHECK(seen.back() == "MSG#g1 2023-05");
}

TEST_CASE("a SELECT list can't ask a global secondary index for attributes it doesn't project") {
  auto db = OpenTestDb();
  auto schema = CruddurMessagesSchema();
  (*schema.global_secondary_indexes)[0].projection =
      Projection{ProjectionType::kInclude, {"message"}};
  Must(db->CreateTable(schema));
  Put(*db, "cruddur-messages", GroupRow("andrew", "g1", "2023-05"));
  ExecuteStatementRequest r;
  r.statement =
      "SELECT user_handle, message, sk, user_uuid.x FROM "
      "\"cruddur-messages\".\"message-group-sk-index\" "
      "WHERE message_group_uuid = 'g1'";
  CHECK(MustFail(db->ExecuteStatement(r)).message ==
        "One or more parameter values were invalid: Global secondary index message-group-sk-index "
        "does not project [user_handle, user_uuid]");
  r.statement =
      "SELECT message, sk FROM \"cruddur-messages\".\"message-group-sk-index\" WHERE "
      "message_group_uuid = 'g1'";
  CHECK(Must(db->ExecuteStatement(r)).items.size() == 1);
  r.statement =
      "SELECT * FROM \"cruddur-messages\".\"message-group-sk-index\" WHERE message_group_uuid = "
      "'g1'";
  auto all = Must(db->ExecuteStatement(r)).items;
  REQUIRE(all.size() == 1);
  CHECK(!all[0].contains("user_handle"));  // what the index holds
}

TEST_CASE("SELECT without it scans the table, filtered") {
  Partiql p;
  CHECK(p.Items("SELECT * FROM \"cruddur-messages\"").size() == 6);
  CHECK(Sks(p.Items("SELECT * FROM \"cruddur-messages\" WHERE message IN ['message 2', 'message "
                    "5'] OR pk = 'nobody'")) == std::vector<std::string>{"2023-02", "2023-05"});
  CHECK(p.Items("SELECT * FROM \"cruddur-messages\" WHERE attribute_exists(message_group_uuid)")
            .size() == 1);
  CHECK(p.Items("SELECT * FROM \"cruddur-messages\" WHERE message_group_uuid IS MISSING").size() ==
        5);
  CHECK(
      p.Items("SELECT * FROM \"cruddur-messages\" WHERE message IS STRING AND NOT (sk < '2023-05')")
          .size() == 2);
}

TEST_CASE("projections are keyed by the path's last name; a missing attribute leaves it out") {
  Partiql p;
  Put(*p.db, "cruddur-messages",
      Item{{"pk", S("doc")},
           {"sk", S("1")},
           {"m", AttributeValue::M(Item{{"nested", S("deep")}})},
           {"l", AttributeValue::L({S("a"), S("b")})}});
  auto items =
      p.Items("SELECT m.nested, l[1], pk, absent FROM \"cruddur-messages\" WHERE pk = 'doc'");
  REQUIRE(items.size() == 1);
  CHECK(items[0] == Item{{"nested", S("deep")}, {"l[1]", S("b")}, {"pk", S("doc")}});
  CHECK(p.Items("SELECT absent FROM \"cruddur-messages\" WHERE pk = 'doc'") ==
        std::vector<Item>{Item{}});
  CHECK(p.Message("SELECT a.z, b.z FROM \"cruddur-messages\"") ==
        "Duplicate identifiers in select clause: z");
}

TEST_CASE("Limit and NextToken page through the results; a token belongs to its statement") {
  Partiql p;
  const std::string all = "SELECT * FROM \"cruddur-messages\" WHERE pk = 'MSG#g1'";
  std::vector<std::string> seen;
  std::optional<std::string> token;
  int pages = 0;
  do {
    auto page = Must(p.Run(all, {}, 2, token));
    for (const auto& sk : Sks(page.items)) seen.push_back(sk);
    token = page.next_token;
    ++pages;
  } while (token && pages < 10);
  CHECK(seen == std::vector<std::string>{"2023-01", "2023-02", "2023-03", "2023-04", "2023-05"});
  const std::string first = *Must(p.Run(all, {}, 2)).next_token;
  CHECK(MustFail(p.Run("SELECT * FROM \"cruddur-messages\"", {}, 2, first)).message ==
        "NextToken does not match request");
  CHECK(MustFail(p.Run(all, {}, 2, std::string("zz"))).message == "Invalid NextToken");
  CHECK(MustFail(p.Run(all, {}, 0)).message ==
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member "
        "must have value greater than or equal to 1");
}

TEST_CASE("ORDER BY needs a partition key equality and names key attributes only") {
  Partiql p;
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" ORDER BY sk") ==
        "Must have WHERE clause in the statement when using ORDER BY clause.");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE sk > 'a' ORDER BY sk") ==
        "Must have at least one non-optional hash key condition in WHERE clause when using ORDER "
        "BY clause.");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE pk = 'x' ORDER BY message") ==
        "Variable reference [message] in ORDER BY clause must be part of the primary key");
}

TEST_CASE("INSERT adds a new item and refuses one that exists") {
  Partiql p;
  CHECK(Must(p.Run("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'MSG#g2', 'sk': ?, 'n': 1.5e1, "
                   "'tags': <<'a', 'b'>>, "
                   "'doc': {'it''s': [1, true, null]}}",
                   {S("2023-07")}))
            .items.empty());
  auto item = p.Get("MSG#g2", "2023-07");
  REQUIRE(item);
  CHECK(item->at("n") == N("15"));
  CHECK(item->at("tags") == AttributeValue::SS({"a", "b"}));
  CHECK(item->at("doc") ==
        AttributeValue::M(Item{{"it's", AttributeValue::L({N("1"), AttributeValue::Bool(true),
                                                           AttributeValue::MakeNull()})}}));
  Error dup =
      MustFail(p.Run("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'MSG#g2', 'sk': '2023-07'}"));
  CHECK(dup.code == ErrorCode::kDuplicateItem);
  CHECK(dup.message == "Duplicate primary key exists in table");
  CHECK(ErrorCodeName(ErrorCode::kDuplicateItem) == "DuplicateItemException");
  CHECK(p.Message("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'x'}") ==
        "Key attribute should be present in the item: Key sk");
}

TEST_CASE(
    "UPDATE changes the one item its whole key names, under its other conditions, and creates "
    "none") {
  Partiql p;
  const std::string table = "UPDATE \"cruddur-messages\" ";
  Must(p.Run(table +
             "SET n = 1 SET tags = <<'a'>>, l = [1] WHERE pk = 'MSG#g1' AND sk = '2023-01'"));
  Must(p.Run(
      table +
      "SET n = n + 2 SET tags = set_add(tags, <<'b'>>) SET l = list_append(l, [2]) REMOVE message "
      "WHERE pk = 'MSG#g1' AND sk = '2023-01'"));
  auto item = *p.Get("MSG#g1", "2023-01");
  CHECK(item.at("n") == N("3"));
  CHECK(item.at("tags") == AttributeValue::SS({"a", "b"}));
  CHECK(item.at("l") == AttributeValue::L({N("1"), N("2")}));
  CHECK(!item.contains("message"));
  Must(
      p.Run(table + "SET tags = set_delete(tags, <<'a'>>) WHERE pk = 'MSG#g1' AND sk = '2023-01'"));
  CHECK(p.Get("MSG#g1", "2023-01")->at("tags") == AttributeValue::SS({"b"}));

  auto returned =
      Must(p.Run(table +
                 "SET n = 10 WHERE pk = 'MSG#g1' AND sk = '2023-01' RETURNING MODIFIED OLD *"))
          .items;
  CHECK(returned == std::vector<Item>{Item{{"n", N("3")}}});
  returned =
      Must(p.Run(table + "SET n = 11 WHERE pk = 'MSG#g1' AND sk = '2023-01' RETURNING ALL NEW *"))
          .items;
  REQUIRE(returned.size() == 1);
  CHECK(returned[0].at("n") == N("11"));
  CHECK(returned[0].at("pk") == S("MSG#g1"));

  // MODIFIED: only what changed, nested leaves inside their maps, no key.
  Must(p.Run(table + "SET m = {'k': 1, 'other': 2} WHERE pk = 'MSG#g1' AND sk = '2023-01'"));
  returned =
      Must(p.Run(table +
                 "SET m.k = 5 WHERE pk = 'MSG#g1' AND sk = '2023-01' RETURNING MODIFIED NEW *"))
          .items;
  CHECK(returned == std::vector<Item>{Item{{"m", AttributeValue::M(Item{{"k", N("5")}})}}});

  // The same UPDATE written FROM first.
  returned = Must(p.Run("FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = '2023-01' SET n = "
                        "12 REMOVE m "
                        "RETURNING ALL NEW *"))
                 .items;
  REQUIRE(returned.size() == 1);
  CHECK((returned[0].at("n") == N("12") && !returned[0].contains("m")));
  CHECK(MustFail(p.Run("FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = 'none' SET n = 1"))
            .code == ErrorCode::kConditionalCheckFailed);

  Error missing = MustFail(p.Run(table + "SET n = 1 WHERE pk = 'MSG#g1' AND sk = 'none'"));
  CHECK(missing.code == ErrorCode::kConditionalCheckFailed);
  CHECK(missing.message == "The conditional request failed");
  CHECK(!p.Get("MSG#g1", "none"));
  CHECK(MustFail(p.Run(table + "SET n = 1 WHERE pk = 'MSG#g1' AND sk = '2023-01' AND n > 100"))
            .code == ErrorCode::kConditionalCheckFailed);
  CHECK(p.Get("MSG#g1", "2023-01")->at("n") == N("12"));

  CHECK(p.Message(table + "SET n = 1 WHERE pk = 'MSG#g1'") ==
        "Where clause does not contain a mandatory equality on all key attributes");
  CHECK(p.Message(table + "SET n = 1 WHERE pk = 'MSG#g1' OR sk = 'x'") ==
        "Where clause does not contain a mandatory equality on all key attributes");
  CHECK(p.Message(table + "SET n = 1 WHERE pk = 'a' AND pk = 'b' AND sk = 'c'") ==
        "Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported");
  CHECK(p.Message(table + "SET n = set_add(m, <<'a'>>) WHERE pk = 'a' AND sk = 'b'") ==
        "The first argument to SET_ADD must equal the assignment value");
}

TEST_CASE("DELETE removes the item its key names; deleting nothing is no failure") {
  Partiql p;
  auto old = Must(p.Run("DELETE FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = '2023-01' "
                        "RETURNING ALL OLD *"))
                 .items;
  REQUIRE(old.size() == 1);
  CHECK(old[0].at("message") == S("message 1"));
  CHECK(!p.Get("MSG#g1", "2023-01"));
  CHECK(Must(p.Run("DELETE FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = 'none' AND "
                   "message = 'x' RETURNING ALL OLD *"))
            .items.empty());
  CHECK(MustFail(p.Run("DELETE FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = '2023-02' "
                       "AND message = 'x'"))
            .code == ErrorCode::kConditionalCheckFailed);
  CHECK(p.Get("MSG#g1", "2023-02"));
  CHECK(p.Message("DELETE FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' RETURNING ALL NEW *") ==
        "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in "
        "DELETE statements.");
}

TEST_CASE("the grammar's errors, in DynamoDB's words") {
  Partiql p;
  CHECK(p.Message("SELEC * FROM t") == kMalformed + "Expected data manipulation");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE pk = 'a' )") ==
        kMalformed + "Unexpected token after expression");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" # x") == kMalformed);
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" /* open") == kMalformed);
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" AS m") == "Aliasing is not supported");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" LIMIT 1") == "Unsupported clause: LIMIT");
  CHECK(p.Message(
            "INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a', 'sk': 'b'} RETURNING ALL OLD *") ==
        "RETURNING is not supported in INSERT");
  CHECK(p.Message("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a', 'sk': 'b', 's': <<>>}") ==
        "Empty bags are not supported");
  CHECK(
      p.Message("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a', 'sk': 'b', 's': <<1, 'x'>>}") ==
      "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE x = MISSING") ==
        "MISSING must be compared using IS operator");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE pk = ?") ==
        "Number of parameters in request and statement don't match.");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE pk = ?", {S("a"), S("b")}) ==
        "Number of parameters in request and statement don't match.");
  CHECK(p.Message(
            "EXISTS(SELECT * FROM \"cruddur-messages\" WHERE pk = 'a' AND sk = 'b' AND n = 1)") ==
        "EXISTS can only be used in ExecuteTransaction write requests.");
  CHECK(MustFail(p.Run("")).message ==
        "1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member "
        "must have length greater than or equal to 1");
  ExecuteStatementRequest empty_parameters;
  empty_parameters.statement = "SELECT * FROM \"cruddur-messages\"";
  empty_parameters.parameters = std::vector<AttributeValue>{};
  CHECK(MustFail(p.db->ExecuteStatement(empty_parameters)).message ==
        "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  // A number that can't be stored says where it stands in its value.
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE n = 1e400") ==
        "Number overflow. Attempting to store a number with magnitude larger than supported range "
        "under root");
  CHECK(p.Message("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a', 'sk': 'b', 'x': 1e-400}") ==
        "Number underflow. Attempting to store a number with magnitude smaller than supported "
        "range under root.x");
  CHECK(p.Message("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a', 'sk': 'b', 'l': [1, "
                  "123456789012345678901234567890123456789]}") ==
        "Attempting to store more than 38 significant digits in a Number under root.l[1]");
  // The expressions PartiQL writes aren't named in its errors.
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE pk = 'x' AND message < ?",
                  {AttributeValue::Bool(true)}) ==
        "Incorrect operand type for operator or function; operator or function: <, operand type: "
        "BOOL");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE attribute_exists('x')") ==
        "Operator or function requires a document path; operator or function: attribute_exists");
  Error missing = MustFail(p.Run("SELECT * FROM nope"));
  CHECK(missing.code == ErrorCode::kResourceNotFound);
  CHECK(missing.message == "Requested resource not found");
  // Comments, lower case, a trailing semicolon, numbers in every form.
  CHECK(p.Items("select * -- all of them\n from \"cruddur-messages\" /* here */ where pk = "
                "'MSG#g1' and sk = '2023-01';")
            .size() == 1);
  Must(
      p.Run("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'n', 'sk': 'n', 'a': .73e1, 'b': "
            "-.73e1, 'c': 7.31E+6}"));
  auto n = *p.Get("n", "n");
  CHECK((n.at("a") == N("7.3") && n.at("b") == N("-7.3") && n.at("c") == N("7310000")));
}

TEST_CASE("nesting is bounded: no statement exhausts the stack") {
  Partiql p;
  auto repeat = [](std::string_view s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
  };
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE " + repeat("(", 3000) + "a = 1" +
                  repeat(")", 3000)) == kMalformed);
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE " + repeat("NOT ", 2000) + "a = 1") ==
        kMalformed);
  CHECK(p.Message("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a', 'sk': 'b', 'l': " +
                  repeat("[", 4000) + repeat("]", 4000) + "}") ==
        "Nesting Levels have exceeded supported limits");
  CHECK(p.Message("SELECT * FROM \"cruddur-messages\" WHERE size(" + repeat("size(", 1000) + "a" +
                  repeat(")", 1001) + " > 1") == kMalformed);
  // Within the bounds, as deep as DynamoDB's items go.
  Must(p.Run("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'a', 'sk': 'b', 'l': " +
             repeat("[", 31) + repeat("]", 31) + "}"));
  CHECK(p.Items("SELECT * FROM \"cruddur-messages\" WHERE " + repeat("(", 20) + "pk = 'a'" +
                repeat(")", 20))
            .size() == 1);
}

TEST_CASE("writes through PartiQL are ordinary writes: stream records, indexes") {
  Partiql p;
  std::vector<std::string> events;
  Must(p.db->Subscribe("cruddur-messages",
                       [&](const StreamRecord& r) { events.push_back(r.event_name); }));
  Must(
      p.Run("INSERT INTO \"cruddur-messages\" VALUE {'pk': 'GRP#bayko', 'sk': '1', "
            "'message_group_uuid': 'g1'}"));
  Must(p.Run("UPDATE \"cruddur-messages\" SET message = 'x' WHERE pk = 'GRP#bayko' AND sk = '1'"));
  Must(p.Run("DELETE FROM \"cruddur-messages\" WHERE pk = 'GRP#andrew' AND sk = '2023-05'"));
  CHECK(events == std::vector<std::string>{"INSERT", "MODIFY", "REMOVE"});
  auto via_index = p.Items(
      "SELECT pk FROM \"cruddur-messages\".\"message-group-sk-index\" WHERE message_group_uuid = "
      "'g1'");
  CHECK(via_index == std::vector<Item>{Item{{"pk", S("GRP#bayko")}}});
}

TEST_CASE("ExecuteTransaction: all writes at once or none, or reads from one snapshot") {
  Partiql p;
  auto tx = [&](std::vector<std::string> statements) {
    ExecuteTransactionRequest r;
    for (auto& s : statements) r.transact_statements.push_back({s, std::nullopt, std::nullopt});
    return p.db->ExecuteTransaction(r);
  };
  CHECK(Must(tx({"INSERT INTO \"cruddur-messages\" VALUE {'pk': 'GRP#a', 'sk': '1'}",
                 "UPDATE \"cruddur-messages\" SET n = 1 WHERE pk = 'MSG#g1' AND sk = '2023-01'"}))
            .responses.empty());
  CHECK(p.Get("GRP#a", "1"));
  Error e =
      MustFail(tx({"UPDATE \"cruddur-messages\" SET n = 2 WHERE pk = 'MSG#g1' AND sk = '2023-01'",
                   "INSERT INTO \"cruddur-messages\" VALUE {'pk': 'GRP#a', 'sk': '1'}",
                   "EXISTS(SELECT * FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = "
                   "'2023-02' AND message = 'message 2')"}));
  CHECK(e.code == ErrorCode::kTransactionCanceled);
  CHECK(e.message ==
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, "
        "DuplicateItem, None]");
  REQUIRE(e.cancellation_reasons.size() == 3);
  CHECK(e.cancellation_reasons[1].message == "Duplicate primary key exists in table");
  CHECK(p.Get("MSG#g1", "2023-01")->at("n") == N("1"));  // nothing written

  auto reads =
      Must(tx({"SELECT message FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = '2023-02'",
               "SELECT * FROM \"cruddur-messages\" WHERE pk = 'none' AND sk = 'none'"}))
          .responses;
  REQUIRE(reads.size() == 2);
  CHECK(reads[0].item == Item{{"message", S("message 2")}});
  CHECK(!reads[1].item);

  CHECK(MustFail(tx({"SELECT * FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = '2023-02'",
                     "DELETE FROM \"cruddur-messages\" WHERE pk = 'GRP#a' AND sk = '1'"}))
            .message ==
        "ExecuteTransaction API does not support both read and write operations in the same "
        "request.");
  CHECK(MustFail(tx({"SELECT * FROM \"cruddur-messages\" WHERE pk = 'MSG#g1'"})).message ==
        "Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction "
        "must specify the primary key in the where clause.");
  CHECK(
      MustFail(
          tx({"EXISTS(SELECT * FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = '2023-02')"}))
          .message ==
      "Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with "
      "additional condition");
}

TEST_CASE(
    "BatchExecuteStatement: each statement's answer in its place; reads by whole key; no mixing or "
    "repeats") {
  Partiql p;
  auto batch = [&](std::vector<std::string> statements) {
    BatchExecuteStatementRequest r;
    for (auto& s : statements)
      r.statements.push_back({s, std::nullopt, std::nullopt, std::nullopt});
    return p.db->BatchExecuteStatement(r);
  };
  auto reads =
      Must(batch({"SELECT message FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = '2023-02'",
                  "SELECT * FROM \"cruddur-messages\" WHERE pk = 'MSG#g1'",
                  "SELECT * FROM \"cruddur-messages\" WHERE pk = 'none' AND sk = 'none'", "SELEC"}))
          .responses;
  REQUIRE(reads.size() == 4);
  CHECK(reads[0].table_name == "cruddur-messages");
  CHECK(reads[0].item == Item{{"message", S("message 2")}});
  CHECK(reads[1].error->code == "ValidationError");
  CHECK(reads[1].error->message ==
        "Select statements within BatchExecuteStatement must specify the primary key in the where "
        "clause.");
  CHECK(!reads[1].table_name);
  CHECK((reads[2].table_name == "cruddur-messages" && !reads[2].item && !reads[2].error));
  CHECK(reads[3].error->message == kMalformed + "Expected data manipulation");

  auto writes =
      Must(batch({"INSERT INTO \"cruddur-messages\" VALUE {'pk': 'MSG#g1', 'sk': '2023-01'}",
                  "INSERT INTO \"cruddur-messages\" VALUE {'pk': 'new', 'sk': '1'}",
                  "UPDATE \"cruddur-messages\" SET n = 1 WHERE pk = 'nobody' AND sk = '1'"}))
          .responses;
  REQUIRE(writes.size() == 3);
  CHECK((writes[0].error->code == "DuplicateItem" && writes[0].table_name == "cruddur-messages"));
  CHECK((!writes[1].error && p.Get("new", "1")));
  CHECK(writes[2].error->code == "ConditionalCheckFailed");

  CHECK(MustFail(batch({"SELECT * FROM \"cruddur-messages\" WHERE pk = 'a' AND sk = 'b'",
                        "DELETE FROM \"cruddur-messages\" WHERE pk = 'a' AND sk = 'b'"}))
            .message == "Read and write requests together in the same batch is not supported.");
  CHECK(MustFail(batch({"DELETE FROM \"cruddur-messages\" WHERE pk = 'a' AND sk = 'b'",
                        "UPDATE \"cruddur-messages\" SET n = 1 WHERE sk = 'b' AND pk = 'a'"}))
            .message == "Provided list of item keys contains duplicates");
  CHECK(MustFail(batch({})).message ==
        "1 validation error detected: Value '[...]' at 'statements' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
}

TEST_CASE("consumed capacity: a SELECT's is its Queries' together; a batch's one entry per table") {
  Partiql p;
  auto query_units = [&](const std::string& pk) {
    QueryRequest q;
    q.table_name = "cruddur-messages";
    q.key_condition_expression = "pk = :pk";
    q.expression_attribute_values = ValueMap{{":pk", S(pk)}};
    q.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
    return Must(p.db->Query(q)).consumed_capacity->capacity_units;
  };
  ExecuteStatementRequest r;
  r.statement = "SELECT * FROM \"cruddur-messages\" WHERE pk IN ['MSG#g1', 'GRP#andrew']";
  r.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  auto select = Must(p.db->ExecuteStatement(r));
  REQUIRE(select.consumed_capacity);
  CHECK(select.consumed_capacity->table_name == "cruddur-messages");
  CHECK(select.consumed_capacity->capacity_units ==
        query_units("MSG#g1") + query_units("GRP#andrew"));

  BatchExecuteStatementRequest b;
  b.return_consumed_capacity = ReturnConsumedCapacity::kTotal;
  for (const char* sk : {"2023-01", "2023-02"})
    b.statements.push_back(
        {fmt::format("SELECT * FROM \"cruddur-messages\" WHERE pk = 'MSG#g1' AND sk = '{}'", sk),
         std::nullopt, std::nullopt, std::nullopt});
  auto batch = Must(p.db->BatchExecuteStatement(b));
  REQUIRE(batch.consumed_capacity);
  REQUIRE(batch.consumed_capacity->size() == 1);
  CHECK((*batch.consumed_capacity)[0].capacity_units ==
        1.0);  // two eventually consistent reads of under 4 KB
}

TEST_CASE("ExecuteTransaction's ClientRequestToken outlives a reopen too") {
  TokenDb t;
  ExecuteTransactionRequest r;
  r.transact_statements = {
      {"UPDATE counters SET c = c + ? WHERE id = 'a'", std::vector{N("1")}, std::nullopt}};
  r.client_request_token = "statement-token";
  Must(t.db->ExecuteTransaction(r));
  t.Reopen();
  Must(t.db->ExecuteTransaction(r));
  CHECK(t.Counter() == N("1"));
  r.transact_statements[0].parameters = std::vector{N("3")};
  CHECK(MustFail(t.db->ExecuteTransaction(r)).code == ErrorCode::kIdempotentParameterMismatch);
}
