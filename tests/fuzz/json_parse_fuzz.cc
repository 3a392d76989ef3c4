// libFuzzer target: ParseRequestJson must read any bytes exactly as
// nlohmann::json::parse(bytes, nullptr, false) does (values, number types, rejections), and
// its fast path must stay inside the input. Built by tools/fuzz.sh (clang, ASan + UBSan).

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wire/json_parse.h"

using localdynamo::wire::json;

namespace {

bool Same(const json& a, const json& b) {
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
      if (ia.key() != ib.key() || !Same(*ia, *ib)) return false;
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!Same(a[i], b[i])) return false;
    return true;
  }
  return a.is_discarded() || a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!Same(localdynamo::wire::ParseRequestJson(text), json::parse(text, nullptr, false))) std::abort();
  return 0;
}
