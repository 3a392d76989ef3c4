#pragma once
// Consumed capacity as DynamoDB computes it
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
// reads in 4 KB units (eventually consistent reads cost half), Query/Scan summing the sizes of
// every item read before filtering and rounding up once; writes in 1 KB units of the larger of
// the old and new item, plus each affected index's write; transactions cost double.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "localdynamo/requests.h"

namespace localdynamo::engine {

double ReadUnits(uint64_t bytes, bool consistent);
double WriteUnits(uint64_t bytes);

// Units consumed by one request on one table, split by table and index.
struct CapacityTally {
  std::string table_name;
  bool is_read = true;
  double table = 0;
  std::map<std::string, double> gsi;
  std::map<std::string, double> lsi;

  void Scale(double factor);
  void Add(const CapacityTally& other);
  double Total() const;
};

// Whether `mode` asks for a ConsumedCapacity member; when not, writes skip the counting.
inline bool Reported(std::optional<ReturnConsumedCapacity> mode) {
  return mode && *mode != ReturnConsumedCapacity::kNone;
}

// The ConsumedCapacity member for `mode` (nullopt for NONE / absent).
std::optional<ConsumedCapacity> Report(const CapacityTally& t,
                                       std::optional<ReturnConsumedCapacity> mode);

}  // namespace localdynamo::engine
