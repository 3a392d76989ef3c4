#include "wire/json_writer.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "storage/encoded_page.h"
#include "storage/item_walk.h"
#include "types/cpu_features.h"
#include "types/json_text.h"
#include "wire/codec.h"

namespace localdynamo::wire {
namespace {

using json_writer_detail::JsonOut;
using storage::Parent;
using storage::Slot;

// An item member's name, after a comma unless it is the first: ,"name":
inline char* WriteMemberName(char* p, std::string_view name, bool first) {
  if (!first) *p++ = ',';
  p = WriteJsonString(p, name);
  *p++ = ':';
  return p;
}
inline constexpr std::size_t MemberNameRoom(std::size_t size) { return JsonStringBound(size) + 2; }

// Writes an encoded item (storage/item_walk.h) as DynamoDB JSON, byte for byte what
// AppendItemJson writes for the decoded Item.
class JsonVisitor {
 public:
  explicit JsonVisitor(JsonOut* out) : out_(out) {}

  void BeginMap(Slot slot, std::size_t) {
    if (slot.parent != Parent::kNone) BeginValue(slot, Type::kM);
    out_->Put('{');
  }
  void Name(Slot slot, std::string_view name) {
    out_->Advance(WriteMemberName(out_->Room(MemberNameRoom(name.size())), name, slot.first));
  }
  void EndMap(Slot slot) {
    out_->Put('}');
    if (slot.parent != Parent::kNone) EndValue(slot);
  }
  void BeginList(Slot slot, std::size_t) {
    BeginValue(slot, Type::kL);
    out_->Put('[');
  }
  void EndList(Slot slot) { EndArray(slot); }
  void BeginSet(Slot slot, Type type, std::size_t) {
    BeginValue(slot, type);
    out_->Put('[');
  }
  void EndSet(Slot slot) { EndArray(slot); }
  void Bytes(Slot slot, Type type, std::string_view bytes) {
    if (type == Type::kB) [[unlikely]] {
      Text(slot, type, Base64Encode(bytes));
      return;
    }
    Text(slot, type, bytes);
  }
  void Num(Slot slot, bool negative, std::string_view digits, int exponent) {
    number_.clear();  // number text needs no escaping
    Number::AppendText(&number_, negative, digits, exponent);
    char* p = Prefix(out_->Room(kPrefixRoom + number_.size() + 3), slot, Type::kN);
    *p++ = '"';
    std::memcpy(p, number_.data(), number_.size());
    p += number_.size();
    *p++ = '"';
    out_->Advance(Suffix(p, slot));
  }
  void Bool(Slot slot, bool b) {
    BeginValue(slot, Type::kBool);
    out_->Put(b ? "true" : "false");
    EndValue(slot);
  }
  void Null(Slot slot) {
    BeginValue(slot, Type::kNull);
    out_->Put("true");
    EndValue(slot);
  }

 private:
  // A value: separated from the one before it in a list or set (map entries are, by Name);
  // typed ({"S":...}) unless it is a set member. Prefix writes the start (room: kPrefixRoom),
  // Suffix the end (room: 1).
  static constexpr std::size_t kPrefixRoom = 1 + 8;
  static char* Prefix(char* p, Slot slot, Type type) {
    const bool element = slot.parent == Parent::kList || slot.parent == Parent::kSet;
    if (element && !slot.first) *p++ = ',';
    if (slot.parent == Parent::kSet) return p;
    const JsonOpening& open = JsonValueOpening(type);
    std::memcpy(p, open.bytes, 8);
    return p + open.size;
  }
  static char* Suffix(char* p, Slot slot) {
    if (slot.parent != Parent::kSet) *p++ = '}';
    return p;
  }
  void Text(Slot slot, Type type, std::string_view text) {
    char* p = out_->Room(kPrefixRoom + JsonStringBound(text.size()) + 1);
    p = WriteJsonString(Prefix(p, slot, type), text);
    out_->Advance(Suffix(p, slot));
  }
  void BeginValue(Slot slot, Type type) {
    out_->Advance(Prefix(out_->Room(kPrefixRoom), slot, type));
  }
  void EndValue(Slot slot) { out_->Advance(Suffix(out_->Room(1), slot)); }
  void EndArray(Slot slot) {
    out_->Put(']');
    EndValue(slot);
  }

  JsonOut* out_;
  std::string number_;  // reused for every number of the item
};

// Reads varint-length-prefixed fields (item_codec.h) off a pair of pointers that stay in
// registers: string_views whose address is taken live on the stack, and GCC copied them
// back with a 16-byte load over two 8-byte stores, a store-forwarding stall that was 40% of
// writing a page of items.
class FieldReader {
 public:
  explicit FieldReader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  bool empty() const { return p_ == end_; }
  uint8_t Peek() const { return static_cast<uint8_t>(*p_); }
  void Skip() { ++p_; }
  bool Varint(uint64_t* v) {
    if (p_ != end_ && static_cast<uint8_t>(*p_) < 0x80) {
      *v = static_cast<uint8_t>(*p_++);
      return true;
    }
    std::string_view rest = this->rest();
    if (!storage::ReadVarintSlow(&rest, v)) return false;
    p_ = rest.data();
    return true;
  }
  bool LengthPrefixed(std::string_view* out) {
    uint64_t n;
    if (!Varint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *out = std::string_view(p_, n);
    p_ += n;
    return true;
  }
  std::string_view rest() const {
    return std::string_view(p_, static_cast<std::size_t>(end_ - p_));
  }
  void set_rest(std::string_view rest) { p_ = rest.data(); }

 private:
  const char* p_;
  const char* end_;
};

// How the item writer writes strings: with the SSE2/word-at-a-time WriteJsonString
// everywhere, or AVX-512's masked steps where the CPU has them.
struct PlainStrings {
  static char* Write(char* p, std::string_view s) { return WriteJsonString(p, s); }
};
#if defined(__x86_64__)
struct Avx512Strings {
  LD_JSON_AVX512 static char* Write(char* p, std::string_view s) {
    return WriteJsonStringAvx512(p, s);
  }
};
#endif

// Most items are maps of strings (every Cruddur row is): their members are written here,
// where writing keeps to a register; any other value goes to the JsonVisitor, which writes
// every kind. Byte for byte what the visitor alone writes.
template <class Strings>
[[gnu::always_inline]] inline void WriteEncodedItemWith(JsonOut* out, std::string_view encoded) {
  FieldReader in(encoded);
  uint64_t count;
  if (!in.Varint(&count) || count > in.rest().size())
    throw WireError(InternalError("corrupt item"));
  out->Put('{');
  JsonVisitor v(out);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view name, text;
    if (!in.LengthPrefixed(&name) || in.empty()) throw WireError(InternalError("corrupt item"));
    if (in.Peek() == storage::kTagS) {
      in.Skip();
      if (!in.LengthPrefixed(&text)) throw WireError(InternalError("corrupt item"));
      const std::string_view opening = JsonValueOpening(Type::kS).text();  // {"S":
      char* p = out->Room(MemberNameRoom(name.size()) + opening.size() +
                          JsonStringBound(text.size()) + 1);
      if (i != 0) *p++ = ',';
      p = Strings::Write(p, name);
      *p++ = ':';
      std::memcpy(p, opening.data(), opening.size());
      p = Strings::Write(p + opening.size(), text);
      *p++ = '}';
      out->Advance(p);
      continue;
    }
    const Slot slot{Parent::kItem, i == 0};
    v.Name(slot, name);
    std::string_view rest = in.rest();
    if (!storage::walk_detail::Value(&rest, v, slot, 0))
      throw WireError(InternalError("corrupt item"));
    in.set_rest(rest);
  }
  if (!in.empty()) throw WireError(InternalError("corrupt item"));
  out->Put('}');
}

void WriteEncodedItemPlain(JsonOut* out, std::string_view encoded) {
  WriteEncodedItemWith<PlainStrings>(out, encoded);
}
#if defined(__x86_64__)
LD_JSON_AVX512 void WriteEncodedItemAvx512(JsonOut* out, std::string_view encoded) {
  WriteEncodedItemWith<Avx512Strings>(out, encoded);
}
#endif

// The writer for this CPU (chosen on first use: static initializers elsewhere may write).
using ItemWriter = void (*)(JsonOut*, std::string_view);
ItemWriter ItemWriterForCpu() {
  static const ItemWriter writer = [] {
#if defined(__x86_64__)
    if (CpuHasAvx512Bw()) return &WriteEncodedItemAvx512;
#endif
    return &WriteEncodedItemPlain;
  }();
  return writer;
}

// Room to reserve for writing an item of `encoded_bytes` in the store's encoding as JSON.
std::size_t EncodedItemJsonRoom(std::size_t encoded_bytes) {
  // Read from the store, an item of strings takes its encoding's bytes plus ~8 per member
  // ("":{"S":""}, less the lengths and tag), and a member takes at least ~40 bytes encoded: a
  // quarter more covers most items (the string grows if not), without zero-filling twice
  // the room it needs.
  return encoded_bytes + encoded_bytes / 4 + 16;
}

}  // namespace

void AppendEncodedItemJson(std::string* out, std::string_view encoded) {
  JsonOut o(out);
  ItemWriterForCpu()(&o, encoded);
}

namespace {

// "ConsumedCapacity":{...}, after a comma when members came before it.
void AppendConsumed(std::string* out, const std::optional<ConsumedCapacity>& c, bool after_member) {
  if (!c) return;
  if (after_member) out->push_back(',');
  out->append("\"ConsumedCapacity\":");
  out->append(DumpJson(ConsumedCapacityJson(*c)));
}

}  // namespace

PageBodyWriter::PageBodyWriter(std::optional<int64_t> limit) : json_(&out_), limit_(limit) {}

void PageBodyWriter::Add(std::string_view encoded_item) {
  if (added_ == 0) {
    // Room for a page of items like the first one.
    const std::size_t n =
        static_cast<std::size_t>(std::clamp<int64_t>(limit_.value_or(64), 1, 1024));
    json_.Reserve(320 + n * EncodedItemJsonRoom(encoded_item.size()));
    json_.Put("{\"Items\":[");
  } else {
    json_.Put(',');
  }
  ItemWriterForCpu()(&json_, encoded_item);
  ++added_;
}

void PageBodyWriter::Add(const ItemList& items) {
  if (storage::EncodedPage::IsEncoded(
          items)) {  // a page read straight from the store: no Items built
    for (std::size_t i = 0; i < items.size(); ++i) Add(storage::EncodedPage::Item(items, i));
    return;
  }
  if (items.empty()) return;
  if (added_ == 0) json_.Reserve(320 + items.size() * 512);
  json_.Trim();  // Items are written onto the string itself
  for (const Item& item : items) {
    out_.append(added_++ == 0 ? "{\"Items\":[" : ",");
    AppendItemJson(&out_, item);
  }
  json_.Resume();
}

void PageBodyWriter::CloseItems() {
  if (added_ == 0) json_.Put("{\"Items\":[");
  json_.Trim();  // the few short members after the items go onto the string itself
  out_.push_back(']');
}

std::string PageBodyWriter::TakeBody() {
  out_.push_back('}');
  std::string body = std::move(out_);
  json_.Resume();  // on the emptied string: nothing to cut when it goes
  return body;
}

std::string PageBodyWriter::Finish(const QueryResponse& r) {
  if (r.items) {
    Add(*r.items);
    CloseItems();
    out_.push_back(',');
  } else {  // Select COUNT: no Items at all
    json_.Trim();
    out_.push_back('{');
  }
  fmt::format_to(std::back_inserter(out_), "\"Count\":{},\"ScannedCount\":{}", r.count,
                 r.scanned_count);
  if (r.last_evaluated_key) {
    out_.append(",\"LastEvaluatedKey\":");
    AppendItemJson(&out_, *r.last_evaluated_key);
  }
  AppendConsumed(&out_, r.consumed_capacity, true);
  return TakeBody();
}

std::string PageBodyWriter::Finish(const ExecuteStatementResponse& r) {
  Add(r.items);
  CloseItems();
  if (r.next_token)
    fmt::format_to(std::back_inserter(out_), ",\"NextToken\":\"{}\"", *r.next_token);  // hex digits
  AppendConsumed(&out_, r.consumed_capacity, true);
  return TakeBody();
}

std::string QueryBody(const QueryResponse& r) {
  return PageBodyWriter(r.items ? std::optional<int64_t>(r.items->size()) : std::nullopt).Finish(r);
}

std::string ExecuteStatementBody(const ExecuteStatementResponse& r) {
  return PageBodyWriter(static_cast<int64_t>(r.items.size())).Finish(r);
}

std::string GetItemBody(const engine::EncodedGetItemResponse& r) {
  std::string out;
  // One allocation most times, of a power of two (with the string's terminator): the
  // allocator's cache of freed blocks serves these few sizes, where it would miss on every
  // item's own.
  out.reserve(std::bit_ceil(200 + (r.item ? EncodedItemJsonRoom(r.item->size()) : 0)) - 1);
  out.push_back('{');
  if (r.item) {
    out.append("\"Item\":");
    AppendEncodedItemJson(&out, *r.item);
  }
  AppendConsumed(&out, r.consumed_capacity, r.item.has_value());
  out.push_back('}');
  return out;
}

}  // namespace localdynamo::wire
