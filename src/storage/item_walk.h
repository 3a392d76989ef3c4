#pragma once
// The one reader of the item encoding (item_codec.h): a walk that hands a visitor names and
// values as views into the bytes. DecodeItem builds an Item with it; sizing a stored item and
// writing it out as DynamoDB JSON use it without building one.
//
// Every callback gets the Slot it fills: the container it sits in, and whether it is the first
// there (for separators). The visitor provides:
//   void BeginMap(Slot, std::size_t count);  void Name(Slot, std::string_view);  void EndMap(Slot);
//   void BeginList(Slot, std::size_t count); void EndList(Slot);
//   void BeginSet(Slot, Type type, std::size_t count); void EndSet(Slot);
//   void Bytes(Slot, Type type, std::string_view bytes);   // S and B values, SS and BS members
//   void Num(Slot, bool negative, std::string_view digits, int exponent);  // N, NS members
//   void Bool(Slot, bool);  void Null(Slot);
// The item itself arrives as BeginMap ... EndMap in a Slot of parent kNone.

#include <cstdint>
#include <string_view>

#include "localdynamo/value.h"
#include "types/nesting.h"
#include "storage/item_codec.h"

namespace localdynamo::storage {

enum class Parent : uint8_t { kNone, kItem, kMap, kList, kSet };
struct Slot {
  Parent parent;
  bool first;
};

namespace walk_detail {

// Stored bytes are read no deeper than any reader reads values (types/nesting.h).
inline constexpr int kMaxDepth = kMaxReadNesting;

template <class V>
bool Number(std::string_view* in, V& v, Slot slot) {
  if (in->empty()) return false;
  const bool negative = (*in)[0] & 1;
  in->remove_prefix(1);
  uint64_t z;
  std::string_view digits;
  if (!ReadVarint(in, &z) || !ReadLengthPrefixed(in, &digits)) return false;
  v.Num(slot, negative, digits,
        static_cast<int>(static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1)));
  return true;
}

template <class V>
bool Map(std::string_view* in, V& v, Slot slot, int depth);

template <class V>
bool Value(std::string_view* in, V& v, Slot slot, int depth) {
  if (in->empty() || depth > kMaxDepth) return false;
  const uint8_t tag = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  std::string_view bytes;
  uint64_t count;
  switch (tag) {
    case kTagS:
    case kTagB:
      if (!ReadLengthPrefixed(in, &bytes)) return false;
      v.Bytes(slot, tag == kTagS ? Type::kS : Type::kB, bytes);
      return true;
    case kTagN:
      return Number(in, v, slot);
    case kTagFalse:
    case kTagTrue:
      v.Bool(slot, tag == kTagTrue);
      return true;
    case kTagNull:
      v.Null(slot);
      return true;
    case kTagM:
      return Map(in, v, slot, depth + 1);
    case kTagL:
      if (!ReadVarint(in, &count) || count > in->size()) return false;
      v.BeginList(slot, count);
      for (uint64_t i = 0; i < count; ++i)
        if (!Value(in, v, Slot{Parent::kList, i == 0}, depth + 1)) return false;
      v.EndList(slot);
      return true;
    case kTagSS:
    case kTagBS: {
      const Type type = tag == kTagSS ? Type::kSS : Type::kBS;
      if (!ReadVarint(in, &count) || count > in->size()) return false;
      v.BeginSet(slot, type, count);
      for (uint64_t i = 0; i < count; ++i) {
        if (!ReadLengthPrefixed(in, &bytes)) return false;
        v.Bytes(Slot{Parent::kSet, i == 0}, type == Type::kSS ? Type::kS : Type::kB, bytes);
      }
      v.EndSet(slot);
      return true;
    }
    case kTagNS:
      if (!ReadVarint(in, &count) || count > in->size()) return false;
      v.BeginSet(slot, Type::kNS, count);
      for (uint64_t i = 0; i < count; ++i)
        if (!Number(in, v, Slot{Parent::kSet, i == 0})) return false;
      v.EndSet(slot);
      return true;
  }
  return false;
}

template <class V>
bool Map(std::string_view* in, V& v, Slot slot, int depth) {
  uint64_t count;
  if (!ReadVarint(in, &count) || count > in->size()) return false;
  v.BeginMap(slot, count);
  const Parent entries = slot.parent == Parent::kNone ? Parent::kItem : Parent::kMap;
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name;
    if (!ReadLengthPrefixed(in, &name)) return false;
    const Slot entry{entries, i == 0};
    v.Name(entry, name);
    if (!Value(in, v, entry, depth)) return false;
  }
  v.EndMap(slot);
  return true;
}

}  // namespace walk_detail

// False on malformed input (a corrupted database).
template <class V>
bool WalkItem(std::string_view encoded, V& visitor) {
  return walk_detail::Map(&encoded, visitor, Slot{Parent::kNone, true}, 0) && encoded.empty();
}

// The item's size as DynamoDB counts it (ItemSize), read off its encoding.
bool EncodedItemSize(std::string_view encoded, std::size_t* size);

}  // namespace localdynamo::storage
