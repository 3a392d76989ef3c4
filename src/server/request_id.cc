#include "server/request_id.h"

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
  for (std::size_t i = 0; i < kHalf - 1; ++i) out[i] = kAlphabet[static_cast<unsigned>(bits >> (123 - 5 * i)) & 31];
  out[kHalf - 1] = kAlphabet[(static_cast<unsigned>(bits) & 7) << 2];
}

constexpr int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

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
  unsigned __int128 bits = 0;
  int digits = 0;
  for (std::size_t i = 0; i < uuid.size() && digits < 32; ++i) {
    if (uuid[i] == '-') continue;
    bits = bits << 4 | static_cast<unsigned>(HexDigit(uuid[i]));
    ++digits;
  }
  bits <<= 4 * (32 - digits);  // a short id is zero-filled at the end, as before
  std::string out(2 * kHalf, '\0');
  Base32Hex(bits, out.data());
  std::memcpy(out.data() + kHalf, kSuffix.text, kHalf);
  return out;
}

}  // namespace localdynamo::server
