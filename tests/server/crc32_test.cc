#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <zlib.h>

#include <string>

#include "server/crc32.h"

using localdynamo::server::Crc32;

namespace {
uint32_t Zlib(std::string_view s) {
  return static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(s.data()), s.size()));
}
}  // namespace

TEST_CASE("Crc32: known values") {
  CHECK(Crc32("") == 0u);
  CHECK(Crc32("123456789") == 0xCBF43926u);  // the CRC-32 check value
  CHECK(Crc32(std::string(1000, 'a')) == Zlib(std::string(1000, 'a')));
}

TEST_CASE("Crc32 equals zlib's crc32 for every length and alignment") {
  // Lengths around the 64- and 256-byte thresholds, the 16-, 64- and 256-byte blocks (several
  // turns of each folding loop), at odd offsets.
  std::string buf;
  for (int i = 0; i < 1200; ++i) buf.push_back(static_cast<char>((i * 131 + 7) % 251));
  for (std::size_t offset = 0; offset < 3; ++offset)
    for (std::size_t n = 0; n + offset <= buf.size(); ++n) {
      std::string_view s(buf.data() + offset, n);
      REQUIRE(Crc32(s) == Zlib(s));
    }
  std::string large;
  for (int i = 0; i < 100000; ++i) large.push_back(static_cast<char>((i * 7919 + i / 253) % 256));
  for (std::size_t n : {7561, 65536, 99999})
    CHECK(Crc32(std::string_view(large).substr(0, n)) == Zlib(large.substr(0, n)));
  CHECK(rc::check("random bodies", [](const std::string& s) { RC_ASSERT(Crc32(s) == Zlib(s)); }));
}
