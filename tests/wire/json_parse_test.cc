// RequestDoc must read every body exactly as nlohmann::json::parse(body, nullptr, false)
// does: same values with the same number types, members in the same order, same rejections.
// Its fast path must take the bodies SDKs send, and step aside for everything else.

#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <forward_list>
#include <string>
#include <vector>

#include "support/json_same.h"
#include "wire/json_parse.h"

using namespace localdynamo::wire;

namespace {

bool AsNlohmann(const std::string& text) { return ld_test::ReadsAsNlohmann(text); }
bool FastPathTakes(const std::string& text) {
  RequestDoc doc;
  return json_parse_detail::FastParse(text, &doc);
}
// The document's strings are views into the body: the bodies read here are kept.
JsonRef Read(RequestDoc& doc, std::string text) {
  static std::forward_list<std::string> bodies;
  REQUIRE(doc.Parse(bodies.emplace_front(std::move(text))));
  return doc.root();
}

// The texts and values SDKs send (ASCII, integers), or (`any`) every kind: control
// characters (\u00XX when dumped), non-ASCII characters and doubles too.
rc::Gen<std::string> GenText(bool any) {
  return rc::gen::map(rc::gen::container<std::vector<uint8_t>>(rc::gen::arbitrary<uint8_t>()),
                      [any](const std::vector<uint8_t>& picks) {
                        std::string s;
                        for (uint8_t p : picks) {
                          if (p < 8)
                            s.push_back("\"\\/\b\f\n\r\t"[p]);
                          else if (p < 10 && any)
                            s.push_back("\x01\x7f"[p - 8]);
                          else if (p < 14 && any)
                            s += "\xc3\xa9";
                          else if (p < 16 && any)
                            s += "\xf0\x9f\x98\x80";
                          else
                            s.push_back(static_cast<char>(' ' + p % 95));
                        }
                        return s;
                      });
}

rc::Gen<json> GenLeaf(bool any) {
  return rc::gen::weightedOneOf<json>(
      {{3, rc::gen::map(GenText(any), [](std::string s) { return json(std::move(s)); })},
       {2, rc::gen::map(rc::gen::arbitrary<uint64_t>(), [](uint64_t v) { return json(v); })},
       {2, rc::gen::map(rc::gen::arbitrary<int64_t>(), [](int64_t v) { return json(v); })},
       {any ? 1u : 0u,
        rc::gen::map(rc::gen::arbitrary<double>(), [](double v) { return json(v); })},
       {1, rc::gen::map(rc::gen::arbitrary<bool>(), [](bool v) { return json(v); })},
       {1, rc::gen::just(json(nullptr))}});
}

// Up to 5 members or elements a level, 4 levels: bodies of a few KB at most.
rc::Gen<json> GenJson(bool any, int depth = 0) {
  if (depth >= 4) return GenLeaf(any);
  auto inner = rc::gen::lazy([any, depth] { return GenJson(any, depth + 1); });
  return rc::gen::weightedOneOf<json>(
      {{4, GenLeaf(any)},
       {2, rc::gen::map(rc::gen::mapcat(
                            rc::gen::inRange<std::size_t>(0, 6),
                            [any, inner](std::size_t n) {
                              return rc::gen::container<std::vector<std::pair<std::string, json>>>(
                                  n, rc::gen::pair(GenText(any), inner));
                            }),
                        [](const std::vector<std::pair<std::string, json>>& kv) {
                          json o = json::object();
                          for (const auto& [k, v] : kv) o[k] = v;
                          return o;
                        })},
       {1, rc::gen::map(rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, 6),
                                        [inner](std::size_t n) {
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
      R"([])",
      R"({})",
      R"("x")",
      "-0",
      "true",
  };
  for (const auto& body : bodies) {
    CAPTURE(body);
    REQUIRE(FastPathTakes(body));
    CHECK(AsNlohmann(body));
  }
  RequestDoc doc;
  const JsonRef dup = Read(doc, R"({"b":0,"a":1,"c":{},"a":2})");
  CHECK(dup.Size() == 3);
  CHECK(dup.Find("a").Unsigned() == 2);
  std::string names;
  for (const auto [name, value] : dup.members()) names += name;
  CHECK(names == "abc");
  CHECK_FALSE(dup.Find("d"));
  CHECK(Read(doc, "7").kind() == JsonRef::Kind::kUnsigned);
  CHECK(Read(doc, "-7").kind() == JsonRef::Kind::kInteger);
  CHECK(Read(doc, R"("a\nb\\")").Str() == "a\nb\\");
}

TEST_CASE("one document reads body after body, keeping nothing of the last") {
  RequestDoc doc;
  CHECK(Read(doc, R"({"s":"x\ty","l":[1,2,{"m":null}]})").Find("l").Size() == 3);
  const JsonRef second = Read(doc, R"({"t":"q"})");
  CHECK(second.Size() == 1);
  CHECK(second.Find("t").Str() == "q");
  CHECK_FALSE(doc.Parse("{"));
  CHECK(Read(doc, R"({"n":1.5})").Find("n").Float() == 1.5);
  doc.ShrinkIfLarge();
  CHECK(Read(doc, "[]").Size() == 0);
}

TEST_CASE("what the fast path leaves to nlohmann: same values, same rejections") {
  const std::vector<std::string> left = {
      R"({"s":"\u00e9\ud83d\ude00"})",
      "{\"s\":\"\xc3\xa9\"}",
      R"({"n":1.5})",
      R"({"n":1e3})",
      R"({"n":18446744073709551616})",
      R"({"n":-9223372036854775809})",
      "\xef\xbb\xbf{}",
      std::string(70, '[') + std::string(70, ']'),
      // malformed: nlohmann's rejection in every case
      "",
      " ",
      "{",
      "}",
      R"({"a":1,})",
      "[1,]",
      "[1 2]",
      "01",
      R"({"a":01})",
      R"({"a" 1})",
      "{\"a\":\"\x01\"}",
      "{}x",
      "{} {}",
      "tru",
      "nul",
      "-",
      "1.",
      "--1",
      "+1",
      R"({a:1})",
      R"({"s":"\x"})",
      R"({"s":"\u12"})",
      R"({"s":"\ud800"})",
      "{\"s\":\"\xff\"}",
      R"(["a")",
      "\"abc",
  };
  for (const auto& body : left) {
    CAPTURE(body);
    CHECK_FALSE(FastPathTakes(body));
    CHECK(AsNlohmann(body));
  }
  RequestDoc doc;
  CHECK_FALSE(doc.Parse("{}x"));
  CHECK(Read(doc, R"({"n":1.5})").Find("n").Float() == 1.5);
  CHECK(Read(doc, R"({"s":"\u00e9"})").Find("s").Str() == "\xc3\xa9");
}

TEST_CASE("any JSON text, compact or indented, reads as nlohmann reads it") {
  CHECK(rc::check("ASCII and integers: the fast path, == json::parse", [] {
    const std::string text = (*GenJson(false)).dump(*rc::gen::element(-1, 0, 2));
    RC_ASSERT(FastPathTakes(text));
    RC_ASSERT(AsNlohmann(text));
  }));
  CHECK(rc::check("RequestDoc(dump) == json::parse(dump)", [] {
    const json value = *GenJson(true);
    const int indent = *rc::gen::element(-1, 0, 2);
    const std::string text = value.dump(indent, ' ', false, json::error_handler_t::replace);
    RC_ASSERT(AsNlohmann(text));
  }));
}

TEST_CASE("broken JSON text is rejected or read exactly as nlohmann does") {
  CHECK(rc::check("edits of a body: RequestDoc agrees with json::parse", [] {
    std::string text = (*GenJson(*rc::gen::arbitrary<bool>()))
                           .dump(-1, ' ', false, json::error_handler_t::replace);
    const int edits = *rc::gen::inRange(1, 4);
    for (int i = 0; i < edits; ++i) {
      const std::size_t at = *rc::gen::inRange<std::size_t>(0, text.size() + 1);
      const char c = *rc::gen::element('{', '}', '[', ']', '"', '\\', ',', ':', '0', '-', 'e', '.',
                                       ' ', 'x', '\x01');
      switch (*rc::gen::inRange(0, 3)) {
        case 0:
          text.insert(at, 1, c);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = c;
          break;
      }
    }
    RC_ASSERT(AsNlohmann(text));
  }));
}

TEST_CASE("nesting however deep is read without recursion, and large bodies' storage is let go") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  RequestDoc doc;
  REQUIRE(doc.Parse(deep));
  JsonRef v = doc.root();
  int depth = 1;
  while (v.Size() == 1) {
    v = *v.elements().begin();
    ++depth;
  }
  CHECK(depth == 100000);
  doc.ShrinkIfLarge();
  CHECK(Read(doc, R"({"a":[true]})").Find("a").Size() == 1);
  CHECK_FALSE(doc.Parse(std::string(100000, '[')));
}
