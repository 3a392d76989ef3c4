#include "types/json_text.h"

#include "types/ascii.h"

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
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63],
            kAlphabet[n & 63]};
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

char* WriteJsonEscape(char* p, unsigned char c) {
  *p++ = '\\';
  switch (c) {
    case '"':
      *p++ = '"';
      break;
    case '\\':
      *p++ = '\\';
      break;
    case '\n':
      *p++ = 'n';
      break;
    case '\r':
      *p++ = 'r';
      break;
    case '\t':
      *p++ = 't';
      break;
    case '\b':
      *p++ = 'b';
      break;
    case '\f':
      *p++ = 'f';
      break;
    default:
      std::memcpy(p, "u00", 3);
      p[3] = kLowerHexDigits[c >> 4];
      p[4] = kLowerHexDigits[c & 15];
      p += 5;
  }
  return p;
}

namespace json_text_detail {

char* WriteEscapedRest(char* p, std::string_view s) {
  // Plain runs a word at a time, the rest a byte at a time.
  const char* in = s.data();
  const char* const end = in + s.size();
  while (true) {
    while (end - in >= 8) {
      uint64_t w;
      std::memcpy(&w, in, 8);
      std::memcpy(p, &w, 8);
      if (NeedsEscape(w)) break;
      in += 8;
      p += 8;
    }
    while (in < end && !Escaped(static_cast<unsigned char>(*in))) *p++ = *in++;
    if (in == end) break;
    p = WriteJsonEscape(p, static_cast<unsigned char>(*in++));
  }
  *p++ = '"';
  return p;
}

}  // namespace json_text_detail

void AppendJsonString(std::string* out, std::string_view s) {
  // Most strings (names, keys, short values) go through a buffer on the stack: one append.
  constexpr std::size_t kShort = 64;
  if (s.size() <= kShort) {
    char buf[JsonStringBound(kShort)];
    out->append(buf, static_cast<std::size_t>(WriteJsonString(buf, s) - buf));
    return;
  }
  const std::size_t at = out->size();
  out->resize(at + JsonStringBound(s.size()));
  out->resize(static_cast<std::size_t>(WriteJsonString(out->data() + at, s) - out->data()));
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
  out->append(JsonValueOpening(v.type()).text());
  switch (v.type()) {
    case Type::kS:
      AppendJsonString(out, v.s());
      break;
    case Type::kN:
      AppendJsonString(out, v.n().ToString());
      break;
    case Type::kB:
      AppendJsonString(out, Base64Encode(v.b()));
      break;
    case Type::kBool:
      out->append(v.boolean() ? "true" : "false");
      break;
    case Type::kNull:
      out->append("true");
      break;
    case Type::kM:
      AppendItemJson(out, v.m());
      break;
    case Type::kL:
      AppendArray(out, v.l(), [&](const AttributeValue& e) { AppendValueJson(out, e); });
      break;
    case Type::kSS:
      AppendArray(out, v.ss(), [&](const std::string& e) { AppendJsonString(out, e); });
      break;
    case Type::kNS:
      AppendArray(out, v.ns(), [&](const Number& e) { AppendJsonString(out, e.ToString()); });
      break;
    case Type::kBS:
      AppendArray(out, v.bs(),
                  [&](const std::string& e) { AppendJsonString(out, Base64Encode(e)); });
      break;
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
