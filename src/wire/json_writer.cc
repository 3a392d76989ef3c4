#include "wire/json_writer.h"

#include <fmt/format.h>

#include "storage/item_walk.h"
#include "types/json_text.h"
#include "wire/codec.h"

namespace localdynamo::wire {
namespace {

// Writes an encoded item (storage/item_walk.h) as DynamoDB JSON, byte for byte what
// AppendItemJson writes for the decoded Item.
class JsonVisitor {
 public:
  explicit JsonVisitor(std::string* out) : out_(out) {}

  void BeginMap(std::size_t) {
    if (depth_ > 0) BeginValue("M");
    Push(kMap);
    out_->push_back('{');
  }
  void Name(std::string_view name) {
    if (!first_[depth_ - 1]) out_->push_back(',');
    first_[depth_ - 1] = false;
    AppendJsonString(out_, name);
    out_->push_back(':');
  }
  void EndMap() {
    out_->push_back('}');
    --depth_;
    if (depth_ > 0) EndValue();
  }
  void BeginList(std::size_t) {
    BeginValue("L");
    Push(kList);
    out_->push_back('[');
  }
  void EndList() { EndArray(); }
  void BeginSet(Type type, std::size_t) {
    BeginValue(TypeName(type));
    Push(kSet);
    out_->push_back('[');
  }
  void EndSet() { EndArray(); }
  void Bytes(Type type, std::string_view bytes) {
    BeginValue(TypeName(type));
    if (type == Type::kB) {
      AppendJsonString(out_, Base64Encode(bytes));
    } else {
      AppendJsonString(out_, bytes);
    }
    EndValue();
  }
  void Num(bool negative, std::string_view digits, int exponent) {
    BeginValue("N");
    out_->push_back('"');  // number text needs no escaping
    Number::AppendText(out_, negative, digits, exponent);
    out_->push_back('"');
    EndValue();
  }
  void Bool(bool b) {
    BeginValue("BOOL");
    out_->append(b ? "true" : "false");
    EndValue();
  }
  void Null() {
    BeginValue("NULL");
    out_->append("true");
    EndValue();
  }

 private:
  enum Kind : char { kMap, kList, kSet };

  bool InSet() const { return depth_ > 0 && kind_[depth_ - 1] == kSet; }
  // A value: separated from the one before it in a list or set; typed ({"S":...}) unless it
  // is a set member.
  void BeginValue(std::string_view type) {
    if (depth_ > 0 && kind_[depth_ - 1] != kMap) {
      if (!first_[depth_ - 1]) out_->push_back(',');
      first_[depth_ - 1] = false;
    }
    if (InSet()) return;
    out_->append("{\"");
    out_->append(type);
    out_->append("\":");
  }
  void EndValue() {
    if (!InSet()) out_->push_back('}');
  }
  void EndArray() {
    out_->push_back(']');
    --depth_;
    EndValue();
  }
  void Push(Kind kind) {
    kind_[depth_] = kind;
    first_[depth_] = true;
    ++depth_;
  }

  std::string* out_;
  Kind kind_[72] = {};  // the codec refuses nesting beyond 64
  bool first_[72] = {};
  int depth_ = 0;
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
