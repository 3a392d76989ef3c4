#include "server/request_id.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace localdynamo::server {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
constexpr std::size_t kHalf = 26;

// 128 bits, `hi` then `lo`, as base32hex without padding, into out[0..26): 25 characters of
// 5 bits, the last carrying 3 bits and two zero bits. From the two 64-bit halves, every
// character one shift and mask (a 128-bit shift took several instructions each); written
// into a buffer rather than appended a character at a time: it is on every response.
constexpr void Base32Hex(uint64_t hi, uint64_t lo, char* out) {
  auto digit = [](uint64_t v) { return kAlphabet[v & 31]; };
  for (int i = 0; i < 12; ++i) out[i] = digit(hi >> (59 - 5 * i));  // hi's bits 63..4
  out[12] = digit((hi & 15) << 1 | lo >> 63);
  for (int i = 0; i < 12; ++i) out[13 + i] = digit(lo >> (58 - 5 * i));  // lo's bits 62..3
  out[kHalf - 1] = digit((lo & 7) << 2);
}

// Each byte's value as a hex digit; 0 for anything else.
constexpr auto kHexValue = [] {
  std::array<uint8_t, 256> v{};
  for (int c = '0'; c <= '9'; ++c) v[c] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) v[c] = static_cast<uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) v[c] = static_cast<uint8_t>(c - 'A' + 10);
  return v;
}();

// The constant half: the 16 bytes of "localdynamo serv" (this server's, where DynamoDB's names
// its front end).
constexpr auto kSuffix = [] {
  constexpr char kName[] = "localdynamo serv";
  uint64_t half[2] = {0, 0};
  for (std::size_t i = 0; i < 16; ++i)
    half[i / 8] = half[i / 8] << 8 | static_cast<uint8_t>(kName[i]);
  struct {
    char text[kHalf];
  } out{};
  Base32Hex(half[0], half[1], out.text);
  return out;
}();

}  // namespace

RequestIdText RequestId(std::string_view uuid) {
  // The digits into two 64-bit halves.
  uint64_t half[2] = {0, 0};
  if (uuid.size() == 36 && uuid[8] == '-' && uuid[13] == '-' && uuid[18] == '-' &&
      uuid[23] == '-') {
    // The canonical form, what the IdSource gives: digits at known places, no tests per digit.
    constexpr uint8_t kDigitAt[32] = {0,  1,  2,  3,  4,  5,  6,  7,  9,  10, 11,
                                      12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25,
                                      26, 27, 28, 29, 30, 31, 32, 33, 34, 35};
    auto digit = [&](int i) -> uint64_t {
      return kHexValue[static_cast<unsigned char>(uuid[kDigitAt[i]])];
    };
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) half[0] = half[0] << 4 | digit(i);
#pragma GCC unroll 16
    for (int i = 16; i < 32; ++i) half[1] = half[1] << 4 | digit(i);
  } else {
    int digits = 0;
    for (char c : uuid) {
      if (c == '-') continue;
      if (digits == 32) break;
      uint64_t& h = half[digits / 16];
      h = h << 4 | kHexValue[static_cast<unsigned char>(c)];
      ++digits;
    }
    // A short id is zero-filled at the end.
    if (digits % 16 != 0) half[digits / 16] <<= 4 * (16 - digits % 16);
  }
  RequestIdText out;
  Base32Hex(half[0], half[1], out.text);
  std::memcpy(out.text + kHalf, kSuffix.text, kHalf);
  return out;
}

}  // namespace localdynamo::server
