#include "engine/capacity.h"

#include <cmath>

namespace localdynamo::engine {

double ReadUnits(uint64_t bytes, bool consistent) {
  double units = std::max<double>(1, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

double WriteUnits(uint64_t bytes) {
  return std::max<double>(1, std::ceil(static_cast<double>(bytes) / 1024.0));
}

void CapacityTally::Scale(double factor) {
  table *= factor;
  for (auto& [_, v] : gsi) v *= factor;
  for (auto& [_, v] : lsi) v *= factor;
}

void CapacityTally::Add(const CapacityTally& o) {
  table += o.table;
  for (const auto& [k, v] : o.gsi) gsi[k] += v;
  for (const auto& [k, v] : o.lsi) lsi[k] += v;
}

double CapacityTally::Total() const {
  double t = table;
  for (const auto& [_, v] : gsi) t += v;
  for (const auto& [_, v] : lsi) t += v;
  return t;
}

std::optional<ConsumedCapacity> Report(const CapacityTally& t,
                                       std::optional<ReturnConsumedCapacity> mode) {
  if (!mode || *mode == ReturnConsumedCapacity::kNone) return std::nullopt;
  ConsumedCapacity c;
  c.table_name = t.table_name;
  c.capacity_units = t.Total();
  auto units = [&](double v) {
    Capacity cap;
    cap.capacity_units = v;
    if (t.is_read) {
      cap.read_capacity_units = v;
    } else {
      cap.write_capacity_units = v;
    }
    return cap;
  };
  if (*mode == ReturnConsumedCapacity::kIndexes) {
    if (t.is_read) {
      c.read_capacity_units = c.capacity_units;
    } else {
      c.write_capacity_units = c.capacity_units;
    }
    c.table = units(t.table);
    for (const auto& [k, v] : t.gsi) c.global_secondary_indexes[k] = units(v);
    for (const auto& [k, v] : t.lsi) c.local_secondary_indexes[k] = units(v);
  }
  return c;
}

}  // namespace localdynamo::engine
