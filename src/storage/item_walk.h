#pragma once
// Walking an encoded item (item_codec.h's format) without building it: a visitor receives
// names and values as views into the bytes. Used where an Item would only be thrown away
// again: sizing a stored item, and writing it out as DynamoDB JSON.
//
// The visitor provides:
//   void BeginMap(std::size_t count);  void Name(std::string_view);  void EndMap();
//   void BeginList(std::size_t count); void EndList();
//   void BeginSet(Type type, std::size_t count); void EndSet();
//   void Bytes(Type type, std::string_view bytes);   // S and B values, SS and BS members
//   void Num(bool negative, std::string_view digits, int exponent);  // N, NS members
//   void Bool(bool);  void Null();
// The top-level item arrives as BeginMap ... EndMap.

#include <cstdint>
#include <string_view>

#include "localdynamo/value.h"
#include "storage/item_codec.h"

namespace localdynamo::storage {
namespace walk_detail {

inline bool ReadView(std::string_view* in, std::string_view* out) {
  uint64_t n;
  if (!ReadVarint(in, &n) || n > in->size()) return false;
  *out = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

template <class V>
bool Number(std::string_view* in, V& v) {
  if (in->empty()) return false;
  const bool negative = (*in)[0] & 1;
  in->remove_prefix(1);
  uint64_t z;
  std::string_view digits;
  if (!ReadVarint(in, &z) || !ReadView(in, &digits)) return false;
  v.Num(negative, digits, static_cast<int>(static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1)));
  return true;
}

template <class V>
bool Map(std::string_view* in, V& v, int depth);

template <class V>
bool Value(std::string_view* in, V& v, int depth) {
  if (in->empty() || depth > 64) return false;
  const uint8_t tag = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  std::string_view bytes;
  uint64_t count;
  switch (tag) {
    case 0x01:
    case 0x03:
      if (!ReadView(in, &bytes)) return false;
      v.Bytes(tag == 0x01 ? Type::kS : Type::kB, bytes);
      return true;
    case 0x02: return Number(in, v);
    case 0x04:
    case 0x05: v.Bool(tag == 0x05); return true;
    case 0x06: v.Null(); return true;
    case 0x07: return Map(in, v, depth + 1);
    case 0x08:
      if (!ReadVarint(in, &count) || count > in->size()) return false;
      v.BeginList(count);
      for (uint64_t i = 0; i < count; ++i)
        if (!Value(in, v, depth + 1)) return false;
      v.EndList();
      return true;
    case 0x09:
    case 0x0B: {
      const Type type = tag == 0x09 ? Type::kSS : Type::kBS;
      if (!ReadVarint(in, &count) || count > in->size()) return false;
      v.BeginSet(type, count);
      for (uint64_t i = 0; i < count; ++i) {
        if (!ReadView(in, &bytes)) return false;
        v.Bytes(type == Type::kSS ? Type::kS : Type::kB, bytes);
      }
      v.EndSet();
      return true;
    }
    case 0x0A:
      if (!ReadVarint(in, &count) || count > in->size()) return false;
      v.BeginSet(Type::kNS, count);
      for (uint64_t i = 0; i < count; ++i)
        if (!Number(in, v)) return false;
      v.EndSet();
      return true;
  }
  return false;
}

template <class V>
bool Map(std::string_view* in, V& v, int depth) {
  uint64_t count;
  if (!ReadVarint(in, &count) || count > in->size()) return false;
  v.BeginMap(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name;
    if (!ReadView(in, &name)) return false;
    v.Name(name);
    if (!Value(in, v, depth)) return false;
  }
  v.EndMap();
  return true;
}

}  // namespace walk_detail

// False on malformed input (a corrupted database).
template <class V>
bool WalkItem(std::string_view encoded, V& visitor) {
  return walk_detail::Map(&encoded, visitor, 0) && encoded.empty();
}

// The item's size as DynamoDB counts it (ItemSize), read off its encoding.
bool EncodedItemSize(std::string_view encoded, std::size_t* size);

}  // namespace localdynamo::storage
