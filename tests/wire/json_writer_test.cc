// The direct writer (hot responses) and the nlohmann path must produce the same JSON.

#include <doctest/doctest.h>
#include <rapidcheck.h>

#include "storage/encoded_page.h"
#include "storage/item_codec.h"
#include "support/generators.h"
#include "wire/codec.h"
#include "types/cpu_features.h"
#include "types/json_text.h"
#include "wire/json_writer.h"

using namespace localdynamo;
using namespace localdynamo::wire;

TEST_CASE("QueryBody equals ToJson for every attribute type, escapes and all") {
  Item item = {{"s", AttributeValue::S("quote \" backslash \\ newline \n tab \t ctl \x01 utf8 é")},
               {"n", AttributeValue::N(*Number::Parse("-12.50"))},
               {"b", AttributeValue::B(std::string("\x00\xff", 2))},
               {"t", AttributeValue::Bool(false)},
               {"z", AttributeValue::MakeNull()},
               {"m", AttributeValue::M({{"k", AttributeValue::L({AttributeValue::S("v")})}})},
               {"ss", AttributeValue::SS({"a", "b"})},
               {"ns", AttributeValue::NS({*Number::Parse("1"), *Number::Parse("2.5")})},
               {"bs", AttributeValue::BS({"x"})}};
  QueryResponse r;
  r.items = std::vector<Item>{item, item};
  r.count = 2;
  r.scanned_count = 3;
  r.last_evaluated_key = Item{{"pk", AttributeValue::S("a")}};
  r.consumed_capacity =
      ConsumedCapacity{"t", 0.5, std::nullopt, std::nullopt, std::nullopt, {}, {}};
  CHECK(json::parse(QueryBody(r)) == ToJson(r));
  r.items.reset();  // Select COUNT
  r.last_evaluated_key.reset();
  CHECK(json::parse(QueryBody(r)) == ToJson(r));
  engine::EncodedGetItemResponse g;
  CHECK(json::parse(GetItemBody(g)) == json::object());
  g.item = storage::EncodeItem(item);
  g.consumed_capacity = r.consumed_capacity;
  CHECK(json::parse(GetItemBody(g)) ==
        json{{"Item", ItemJson(item)},
             {"ConsumedCapacity", ConsumedCapacityJson(*r.consumed_capacity)}});
}

TEST_CASE("strings are escaped as nlohmann::json escapes them, whatever their length") {
  // ASCII incl. control characters, quotes and backslashes, at every offset of the
  // word-at-a-time scan.
  CHECK(rc::check("AppendJsonString == json::dump", [](const std::vector<uint8_t>& codes) {
    std::string s;
    for (uint8_t c : codes) s.push_back(static_cast<char>(c % 0x80));
    std::string out;
    AppendJsonString(&out, s);
    RC_ASSERT(out == json(s).dump());
  }));
  // Mostly plain text (UTF-8 included) with an escape now and then: long runs for the
  // 16-byte and word scans, escapes at any offset within them, and any tail length.
  CHECK(rc::check("sparse escapes: AppendJsonString == json::dump",
                  [](const std::vector<uint8_t>& picks) {
                    std::string s;
                    for (uint8_t pick : picks) {
                      if (pick < 8)
                        s.push_back("\"\\\n\x01\x1f\t\b/"[pick]);
                      else if (pick < 24)
                        s += "\xc3\xa9";  // é
                      else
                        s.push_back(static_cast<char>('a' + pick % 26));
                    }
                    std::string out = "prefix";
                    AppendJsonString(&out, s);
                    RC_ASSERT(out == "prefix" + json(s).dump());
                  }));
  std::string out;
  AppendJsonString(&out, "0123456789abcdef\"\x01\\ é plain text after");
  CHECK(out == R"("0123456789abcdef\"\u0001\\ é plain text after")");
  // Longer than the stack buffer (64 bytes), appended after what is there, every byte escaped.
  const std::string controls(200, '\x1f');
  out = "x";
  AppendJsonString(&out, controls);
  CHECK(out == "x" + json(controls).dump());
  CHECK(out.size() == 1 + 2 + 6 * 200);
}

TEST_CASE("one character to escape, at every position of strings of every short length") {
  // The plain copy's loads and stores overlap (16-byte chunks, then two words, then two half
  // words): an escape must be found wherever it falls, in the overlap or out of it.
  for (std::size_t n = 1; n <= 70; ++n)
    for (std::size_t at = 0; at < n; ++at)
      for (const char c : {'"', '\\', '\x01', '\x1f', '\n'}) {
        std::string s(n, 'a');
        s[at] = c;
        std::string out;
        AppendJsonString(&out, s);
        CAPTURE(n);
        CAPTURE(at);
        REQUIRE(out == json(s).dump());
      }
  for (std::size_t n = 0; n <= 70; ++n) {
    const std::string s(
        n, '\x7f');  // plain (DEL is not a control character in JSON), and UTF-8's bytes too
    std::string out;
    AppendJsonString(&out, s + "\xc3\xa9");
    CHECK(out == json(s + "\xc3\xa9").dump());
  }
}

#if defined(__x86_64__)
TEST_CASE("the AVX-512 string writer writes what the plain one writes") {
  if (!CpuHasAvx512Bw()) return;  // nothing to compare on this CPU
  auto write = [](std::string_view s, auto writer) {
    std::string buf(JsonStringBound(s.size()), '\0');
    buf.resize(static_cast<std::size_t>(writer(buf.data(), s) - buf.data()));
    return buf;
  };
  auto plain = [](char* p, std::string_view s) { return WriteJsonString(p, s); };
  auto wide = [](char* p, std::string_view s) { return WriteJsonStringAvx512(p, s); };
  // Every length through three 64-byte steps and the masked rest, plain and with one escape
  // at every position (in a full step or in the masked rest).
  for (std::size_t n = 0; n <= 200; ++n) {
    CAPTURE(n);
    const std::string s(n, 'a');
    REQUIRE(write(s, wide) == write(s, plain));
    REQUIRE(write(s + "\xc3\xa9\x7f", wide) == json(s + "\xc3\xa9\x7f").dump());
    for (std::size_t at = 0; at < n; ++at)
      for (const char c : {'"', '\\', '\x01', '\x1f'}) {
        std::string e = s;
        e[at] = c;
        CAPTURE(at);
        REQUIRE(write(e, wide) == json(e).dump());
      }
  }
}
#endif

TEST_CASE("items written from their encoding equal items written from Items") {
  CHECK(rc::check("AppendEncodedItemJson(encode(item)) == AppendItemJson(item)", [] {
    Item item = *ld_test::GenItem();
    std::string a, b;
    AppendItemJson(&a, item);
    AppendEncodedItemJson(&b, storage::EncodeItem(item));
    RC_ASSERT(a == b);
  }));
}

TEST_CASE("a page of encoded items: written from bytes, decoded once on first access") {
  Item a{{"pk", AttributeValue::S("a")}, {"n", AttributeValue::N(*Number::Parse("-0.5"))}};
  Item b{{"pk", AttributeValue::S("b")}, {"l", AttributeValue::L({AttributeValue::MakeNull()})}};
  QueryResponse encoded, ready;
  encoded.items.emplace();
  storage::EncodedPage::Append(*encoded.items, storage::EncodeItem(a));
  storage::EncodedPage::Append(*encoded.items, storage::EncodeItem(b));
  ready.items = std::vector<Item>{a, b};
  encoded.count = ready.count = 2;
  CHECK(storage::EncodedPage::IsEncoded(*encoded.items));
  CHECK(encoded.items->size() == 2);
  CHECK(QueryBody(encoded) == QueryBody(ready));
  CHECK(storage::EncodedPage::IsEncoded(*encoded.items));  // writing JSON built no Items
  ItemList copy = *encoded.items;
  CHECK((*encoded.items)[1] == b);
  CHECK_FALSE(storage::EncodedPage::IsEncoded(*encoded.items));
  CHECK(storage::EncodedPage::IsEncoded(copy));
  CHECK(copy == *encoded.items);
  copy.push_back(a);
  CHECK(copy.size() == 3);
  CHECK(copy.back() == a);
  std::vector<Item> moved = std::move(copy);
  CHECK(moved.size() == 3);
  CHECK(QueryBody(encoded) == QueryBody(ready));
}
