// Item size as DynamoDB counts it
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
// attribute names + values; strings and binary by bytes; numbers by significant digits;
// BOOL and NULL one byte; lists and maps 3 bytes plus one byte per element.

#include "localdynamo/value.h"

namespace localdynamo {

std::size_t ValueSize(const AttributeValue& v) {
  switch (v.type()) {
    case Type::kS:
      return v.s().size();
    case Type::kN:
      return v.n().StorageSize();
    case Type::kB:
      return v.b().size();
    case Type::kBool:
    case Type::kNull:
      return 1;
    case Type::kM: {
      std::size_t size = 3;
      for (const auto& [name, e] : v.m()) size += 1 + name.size() + ValueSize(e);
      return size;
    }
    case Type::kL: {
      std::size_t size = 3;
      for (const auto& e : v.l()) size += 1 + ValueSize(e);
      return size;
    }
    case Type::kSS: {
      std::size_t size = 0;
      for (const auto& e : v.ss()) size += e.size();
      return size;
    }
    case Type::kNS: {
      std::size_t size = 0;
      for (const auto& e : v.ns()) size += e.StorageSize();
      return size;
    }
    case Type::kBS: {
      std::size_t size = 0;
      for (const auto& e : v.bs()) size += e.size();
      return size;
    }
  }
  return 0;
}

std::size_t ItemSize(const Item& item) {
  std::size_t size = 0;
  for (const auto& [name, v] : item) size += name.size() + ValueSize(v);
  return size;
}

}  // namespace localdynamo
