#include "storage/item_codec.h"

#include "storage/item_walk.h"

namespace localdynamo::storage {
namespace {

enum Tag : uint8_t {  // on-disk values
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

void AppendBytes(std::string* out, std::string_view s) {
  AppendVarint(out, s.size());
  out->append(s);
}

void AppendNumber(std::string* out, const Number& n) {
  out->push_back(n.negative() ? 1 : 0);
  int64_t e = n.exponent();
  AppendVarint(out, static_cast<uint64_t>((e << 1) ^ (e >> 63)));
  AppendBytes(out, n.digits());
}

void AppendValue(std::string* out, const AttributeValue& v) {
  switch (v.type()) {
    case Type::kS:
      out->push_back(kTagS);
      AppendBytes(out, v.s());
      break;
    case Type::kN:
      out->push_back(kTagN);
      AppendNumber(out, v.n());
      break;
    case Type::kB:
      out->push_back(kTagB);
      AppendBytes(out, v.b());
      break;
    case Type::kBool: out->push_back(v.boolean() ? kTagTrue : kTagFalse); break;
    case Type::kNull: out->push_back(kTagNull); break;
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
      for (const auto& e : v.ss()) AppendBytes(out, e);
      break;
    case Type::kNS:
      out->push_back(kTagNS);
      AppendVarint(out, v.ns().size());
      for (const auto& e : v.ns()) AppendNumber(out, e);
      break;
    case Type::kBS:
      out->push_back(kTagBS);
      AppendVarint(out, v.bs().size());
      for (const auto& e : v.bs()) AppendBytes(out, e);
      break;
  }
}

bool ReadView(std::string_view* in, std::string_view* out) {
  uint64_t n;
  if (!ReadVarint(in, &n) || n > in->size()) return false;
  *out = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

bool ReadBytes(std::string_view* in, std::string* out) {
  uint64_t n;
  if (!ReadVarint(in, &n) || n > in->size()) return false;
  out->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}

bool ReadNumber(std::string_view* in, Number* out) {
  if (in->empty()) return false;
  bool negative = (*in)[0] & 1;
  in->remove_prefix(1);
  uint64_t z;
  if (!ReadVarint(in, &z)) return false;
  int exponent = static_cast<int>(static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1));
  std::string digits;
  if (!ReadBytes(in, &digits)) return false;
  *out = Number::FromCanonicalParts(negative, std::move(digits), exponent);
  return true;
}

bool ReadItem(std::string_view* in, Item* out, int depth);

bool ReadValue(std::string_view* in, AttributeValue* out, int depth) {
  if (in->empty() || depth > 64) return false;
  uint8_t tag = static_cast<uint8_t>((*in)[0]);
  in->remove_prefix(1);
  uint64_t count;
  switch (tag) {
    case kTagS: {
      std::string_view bytes;
      if (!ReadView(in, &bytes)) return false;
      out->variant().emplace<0>(bytes);  // built in place: no temporary to move
      return true;
    }
    case kTagN: {
      Number n;
      if (!ReadNumber(in, &n)) return false;
      *out = AttributeValue::N(std::move(n));
      return true;
    }
    case kTagB: {
      std::string s;
      if (!ReadBytes(in, &s)) return false;
      *out = AttributeValue::B(std::move(s));
      return true;
    }
    case kTagFalse: *out = AttributeValue::Bool(false); return true;
    case kTagTrue: *out = AttributeValue::Bool(true); return true;
    case kTagNull: *out = AttributeValue::MakeNull(); return true;
    case kTagM: {
      Map m;
      if (!ReadItem(in, &m, depth + 1)) return false;
      *out = AttributeValue::M(std::move(m));
      return true;
    }
    case kTagL: {
      if (!ReadVarint(in, &count) || count > in->size()) return false;
      List l(count);
      for (auto& e : l)
        if (!ReadValue(in, &e, depth + 1)) return false;
      *out = AttributeValue::L(std::move(l));
      return true;
    }
    case kTagSS:
    case kTagBS: {
      if (!ReadVarint(in, &count) || count > in->size()) return false;
      std::vector<std::string> v(count);
      for (auto& e : v)
        if (!ReadBytes(in, &e)) return false;
      *out = tag == kTagSS ? AttributeValue::SS(std::move(v)) : AttributeValue::BS(std::move(v));
      return true;
    }
    case kTagNS: {
      if (!ReadVarint(in, &count) || count > in->size()) return false;
      std::vector<Number> v(count);
      for (auto& e : v)
        if (!ReadNumber(in, &e)) return false;
      *out = AttributeValue::NS(std::move(v));
      return true;
    }
  }
  return false;
}

bool ReadItem(std::string_view* in, Item* out, int depth) {
  uint64_t count;
  if (!ReadVarint(in, &count) || count > in->size()) return false;
  out->clear();
  out->reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name;
    if (!ReadView(in, &name)) return false;
    // Names were written in order, so each goes at the end; the value is decoded in place.
    if (!ReadValue(in, &out->AppendSorted(name), depth)) return false;
  }
  return true;
}

}  // namespace

void AppendVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
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
    AppendBytes(out, name);
    AppendValue(out, value);
  }
}

std::string EncodeItem(const Item& item) {
  std::string out;
  AppendItem(&out, item);
  return out;
}

bool DecodeItem(std::string_view in, Item* out) {
  return ReadItem(&in, out, 0) && in.empty();
}

}  // namespace localdynamo::storage

namespace localdynamo::storage {
namespace {

// ItemSize's rules (types/item_size.cc) applied to the walk: names, values, and for maps and
// lists 3 bytes plus one per element.
class SizeVisitor {
 public:
  std::size_t size = 0;

  void BeginMap(std::size_t) {
    if (depth_ > 0) Container();
    Push('M');
  }
  void Name(std::string_view name) { size += name.size() + (depth_ > 1 ? 1 : 0); }
  void EndMap() { --depth_; }
  void BeginList(std::size_t) {
    Container();
    Push('L');
  }
  void EndList() { --depth_; }
  void BeginSet(Type, std::size_t) {
    Element();
    Push('S');
  }
  void EndSet() { --depth_; }
  void Bytes(Type, std::string_view bytes) {
    Element();
    size += bytes.size();
  }
  void Num(bool, std::string_view digits, int exponent) {
    Element();
    size += Number::StorageSizeOf(digits.size(), exponent);
  }
  void Bool(bool) {
    Element();
    size += 1;
  }
  void Null() {
    Element();
    size += 1;
  }

 private:
  // A value inside a list costs one more byte; set members cost only their own bytes.
  void Element() {
    if (depth_ > 0 && stack_[depth_ - 1] == 'L') size += 1;
  }
  void Container() {
    Element();
    size += 3;
  }
  void Push(char kind) { stack_[depth_++] = kind; }

  char stack_[72] = {};  // the codec refuses nesting beyond 64
  int depth_ = 0;
};

}  // namespace

bool EncodedItemSize(std::string_view encoded, std::size_t* size) {
  SizeVisitor v;
  if (!WalkItem(encoded, v)) return false;
  *size = v.size;
  return true;
}

}  // namespace localdynamo::storage
