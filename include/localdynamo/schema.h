#pragma once
// Table schema and description types, named after DynamoDB's API shapes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

enum class KeyType { kHash, kRange };
enum class ScalarAttributeType { kS, kN, kB };
enum class ProjectionType { kAll, kKeysOnly, kInclude };
enum class BillingMode { kProvisioned, kPayPerRequest };
enum class StreamViewType { kKeysOnly, kNewImage, kOldImage, kNewAndOldImages };
enum class TableStatus { kCreating, kUpdating, kDeleting, kActive };
enum class IndexStatus { kCreating, kUpdating, kDeleting, kActive };

struct KeySchemaElement {
  std::string attribute_name;
  KeyType key_type = KeyType::kHash;
  bool operator==(const KeySchemaElement&) const = default;
};

struct AttributeDefinition {
  std::string attribute_name;
  ScalarAttributeType attribute_type = ScalarAttributeType::kS;
  bool operator==(const AttributeDefinition&) const = default;
};

struct Projection {
  std::optional<ProjectionType> projection_type;
  std::vector<std::string> non_key_attributes;
  bool operator==(const Projection&) const = default;
};

struct ProvisionedThroughput {
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
  bool operator==(const ProvisionedThroughput&) const = default;
};

// As described: DynamoDB adds NumberOfDecreasesToday and the last increase/decrease times.
struct ProvisionedThroughputDescription {
  int64_t number_of_decreases_today = 0;
  int64_t read_capacity_units = 0;
  int64_t write_capacity_units = 0;
  std::optional<double> last_increase_date_time;  // epoch seconds
  std::optional<double> last_decrease_date_time;
};

struct StreamSpecification {
  bool stream_enabled = false;
  std::optional<StreamViewType> stream_view_type;
  bool operator==(const StreamSpecification&) const = default;
};

struct OnDemandThroughput {
  std::optional<int64_t> max_read_request_units;
  std::optional<int64_t> max_write_request_units;
  bool operator==(const OnDemandThroughput&) const = default;
};

// The reads and writes per second a table or index is ready for at once (DynamoDB's
// WarmThroughput), as asked: a member left out keeps its value.
struct WarmThroughput {
  std::optional<int64_t> read_units_per_second;
  std::optional<int64_t> write_units_per_second;
  bool operator==(const WarmThroughput&) const = default;
};
// ... and as described: always, for a table and each global secondary index.
struct WarmThroughputDescription {
  int64_t read_units_per_second = 0;
  int64_t write_units_per_second = 0;
  bool updating = false;  // Status UPDATING while a change is under way, else ACTIVE
  bool operator==(const WarmThroughputDescription&) const = default;
};

struct GlobalSecondaryIndex {
  std::string index_name;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  std::optional<ProvisionedThroughput> provisioned_throughput;
  std::optional<OnDemandThroughput> on_demand_throughput;  // on-demand tables: the index's own caps
  std::optional<WarmThroughput> warm_throughput;
};

struct LocalSecondaryIndex {
  std::string index_name;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
};

struct GlobalSecondaryIndexDescription {
  std::string index_name;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  IndexStatus index_status = IndexStatus::kActive;
  std::optional<bool> backfilling;
  std::optional<ProvisionedThroughputDescription> provisioned_throughput;
  std::optional<OnDemandThroughput> on_demand_throughput;
  std::optional<WarmThroughputDescription> warm_throughput;
  int64_t index_size_bytes = 0;
  int64_t item_count = 0;
  std::string index_arn;
};

struct LocalSecondaryIndexDescription {
  std::string index_name;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  int64_t index_size_bytes = 0;
  int64_t item_count = 0;
  std::string index_arn;
};

struct BillingModeSummary {
  BillingMode billing_mode = BillingMode::kProvisioned;
  double last_update_to_pay_per_request_date_time = 0;  // epoch seconds
};

// Settings DynamoDB keeps and reports but that change nothing here (no encryption, storage
// tier or request-rate ceiling is emulated): CreateTable's SSESpecification, TableClass and
// OnDemandThroughput, described back as DynamoDB describes them.
enum class TableClass { kStandard, kStandardInfrequentAccess };
struct SSESpecification {
  std::optional<bool> enabled;
  std::optional<std::string> sse_type;  // "KMS" (the only type DynamoDB takes)
  std::optional<std::string>
      kms_master_key_id;  // a key id, alias or ARN; default: an AWS managed key
};
struct SSEDescription {
  std::string status = "ENABLED";
  std::string sse_type = "KMS";
  std::string kms_master_key_arn;
};

// A resource tag (TagResource, CreateTable's Tags).
struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};

// RestoreTableFromBackup's answer says where the table came from (DescribeTable doesn't: once
// the table is ACTIVE DynamoDB drops the summary).
struct RestoreSummary {
  std::string source_backup_arn;  // "" for a point-in-time restore
  std::string source_table_arn;
  double restore_date_time = 0;  // epoch seconds: the backup's creation time
  bool restore_in_progress = true;
};

struct TableDescription {
  std::string table_name;
  std::string table_id;   // a UUID from the IdSource
  std::string table_arn;  // arn:aws:dynamodb:<region>:<account>:table/<name>
  TableStatus table_status = TableStatus::kActive;
  double creation_date_time = 0;  // epoch seconds, from the Clock
  std::vector<AttributeDefinition> attribute_definitions;
  std::vector<KeySchemaElement> key_schema;
  ProvisionedThroughputDescription provisioned_throughput;
  std::optional<BillingModeSummary> billing_mode_summary;  // present for PAY_PER_REQUEST
  std::vector<LocalSecondaryIndexDescription> local_secondary_indexes;
  std::vector<GlobalSecondaryIndexDescription> global_secondary_indexes;
  std::optional<StreamSpecification> stream_specification;
  std::optional<std::string> latest_stream_label;
  std::optional<std::string> latest_stream_arn;
  bool deletion_protection_enabled = false;
  std::optional<SSEDescription> sse_description;           // when SSE was enabled with KMS
  std::optional<TableClass> table_class;                   // TableClassSummary, when one was set
  std::optional<OnDemandThroughput> on_demand_throughput;  // when one was set
  std::optional<WarmThroughputDescription>
      warm_throughput;  // always (CreateTable's answer: when one was asked)
  std::optional<RestoreSummary> restore_summary;  // RestoreTableFromBackup's answer only
  int64_t table_size_bytes = 0;
  int64_t item_count = 0;
};

// DynamoDB's spellings: "HASH", "S", "ALL", "PROVISIONED", "NEW_IMAGE", "ACTIVE", ...
const char* ToString(KeyType v);
const char* ToString(ScalarAttributeType v);
const char* ToString(ProjectionType v);
const char* ToString(BillingMode v);
const char* ToString(StreamViewType v);
const char* ToString(TableStatus v);
const char* ToString(IndexStatus v);
const char* ToString(TableClass v);

}  // namespace localdynamo

#pragma GCC visibility pop
