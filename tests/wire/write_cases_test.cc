// The item writes of tests/wire/write_cases.json (request, item before, outcome), each run
// through every front door: the typed C++ calls, the JSON protocol, TransactWriteItems in both,
// and PartiQL. One write path (engine/write_op.h) serves them all, so they must agree.

#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "localdynamo/localdynamo.h"
#include "wire/codec.h"
#include "wire/dispatch.h"
#include "wire/json_parse.h"

namespace {

using localdynamo::CancellationCode;
using localdynamo::CancellationCodeName;
using localdynamo::Database;
using localdynamo::Error;
using localdynamo::ErrorCodeName;
using nlohmann::json;
namespace wire = localdynamo::wire;

json Cases() {
  std::ifstream in(LD_WRITE_CASES);
  REQUIRE(in.good());
  return json::parse(in)["cases"];
}

json Call(Database& db, std::string_view operation, const json& body) {
  auto r =
      wire::Dispatch(db, std::string("DynamoDB_20120810.") + std::string(operation), body.dump());
  json out = r.body.empty() ? json::object() : json::parse(r.body);
  out["status"] = r.http_status;
  return out;
}

// A fresh table "tbl" (string key "id", GSI "by_g" on the string "g") holding the case's old item.
std::unique_ptr<Database> Start(const json& c) {
  localdynamo::Options o;
  o.durability = localdynamo::Durability::kNoSync;
  auto db = std::move(Database::OpenInMemory(o)).value();
  json create = {{"TableName", "tbl"},
                 {"BillingMode", "PAY_PER_REQUEST"},
                 {"AttributeDefinitions",
                  {{{"AttributeName", "id"}, {"AttributeType", "S"}},
                   {{"AttributeName", "g"}, {"AttributeType", "S"}}}},
                 {"KeySchema", {{{"AttributeName", "id"}, {"KeyType", "HASH"}}}},
                 {"GlobalSecondaryIndexes",
                  {{{"IndexName", "by_g"},
                    {"KeySchema", {{{"AttributeName", "g"}, {"KeyType", "HASH"}}}},
                    {"Projection", {{"ProjectionType", "ALL"}}}}}}};
  REQUIRE(Call(*db, "CreateTable", create)["status"] == 200);
  if (c.contains("old"))
    REQUIRE(Call(*db, "PutItem", {{"TableName", "tbl"}, {"Item", c["old"]}})["status"] == 200);
  return db;
}

// What the table holds after the call: the outcome's item, or (after an error) the old one.
void CheckTable(Database& db, const json& c, const json& outcome) {
  json items = Call(db, "Scan", {{"TableName", "tbl"}})["Items"];
  json want = json::array();
  if (outcome.contains("item")) {
    if (!outcome["item"].is_null()) want.push_back(outcome["item"]);
  } else if (c.contains("old")) {
    want.push_back(c["old"]);
  }
  CHECK(items == want);
}

// The answer expected from a single-item call, as (exception, message); none for success.
struct Expected {
  std::optional<std::string> error;
  std::string message;
};
Expected Single(const json& outcome) {
  if (!outcome.contains("error")) return {};
  return {outcome["error"].get<std::string>(), outcome["message"].get<std::string>()};
}
// The same outcome in a transaction: a failed condition, a duplicate item and a validation
// error of the action's item are its cancellation reason; other validation errors refuse the
// request as they do a single call.
struct ExpectedInTransaction {
  std::optional<std::string> error;
  std::string message;
  std::optional<CancellationCode> reason;
};
ExpectedInTransaction InTransaction(const json& outcome) {
  Expected e = Single(outcome);
  if (!e.error) return {};
  if (*e.error == "ConditionalCheckFailedException")
    return {"TransactionCanceledException", e.message, CancellationCode::kConditionalCheckFailed};
  if (*e.error == "DuplicateItemException")
    return {"TransactionCanceledException", e.message, CancellationCode::kDuplicateItem};
  if (outcome.value("in_transaction", "") == "reason")
    return {"TransactionCanceledException", e.message, CancellationCode::kValidationError};
  return {e.error, e.message, std::nullopt};
}

void CheckJson(const json& answer, const Expected& want) {
  if (!want.error) {
    CHECK_MESSAGE(answer["status"] == 200, answer.dump());
    return;
  }
  CHECK(answer["status"] == 400);
  CHECK(answer.value("__type", "").ends_with("#" + *want.error));
  CHECK(answer.value("message", "") == want.message);
}

void CheckJson(const json& answer, const ExpectedInTransaction& want) {
  if (!want.reason) return CheckJson(answer, Expected{want.error, want.message});
  CHECK(answer["status"] == 400);
  CHECK(answer.value("__type", "").ends_with("#TransactionCanceledException"));
  REQUIRE(answer.contains("CancellationReasons"));
  CHECK(answer["CancellationReasons"][0]["Code"] == CancellationCodeName(*want.reason));
  CHECK(answer["CancellationReasons"][0].value("Message", "") == want.message);
  CHECK(answer.value("message", "") ==
        "Transaction cancelled, please refer cancellation reasons for specific reasons [" +
            std::string(CancellationCodeName(*want.reason)) + "]");
}

template <class T>
void CheckTyped(const localdynamo::Result<T>& answer, const ExpectedInTransaction& want) {
  if (!want.error) {
    CHECK_MESSAGE(answer.ok(), (answer.ok() ? "" : answer.error().ToString()));
    return;
  }
  REQUIRE(!answer.ok());
  const Error& e = answer.error();
  CHECK(ErrorCodeName(e.code) == *want.error);
  if (!want.reason) {
    CHECK(e.message == want.message);
    return;
  }
  REQUIRE(e.cancellation_reasons.size() == 1);
  CHECK(e.cancellation_reasons[0].code == *want.reason);
  CHECK(e.cancellation_reasons[0].message == want.message);
}

std::string KindOf(const json& action) { return action.begin().key(); }

}  // namespace

TEST_CASE("write cases: every front door gives each write's outcome") {
  for (const json& c : Cases()) {
    const std::string name = c["name"];
    const json& action = c["action"];
    const std::string kind = KindOf(action);
    const json& outcome = c["outcome"];
    const std::string single_op = kind == "Put"      ? "PutItem"
                                  : kind == "Delete" ? "DeleteItem"
                                  : kind == "Update" ? "UpdateItem"
                                                     : "";

    if (!single_op.empty()) {
      INFO(name, " (JSON ", single_op, ")");
      auto db = Start(c);
      CheckJson(Call(*db, single_op, action[kind]), Single(outcome));
      CheckTable(*db, c, outcome);
    }
    if (!single_op.empty()) {
      INFO(name, " (C++ ", single_op, ")");
      auto db = Start(c);
      const std::string body = action[kind].dump();
      wire::RequestDoc doc;
      REQUIRE(doc.Parse(body));
      Expected e = Single(outcome);
      ExpectedInTransaction want{e.error, e.message, std::nullopt};
      if (kind == "Put") CheckTyped(db->PutItem(wire::ParsePutItem(doc.root())), want);
      if (kind == "Delete") CheckTyped(db->DeleteItem(wire::ParseDeleteItem(doc.root())), want);
      if (kind == "Update") CheckTyped(db->UpdateItem(wire::ParseUpdateItem(doc.root())), want);
      CheckTable(*db, c, outcome);
    }
    {
      INFO(name, " (JSON TransactWriteItems)");
      auto db = Start(c);
      CheckJson(Call(*db, "TransactWriteItems", {{"TransactItems", {action}}}),
                InTransaction(outcome));
      CheckTable(*db, c, outcome);
    }
    {
      INFO(name, " (C++ TransactWriteItems)");
      auto db = Start(c);
      const std::string body = json{{"TransactItems", {action}}}.dump();
      wire::RequestDoc doc;
      REQUIRE(doc.Parse(body));
      CheckTyped(db->TransactWriteItems(wire::ParseTransactWriteItems(doc.root())),
                 InTransaction(outcome));
      CheckTable(*db, c, outcome);
    }
    if (c.contains("partiql")) {
      const std::string statement = c["partiql"]["statement"];
      const json& partiql_outcome =
          c["partiql"].contains("outcome") ? c["partiql"]["outcome"] : outcome;
      if (!statement.starts_with("EXISTS")) {
        INFO(name, " (ExecuteStatement: ", statement, ")");
        auto db = Start(c);
        CheckJson(Call(*db, "ExecuteStatement", {{"Statement", statement}}),
                  Single(partiql_outcome));
        CheckTable(*db, c, partiql_outcome);
      }
      {
        INFO(name, " (ExecuteTransaction: ", statement, ")");
        auto db = Start(c);
        CheckJson(
            Call(*db, "ExecuteTransaction", {{"TransactStatements", {{{"Statement", statement}}}}}),
            InTransaction(partiql_outcome));
        CheckTable(*db, c, partiql_outcome);
      }
    }
  }
}

// Each action's outcome is its own reason, in request order, and nothing is written.
TEST_CASE("a transaction cancelled by several actions lists each one's reason in its place") {
  json c = {{"old", {{"id", {{"S", "a"}}}, {"n", {{"S", "text"}}}}}};
  auto db = Start(c);
  json items = {
      {{"Put", {{"TableName", "tbl"}, {"Item", {{"id", {{"S", "new"}}}}}}}},
      {{"Update",
        {{"TableName", "tbl"},
         {"Key", {{"id", {{"S", "a"}}}}},
         {"UpdateExpression", "SET n = n + :one"},
         {"ExpressionAttributeValues", {{":one", {{"N", "1"}}}}}}}},
      {{"ConditionCheck",
        {{"TableName", "tbl"},
         {"Key", {{"id", {{"S", "b"}}}}},
         {"ConditionExpression", "attribute_exists(id)"}}}},
      {{"Delete", {{"TableName", "tbl"}, {"Key", {{"id", {{"N", "1"}}}}}}}},
  };
  json answer = Call(*db, "TransactWriteItems", {{"TransactItems", items}});
  CHECK(answer["message"] ==
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, "
        "ValidationError, ConditionalCheckFailed, ValidationError]");
  REQUIRE(answer["CancellationReasons"].size() == 4);
  CHECK(answer["CancellationReasons"][0] == json{{"Code", "None"}});
  CHECK(answer["CancellationReasons"][1]["Message"] ==
        "An operand in the update expression has an incorrect data type");
  CHECK(answer["CancellationReasons"][3]["Message"] ==
        "The provided key element does not match the schema");
  CheckTable(*db, c, json::object());
}

// The wire names the action a refusal is about by its place (1-based, as DynamoDB counts).
TEST_CASE("a transaction's missing member is named at its own index") {
  auto db = Start(json::object());
  json items = {
      {{"Put", {{"TableName", "tbl"}, {"Item", {{"id", {{"S", "a"}}}}}}}},
      {{"Put", {{"TableName", "tbl"}, {"Item", {{"id", {{"S", "b"}}}}}}}},
      {{"Update", {{"TableName", "tbl"}, {"Key", {{"id", {{"S", "c"}}}}}}}},
  };
  json answer = Call(*db, "TransactWriteItems", {{"TransactItems", items}});
  CHECK(answer["message"] ==
        "1 validation error detected: Value null at "
        "'transactItems.3.member.update.updateExpression' failed to satisfy "
        "constraint: Member must not be null");
  items[2] = {{"ConditionCheck", {{"TableName", "tbl"}, {"Key", {{"id", {{"S", "c"}}}}}}}};
  answer = Call(*db, "TransactWriteItems", {{"TransactItems", items}});
  CHECK(answer["message"] ==
        "1 validation error detected: Value null at "
        "'transactItems.3.member.conditionCheck.conditionExpression' failed "
        "to satisfy constraint: Member must not be null");
}

// DynamoDB checks every Get's key, and cancels with a ValidationError reason for each that does
// not match the schema (an empty key string included), rather than refusing the request.
TEST_CASE(
    "TransactGetItems: a key that does not match the schema is that Get's cancellation reason") {
  auto db = Start(json{{"old", {{"id", {{"S", "a"}}}}}});
  json gets = {
      {{"Get", {{"TableName", "tbl"}, {"Key", {{"id", {{"S", "a"}}}}}}}},
      {{"Get", {{"TableName", "tbl"}, {"Key", {{"id", {{"S", ""}}}}}}}},
      {{"Get", {{"TableName", "tbl"}, {"Key", {{"id", {{"N", "5"}}}}}}}},
  };
  json answer = Call(*db, "TransactGetItems", {{"TransactItems", gets}});
  CHECK(answer.value("__type", "").ends_with("#TransactionCanceledException"));
  CHECK(answer["message"] ==
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, "
        "ValidationError, ValidationError]");
  REQUIRE(answer["CancellationReasons"].size() == 3);
  CHECK(answer["CancellationReasons"][1]["Message"] ==
        "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
        "contain an empty string value. Key: id");
  CHECK(answer["CancellationReasons"][2]["Message"] ==
        "The provided key element does not match the schema");
  // A table that does not exist still refuses the request as a whole.
  gets[0]["Get"]["TableName"] = "nope";
  CHECK(Call(*db, "TransactGetItems", {{"TransactItems", gets}})
            .value("__type", "")
            .ends_with("#ResourceNotFoundException"));
}
