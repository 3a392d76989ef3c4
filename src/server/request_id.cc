#include "server/request_id.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace localdynamo::server {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
constexpr std::size_t kHalf = 26;

// 128 bits (most significant first) as base32hex without padding, into out[0..26): 25
// characters of 5 bits, the last carrying 3 bits and two zero bits. Written into a buffer
// rather than appended a character at a time: it is on every response.
constexpr void Base32Hex(unsigned __int128 bits, char* out) {
#pragma GCC unroll 25  // every shift by a constant
  for (std::size_t i = 0; i < kHalf - 1; ++i) out[i] = kAlphabet[static_cast<unsigned>(bits >> (123 - 5 * i)) & 31];
  out[kHalf - 1] = kAlphabet[(static_cast<unsigned>(bits) & 7) << 2];
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
  unsigned __int128 bits = 0;
  for (std::size_t i = 0; i < 16; ++i) bits = bits << 8 | static_cast<uint8_t>(kName[i]);
  struct { char text[kHalf]; } out{};
  Base32Hex(bits, out.text);
  return out;
}();

}  // namespace

std::string RequestId(std::string_view uuid) {
  // The digits into two 64-bit halves (128-bit shifts by a variable amount cost several
  // instructions each, on every response).
  uint64_t half[2] = {0, 0};
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
  char out[2 * kHalf];
  Base32Hex(static_cast<unsigned __int128>(half[0]) << 64 | half[1], out);
  std::memcpy(out + kHalf, kSuffix.text, kHalf);
  return std::string(out, sizeof out);
}

}  // namespace localdynamo::server
