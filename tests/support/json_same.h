#pragma once
// Equal JSON values of equal types all the way down: json's own == calls 1u and 1 equal,
// and the request parser must give the number types nlohmann's parser gives.

#include <cstddef>
#include <stdexcept>
#include <string>

#include "wire/json_parse.h"
#include "wire/json_value.h"

namespace ld_test {

inline bool SameJson(const localdynamo::wire::json& a, const localdynamo::wire::json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
      if (ia.key() != ib.key() || !SameJson(*ia, *ib)) return false;
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!SameJson(a[i], b[i])) return false;
    return true;
  }
  return a.is_discarded() || a == b;
}

// A request document's value as nlohmann's json, checking on the way that each object's
// members come in strictly increasing name order and that Size() counts them.
inline localdynamo::wire::json ToNlohmann(localdynamo::wire::JsonRef v) {
  using localdynamo::wire::json;
  using Kind = localdynamo::wire::JsonRef::Kind;
  switch (v.kind()) {
    case Kind::kNull:
      return nullptr;
    case Kind::kBool:
      return v.Bool();
    case Kind::kString:
      return std::string(v.Str());
    case Kind::kUnsigned:
      return v.Unsigned();
    case Kind::kInteger:
      return v.Integer();
    case Kind::kFloat:
      return v.Float();
    case Kind::kArray: {
      json a = json::array();
      for (const auto e : v.elements()) a.push_back(ToNlohmann(e));
      if (a.size() != v.Size()) throw std::logic_error("array size");
      return a;
    }
    case Kind::kObject: {
      json o = json::object();
      std::string previous;
      std::size_t n = 0;
      for (const auto [name, e] : v.members()) {
        if (n++ > 0 && !(previous < name)) throw std::logic_error("members out of order");
        previous = std::string(name);
        o[previous] = ToNlohmann(e);
        if (v.Find(name).kind() != e.kind()) throw std::logic_error("Find");
      }
      if (n != v.Size()) throw std::logic_error("object size");
      return o;
    }
  }
  throw std::logic_error("kind");
}

// Whether RequestDoc reads `text` as json::parse(text, nullptr, false) does: the same
// values with the same number types, or the same rejection.
inline bool ReadsAsNlohmann(std::string_view text) {
  using localdynamo::wire::json;
  const json expected = json::parse(text, nullptr, false);
  localdynamo::wire::RequestDoc doc;
  if (!doc.Parse(text)) return expected.is_discarded();
  return !expected.is_discarded() && SameJson(ToNlohmann(doc.root()), expected);
}

}  // namespace ld_test
