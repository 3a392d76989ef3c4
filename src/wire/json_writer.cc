#include "wire/json_writer.h"

#include <fmt/format.h>

#include "storage/item_walk.h"
#include "types/json_text.h"
#include "wire/codec.h"

namespace localdynamo::wire {
namespace {

using storage::Parent;
using storage::Slot;


// Writes an encoded item (storage/item_walk.h) as DynamoDB JSON, byte for byte what
// AppendItemJson writes for the decoded Item.
class JsonVisitor {
 public:
  explicit JsonVisitor(std::string* out) : out_(out) {}

  void BeginMap(Slot slot, std::size_t) {
    if (slot.parent != Parent::kNone) BeginValue(slot, "M");
    out_->push_back('{');
  }
  void Name(Slot slot, std::string_view name) {
    if (!slot.first) out_->push_back(',');
    AppendJsonString(out_, name);
    out_->push_back(':');
  }
  void EndMap(Slot slot) {
    out_->push_back('}');
    if (slot.parent != Parent::kNone) EndValue(slot);
  }
  void BeginList(Slot slot, std::size_t) {
    BeginValue(slot, "L");
    out_->push_back('[');
  }
  void EndList(Slot slot) { EndArray(slot); }
  void BeginSet(Slot slot, Type type, std::size_t) {
    BeginValue(slot, TypeName(type));
    out_->push_back('[');
  }
  void EndSet(Slot slot) { EndArray(slot); }
  void Bytes(Slot slot, Type type, std::string_view bytes) {
    BeginValue(slot, TypeName(type));
    AppendJsonString(out_, type == Type::kB ? std::string_view(Base64Encode(bytes)) : bytes);
    EndValue(slot);
  }
  void Num(Slot slot, bool negative, std::string_view digits, int exponent) {
    BeginValue(slot, "N");
    out_->push_back('"');  // number text needs no escaping
    Number::AppendText(out_, negative, digits, exponent);
    out_->push_back('"');
    EndValue(slot);
  }
  void Bool(Slot slot, bool b) {
    BeginValue(slot, "BOOL");
    out_->append(b ? "true" : "false");
    EndValue(slot);
  }
  void Null(Slot slot) {
    BeginValue(slot, "NULL");
    out_->append("true");
    EndValue(slot);
  }

 private:
  // A value: separated from the one before it in a list or set (map entries are, by Name);
  // typed ({"S":...}) unless it is a set member.
  void BeginValue(Slot slot, std::string_view type) {
    const bool element = slot.parent == Parent::kList || slot.parent == Parent::kSet;
    if (element && !slot.first) out_->push_back(',');
    if (slot.parent == Parent::kSet) return;
    out_->append("{\"");
    out_->append(type);
    out_->append("\":");
  }
  void EndValue(Slot slot) {
    if (slot.parent != Parent::kSet) out_->push_back('}');
  }
  void EndArray(Slot slot) {
    out_->push_back(']');
    EndValue(slot);
  }

  std::string* out_;
};

}  // namespace

void AppendEncodedItemJson(std::string* out, std::string_view encoded) {
  JsonVisitor v(out);
  if (!storage::WalkItem(encoded, v)) throw WireError(InternalError("corrupt item"));
}

std::string QueryBody(const QueryResponse& r) {
  std::string out;
  out.reserve(256 + (r.items ? r.items->size() * 512 : 0));
  out.push_back('{');
  if (r.items) {
    out.append("\"Items\":[");
    const ItemList& items = *r.items;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) out.push_back(',');
      // A page read straight from the store is written from its bytes: no Items built.
      if (items.encoded()) {
        AppendEncodedItemJson(&out, items.encoded_item(i));
      } else {
        AppendItemJson(&out, items[i]);
      }
    }
    out.append("],");
  }
  fmt::format_to(std::back_inserter(out), "\"Count\":{},\"ScannedCount\":{}", r.count, r.scanned_count);
  if (r.last_evaluated_key) {
    out.append(",\"LastEvaluatedKey\":");
    AppendItemJson(&out, *r.last_evaluated_key);
  }
  if (r.consumed_capacity) {
    QueryResponse only_capacity;
    only_capacity.consumed_capacity = r.consumed_capacity;
    out.append(",\"ConsumedCapacity\":");
    out.append(ToJson(only_capacity)["ConsumedCapacity"].dump());
  }
  out.push_back('}');
  return out;
}

std::string GetItemBody(const GetItemResponse& r) {
  std::string out;
  out.push_back('{');
  if (r.item) {
    out.append("\"Item\":");
    AppendItemJson(&out, *r.item);
  }
  if (r.consumed_capacity) {
    GetItemResponse only_capacity;
    only_capacity.consumed_capacity = r.consumed_capacity;
    if (r.item) out.push_back(',');
    out.append("\"ConsumedCapacity\":");
    out.append(ToJson(only_capacity)["ConsumedCapacity"].dump());
  }
  out.push_back('}');
  return out;
}

}  // namespace localdynamo::wire
