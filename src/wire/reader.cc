#include "wire/reader.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace localdynamo::wire {
namespace {

const json& EmptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

std::string LowerCamel(const char* member) {
  std::string s(member);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace

void Failures::ThrowIfAny() const {
  if (failures_.empty()) return;
  std::string joined;
  for (const auto& f : failures_) joined += (joined.empty() ? "" : "; ") + f;
  ThrowValidation(fmt::format("{} validation error{} detected: {}", failures_.size(),
                              failures_.size() == 1 ? "" : "s", joined));
}

void ThrowConstraint(const std::string& failure) {
  ThrowValidation("1 validation error detected: " + failure);
}

Reader::Reader(const json& j, std::string path, Failures* failures)
    : j_(j.is_object() ? j : EmptyObject()), path_(std::move(path)), failures_(failures) {}

std::string Reader::PathOf(const char* member) const {
  return path_.empty() ? LowerCamel(member) : path_ + "." + LowerCamel(member);
}

void Reader::FailNull(const char* member) {
  failures_->Add(fmt::format("Value null at '{}' failed to satisfy constraint: Member must not be null", PathOf(member)));
}

bool Reader::Has(const char* member) const { return Get(member) != nullptr; }

const json* Reader::Get(const char* member) const {
  auto it = j_.find(member);
  if (it == j_.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::string> Reader::String(const char* member) {
  const json* v = Get(member);
  if (!v) return std::nullopt;
  if (!v->is_string())
    ThrowSerialization(fmt::format("{} can not be converted to a String",
                                   v->is_number() ? "NUMBER_VALUE" : v->is_boolean() ? "TRUE_VALUE" : "Start of structure or map"));
  return v->get<std::string>();
}

std::string Reader::RequiredString(const char* member) {
  auto s = String(member);
  if (!s) {
    FailNull(member);
    return "";
  }
  return *s;
}

std::optional<bool> Reader::Bool(const char* member) {
  const json* v = Get(member);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) ThrowSerialization("Unexpected value type in payload");
  return v->get<bool>();
}

std::optional<int64_t> Reader::Long(const char* member) {
  const json* v = Get(member);
  if (!v) return std::nullopt;
  // A whole number written as a float (1.0, 2e3) is taken; one beyond 64 bits is not (the cast
  // itself would be undefined behaviour).
  constexpr double kTwo63 = 9223372036854775808.0;
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (d >= -kTwo63 && d < kTwo63 && d == std::trunc(d)) return static_cast<int64_t>(d);
  } else if (v->is_number_unsigned()) {
    if (v->get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return v->get<int64_t>();
  } else if (v->is_number_integer()) {
    return v->get<int64_t>();
  }
  ThrowSerialization(fmt::format("{} can not be converted to an Integer", v->is_string() ? "STRING_VALUE" : "Unexpected value"));
}

std::optional<double> Reader::Timestamp(const char* member) {
  const json* v = Get(member);
  if (!v) return std::nullopt;
  if (!v->is_number()) ThrowSerialization("Unexpected value type in payload");
  return v->get<double>();
}

Item Reader::RequiredItem(const char* member) {
  const json* v = Get(member);
  if (!v) {
    FailNull(member);
    return {};
  }
  return ParseItem(*v);
}

std::optional<Item> Reader::OptItem(const char* member) {
  const json* v = Get(member);
  if (!v) return std::nullopt;
  return ParseItem(*v);
}

std::optional<std::vector<std::string>> Reader::StringList(const char* member) {
  const json* v = Get(member);
  if (!v) return std::nullopt;
  if (!v->is_array()) ThrowSerialization("Unexpected value type in payload");
  std::vector<std::string> out;
  for (const auto& e : *v) {
    if (!e.is_string()) ThrowSerialization("Unexpected value type in payload");
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::optional<NameMap> Reader::Names(const char* member) {
  const json* v = Get(member);
  if (!v) return std::nullopt;
  if (!v->is_object()) ThrowSerialization("Unexpected value type in payload");
  NameMap out;
  for (const auto& [k, e] : v->items()) {
    if (!e.is_string()) ThrowSerialization("Unexpected value type in payload");
    out.emplace(k, e.get<std::string>());
  }
  return out;
}

std::optional<ValueMap> Reader::Values(const char* member) {
  const json* v = Get(member);
  if (!v) return std::nullopt;
  if (!v->is_object()) ThrowSerialization("Unexpected value type in payload");
  ValueMap out;
  for (const auto& [k, e] : v->items()) out.emplace(k, ParseValue(e));
  return out;
}

bool Reader::RequiredBool(const char* member) {
  auto b = Bool(member);
  if (!b) FailNull(member);
  return b.value_or(false);
}

std::optional<Reader> Reader::RequiredChild(const char* member) {
  if (!Has(member)) {
    FailNull(member);
    return std::nullopt;
  }
  return Child(member);
}

Reader Reader::Child(const char* member) const {
  const json* v = Get(member);
  if (v && !v->is_object()) ThrowSerialization("Unexpected value type in payload");
  return Reader(v ? *v : EmptyObject(), PathOf(member), failures_);
}

}  // namespace localdynamo::wire
