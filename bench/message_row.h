#pragma once
// The Cruddur message the engine and wire benchmarks store: message <i> of conversation <p>,
// shaped like the seed's rows (and like bench/http_bench.py's).

#include <fmt/format.h>

#include "localdynamo/localdynamo.h"

namespace bench {

inline localdynamo::Item MessageRow(int p, int i) {
  using localdynamo::AttributeValue;
  return localdynamo::Item{
      {"pk", AttributeValue::S(fmt::format("MSG#{:08}-5ae2-47a0-bc6d-fe2bc2700399", p))},
      {"sk", AttributeValue::S(fmt::format("2023-03-20T{:02}:{:02}:00.000000+00:00", i / 60, i % 60))},
      {"message_group_uuid", AttributeValue::S(fmt::format("{:08}-5ae2-47a0-bc6d-fe2bc2700399", p))},
      {"message", AttributeValue::S("I think my favorite season is season 3. So many great episodes.")},
      {"message_uuid", AttributeValue::S("1506fa16-d775-4808-9f46-456661029af2")},
      {"user_uuid", AttributeValue::S("2f1c7a1e-30e8-4c5c-9b0f-6a5b7a7d3e21")},
      {"user_display_name", AttributeValue::S("Andrew Bayko")},
      {"user_handle", AttributeValue::S("bayko")}};
}

}  // namespace bench
