// Table-driven checks of the expression language: valid and invalid expressions with the
// exact result or DynamoDB's error text.
// Docs:
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
//       https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
//       https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html

#include <doctest/doctest.h>

#include <chrono>

#include "expr/expressions.h"

using namespace localdynamo;
using namespace localdynamo::expr;

namespace {

AttributeValue S(std::string s) { return AttributeValue::S(std::move(s)); }
AttributeValue N(const char* n) { return AttributeValue::N(*Number::Parse(n)); }

const Item kItem = {
    {"pk", S("MSG#g")},
    {"sk", S("2023-03-20T10:00")},
    {"message", S("Have you ever watched Babylon 5?")},
    {"count", N("3")},
    {"tags", AttributeValue::SS({"b5", "scifi"})},
    {"nums", AttributeValue::NS({*Number::Parse("1"), *Number::Parse("2")})},
    {"lst", AttributeValue::L({S("a"), N("7"), AttributeValue::M({{"deep", S("x")}})})},
    {"mp", AttributeValue::M({{"nested", AttributeValue::M({{"v", N("10")}})}, {"name", S("z")}})},
    {"flag", AttributeValue::Bool(true)},
    {"nothing", AttributeValue::MakeNull()},
};

const NameMap kNames = {{"#m", "message"}, {"#n", "name"}, {"#c", "count"}, {"#k", "pk"}};
const ValueMap kValues = {
    {":s", S("MSG#g")},
    {":b5", S("b5")},
    {":three", N("3")},
    {":two", N("2")},
    {":ten", N("10")},
    {":pre", S("Have")},
    {":type_s", S("S")},
    {":type_ss", S("SS")},
    {":x", S("x")},
    {":lst", AttributeValue::L({S("n")})},
    {":set", AttributeValue::SS({"new"})},
    {":bad_type", S("STRING")},
    {":year", S("2023")},
    {":lo", S("2023-01")},
    {":hi", S("2023-12")},
};

bool Eval(const std::string& text) {
  Context ctx(&kNames, &kValues);
  auto c = ParseCondition(text, ctx);
  REQUIRE_MESSAGE(c.ok(), (std::string(text) + " -> " + (c.ok() ? "" : c.error().message)));
  return Evaluate(*c, kItem);
}

std::string ConditionError(const std::string& text, std::string_view kind = "ConditionExpression") {
  Context ctx(&kNames, &kValues);
  auto c = ParseCondition(text, ctx, kind);
  REQUIRE_MESSAGE(!c.ok(), text);
  return c.error().message;
}

}  // namespace

TEST_CASE("conditions evaluate as DynamoDB does") {
  struct Case {
    const char* text;
    bool want;
  };
  const Case cases[] = {
      {"pk = :s", true},
      {"pk <> :s", false},
      {"#c > :two AND #c < :ten", true},
      {"#c BETWEEN :two AND :three", true},
      {"#c IN (:two, :ten)", false},
      {"#c IN (:two, :three)", true},
      {"attribute_exists(tags) AND attribute_not_exists(absent)", true},
      {"attribute_type(#m, :type_s) AND attribute_type(tags, :type_ss)", true},
      {"begins_with(#m, :pre)", true},
      {"contains(tags, :b5)", true},
      {"contains(#m, :pre)", true},
      {"contains(nums, :two)", true},
      {"size(tags) = :two", true},
      {"size(#m) > :ten", true},
      {"size(#c) = :two", false},  // size of a number has no value
      {"mp.nested.v = :ten", true},
      {"lst[2].deep = :x", true},
      {"lst[9] = :x", false},
      {"NOT pk = :s OR #c = :three", true},          // NOT binds tighter than OR
      {"pk = :s OR #c = :two AND #c = :ten", true},  // AND binds tighter than OR
      {"(pk = :s OR #c = :two) AND #c = :ten", false},
      {"absent = :s", false},
      {"absent <> :s", true},
      {"#c < :s", false},       // different types compare false, not an error
      {"not #c = :two", true},  // keywords are case-insensitive
  };
  for (const auto& c : cases) CHECK_MESSAGE(Eval(c.text) == c.want, c.text);
}

TEST_CASE("condition errors carry DynamoDB's texts") {
  CHECK(ConditionError("") == "Invalid ConditionExpression: The expression can not be empty;");
  CHECK(
      ConditionError("name = :s") ==
      "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name");
  CHECK(ConditionError("pk = :nope") ==
        "Invalid ConditionExpression: An expression attribute value used in expression is not "
        "defined; attribute value: :nope");
  CHECK(ConditionError("#nope = :s") ==
        "Invalid ConditionExpression: An expression attribute name used in the document path is "
        "not defined; attribute name: #nope");
  CHECK(ConditionError("pk = :s AND", "FilterExpression") ==
        "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
  CHECK(ConditionError("pk == :s") ==
        "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :s\"");
  // As Amazon DynamoDB answers (recorded in ScyllaDB Alternator's and moto's tests):
  CHECK(ConditionError("foo") ==
        "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"");
  {
    Context ctx(&kNames, &kValues);
    CHECK(ParseUpdate("SET _123 = :x", ctx).error().message ==
          "Invalid UpdateExpression: Syntax error; token: \"_\", near: \"SET _123\"");
  }
  // A character beyond ASCII is quoted whole (one UTF-8 sequence), never cut in half.
  CHECK(ConditionError("\u00e9 > :s") ==
        "Invalid ConditionExpression: Syntax error; token: \"\u00e9\", near: \"\u00e9 >\"");
  CHECK(ConditionError("pk = :s AND \u65e5\u672c = :s") ==
        "Invalid ConditionExpression: Syntax error; token: \"\u65e5\", near: \"AND \u65e5\u672c\"");
  CHECK(
      ConditionError("pk = :s AND \U0001F600") ==
      "Invalid ConditionExpression: Syntax error; token: \"\U0001F600\", near: \"AND \U0001F600\"");
  CHECK(ConditionError("foo(pk)") ==
        "Invalid ConditionExpression: Invalid function name; function: foo");
  CHECK(ConditionError("attribute_type(pk, :bad_type)") ==
        "Invalid ConditionExpression: Invalid attribute type name found in type: STRING, valid "
        "types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  CHECK(ConditionError("begins_with(pk, :three)") ==
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
        "function: begins_with, operand type: N");
  // Ordering takes strings, numbers and binaries only (recorded against DynamoDB: "operator or
  // function: <=, operand type: BOOL"); = and <> take any type.
  CHECK(ConditionError("pk < :lst") ==
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
        "function: <, operand type: L");
  CHECK(ConditionError(":set >= pk", "FilterExpression") ==
        "Invalid FilterExpression: Incorrect operand type for operator or function; operator or "
        "function: >=, operand type: SS");
  CHECK(ConditionError("pk BETWEEN :s AND :lst") ==
        "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or "
        "function: BETWEEN, operand type: L");
  CHECK(!Eval("pk = :lst"));
  CHECK(Eval("pk <> :set"));
  CHECK(ConditionError("attribute_exists(pk, :s)") ==
        "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
        "operator or function: attribute_exists, number of operands: 2");
  std::string in = "pk IN (";
  for (int i = 0; i < 101; ++i) in += (i ? ", " : "") + std::string(":s");
  CHECK(ConditionError(in + ")").starts_with(
      "Invalid ConditionExpression: The expression contains too many operands for IN"));
  CHECK(ConditionError("pk = :s AND " + std::string(4100, ' ') + "pk = :s")
            .starts_with("Invalid ConditionExpression: Expression size has exceeded the maximum "
                         "allowed size"));
}

TEST_CASE("reserved words: DynamoDB's 573, case-insensitive") {
  for (const char* w :
       {"name", "NAME", "data", "list", "year", "status", "date", "comment", "size"})
    CHECK_MESSAGE(IsReservedWord(w), w);
  for (const char* w : {"pk", "sk", "message", "message_group_uuid", "user_handle", "handle"})
    CHECK_MESSAGE(!IsReservedWord(w), w);
}

TEST_CASE("unused names and values are errors") {
  ValueMap values = {{":a", S("x")}, {":unused", S("y")}};
  NameMap names = {{"#unused", "x"}};
  Context ctx(&names, &values);
  REQUIRE(ParseCondition("pk = :a", ctx).ok());
  CHECK(ctx.CheckAllUsed().error().message ==
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}");
  Context ctx2(nullptr, &values);
  REQUIRE(ParseCondition("pk = :a", ctx2).ok());
  CHECK(ctx2.CheckAllUsed().error().message ==
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
}

TEST_CASE("the names and values maps themselves") {
  NameMap empty_names;
  ValueMap values = {{":a", S("x")}};
  Context c1(&empty_names, &values);
  CHECK(c1.CheckAllUsed().error().message == "ExpressionAttributeNames must not be empty");
  NameMap bad_names = {{"n", "x"}};
  Context c2(&bad_names, &values);
  CHECK(c2.CheckAllUsed().error().message ==
        "ExpressionAttributeNames contains invalid key: Syntax error; token: \"n\", near: \"n\"");
  ValueMap bad_values = {{"a", S("x")}};
  Context c3(nullptr, &bad_values);
  CHECK(c3.CheckAllUsed().error().message ==
        "ExpressionAttributeValues contains invalid key: Syntax error; token: \"a\", near: \"a\"");
}

TEST_CASE("key conditions: the seed's expressions and DynamoDB's rules") {
  KeySchemaView keys{"pk", ScalarAttributeType::kS, std::string("sk"), ScalarAttributeType::kS};
  auto parse = [&](const std::string& text, const NameMap* names = &kNames) {
    Context ctx(names, &kValues);
    return ParseKeyCondition(text, ctx, keys);
  };
  auto kc = parse("pk = :s AND begins_with(sk,:year)");
  REQUIRE(kc.ok());
  CHECK(kc->range_op == KeyCondition::RangeOp::kBeginsWith);
  CHECK(kc->range_value == S("2023"));
  kc = parse("pk = :s AND sk BETWEEN :lo AND :hi");
  REQUIRE(kc.ok());
  CHECK(kc->range_op == KeyCondition::RangeOp::kBetween);
  kc = parse("#k = :s");  // boto3's condition builder uses placeholders
  REQUIRE(kc.ok());
  CHECK(kc->hash_value == S("MSG#g"));
  kc = parse(":s = pk AND :lo < sk");  // operands either side
  REQUIRE(kc.ok());
  CHECK(kc->range_op == KeyCondition::RangeOp::kGt);

  CHECK(parse("sk = :lo").error().message == "Query condition missed key schema element: pk");
  CHECK(parse("message = :s").error().message == "Query condition missed key schema element: pk");
  CHECK(parse("pk = :s OR sk = :lo").error().message ==
        "Invalid operator used in KeyConditionExpression: OR");
  CHECK(parse("pk = :s AND sk = :lo AND sk = :hi").error().message ==
        "Conditions can be of length 1 or 2 only");
  CHECK(parse("pk = :s AND pk = :s").error().message ==
        "KeyConditionExpressions must only contain one condition per key");
  CHECK(parse("pk < :s").error().message == "Query key condition not supported");
  CHECK(parse("pk = :three").error().message ==
        "One or more parameter values were invalid: Condition parameter type does not match schema "
        "type");
  CHECK(parse("pk = :s AND sk BETWEEN :hi AND :lo").error().message ==
        "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater "
        "than or equal to lower bound; "
        "lower bound operand: AttributeValue: {S:2023-12}, upper bound operand: AttributeValue: "
        "{S:2023-01}");
  CHECK(parse("pk = :s AND begins_with(sk, :three)").error().message ==
        "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator "
        "or function: begins_with, operand type: N");
}

TEST_CASE("key conditions: a remembered parse answers exactly as a fresh one") {
  // Every text x key schema x names x values: parsed once with the first values and any of
  // the names maps (remembered when that succeeds), then with the names and values at hand,
  // against the same parse on a thread that remembers nothing; results, errors and the
  // unused-names/values check must agree.
  const std::vector<KeySchemaView> schemas = {
      {"pk", ScalarAttributeType::kS, std::string("sk"), ScalarAttributeType::kS},
      {"pk", ScalarAttributeType::kS, std::string("sk"), ScalarAttributeType::kN},
      {"pk", ScalarAttributeType::kS, std::nullopt, ScalarAttributeType::kS}};
  const std::vector<std::string> texts = {"pk = :p",
                                          "pk = :p AND begins_with(sk, :y)",
                                          "pk = :p AND sk BETWEEN :a AND :b",
                                          "#k = :p AND #s < :a",
                                          ":p = pk AND :a <= sk",
                                          "pk = :p AND sk > :a",
                                          "sk = :a AND pk = :p"};
  const NameMap key_names = {{"#k", "pk"}, {"#s", "sk"}};
  const NameMap swapped_names = {{"#k", "sk"}, {"#s", "pk"}};
  const std::vector<const NameMap*> names = {nullptr, &key_names, &swapped_names};
  const std::vector<ValueMap> values = {
      {{":p", S("MSG#1")}, {":y", S("2023")}, {":a", S("2023-01")}, {":b", S("2023-12")}},
      {{":p", S("MSG#2")}, {":y", S("2024")}, {":a", S("2023-05")}, {":b", S("2023-06")}},
      {{":p", N("3")},
       {":y", S("2023")},
       {":a", S("2023-01")},
       {":b", S("2023-12")}},  // hash of the wrong type
      {{":p", S("MSG#1")},
       {":y", S("2023")},
       {":a", S("2023-12")},
       {":b", S("2023-01")}},                                         // BETWEEN reversed
      {{":p", S("MSG#1")}, {":y", S("2023")}, {":b", S("2023-12")}},  // :a missing
      {{":p", S("MSG#1")},
       {":y", S("2023")},
       {":a", S("2023-01")},
       {":b", S("2023-12")},
       {":z", S("")}},  // one unused
      {{":p", S("MSG#1")},
       {":y", N("2023")},
       {":a", N("1")},
       {":b", N("2")}},  // numbers for the sort key
  };
  struct Outcome {
    bool ok;
    std::string message;  // the error's, or the key condition's fields
    std::string unused;   // CheckAllUsed's answer afterwards
  };
  auto parse = [](const std::string& text, const NameMap* n, const ValueMap& v,
                  const KeySchemaView& keys) {
    Context ctx(n, &v);
    auto kc = ParseKeyCondition(text, ctx, keys);
    Status used = ctx.CheckAllUsed();
    Outcome o{kc.ok(),
              kc.ok() ? DebugString(kc->hash_value) + "|" +
                            std::to_string(static_cast<int>(kc->range_op)) + "|" +
                            DebugString(kc->range_value) + "|" + DebugString(kc->range_value2)
                      : kc.error().message,
              used.ok() ? "" : used.error().message};
    return o;
  };
  int remembered = 0;
  for (const KeySchemaView& keys : schemas)
    for (const std::string& text : texts)
      for (const NameMap* n : names)
        for (const ValueMap& v : values)
          for (const NameMap* first_names : names) {
            ForgetKeyConditions();
            const Outcome fresh = parse(text, n, v, keys);
            ForgetKeyConditions();
            remembered += parse(text, first_names, values[0], keys).ok;  // kept when it succeeded
            const Outcome again = parse(text, n, v, keys);
            INFO(text, " / value map ", &v - values.data(), " / names ",
                 n ? (n == &key_names ? "#k=pk" : "#k=sk") : "none", " / range ",
                 keys.range_name ? (keys.range_type == ScalarAttributeType::kN ? "N" : "S")
                                 : "none");
            CHECK(again.ok == fresh.ok);
            CHECK(again.message == fresh.message);
            CHECK(again.unused == fresh.unused);
          }
  CHECK(remembered > 100);  // most of the cases above went through a remembered parse
  ForgetKeyConditions();
}

TEST_CASE("parsing the seed's key condition takes well under 2 microseconds") {
  KeySchemaView keys{"pk", ScalarAttributeType::kS, std::string("sk"), ScalarAttributeType::kS};
  ValueMap values = {{":pk", S("MSG#5ae290ed-55d1-47a0-bc6d-fe2bc2700399")}, {":year", S("2023")}};
  // Correctness only here; the timing is measured in bench/expr_bench.cc.
  Context ctx(nullptr, &values);
  REQUIRE(ParseKeyCondition("pk = :pk AND begins_with(sk,:year)", ctx, keys).ok());
  CHECK(ctx.CheckAllUsed().ok());
}

TEST_CASE("updates: SET arithmetic, if_not_exists, list_append, REMOVE, ADD, DELETE") {
  auto apply = [](const std::string& text, const Item& base) {
    Context ctx(&kNames, &kValues);
    auto u = ParseUpdate(text, ctx);
    REQUIRE_MESSAGE(u.ok(), (std::string(text) + " -> " + (u.ok() ? "" : u.error().message)));
    return ApplyUpdate(*u, base);
  };
  Item r =
      apply("SET #c = #c + :two, fresh = if_not_exists(fresh, :ten), lst = list_append(lst, :lst)",
            kItem)
          .value();
  CHECK(r.at("count") == N("5"));
  CHECK(r.at("fresh") == N("10"));
  CHECK(r.at("lst").l().size() == 4);
  r = apply("REMOVE lst[0], lst[1], mp.#n", kItem).value();
  CHECK(r.at("lst").l().size() == 1);
  CHECK(r.at("mp").m().count("name") == 0);
  r = apply("ADD #c :ten, tags :set", kItem).value();
  CHECK(r.at("count") == N("13"));
  CHECK(r.at("tags") == AttributeValue::SS({"b5", "scifi", "new"}));
  r = apply("SET lst[10] = :x", kItem).value();  // past the end appends
  CHECK(r.at("lst").l().back() == S("x"));
  CHECK(apply("SET #c = #m + :two", kItem).error().message ==
        "An operand in the update expression has an incorrect data type");
  CHECK(apply("SET x = absent", kItem).error().message ==
        "The provided expression refers to an attribute that does not exist in the item");
  CHECK(apply("SET nope.deeper = :x", kItem).error().message ==
        "The document path provided in the update expression is invalid for update");

  Context ctx(&kNames, &kValues);
  CHECK(ParseUpdate("SET a = :x REMOVE a", ctx).error().message ==
        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
        "rewrite one of these paths; path one: [a], path two: [a]");
  CHECK(ParseUpdate("SET a = :x, a.b = :x", ctx).error().message ==
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
        "rewrite one of these paths; path one: [a], path two: [a, b]");
  CHECK(ParseUpdate("SET a = :x SET b = :x", ctx).error().message ==
        "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
        "expression;");
  CHECK(ParseUpdate("DELETE a :x", ctx).error().message ==
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
        "DELETE, operand type: S");
}

TEST_CASE("projections keep the selected paths, lists compacted in index order") {
  Context ctx(&kNames, &kValues);
  auto p = ParseProjection("pk, #m, mp.nested, lst[2].deep, lst[0], absent", ctx);
  REQUIRE(p.ok());
  Item got = Project(*p, kItem);
  CHECK(got.size() == 4);
  CHECK(got.at("mp") == AttributeValue::M({{"nested", AttributeValue::M({{"v", N("10")}})}}));
  CHECK(got.at("lst") == AttributeValue::L({S("a"), AttributeValue::M({{"deep", S("x")}})}));
  CHECK(ParseProjection("a, a.b", ctx).error().message ==
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
        "rewrite one of these paths; path one: [a], path two: [a, b]");
}

TEST_CASE("legacy parameters translate onto the same trees") {
  std::map<std::string, ExpectedAttributeValue> expected;
  expected["pk"].value = S("MSG#g");
  expected["absent"].exists = false;
  CHECK(Evaluate(FromExpected(expected, std::nullopt).value(), kItem));
  std::map<std::string, Condition> filter;
  filter["count"] = Condition{"BETWEEN", std::vector<AttributeValue>{N("1"), N("5")}};
  filter["tags"] = Condition{"CONTAINS", std::vector<AttributeValue>{S("b5")}};
  CHECK(Evaluate(FromConditions(filter, std::nullopt).value(), kItem));
  filter["count"] = Condition{"GT", std::vector<AttributeValue>{N("5")}};
  CHECK_FALSE(Evaluate(FromConditions(filter, ConditionalOperator::kAnd).value(), kItem));
  CHECK(Evaluate(FromConditions(filter, ConditionalOperator::kOr).value(), kItem));
  CHECK(FromConditions({{"count", Condition{"EQ", std::nullopt}}}, std::nullopt).error().message ==
        "One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
        "ComparisonOperator");
  std::map<std::string, AttributeValueUpdate> updates;
  updates["count"] = AttributeValueUpdate{N("1"), "ADD"};
  updates["message"] = AttributeValueUpdate{std::nullopt, "DELETE"};
  Item r = ApplyUpdate(FromAttributeUpdates(updates).value(), kItem).value();
  CHECK(r.at("count") == N("4"));
  CHECK(r.count("message") == 0);
  KeySchemaView keys{"pk", ScalarAttributeType::kS, std::string("sk"), ScalarAttributeType::kS};
  auto kc =
      FromKeyConditions({{"pk", Condition{"EQ", std::vector<AttributeValue>{S("x")}}},
                         {"sk", Condition{"BEGINS_WITH", std::vector<AttributeValue>{S("2023")}}}},
                        keys);
  REQUIRE(kc.ok());
  CHECK(kc->range_op == KeyCondition::RangeOp::kBeginsWith);
}
