#include "types/json_text.h"

#include <cstdint>
#include <cstring>

namespace localdynamo {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}  // namespace

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], kAlphabet[n & 63]};
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

namespace {

// Whether any of the 8 bytes in `w` must be escaped in JSON: a control character (< 0x20),
// '"' or '\\'. Strings are mostly plain text, so they are scanned a word at a time.
constexpr bool NeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  return (below_space | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (NeedsEscape(w)) break;
      i += 8;
    }
    if (i == s.size()) break;
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}

namespace {

template <class T, class F>
void AppendArray(std::string* out, const std::vector<T>& values, F each) {
  out->push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out->push_back(',');
    each(values[i]);
  }
  out->push_back(']');
}

}  // namespace

void AppendValueJson(std::string* out, const AttributeValue& v) {
  out->append("{\"");
  out->append(TypeName(v.type()));
  out->append("\":");
  switch (v.type()) {
    case Type::kS: AppendJsonString(out, v.s()); break;
    case Type::kN: AppendJsonString(out, v.n().ToString()); break;
    case Type::kB: AppendJsonString(out, Base64Encode(v.b())); break;
    case Type::kBool: out->append(v.boolean() ? "true" : "false"); break;
    case Type::kNull: out->append("true"); break;
    case Type::kM: AppendItemJson(out, v.m()); break;
    case Type::kL: AppendArray(out, v.l(), [&](const AttributeValue& e) { AppendValueJson(out, e); }); break;
    case Type::kSS: AppendArray(out, v.ss(), [&](const std::string& e) { AppendJsonString(out, e); }); break;
    case Type::kNS: AppendArray(out, v.ns(), [&](const Number& e) { AppendJsonString(out, e.ToString()); }); break;
    case Type::kBS: AppendArray(out, v.bs(), [&](const std::string& e) { AppendJsonString(out, Base64Encode(e)); }); break;
  }
  out->push_back('}');
}

void AppendItemJson(std::string* out, const Item& item) {
  out->push_back('{');
  bool first = true;
  for (const auto& [name, value] : item) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(out, name);
    out->push_back(':');
    AppendValueJson(out, value);
  }
  out->push_back('}');
}

}  // namespace localdynamo
