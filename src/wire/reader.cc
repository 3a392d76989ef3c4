#include "wire/reader.h"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "types/ascii.h"

namespace localdynamo::wire {
namespace {

std::string LowerCamel(std::string_view member) {
  std::string s(member);
  if (!s.empty()) s[0] = AsciiLower(s[0]);
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

Reader::Reader(JsonRef j, std::string path, Failures* failures)
    : j_(j && j.IsObject() ? j : JsonRef()), path_(std::move(path)), failures_(failures) {}

std::string Reader::PathOf(std::string_view member) const {
  return path_.empty() ? LowerCamel(member) : path_ + "." + LowerCamel(member);
}

void Reader::FailNull(std::string_view member) {
  failures_->Add(fmt::format(
      "Value null at '{}' failed to satisfy constraint: Member must not be null", PathOf(member)));
}

bool Reader::Has(std::string_view member) const { return static_cast<bool>(Get(member)); }

JsonRef Reader::Get(std::string_view member) const {
  if (!j_) return {};
  const JsonRef v = j_.Find(member);
  if (!v || v.IsNull()) return {};
  return v;
}

std::optional<std::string> Reader::String(std::string_view member) {
  const JsonRef v = Get(member);
  if (!v) return std::nullopt;
  if (!v.IsString())
    ThrowSerialization(fmt::format("{} can not be converted to a String",
                                   v.IsNumber() ? "NUMBER_VALUE"
                                   : v.IsBool() ? "TRUE_VALUE"
                                                : "Start of structure or map"));
  return std::string(v.Str());
}

std::string Reader::RequiredString(std::string_view member) {
  auto s = String(member);
  if (!s) {
    FailNull(member);
    return "";
  }
  return *s;
}

std::optional<bool> Reader::Bool(std::string_view member) {
  const JsonRef v = Get(member);
  if (!v) return std::nullopt;
  if (!v.IsBool()) ThrowSerialization("Unexpected value type in payload");
  return v.Bool();
}

std::optional<int64_t> Reader::Long(std::string_view member) {
  const JsonRef v = Get(member);
  if (!v) return std::nullopt;
  // A whole number written as a float (1.0, 2e3) is taken; one beyond 64 bits is not (the cast
  // itself would be undefined behaviour).
  constexpr double kTwo63 = 9223372036854775808.0;
  if (v.kind() == JsonRef::Kind::kFloat) {
    const double d = v.Float();
    if (d >= -kTwo63 && d < kTwo63 && d == std::trunc(d)) return static_cast<int64_t>(d);
  } else if (v.kind() == JsonRef::Kind::kUnsigned) {
    if (v.Unsigned() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return static_cast<int64_t>(v.Unsigned());
  } else if (v.kind() == JsonRef::Kind::kInteger) {
    return v.Integer();
  } else if (v.IsString()) {
    // A whole number written as a string ("5"), which DynamoDB Local takes and clients built
    // against it send (dynamodb-admin's Create table form): decimal digits, an optional '-',
    // nothing else, within 64 bits.
    const std::string_view text = v.Str();
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return n;
  }
  ThrowSerialization(fmt::format("{} can not be converted to an Integer",
                                 v.IsString() ? "STRING_VALUE" : "Unexpected value"));
}

std::optional<double> Reader::Timestamp(std::string_view member) {
  const JsonRef v = Get(member);
  if (!v) return std::nullopt;
  if (!v.IsNumber()) ThrowSerialization("Unexpected value type in payload");
  return v.AsDouble();
}

Item Reader::RequiredItem(std::string_view member) {
  const JsonRef v = Get(member);
  if (!v) {
    FailNull(member);
    return {};
  }
  return ParseItem(v);
}

std::optional<Item> Reader::OptItem(std::string_view member) {
  const JsonRef v = Get(member);
  if (!v) return std::nullopt;
  return ParseItem(v);
}

std::optional<std::vector<std::string>> Reader::StringList(std::string_view member) {
  const JsonRef v = Get(member);
  if (!v) return std::nullopt;
  if (!v.IsArray()) ThrowSerialization("Unexpected value type in payload");
  std::vector<std::string> out;
  for (const JsonRef e : v.elements()) {
    if (!e.IsString()) ThrowSerialization("Unexpected value type in payload");
    out.emplace_back(e.Str());
  }
  return out;
}

std::optional<NameMap> Reader::Names(std::string_view member) {
  const JsonRef v = Get(member);
  if (!v) return std::nullopt;
  if (!v.IsObject()) ThrowSerialization("Unexpected value type in payload");
  NameMap out;
  for (const auto [k, e] : v.members()) {
    if (!e.IsString()) ThrowSerialization("Unexpected value type in payload");
    out.emplace(k, e.Str());
  }
  return out;
}

std::optional<ValueMap> Reader::Values(std::string_view member) {
  const JsonRef v = Get(member);
  if (!v) return std::nullopt;
  if (!v.IsObject()) ThrowSerialization("Unexpected value type in payload");
  ValueMap out;
  for (const auto [k, e] : v.members()) out.emplace(k, ParseValue(e));
  return out;
}

bool Reader::RequiredBool(std::string_view member) {
  auto b = Bool(member);
  if (!b) FailNull(member);
  return b.value_or(false);
}

std::optional<Reader> Reader::RequiredChild(std::string_view member) {
  if (!Has(member)) {
    FailNull(member);
    return std::nullopt;
  }
  return Child(member);
}

Reader Reader::Child(std::string_view member) const {
  const JsonRef v = Get(member);
  if (v && !v.IsObject()) ThrowSerialization("Unexpected value type in payload");
  return Reader(v, PathOf(member), failures_);
}

}  // namespace localdynamo::wire
