#include "server/request_id.h"

#include <array>
#include <cstdint>

namespace localdynamo::server {
namespace {

using Bytes16 = std::array<uint8_t, 16>;

// 16 bytes as base32hex without padding: 26 characters, the last carrying 3 bits and two
// zero bits.
void AppendBase32Hex(std::string* out, const Bytes16& bytes) {
  constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out->push_back(kAlphabet[(buffer >> bits) & 31]);
    }
  }
  if (bits > 0) out->push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

// The constant half: the 16 bytes of "localdynamo serv" (this server's, where DynamoDB's names
// its front end).
const std::string& Suffix() {
  static const std::string suffix = [] {
    constexpr std::string_view kName = "localdynamo serv";
    Bytes16 bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(kName[i]);
    std::string s;
    AppendBase32Hex(&s, bytes);
    return s;
  }();
  return suffix;
}

}  // namespace

std::string RequestId(std::string_view uuid) {
  Bytes16 bytes{};
  std::size_t n = 0;
  for (std::size_t i = 0; i < uuid.size() && n < 32; ++i) {
    if (uuid[i] == '-') continue;
    bytes[n / 2] = static_cast<uint8_t>(bytes[n / 2] << 4 | HexDigit(uuid[i]));
    ++n;
  }
  std::string out;
  out.reserve(52);
  AppendBase32Hex(&out, bytes);
  out += Suffix();
  return out;
}

}  // namespace localdynamo::server
