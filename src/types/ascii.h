#pragma once
// ASCII text helpers shared by every layer: the protocol's words (header names, expression and
// PartiQL keywords, the "aws:" tag prefix) are ASCII, and libc's tolower/toupper are
// locale-aware calls per byte.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace localdynamo {

// [A-Za-z0-9], what isalnum answers in the C locale, without a libc call per byte.
constexpr bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}
constexpr char AsciiUpper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - ('a' - 'A')) : c;
}

// Equality ignoring ASCII case (other bytes compare as they are).
constexpr bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

constexpr bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

inline std::string AsciiUppercase(std::string s) {
  for (char& c : s) c = AsciiUpper(c);
  return s;
}
inline std::string AsciiLowercase(std::string s) {
  for (char& c : s) c = AsciiLower(c);
  return s;
}

inline constexpr char kLowerHexDigits[] = "0123456789abcdef";

// Lowercase hex of each byte, two digits a byte (digests, signatures, tokens).
inline std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(2 * bytes.size());
  for (unsigned char c : bytes) {
    out.push_back(kLowerHexDigits[c >> 4]);
    out.push_back(kLowerHexDigits[c & 15]);
  }
  return out;
}

// HexEncode's inverse (lowercase digits only); nullopt for anything else.
inline std::optional<std::string> HexDecode(std::string_view hex) {
  auto digit = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  if (hex.size() % 2) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace localdynamo
