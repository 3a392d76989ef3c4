// libFuzzer target: ParseRequestJson must read any bytes exactly as
// nlohmann::json::parse(bytes, nullptr, false) does (values, number types, rejections), and
// its fast path must stay inside the input. Built by tools/fuzz.sh (clang, ASan + UBSan).

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "support/json_same.h"
#include "wire/json_parse.h"

using localdynamo::wire::json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!ld_test::SameJson(localdynamo::wire::ParseRequestJson(text), json::parse(text, nullptr, false))) std::abort();
  return 0;
}
