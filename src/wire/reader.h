#pragma once
// Reading request members with DynamoDB's (Coral's) validation: wrong JSON types are
// SerializationException at once; missing required members, bad enum values and range
// violations are collected and reported together as one ValidationException
// ("2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: ...").

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "localdynamo/requests.h"
#include "wire/json_parse.h"
#include "wire/json_value.h"

namespace localdynamo::wire {

class Failures {
 public:
  void Add(std::string f) { failures_.push_back(std::move(f)); }
  // Throws the aggregated ValidationException, if any.
  void ThrowIfAny() const;

 private:
  std::vector<std::string> failures_;
};

template <class E>
struct EnumName {
  const char* name;
  E value;
};

class Reader {
 public:
  // `path` is the member path used in messages ("" at the top level).
  // `j` an object (anything else reads as an empty one).
  Reader(JsonRef j, std::string path, Failures* failures);

  bool Has(std::string_view member) const;
  JsonRef Get(std::string_view member) const;  // none when absent or JSON null

  std::string RequiredString(std::string_view member);
  std::optional<std::string> String(std::string_view member);
  std::optional<bool> Bool(std::string_view member);
  bool RequiredBool(std::string_view member);  // false, with the null failure, when missing
  std::optional<int64_t> Long(std::string_view member);
  std::optional<double> Timestamp(
      std::string_view member);  // epoch seconds, as the JSON protocol sends them
  Item RequiredItem(std::string_view member);
  std::optional<Item> OptItem(std::string_view member);
  std::optional<std::vector<std::string>> StringList(std::string_view member);
  std::optional<NameMap> Names(std::string_view member);
  std::optional<ValueMap> Values(std::string_view member);

  template <class E, std::size_t N>
  std::optional<E> Enum(std::string_view member, const EnumName<E> (&names)[N],
                        const char* allowed) {
    auto s = String(member);
    if (!s) return std::nullopt;
    for (const auto& n : names)
      if (*s == n.name) return n.value;
    failures_->Add(
        "Value '" + *s + "' at '" + PathOf(member) +
        "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
    return std::nullopt;
  }

  // Each element of an array member (an object), with its own path "member.N.member".
  template <class F>
  void EachObject(std::string_view member, F f) {
    const JsonRef a = Get(member);
    if (!a) return;
    if (!a.IsArray()) ThrowSerialization("Unexpected value type in payload");
    std::size_t i = 0;
    for (const JsonRef e : a.elements()) {
      ++i;
      if (!e.IsObject()) ThrowSerialization("Unexpected value type in payload");
      Reader r(e, PathOf(member) + "." + std::to_string(i) + ".member", failures_);
      f(r);
    }
  }
  Reader Child(std::string_view member) const;  // for an object member (absent: an empty object)
  // A required object member; nullopt, with the null failure, when it is missing.
  std::optional<Reader> RequiredChild(std::string_view member);

  std::string PathOf(std::string_view member) const;
  Failures* failures() const { return failures_; }
  void Fail(std::string f) { failures_->Add(std::move(f)); }
  // "Value null at '<path>' failed to satisfy constraint: Member must not be null".
  void FailNull(std::string_view member);

 private:
  JsonRef j_;  // none: an empty object
  std::string path_;
  Failures* failures_;
};

// "1 validation error detected: ..." for one constraint, as a WireError.
[[noreturn]] void ThrowConstraint(const std::string& failure);

}  // namespace localdynamo::wire
