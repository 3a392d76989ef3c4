#pragma once
// Compact binary item encoding (not JSON), fast to decode.
//
// On-disk format (never change without a migration):
//   item   := varint(attribute count) { varint(name length) name value }*
//   value  := tag payload, tags (explicit on-disk values):
//     0x01 S    varint(length) bytes        0x07 M    item
//     0x02 N    number                      0x08 L    varint(count) value*
//     0x03 B    varint(length) bytes        0x09 SS   varint(count) { varint(len) bytes }*
//     0x04 BOOL false                       0x0A NS   varint(count) number*
//     0x05 BOOL true                        0x0B BS   varint(count) { varint(len) bytes }*
//     0x06 NULL
//   number := flags byte (bit0 negative) zigzag-varint(exponent) varint(n) digit bytes
//   varint := LEB128, unsigned

#include <cstdint>
#include <string>
#include <string_view>

#include "localdynamo/value.h"

namespace localdynamo::storage {

void AppendItem(std::string* out, const Item& item);
std::string EncodeItem(const Item& item);
// Returns false on malformed input (a corrupted database).
bool DecodeItem(std::string_view in, Item* out);

// Value tags of the format above.
enum Tag : uint8_t {
  kTagS = 0x01,
  kTagN = 0x02,
  kTagB = 0x03,
  kTagFalse = 0x04,
  kTagTrue = 0x05,
  kTagNull = 0x06,
  kTagM = 0x07,
  kTagL = 0x08,
  kTagSS = 0x09,
  kTagNS = 0x0A,
  kTagBS = 0x0B,
};

inline constexpr std::size_t kMaxVarint = 10;
// Writes v at p (room: kMaxVarint); returns the end.
inline char* WriteVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}
void AppendVarint(std::string* out, uint64_t v);
bool ReadVarintSlow(std::string_view* in, uint64_t* v);
// Inline for the common one-byte case: every name and short value starts with one.
inline bool ReadVarint(std::string_view* in, uint64_t* v) {
  if (!in->empty() && static_cast<uint8_t>((*in)[0]) < 0x80) {
    *v = static_cast<uint8_t>((*in)[0]);
    in->remove_prefix(1);
    return true;
  }
  return ReadVarintSlow(in, v);
}

// varint(length) bytes: names, strings, and the fields of the project's other records.
inline void AppendLengthPrefixed(std::string* out, std::string_view bytes) {
  AppendVarint(out, bytes.size());
  out->append(bytes);
}
inline bool ReadLengthPrefixed(std::string_view* in, std::string_view* out) {
  uint64_t n;
  if (!ReadVarint(in, &n) || n > in->size()) return false;
  *out = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

}  // namespace localdynamo::storage
