// libFuzzer target: RequestDoc must read any bytes exactly as
// nlohmann::json::parse(bytes, nullptr, false) does (values, number types, member order,
// rejections), and its fast path must stay inside the input. Built by tools/fuzz.sh (clang,
// ASan + UBSan).

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "support/json_same.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!ld_test::ReadsAsNlohmann(text)) std::abort();
  return 0;
}
