#pragma once
// Equal JSON values of equal types all the way down: json's own == calls 1u and 1 equal,
// and the request parser must give the number types nlohmann's parser gives.

#include <cstddef>

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

}  // namespace ld_test
