#include "wire/json_writer.h"

#include <fmt/format.h>

#include "types/json_text.h"
#include "wire/codec.h"

namespace localdynamo::wire {

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
