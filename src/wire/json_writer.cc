#include "wire/json_writer.h"

#include <fmt/format.h>

#include "wire/codec.h"

namespace localdynamo::wire {

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}

namespace {

template <class T, class F>
void AppendArray(std::string* out, const std::vector<T>& values, F each) {
  out->push_back('[');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out->push_back(',');
    each(values[i]);
  }
  out->push_back(']');
}

}  // namespace

void AppendValueJson(std::string* out, const AttributeValue& v) {
  out->append("{\"");
  out->append(TypeName(v.type()));
  out->append("\":");
  switch (v.type()) {
    case Type::kS: AppendJsonString(out, v.s()); break;
    case Type::kN: AppendJsonString(out, v.n().ToString()); break;
    case Type::kB: AppendJsonString(out, Base64Encode(v.b())); break;
    case Type::kBool: out->append(v.boolean() ? "true" : "false"); break;
    case Type::kNull: out->append("true"); break;
    case Type::kM: AppendItemJson(out, v.m()); break;
    case Type::kL: AppendArray(out, v.l(), [&](const AttributeValue& e) { AppendValueJson(out, e); }); break;
    case Type::kSS: AppendArray(out, v.ss(), [&](const std::string& e) { AppendJsonString(out, e); }); break;
    case Type::kNS: AppendArray(out, v.ns(), [&](const Number& e) { AppendJsonString(out, e.ToString()); }); break;
    case Type::kBS: AppendArray(out, v.bs(), [&](const std::string& e) { AppendJsonString(out, Base64Encode(e)); }); break;
  }
  out->push_back('}');
}

void AppendItemJson(std::string* out, const Item& item) {
  out->push_back('{');
  bool first = true;
  for (const auto& [name, value] : item) {
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(out, name);
    out->push_back(':');
    AppendValueJson(out, value);
  }
  out->push_back('}');
}

std::string QueryBody(const QueryResponse& r) {
  std::string out;
  out.reserve(256 + (r.items ? r.items->size() * 512 : 0));
  out.push_back('{');
  if (r.items) {
    out.append("\"Items\":[");
    for (std::size_t i = 0; i < r.items->size(); ++i) {
      if (i) out.push_back(',');
      AppendItemJson(&out, (*r.items)[i]);
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
