// ParseRequestJson must read every body exactly as nlohmann::json::parse(body, nullptr, false)
// does: same values with the same number types, same rejections. Its fast path must take the
// bodies SDKs send, and step aside for everything else.

#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <string>
#include <vector>

#include "support/json_same.h"
#include "wire/json_parse.h"

using namespace localdynamo::wire;
using json_parse_detail::FastParse;

namespace {

bool AsNlohmann(const std::string& text) { return ld_test::SameJson(ParseRequestJson(text), json::parse(text, nullptr, false)); }

// The texts and values SDKs send (ASCII, integers), or (`any`) every kind: control
// characters (\u00XX when dumped), non-ASCII characters and doubles too.
rc::Gen<std::string> GenText(bool any) {
  return rc::gen::map(rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>()),
                      [any](const std::vector<uint8_t>& picks) {
                        std::string s;
                        for (uint8_t p : picks) {
                          if (p < 8) s.push_back("\"\\/\b\f\n\r\t"[p]);
                          else if (p < 10 && any) s.push_back("\x01\x7f"[p - 8]);
                          else if (p < 14 && any) s += "\xc3\xa9";
                          else if (p < 16 && any) s += "\xf0\x9f\x98\x80";
                          else s.push_back(static_cast<char>(' ' + p % 95));
                        }
                        return s;
                      });
}

rc::Gen<json> GenLeaf(bool any) {
  return rc::gen::weightedOneOf<json>(
      {{3, rc::gen::map(GenText(any), [](std::string s) { return json(std::move(s)); })},
       {2, rc::gen::map(rc::gen::arbitrary<uint64_t>(), [](uint64_t v) { return json(v); })},
       {2, rc::gen::map(rc::gen::arbitrary<int64_t>(), [](int64_t v) { return json(v); })},
       {any ? 1u : 0u, rc::gen::map(rc::gen::arbitrary<double>(), [](double v) { return json(v); })},
       {1, rc::gen::map(rc::gen::arbitrary<bool>(), [](bool v) { return json(v); })},
       {1, rc::gen::just(json(nullptr))}});
}

// Up to 5 members or elements a level, 4 levels: bodies of a few KB at most.
rc::Gen<json> GenJson(bool any, int depth = 0) {
  if (depth >= 4) return GenLeaf(any);
  auto inner = rc::gen::lazy([any, depth] { return GenJson(any, depth + 1); });
  return rc::gen::weightedOneOf<json>(
      {{4, GenLeaf(any)},
       {2, rc::gen::map(rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 6), [any, inner](std::size_t n) {
                          return rc::gen::container<std::vector<std::pair<std::string, json>>>(n, rc::gen::pair(GenText(any), inner));
                        }),
                        [](const std::vector<std::pair<std::string, json>>& kv) {
                          json o = json::object();
                          for (const auto& [k, v] : kv) o[k] = v;
                          return o;
                        })},
       {1, rc::gen::map(rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 6), [inner](std::size_t n) {
                          return rc::gen::container<std::vector<json>>(n, inner);
                        }),
                        [](std::vector<json> a) { return json(std::move(a)); })}});
}

}  // namespace

TEST_CASE("the bodies SDKs send take the fast path and read as nlohmann reads them") {
  const std::vector<std::string> bodies = {
      R"({"TableName":"cruddur-messages","Item":{"pk":{"S":"MSG#1"},"sk":{"S":"2023-03-20T10:00:00+00:00"},"message":{"S":"say \"hi\"\n\\ / \t"}}})",
      R"j({"TableName":"t","KeyConditionExpression":"pk = :pk AND begins_with(sk, :y)","ExpressionAttributeValues":{":pk":{"S":"GRP#a"},":y":{"S":"2023"}},"ScanIndexForward":false,"Limit":20,"ExclusiveStartKey":null})j",
      R"({"RequestItems":{"t":[{"PutRequest":{"Item":{"n":{"N":"-12.5e3"},"l":{"L":[{"BOOL":true},{"NULL":true}]}}}}]},"Segment":-1,"Big":18446744073709551615})",
      "  {\n  \"TableName\" : \"t\" ,\r\n\t\"Limit\":0 }  ",
      R"({"a":1,"a":2})",  // duplicate names: the last wins, as in nlohmann
      R"([])", R"({})", R"("x")", "-0", "true",
  };
  for (const auto& body : bodies) {
    CAPTURE(body);
    REQUIRE(FastParse(body).has_value());
    CHECK(AsNlohmann(body));
  }
  CHECK(ParseRequestJson(R"({"a":1,"a":2})")["a"] == 2);
  CHECK(ParseRequestJson("7").type() == json::value_t::number_unsigned);
  CHECK(ParseRequestJson("-7").type() == json::value_t::number_integer);
}

TEST_CASE("what the fast path leaves to nlohmann: same values, same rejections") {
  const std::vector<std::string> left = {
      R"({"s":"\u00e9\ud83d\ude00"})", "{\"s\":\"\xc3\xa9\"}", R"({"n":1.5})", R"({"n":1e3})",
      R"({"n":18446744073709551616})", R"({"n":-9223372036854775809})", "\xef\xbb\xbf{}",
      std::string(70, '[') + std::string(70, ']'),
      // malformed: nlohmann's rejection in every case
      "", " ", "{", "}", R"({"a":1,})", "[1,]", "[1 2]", "01", R"({"a":01})", R"({"a" 1})",
      "{\"a\":\"\x01\"}", "{}x", "{} {}", "tru", "nul", "-", "1.", "--1", "+1", R"({a:1})",
      R"({"s":"\x"})", R"({"s":"\u12"})", R"({"s":"\ud800"})", "{\"s\":\"\xff\"}", R"(["a")", "\"abc",
  };
  for (const auto& body : left) {
    CAPTURE(body);
    CHECK_FALSE(FastParse(body).has_value());
    CHECK(AsNlohmann(body));
  }
  CHECK(ParseRequestJson("{}x").is_discarded());
  CHECK(ParseRequestJson(R"({"n":1.5})")["n"] == 1.5);
}

TEST_CASE("any JSON text, compact or indented, reads as nlohmann reads it") {
  CHECK(rc::check("ASCII and integers: the fast path, == json::parse", [] {
    const std::string text = (*GenJson(false)).dump(*rc::gen::element(-1, 0, 2));
    RC_ASSERT(FastParse(text).has_value());
    RC_ASSERT(AsNlohmann(text));
  }));
  CHECK(rc::check("ParseRequestJson(dump) == json::parse(dump)", [] {
    const json value = *GenJson(true);
    const int indent = *rc::gen::element(-1, 0, 2);
    const std::string text = value.dump(indent, ' ', false, json::error_handler_t::replace);
    RC_ASSERT(AsNlohmann(text));
  }));
}

TEST_CASE("broken JSON text is rejected or read exactly as nlohmann does") {
  CHECK(rc::check("edits of a body: ParseRequestJson agrees with json::parse", [] {
    std::string text = (*GenJson(*rc::gen::arbitrary<bool>())).dump(-1, ' ', false, json::error_handler_t::replace);
    const int edits = *rc::gen::inRange(1, 4);
    for (int i = 0; i < edits; ++i) {
      const std::size_t at = *rc::gen::inRange<std::size_t>(0, text.size() + 1);
      const char c = *rc::gen::element('{', '}', '[', ']', '"', '\\', ',', ':', '0', '-', 'e', '.', ' ', 'x', '\x01');
      switch (*rc::gen::inRange(0, 3)) {
        case 0: text.insert(at, 1, c); break;
        case 1: if (at < text.size()) text.erase(at, 1); break;
        default: if (at < text.size()) text[at] = c; break;
      }
    }
    RC_ASSERT(AsNlohmann(text));
  }));
}

TEST_CASE("ReleaseRequestTree empties a tree from the leaves up, however deep") {
  json j = ParseRequestJson(R"({"TableName":"cruddur-messages","Item":{"pk":{"S":"a"},"l":{"L":[{"N":"1"},{"M":{}}]}},"Limit":20})");
  ReleaseRequestTree(j);
  CHECK(j == json::object());
  json scalar = ParseRequestJson(R"("text")");
  ReleaseRequestTree(scalar);
  CHECK(scalar == "text");
  // Deeper than the recursion goes: the rest is left to the destructor, which copes.
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  json d = ParseRequestJson(deep);
  REQUIRE(d.is_array());
  ReleaseRequestTree(d);
  CHECK(d == json::array());
}
