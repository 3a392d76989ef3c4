#include "localdynamo/value.h"

#include <algorithm>

namespace localdynamo {

std::string_view TypeName(Type t) {
  static constexpr std::string_view kNames[] = {"S", "N",  "B",  "BOOL", "NULL",
                                                "M", "L", "SS", "NS",   "BS"};
  return kNames[static_cast<int>(t)];
}

namespace {

template <class T>
bool SameMembers(std::vector<T> a, std::vector<T> b) {
  if (a.size() != b.size()) return false;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace

bool AttributeValue::operator==(const AttributeValue& other) const {
  if (type() != other.type()) return false;
  switch (type()) {
    case Type::kSS: return SameMembers(ss(), other.ss());
    case Type::kNS: return SameMembers(ns(), other.ns());
    case Type::kBS: return SameMembers(bs(), other.bs());
    default: return v_ == other.v_;
  }
}

}  // namespace localdynamo

namespace localdynamo {
namespace {

void AppendQuoted(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

void AppendDebug(std::string* out, const AttributeValue& v);

void AppendDebug(std::string* out, const Item& item) {
  out->push_back('{');
  bool first = true;
  for (const auto& [name, value] : item) {
    if (!first) out->push_back(',');
    first = false;
    AppendQuoted(out, name);
    out->push_back(':');
    AppendDebug(out, value);
  }
  out->push_back('}');
}

template <class T, class F>
void AppendArray(std::string* out, const std::vector<T>& values, F each) {
  out->push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out->push_back(',');
    each(values[i]);
  }
  out->push_back(']');
}

// Binary is shown as hex here (the wire layer uses base64); this is for messages only.
std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

void AppendDebug(std::string* out, const AttributeValue& v) {
  out->append("{\"");
  out->append(TypeName(v.type()));
  out->append("\":");
  switch (v.type()) {
    case Type::kS: AppendQuoted(out, v.s()); break;
    case Type::kN: AppendQuoted(out, v.n().ToString()); break;
    case Type::kB: AppendQuoted(out, Hex(v.b())); break;
    case Type::kBool: out->append(v.boolean() ? "true" : "false"); break;
    case Type::kNull: out->append("true"); break;
    case Type::kM: AppendDebug(out, v.m()); break;
    case Type::kL:
      AppendArray(out, v.l(), [&](const AttributeValue& e) { AppendDebug(out, e); });
      break;
    case Type::kSS:
      AppendArray(out, v.ss(), [&](const std::string& e) { AppendQuoted(out, e); });
      break;
    case Type::kNS:
      AppendArray(out, v.ns(), [&](const Number& e) { AppendQuoted(out, e.ToString()); });
      break;
    case Type::kBS:
      AppendArray(out, v.bs(), [&](const std::string& e) { AppendQuoted(out, Hex(e)); });
      break;
  }
  out->push_back('}');
}

}  // namespace

std::string DebugString(const AttributeValue& v) {
  std::string out;
  AppendDebug(&out, v);
  return out;
}

std::string DebugString(const Item& item) {
  std::string out;
  AppendDebug(&out, item);
  return out;
}

}  // namespace localdynamo
