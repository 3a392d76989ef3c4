#pragma once
// AttributeValue: DynamoDB's ten attribute types, and Item (attribute name -> value).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "localdynamo/number.h"
#include "localdynamo/schema.h"
#include "localdynamo/status.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

// Wire order of the variant below; also the type tag used in DynamoDB JSON ("S", "N", ...).
enum class Type : uint8_t { kS = 0, kN, kB, kBool, kNull, kM, kL, kSS, kNS, kBS };

// "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS". Inline: JSON writers call it
// for every value.
constexpr std::string_view TypeName(Type t) {
  constexpr std::string_view kNames[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
  return kNames[static_cast<int>(t)];
}

// The attribute type of a key attribute of this scalar type.
inline Type ToValueType(ScalarAttributeType t) {
  switch (t) {
    case ScalarAttributeType::kS:
      return Type::kS;
    case ScalarAttributeType::kN:
      return Type::kN;
    case ScalarAttributeType::kB:
      return Type::kB;
  }
  return Type::kS;
}

struct Binary {
  std::string bytes;
  bool operator==(const Binary&) const = default;
};
struct Null {
  bool operator==(const Null&) const = default;
};
// Sets keep the order they were given in; equality ignores order, as DynamoDB's does.
struct StringSet {
  std::vector<std::string> values;
  bool operator==(const StringSet&) const = default;
};
struct NumberSet {
  std::vector<Number> values;
  bool operator==(const NumberSet&) const = default;
};
struct BinarySet {
  std::vector<std::string> values;
  bool operator==(const BinarySet&) const = default;
};

using Map = Item;  // status.h: FlatMap<AttributeValue>
using List = std::vector<AttributeValue>;

class AttributeValue {
 public:
  using Variant = std::variant<std::string, Number, Binary, bool, Null, Map, List, StringSet,
                               NumberSet, BinarySet>;

  AttributeValue() : v_(Null{}) {}
  AttributeValue(Variant v) : v_(std::move(v)) {}  // NOLINT: implicit by design

  static AttributeValue S(std::string s) { return Variant(std::in_place_index<0>, std::move(s)); }
  static AttributeValue N(Number n) { return Variant(std::move(n)); }
  static AttributeValue B(std::string bytes) { return Variant(Binary{std::move(bytes)}); }
  static AttributeValue Bool(bool b) { return Variant(b); }
  static AttributeValue MakeNull() { return Variant(Null{}); }
  static AttributeValue M(Map m) { return Variant(std::move(m)); }
  static AttributeValue L(List l) { return Variant(std::move(l)); }
  static AttributeValue SS(std::vector<std::string> v) { return Variant(StringSet{std::move(v)}); }
  static AttributeValue NS(std::vector<Number> v) { return Variant(NumberSet{std::move(v)}); }
  static AttributeValue BS(std::vector<std::string> v) { return Variant(BinarySet{std::move(v)}); }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is(Type t) const { return type() == t; }

  // Accessors; the caller checks type() first (std::bad_variant_access otherwise).
  const std::string& s() const { return std::get<0>(v_); }
  const Number& n() const { return std::get<Number>(v_); }
  const std::string& b() const { return std::get<Binary>(v_).bytes; }
  bool boolean() const { return std::get<bool>(v_); }
  const Map& m() const { return std::get<Map>(v_); }
  Map& m() { return std::get<Map>(v_); }
  const List& l() const { return std::get<List>(v_); }
  List& l() { return std::get<List>(v_); }
  const std::vector<std::string>& ss() const { return std::get<StringSet>(v_).values; }
  const std::vector<Number>& ns() const { return std::get<NumberSet>(v_).values; }
  const std::vector<std::string>& bs() const { return std::get<BinarySet>(v_).values; }

  const Variant& variant() const { return v_; }
  Variant& variant() { return v_; }

  // DynamoDB equality: same type and value; numbers compared numerically; sets as sets.
  bool operator==(const AttributeValue& other) const;

 private:
  Variant v_;
};

// Size in bytes of one attribute value / an item, exactly as DynamoDB counts it (drives the
// 400 KB item limit and consumed capacity).
std::size_t ValueSize(const AttributeValue& v);
std::size_t ItemSize(const Item& item);

// One line of DynamoDB JSON ({"S":"x"}, binary as base64), as the wire writes it.
std::string DebugString(const AttributeValue& v);
std::string DebugString(const Item& item);

}  // namespace localdynamo

#pragma GCC visibility pop
