#pragma once
// A table as the engine keeps it: its description plus the internal numbers that place its
// entries in the data DBI, and the key schema in a form that is quick to use.

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "localdynamo/requests.h"
#include "localdynamo/schema.h"
#include "localdynamo/value.h"

namespace localdynamo::engine {

struct KeyAttr {
  std::string name;
  ScalarAttributeType type = ScalarAttributeType::kS;
};

struct KeyShape {
  KeyAttr hash;
  std::optional<KeyAttr> range;
};

// Warm throughput: what a table or index is ready for, reads and writes per second. DynamoDB
// starts an on-demand table or index at 12,000 reads and 4,000 writes, a provisioned one at its
// capacity, and never lowers it: it only rises, with capacity or when asked.
struct WarmUnits {
  int64_t read = 0, write = 0;
  bool operator==(const WarmUnits&) const = default;
};
inline constexpr WarmUnits kOnDemandWarm{12000, 4000};
// The least warm throughput a table or index of `mode` with `throughput` has.
inline WarmUnits DefaultWarm(BillingMode mode,
                             const std::optional<ProvisionedThroughput>& throughput) {
  if (mode == BillingMode::kPayPerRequest || !throughput) return kOnDemandWarm;
  return {throughput->read_capacity_units, throughput->write_capacity_units};
}
// The warm throughput once `w` is applied to `current` (a member left out keeps its value).
inline WarmUnits WarmAfter(const WarmUnits& current, const WarmThroughput& w) {
  return {w.read_units_per_second.value_or(current.read),
          w.write_units_per_second.value_or(current.write)};
}
// `w` raised to at least `floor`.
inline void RaiseWarm(WarmUnits* w, const WarmUnits& floor) {
  w->read = std::max(w->read, floor.read);
  w->write = std::max(w->write, floor.write);
}

struct IndexMeta {
  std::string name;
  bool global = true;
  uint8_t number = 0;  // keyspace index number (1..255); never reused within a table
  KeyShape key;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  std::optional<ProvisionedThroughput> throughput;
  std::optional<OnDemandThroughput> on_demand_throughput;
  WarmUnits warm;
  IndexStatus status = IndexStatus::kActive;
  bool backfilling = false;
  std::string arn;
};

struct StreamMeta {
  uint32_t number = 0;  // keyspace of this stream's records
  std::string label;    // ISO-8601 creation time, as DynamoDB's labels are
  std::string arn;
  StreamViewType view_type = StreamViewType::kNewImage;
  double created = 0;  // epoch seconds
  bool enabled = true;
  std::vector<Tag> tags;  // a stream's own (TagResource with its ARN)
};

// Contributor insights on the table or one of its global secondary indexes.
struct InsightsMeta {
  bool enabled = false;
  ContributorInsightsMode mode = ContributorInsightsMode::kAccessedAndThrottledKeys;
  int64_t changed_millis = 0;  // LastUpdateDateTime
  int64_t rules_millis = 0;    // the rule names' suffix, from when it was last turned on
};

struct TableMeta {
  std::string name;
  std::string id;
  std::string arn;
  uint32_t number = 0;
  double creation_time = 0;
  std::vector<AttributeDefinition> attribute_definitions;
  std::vector<KeySchemaElement> key_schema;
  KeyShape key;
  BillingMode billing_mode = BillingMode::kProvisioned;
  ProvisionedThroughput throughput;
  double last_pay_per_request_time = 0;
  std::vector<IndexMeta> indexes;  // LSIs and GSIs, in creation order
  uint8_t next_index_number = 1;
  std::vector<StreamMeta> streams;  // every stream ever enabled; the last may be current
  bool deletion_protection = false;
  std::string ttl_attribute;          // time to live: the attribute while enabled, else ""
  int64_t ttl_changed_millis = 0;     // when time to live was last turned on or off (0: never)
  std::vector<Tag> tags;              // in the order their keys were first set
  int64_t recovery_since_millis = 0;  // point-in-time recovery: enabled since (0: disabled)
  int64_t recovery_period_days = 35;
  uint32_t recovery_log = 0;
  std::map<std::string, InsightsMeta>
      insights;  // by index name ("": the table); ever changed only  // while recovery is on: the
                 // keyspace of its log (recovery_log.h)
  std::string sse_kms_key_arn;  // server-side encryption with KMS: the key (else "")
  std::optional<TableClass> table_class;
  std::optional<OnDemandThroughput> on_demand_throughput;
  WarmUnits warm;

  const IndexMeta* FindIndex(std::string_view index_name) const;
  // The current (enabled) stream, or null.
  const StreamMeta* CurrentStream() const;
  const StreamMeta* FindStream(std::string_view arn) const;
  bool IsKeyAttribute(std::string_view attribute) const;  // of the table or any index
};

// The catalog's stored form (JSON, in the catalog DBI).
std::string SerializeTableMeta(const TableMeta& t);
std::optional<TableMeta> ParseTableMeta(std::string_view text);

ScalarAttributeType TypeOf(const std::vector<AttributeDefinition>& defs, const std::string& name);
KeyShape ShapeOf(const std::vector<KeySchemaElement>& schema,
                 const std::vector<AttributeDefinition>& defs);

// Adds an index as CreateTable or UpdateTable asks for it: its keyspace number (never reused),
// key shape, ARN and, for a global one, its capacity settings and starting warm throughput.
IndexMeta& AddGlobalIndex(TableMeta& t, const GlobalSecondaryIndex& g);
IndexMeta& AddLocalIndex(TableMeta& t, const LocalSecondaryIndex& l);

}  // namespace localdynamo::engine
