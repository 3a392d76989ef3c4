#include "storage/item_codec.h"

#include "storage/item_walk.h"

namespace localdynamo::storage {
namespace {

void AppendNumber(std::string* out, const Number& n) {
  out->push_back(n.negative() ? 1 : 0);
  int64_t e = n.exponent();
  AppendVarint(out, static_cast<uint64_t>((e << 1) ^ (e >> 63)));
  AppendLengthPrefixed(out, n.digits());
}

void AppendValue(std::string* out, const AttributeValue& v) {
  switch (v.type()) {
    case Type::kS:
      out->push_back(kTagS);
      AppendLengthPrefixed(out, v.s());
      break;
    case Type::kN:
      out->push_back(kTagN);
      AppendNumber(out, v.n());
      break;
    case Type::kB:
      out->push_back(kTagB);
      AppendLengthPrefixed(out, v.b());
      break;
    case Type::kBool:
      out->push_back(v.boolean() ? kTagTrue : kTagFalse);
      break;
    case Type::kNull:
      out->push_back(kTagNull);
      break;
    case Type::kM:
      out->push_back(kTagM);
      AppendItem(out, v.m());
      break;
    case Type::kL:
      out->push_back(kTagL);
      AppendVarint(out, v.l().size());
      for (const auto& e : v.l()) AppendValue(out, e);
      break;
    case Type::kSS:
      out->push_back(kTagSS);
      AppendVarint(out, v.ss().size());
      for (const auto& e : v.ss()) AppendLengthPrefixed(out, e);
      break;
    case Type::kNS:
      out->push_back(kTagNS);
      AppendVarint(out, v.ns().size());
      for (const auto& e : v.ns()) AppendNumber(out, e);
      break;
    case Type::kBS:
      out->push_back(kTagBS);
      AppendVarint(out, v.bs().size());
      for (const auto& e : v.bs()) AppendLengthPrefixed(out, e);
      break;
  }
}

// Builds the Item the walk describes. Values land in the slot their Slot names: the entry
// just named in the innermost map, a new element of the innermost list, or a member of the
// innermost set.
class ItemBuilder {
 public:
  explicit ItemBuilder(Item* out) : out_(out) {}

  void BeginMap(Slot slot, std::size_t count) {
    Item* map = out_;
    if (slot.parent != Parent::kNone) map = &Target(slot).variant().emplace<Map>();
    map->clear();
    map->reserve(count);
    maps_[map_depth_++] = map;
  }
  // Names were written in order, so each entry goes at the end.
  void Name(Slot, std::string_view name) { entry_ = &maps_[map_depth_ - 1]->AppendSorted(name); }
  void EndMap(Slot) { --map_depth_; }
  void BeginList(Slot slot, std::size_t count) {
    List& list = Target(slot).variant().emplace<List>();
    list.reserve(count);
    lists_[list_depth_++] = &list;
  }
  void EndList(Slot) { --list_depth_; }
  void BeginSet(Slot slot, Type type, std::size_t count) {
    AttributeValue& v = Target(slot);
    switch (type) {
      case Type::kSS:
        v.variant().emplace<StringSet>().values.reserve(count);
        break;
      case Type::kNS:
        v.variant().emplace<NumberSet>().values.reserve(count);
        break;
      default:
        v.variant().emplace<BinarySet>().values.reserve(count);
        break;
    }
    set_ = &v;
  }
  void EndSet(Slot) {}
  void Bytes(Slot slot, Type type, std::string_view bytes) {
    if (slot.parent == Parent::kSet) {
      auto& members = set_->is(Type::kSS) ? std::get<StringSet>(set_->variant()).values
                                          : std::get<BinarySet>(set_->variant()).values;
      members.emplace_back(bytes);
    } else if (type == Type::kS) {
      Target(slot).variant().emplace<0>(bytes);  // built in place: no temporary to move
    } else {
      Target(slot).variant().emplace<Binary>(Binary{std::string(bytes)});
    }
  }
  void Num(Slot slot, bool negative, std::string_view digits, int exponent) {
    localdynamo::Number n =
        localdynamo::Number::FromCanonicalParts(negative, std::string(digits), exponent);
    if (slot.parent == Parent::kSet) {
      std::get<NumberSet>(set_->variant()).values.push_back(std::move(n));
    } else {
      Target(slot).variant().emplace<localdynamo::Number>(std::move(n));
    }
  }
  void Bool(Slot slot, bool b) { Target(slot).variant().emplace<bool>(b); }
  void Null(Slot slot) { Target(slot).variant().emplace<localdynamo::Null>(); }

 private:
  AttributeValue& Target(Slot slot) {
    return slot.parent == Parent::kList ? lists_[list_depth_ - 1]->emplace_back() : *entry_;
  }

  Item* out_;
  AttributeValue* entry_ = nullptr;
  AttributeValue* set_ = nullptr;
  // Open containers, innermost last; the walk refuses nesting beyond walk_detail::kMaxDepth.
  Item* maps_[walk_detail::kMaxDepth + 2] = {};
  List* lists_[walk_detail::kMaxDepth + 2] = {};
  int map_depth_ = 0, list_depth_ = 0;
};

// ItemSize's rules (types/item_size.cc) applied to the walk: names and values by their
// bytes; maps and lists 3 bytes, plus one per entry or element.
class SizeVisitor {
 public:
  std::size_t size = 0;

  void BeginMap(Slot slot, std::size_t) {
    if (slot.parent != Parent::kNone) Container(slot);
  }
  void Name(Slot slot, std::string_view name) {
    size += name.size() + (slot.parent == Parent::kMap ? 1 : 0);
  }
  void EndMap(Slot) {}
  void BeginList(Slot slot, std::size_t) { Container(slot); }
  void EndList(Slot) {}
  void BeginSet(Slot slot, Type, std::size_t) { size += Element(slot); }
  void EndSet(Slot) {}
  void Bytes(Slot slot, Type, std::string_view bytes) { size += Element(slot) + bytes.size(); }
  void Num(Slot slot, bool, std::string_view digits, int exponent) {
    size += Element(slot) + Number::StorageSizeOf(digits.size(), exponent);
  }
  void Bool(Slot slot, bool) { size += Element(slot) + 1; }
  void Null(Slot slot) { size += Element(slot) + 1; }

 private:
  // A list element costs one byte more than its value; set members only their own bytes.
  static std::size_t Element(Slot slot) { return slot.parent == Parent::kList ? 1 : 0; }
  void Container(Slot slot) { size += Element(slot) + 3; }
};

}  // namespace

void AppendVarint(std::string* out, uint64_t v) {
  char buf[kMaxVarint];
  out->append(buf, WriteVarint(buf, v));
}

bool ReadVarintSlow(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    uint8_t b = static_cast<uint8_t>((*in)[0]);
    in->remove_prefix(1);
    result |= uint64_t{b & 0x7Fu} << shift;
    if (!(b & 0x80)) {
      *v = result;
      return true;
    }
  }
  return false;
}

void AppendItem(std::string* out, const Item& item) {
  AppendVarint(out, item.size());
  for (const auto& [name, value] : item) {
    AppendLengthPrefixed(out, name);
    AppendValue(out, value);
  }
}

std::string EncodeItem(const Item& item) {
  std::string out;
  AppendItem(&out, item);
  return out;
}

bool DecodeItem(std::string_view in, Item* out) {
  ItemBuilder builder(out);
  return WalkItem(in, builder);
}

bool EncodedItemSize(std::string_view encoded, std::size_t* size) {
  SizeVisitor v;
  if (!WalkItem(encoded, v)) return false;
  *size = v.size;
  return true;
}

}  // namespace localdynamo::storage
