#include "wire/json_value.h"

#include "types/json_text.h"
#include "types/nesting.h"
#include "types/set_rules.h"

#include <algorithm>

#include <fmt/format.h>

namespace localdynamo::wire {

void ThrowSerialization(std::string message) {
  throw WireError(Error{ErrorCode::kSerialization, std::move(message), nullptr, {}});
}
void ThrowValidation(std::string message) { throw WireError(ValidationError(std::move(message))); }

namespace {

std::string_view StringMember(JsonRef j) {
  if (!j.IsString())
    ThrowSerialization(
        fmt::format("{} can not be converted to a String", j.IsNumber()   ? "NUMBER_VALUE"
                                                           : j.IsBool()   ? "TRUE_VALUE"
                                                           : j.IsObject() ? "START_OBJECT"
                                                                          : "START_ARRAY"));
  return j.Str();
}

JsonRef::Elements ArrayMember(JsonRef j) {
  if (!j.IsArray()) ThrowSerialization("Unexpected value type in payload");
  return j.elements();
}

AttributeValue Checked(AttributeValue set) {
  if (Status s = CheckSetMembers(set); !s.ok()) throw WireError(std::move(s).error());
  return set;
}

Number ParseNumber(JsonRef j) {
  auto n = Number::Parse(StringMember(j));
  if (!n.ok()) throw WireError(std::move(n).error());
  return std::move(n).value();
}

}  // namespace

std::string Base64Decode(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  if (in.size() % 4 != 0)
    ThrowSerialization(fmt::format(
        "Base64 encoded length is expected a multiple of 4 bytes but found: {}", in.size()));
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = in[i + k];
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad) ThrowSerialization("Invalid last non-pad Base64 character dectected");
      v[k] = value(c);
      if (v[k] < 0) ThrowSerialization(fmt::format("Invalid Base64 character: '{}'", c));
    }
    uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xFF));
  }
  return out;
}

namespace {

Item ParseItemAt(JsonRef j, int depth);

// `depth`: the value's level, an item's attributes being level 1. Past kMaxReadNesting the
// value is refused before anything inside it is read (types/nesting.h).
AttributeValue ParseValueAt(JsonRef j, int depth) {
  if (depth > kMaxReadNesting) ThrowValidation("Nesting Levels have exceeded supported limits");
  if (!j.IsObject()) ThrowSerialization("Unexpected value type in payload");
  if (j.Size() == 0)
    ThrowValidation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  if (j.Size() > 1)
    ThrowValidation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
        "supported datatypes");
  const auto [type, v] = *j.members().begin();
  if (type == "S") return AttributeValue::S(std::string(StringMember(v)));
  if (type == "N") return AttributeValue::N(ParseNumber(v));
  if (type == "B") return AttributeValue::B(Base64Decode(StringMember(v)));
  if (type == "BOOL") {
    if (!v.IsBool()) ThrowSerialization("Unexpected value type in payload");
    return AttributeValue::Bool(v.Bool());
  }
  if (type == "NULL") {
    if (!v.IsBool()) ThrowSerialization("Unexpected value type in payload");
    if (!v.Bool())
      ThrowValidation(
          "One or more parameter values were invalid: Null attribute value types must have the "
          "value of true");
    return AttributeValue::MakeNull();
  }
  if (type == "M") {
    if (!v.IsObject()) ThrowSerialization("Unexpected value type in payload");
    return AttributeValue::M(ParseItemAt(v, depth + 1));
  }
  if (type == "L") {
    List l;
    for (const JsonRef e : ArrayMember(v)) l.push_back(ParseValueAt(e, depth + 1));
    return AttributeValue::L(std::move(l));
  }
  if (type == "SS" || type == "BS") {
    std::vector<std::string> values;
    for (const JsonRef e : ArrayMember(v))
      values.push_back(type == "SS" ? std::string(StringMember(e)) : Base64Decode(StringMember(e)));
    return Checked(type == "SS" ? AttributeValue::SS(std::move(values))
                                : AttributeValue::BS(std::move(values)));
  }
  if (type == "NS") {
    std::vector<Number> values;
    for (const JsonRef e : ArrayMember(v)) values.push_back(ParseNumber(e));
    return Checked(AttributeValue::NS(std::move(values)));
  }
  ThrowValidation(
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
}

Item ParseItemAt(JsonRef j, int depth) {
  if (!j.IsObject()) ThrowSerialization("Unexpected value type in payload");
  Item item;
  item.reserve(j.Size());
  // The document holds the names in order already: each is appended, with no search.
  for (const auto [name, value] : j.members()) item.AppendSorted(name) = ParseValueAt(value, depth);
  return item;
}

}  // namespace

AttributeValue ParseValue(JsonRef j) { return ParseValueAt(j, 1); }
Item ParseItem(JsonRef j) { return ParseItemAt(j, 1); }

json ValueJson(const AttributeValue& v) {
  switch (v.type()) {
    case Type::kS:
      return {{"S", v.s()}};
    case Type::kN:
      return {{"N", v.n().ToString()}};
    case Type::kB:
      return {{"B", Base64Encode(v.b())}};
    case Type::kBool:
      return {{"BOOL", v.boolean()}};
    case Type::kNull:
      return {{"NULL", true}};
    case Type::kM:
      return {{"M", ItemJson(v.m())}};
    case Type::kL: {
      json a = json::array();
      for (const auto& e : v.l()) a.push_back(ValueJson(e));
      return {{"L", std::move(a)}};
    }
    case Type::kSS:
      return {{"SS", v.ss()}};
    case Type::kNS: {
      json a = json::array();
      for (const auto& e : v.ns()) a.push_back(e.ToString());
      return {{"NS", std::move(a)}};
    }
    case Type::kBS: {
      json a = json::array();
      for (const auto& e : v.bs()) a.push_back(Base64Encode(e));
      return {{"BS", std::move(a)}};
    }
  }
  return json::object();
}

json ItemJson(const Item& item) {
  json o = json::object();
  for (const auto& [k, v] : item) o[k] = ValueJson(v);
  return o;
}

std::string DumpJson(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace localdynamo::wire
