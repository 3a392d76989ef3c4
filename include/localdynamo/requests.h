#pragma once
// Typed requests and responses, one pair per DynamoDB operation, with DynamoDB's member names
// in snake_case, so the wire layer maps JSON onto them 1:1. Optional members are std::optional
// (absent and empty differ in DynamoDB's validation).

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "localdynamo/schema.h"
#include "localdynamo/item_list.h"
#include "localdynamo/value.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

using NameMap = std::map<std::string, std::string>;      // ExpressionAttributeNames
using ValueMap = std::map<std::string, AttributeValue>;  // ExpressionAttributeValues

enum class ReturnValue { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };
enum class ReturnConsumedCapacity { kNone, kTotal, kIndexes };
enum class ReturnItemCollectionMetrics { kNone, kSize };
enum class ReturnValuesOnConditionCheckFailure { kNone, kAllOld };
enum class Select { kAllAttributes, kAllProjectedAttributes, kSpecificAttributes, kCount };
enum class ConditionalOperator { kAnd, kOr };

// ---- consumed capacity ------------------------------------------------------------------
struct Capacity {
  std::optional<double> read_capacity_units;
  std::optional<double> write_capacity_units;
  double capacity_units = 0;
};
struct ConsumedCapacity {
  std::string table_name;
  double capacity_units = 0;
  std::optional<double> read_capacity_units;
  std::optional<double> write_capacity_units;
  std::optional<Capacity> table;  // INDEXES only
  std::map<std::string, Capacity> local_secondary_indexes;
  std::map<std::string, Capacity> global_secondary_indexes;
};
struct ItemCollectionMetrics {
  Item item_collection_key;
  std::vector<double> size_estimate_range_gb;
};

// ---- legacy (pre-expression) parameters -----------------------------------------------------
// "EQ", "NE", "LE", "LT", "GE", "GT", "NOT_NULL", "NULL", "CONTAINS", "NOT_CONTAINS",
// "BEGINS_WITH", "IN", "BETWEEN"; kept as text so unknown operators get DynamoDB's error.
struct Condition {
  std::string comparison_operator;
  std::optional<std::vector<AttributeValue>> attribute_value_list;
};
struct ExpectedAttributeValue {
  std::optional<AttributeValue> value;
  std::optional<bool> exists;
  std::optional<std::string> comparison_operator;
  std::optional<std::vector<AttributeValue>> attribute_value_list;
};
struct AttributeValueUpdate {
  std::optional<AttributeValue> value;
  std::optional<std::string> action;  // "PUT" (default), "ADD", "DELETE"
};

// ---- tables -----------------------------------------------------------------------------
struct CreateTableRequest {
  std::string table_name;
  std::vector<AttributeDefinition> attribute_definitions;
  std::vector<KeySchemaElement> key_schema;
  std::optional<std::vector<LocalSecondaryIndex>> local_secondary_indexes;
  std::optional<std::vector<GlobalSecondaryIndex>> global_secondary_indexes;
  std::optional<BillingMode> billing_mode;
  std::optional<ProvisionedThroughput> provisioned_throughput;
  std::optional<StreamSpecification> stream_specification;
  std::optional<bool> deletion_protection_enabled;
  std::optional<std::vector<Tag>> tags;  // checked as TagResource checks them; [] is allowed
  std::optional<SSESpecification> sse_specification;
  std::optional<TableClass> table_class;
  std::optional<OnDemandThroughput> on_demand_throughput;
  std::optional<WarmThroughput> warm_throughput;
};
struct CreateTableResponse {
  TableDescription table_description;
};

struct DescribeTableRequest {
  std::string table_name;
};
struct DescribeTableResponse {
  TableDescription table;
};

struct DeleteTableRequest {
  std::string table_name;
};
struct DeleteTableResponse {
  TableDescription table_description;
};

struct ListTablesRequest {
  std::optional<std::string> exclusive_start_table_name;
  std::optional<int64_t> limit;  // 1..100
};
struct ListTablesResponse {
  std::vector<std::string> table_names;
  std::optional<std::string> last_evaluated_table_name;
};

struct GlobalSecondaryIndexUpdate {
  std::optional<GlobalSecondaryIndex> create;
  std::optional<std::string> delete_index_name;
  // Update: index name + new throughput
  std::optional<std::string> update_index_name;
  std::optional<ProvisionedThroughput> update_provisioned_throughput;
  std::optional<OnDemandThroughput> update_on_demand_throughput;
  std::optional<WarmThroughput> update_warm_throughput;
};
struct UpdateTableRequest {
  std::string table_name;
  std::optional<std::vector<AttributeDefinition>> attribute_definitions;
  std::optional<BillingMode> billing_mode;
  std::optional<ProvisionedThroughput> provisioned_throughput;
  std::optional<std::vector<GlobalSecondaryIndexUpdate>> global_secondary_index_updates;
  std::optional<StreamSpecification> stream_specification;
  std::optional<bool> deletion_protection_enabled;
  std::optional<SSESpecification> sse_specification;
  std::optional<TableClass> table_class;
  std::optional<OnDemandThroughput> on_demand_throughput;  // the members given replace the table's
  std::optional<WarmThroughput> warm_throughput;           // likewise; never lower than now
};
struct UpdateTableResponse {
  TableDescription table_description;
};

// ---- time to live --------------------------------------------------------------------------
// The setting is kept and reported as DynamoDB does; Database::DeleteExpiredItems deletes what
// has expired (`serve` calls it every few seconds; DynamoDB "typically within two days").
struct TimeToLiveSpecification {
  std::string attribute_name;
  bool enabled = false;
};
struct UpdateTimeToLiveRequest {
  std::string table_name;
  TimeToLiveSpecification time_to_live_specification;
};
struct UpdateTimeToLiveResponse {
  TimeToLiveSpecification time_to_live_specification;  // the request's, echoed
};
enum class TimeToLiveStatus { kEnabling, kDisabling, kEnabled, kDisabled };
struct DescribeTimeToLiveRequest {
  std::string table_name;
};
struct TimeToLiveDescription {
  TimeToLiveStatus time_to_live_status = TimeToLiveStatus::kDisabled;
  std::optional<std::string> attribute_name;  // while enabled
};
struct DescribeTimeToLiveResponse {
  TimeToLiveDescription time_to_live_description;
};

// ---- tags ----------------------------------------------------------------------------------
// A table's tags, addressed by its ARN (or a stream's, whose tags are its own), with DynamoDB's
// rules: at most 50, keys 1..128 and values 0..256 characters of letters, digits, white space
// and + - = . _ : / @, no "aws:" prefix. ListTagsOfResource answers in one page, in the order
// the keys were first set (DynamoDB's order is unspecified; it never paged 50 tags).
struct TagResourceRequest {
  std::string resource_arn;
  std::vector<Tag> tags;
};
struct UntagResourceRequest {
  std::string resource_arn;
  std::vector<std::string> tag_keys;
};
struct ListTagsOfResourceRequest {
  std::string resource_arn;
  std::optional<std::string> next_token;  // accepted; every answer is one page
};
struct ListTagsOfResourceResponse {
  std::vector<Tag> tags;
};

// ---- continuous backups (point-in-time recovery) ---------------------------------------------
// The setting, reported as DynamoDB reports it; while it is on, writes are logged so that
// RestoreTableToPointInTime can restore the table as it was at any moment of the window.
struct PointInTimeRecoverySpecification {
  bool point_in_time_recovery_enabled = false;
  std::optional<int64_t> recovery_period_in_days;  // 1..35, while enabling (default 35)
};
struct UpdateContinuousBackupsRequest {
  std::string table_name;
  PointInTimeRecoverySpecification point_in_time_recovery_specification;
};
struct DescribeContinuousBackupsRequest {
  std::string table_name;
};
struct PointInTimeRecoveryDescription {
  bool enabled = false;  // PointInTimeRecoveryStatus ENABLED / DISABLED
  // While enabled: the window a restore could come from (epoch seconds) and its length.
  std::optional<double> earliest_restorable_date_time;
  std::optional<double> latest_restorable_date_time;
  std::optional<int64_t> recovery_period_in_days;
};
struct ContinuousBackupsDescription {
  bool continuous_backups_enabled = true;  // ContinuousBackupsStatus: on for every table
  PointInTimeRecoveryDescription point_in_time_recovery_description;
};
struct ContinuousBackupsResponse {  // both operations answer with the table's description
  ContinuousBackupsDescription continuous_backups_description;
};

// ---- on-demand backups ---------------------------------------------------------------------
// A backup is a copy of a table's items, indexes and settings taken in one transaction; it
// outlives its table and is restored into a new table (items, indexes, billing, throughput and
// encryption; not streams, time to live, tags or point-in-time recovery, as DynamoDB restores).
enum class BackupStatus { kCreating, kDeleted, kAvailable };
enum class BackupType { kUser, kSystem, kAwsBackup };
enum class BackupTypeFilter { kUser, kSystem, kAwsBackup, kAll };
struct BackupDetails {
  std::string backup_arn;  // <table ARN>/backup/<14-digit creation millis>-<8 hex digits>
  std::string backup_name;
  int64_t backup_size_bytes = 0;
  BackupStatus backup_status = BackupStatus::kAvailable;
  BackupType backup_type = BackupType::kUser;
  double backup_creation_date_time = 0;           // epoch seconds
  std::optional<double> backup_expiry_date_time;  // system backups'
};
struct SourceTableDetails {
  std::string table_name;
  std::string table_id;
  std::string table_arn;
  int64_t table_size_bytes = 0;
  std::vector<KeySchemaElement> key_schema;
  double table_creation_date_time = 0;
  ProvisionedThroughput provisioned_throughput;
  std::optional<OnDemandThroughput> on_demand_throughput;
  int64_t item_count = 0;
  BillingMode billing_mode = BillingMode::kProvisioned;
};
struct SourceTableFeatureDetails {
  std::vector<LocalSecondaryIndex> local_secondary_indexes;
  std::vector<GlobalSecondaryIndex> global_secondary_indexes;
  std::optional<StreamSpecification> stream_description;
  std::optional<TimeToLiveDescription> time_to_live_description;
  std::optional<SSEDescription> sse_description;
};
struct BackupDescription {
  BackupDetails backup_details;
  SourceTableDetails source_table_details;
  SourceTableFeatureDetails source_table_feature_details;
};
struct CreateBackupRequest {
  std::string table_name;
  std::string backup_name;
};
struct CreateBackupResponse {
  BackupDetails backup_details;  // CREATING, as DynamoDB answers; AVAILABLE from then on
};
struct DescribeBackupRequest {
  std::string backup_arn;
};
struct DeleteBackupRequest {
  std::string backup_arn;
};
struct BackupDescriptionResponse {  // DescribeBackup's and DeleteBackup's (status DELETED) answer
  BackupDescription backup_description;
};
struct ListBackupsRequest {
  std::optional<std::string> table_name;
  std::optional<int64_t> limit;                  // 1..100
  std::optional<double> time_range_lower_bound;  // epoch seconds, inclusive
  std::optional<double> time_range_upper_bound;  // epoch seconds, exclusive
  std::optional<std::string> exclusive_start_backup_arn;
  std::optional<BackupTypeFilter> backup_type;  // default USER
};
struct BackupSummary {
  std::string table_name;
  std::string table_id;
  std::string table_arn;
  BackupDetails details;  // the backup's ARN, name, size, status, type and creation time
};
struct ListBackupsResponse {
  std::vector<BackupSummary> backup_summaries;  // oldest first
  std::optional<std::string> last_evaluated_backup_arn;
};
struct RestoreTableFromBackupRequest {
  std::string target_table_name;
  std::string backup_arn;
  std::optional<BillingMode> billing_mode_override;
  std::optional<std::vector<GlobalSecondaryIndex>> global_secondary_index_override;
  std::optional<std::vector<LocalSecondaryIndex>> local_secondary_index_override;
  std::optional<ProvisionedThroughput> provisioned_throughput_override;
  std::optional<OnDemandThroughput> on_demand_throughput_override;
  std::optional<SSESpecification> sse_specification_override;
};
struct RestoreTableFromBackupResponse {
  TableDescription table_description;  // CREATING, RestoreInProgress true
};
// The table as it was at a moment of point-in-time recovery's window (from its log: every
// write while recovery is on is logged). The same overrides as a restore from a backup.
struct RestoreTableToPointInTimeRequest {
  std::optional<std::string> source_table_arn;  // exactly one of these two
  std::optional<std::string> source_table_name;
  std::string target_table_name;
  std::optional<bool> use_latest_restorable_time;  // exactly one of this and restore_date_time
  std::optional<double> restore_date_time;         // epoch seconds
  std::optional<BillingMode> billing_mode_override;
  std::optional<std::vector<GlobalSecondaryIndex>> global_secondary_index_override;
  std::optional<std::vector<LocalSecondaryIndex>> local_secondary_index_override;
  std::optional<ProvisionedThroughput> provisioned_throughput_override;
  std::optional<OnDemandThroughput> on_demand_throughput_override;
  std::optional<SSESpecification> sse_specification_override;
};
using RestoreTableToPointInTimeResponse = RestoreTableFromBackupResponse;

// ---- contributor insights -------------------------------------------------------------------
// The setting per table and per global secondary index, kept and reported as DynamoDB reports
// it (no CloudWatch here, so nothing is counted): ENABLE answers ENABLING and DISABLE
// DISABLING, and the change is done when the call returns (DescribeContributorInsights says
// ENABLED / DISABLED).
enum class ContributorInsightsStatus { kEnabling, kEnabled, kDisabling, kDisabled, kFailed };
enum class ContributorInsightsMode { kAccessedAndThrottledKeys, kThrottledKeys };
enum class ContributorInsightsAction { kEnable, kDisable };
struct UpdateContributorInsightsRequest {
  std::string table_name;
  std::optional<std::string> index_name;  // a global secondary index
  ContributorInsightsAction action = ContributorInsightsAction::kEnable;
  std::optional<ContributorInsightsMode> mode;  // ENABLE's (default ACCESSED_AND_THROTTLED_KEYS)
};
struct UpdateContributorInsightsResponse {
  std::string table_name;
  std::optional<std::string> index_name;
  ContributorInsightsStatus status = ContributorInsightsStatus::kDisabled;
  std::optional<ContributorInsightsMode> mode;
};
struct DescribeContributorInsightsRequest {
  std::string table_name;
  std::optional<std::string> index_name;
};
struct DescribeContributorInsightsResponse {
  std::string table_name;
  std::optional<std::string> index_name;
  std::optional<std::vector<std::string>> rule_list;  // while enabled
  ContributorInsightsStatus status = ContributorInsightsStatus::kDisabled;
  std::optional<double> last_update_date_time;  // once it was ever changed
  std::optional<ContributorInsightsMode> mode;
};
struct ListContributorInsightsRequest {
  std::optional<std::string> table_name;
  std::optional<std::string> next_token;
  std::optional<int64_t> max_results;  // at most 100
};
struct ContributorInsightsSummary {
  std::string table_name;
  std::optional<std::string> index_name;
  ContributorInsightsStatus status = ContributorInsightsStatus::kEnabled;
  std::optional<ContributorInsightsMode> mode;
};
struct ListContributorInsightsResponse {
  std::vector<ContributorInsightsSummary> summaries;  // every one not DISABLED
  std::optional<std::string> next_token;
};

// ---- single items -------------------------------------------------------------------------
// Members every item write shares:
//   table_name: the table's name, or its ARN.
//   condition_expression: the write happens only if the item as stored (none: an item with no
//     attributes) satisfies it; otherwise ConditionalCheckFailedException, nothing written.
//   expression_attribute_names / _values: the #names and :values the expressions use; each
//     must be used (ValidationException otherwise), and given only with an expression.
//   return_values_on_condition_check_failure: ALL_OLD puts the stored item into the
//     ConditionalCheckFailedException (Error::item).
//   return_consumed_capacity: TOTAL or INDEXES fill the response's consumed_capacity (write
//     units: 1 per KB of the larger of the old and new item, and each index entry written).
//   return_item_collection_metrics: SIZE reports the item collection's size range, for a
//     table with a local secondary index.
//   expected / conditional_operator: the legacy form of a condition; not together with
//     expressions (ValidationException).
// Errors of all of them: ValidationException (the request, or the item against the table's
// schema: key attributes, index key types, 400 KB, sets), ResourceNotFoundException (no such
// table), ConditionalCheckFailedException, and InternalServerError for a failure of the store
// (the database full, the disk full: nothing written).

// Stores `item` whole, replacing an item with the same key. return_values: NONE or ALL_OLD
// (the item replaced, if any).
struct PutItemRequest {
  std::string table_name;
  Item item;
  std::optional<std::string> condition_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<ValueMap> expression_attribute_values;
  std::optional<ReturnValue> return_values;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
  std::optional<std::map<std::string, ExpectedAttributeValue>> expected;
  std::optional<ConditionalOperator> conditional_operator;
};
struct PutItemResponse {
  std::optional<Item> attributes;  // return_values ALL_OLD: the item replaced, if there was one
  std::optional<ConsumedCapacity> consumed_capacity;
  std::optional<ItemCollectionMetrics> item_collection_metrics;
};

// Reads the item with `key` (exactly the table's key attributes). projection_expression (or
// the legacy attributes_to_get) names the attributes to return. Every read here is strongly
// consistent; consistent_read only sets the capacity reported (1 read unit per 4 KB, half
// that when eventually consistent). Errors: ValidationException, ResourceNotFoundException.
struct GetItemRequest {
  std::string table_name;
  Item key;
  std::optional<std::string> projection_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<bool> consistent_read;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<std::vector<std::string>> attributes_to_get;
};
struct GetItemResponse {
  std::optional<Item> item;  // none when there is no such item
  std::optional<ConsumedCapacity> consumed_capacity;
};

// Deletes the item with `key` (deleting an item that isn't there is no error). return_values:
// NONE or ALL_OLD (the item deleted, if any).
struct DeleteItemRequest {
  std::string table_name;
  Item key;
  std::optional<std::string> condition_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<ValueMap> expression_attribute_values;
  std::optional<ReturnValue> return_values;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
  std::optional<std::map<std::string, ExpectedAttributeValue>> expected;
  std::optional<ConditionalOperator> conditional_operator;
};
struct DeleteItemResponse {
  std::optional<Item> attributes;
  std::optional<ConsumedCapacity> consumed_capacity;
  std::optional<ItemCollectionMetrics> item_collection_metrics;
};

// Changes the item with `key`, creating it from its key when there is none (the condition
// sees no item then). update_expression (SET, REMOVE, ADD, DELETE clauses; or the legacy
// attribute_updates) may not touch a key attribute. return_values: NONE, ALL_OLD, UPDATED_OLD,
// ALL_NEW or UPDATED_NEW (UPDATED_*: only the paths the update wrote). An update whose result
// is invalid (an operand of the wrong type, an index key of the wrong type, an item over
// 400 KB) is a ValidationException and writes nothing.
struct UpdateItemRequest {
  std::string table_name;
  Item key;
  std::optional<std::string> update_expression;
  std::optional<std::string> condition_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<ValueMap> expression_attribute_values;
  std::optional<ReturnValue> return_values;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
  std::optional<std::map<std::string, AttributeValueUpdate>> attribute_updates;
  std::optional<std::map<std::string, ExpectedAttributeValue>> expected;
  std::optional<ConditionalOperator> conditional_operator;
};
struct UpdateItemResponse {
  std::optional<Item> attributes;
  std::optional<ConsumedCapacity> consumed_capacity;
  std::optional<ItemCollectionMetrics> item_collection_metrics;
};

// ---- query and scan ------------------------------------------------------------------------
// One page of a table's or index's items. A page ends after `limit` items read (before the
// filter), at 1 MB of items read, or at the end; last_evaluated_key then says where the next
// page starts (pass it as exclusive_start_key), absent on the last page. The filter
// (filter_expression, or the legacy query_filter / scan_filter) drops items after they are
// read and counted: count is the items returned, scanned_count the items read, and read
// capacity is for every item read. select: ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES (an
// index's), SPECIFIC_ATTRIBUTES (with a projection) or COUNT (items absent). Errors:
// ValidationException (the request, expressions, a key of the wrong shape, an index that the
// table doesn't have), ResourceNotFoundException.
//
// Query reads one partition: key_condition_expression (or the legacy key_conditions) is an
// equality on the partition key, optionally AND a condition on the sort key (=, <, <=, >, >=,
// BETWEEN, begins_with), in sort key order (scan_index_forward false: descending).
struct QueryRequest {
  std::string table_name;
  std::optional<std::string> index_name;
  std::optional<std::string> key_condition_expression;
  std::optional<std::string> filter_expression;
  std::optional<std::string> projection_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<ValueMap> expression_attribute_values;
  std::optional<Select> select;
  std::optional<bool> scan_index_forward;
  std::optional<int64_t> limit;
  std::optional<Item> exclusive_start_key;
  std::optional<bool> consistent_read;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<std::map<std::string, Condition>> key_conditions;
  std::optional<std::map<std::string, Condition>> query_filter;
  std::optional<std::vector<std::string>> attributes_to_get;
  std::optional<ConditionalOperator> conditional_operator;
};
struct QueryResponse {
  std::optional<ItemList> items;  // absent for Select=COUNT
  int64_t count = 0;
  int64_t scanned_count = 0;
  std::optional<Item> last_evaluated_key;
  std::optional<ConsumedCapacity> consumed_capacity;
};

// Scan reads the whole table or index, in the store's key order (each partition's items
// together, in sort key order); segment and total_segments split it for parallel readers
// (each segment a disjoint part).
struct ScanRequest {
  std::string table_name;
  std::optional<std::string> index_name;
  std::optional<std::string> filter_expression;
  std::optional<std::string> projection_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<ValueMap> expression_attribute_values;
  std::optional<Select> select;
  std::optional<int64_t> limit;
  std::optional<Item> exclusive_start_key;
  std::optional<bool> consistent_read;
  std::optional<int64_t> segment;
  std::optional<int64_t> total_segments;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<std::map<std::string, Condition>> scan_filter;
  std::optional<std::vector<std::string>> attributes_to_get;
  std::optional<ConditionalOperator> conditional_operator;
};
using ScanResponse = QueryResponse;

// ---- batches -------------------------------------------------------------------------------
// BatchGetItem reads up to 100 items, keyed by table name (or ARN) as in the request, each
// table with its own projection; no key twice. Everything is read from one snapshot;
// unprocessed_keys stays empty unless the answer passes 16 MB (then the rest is there, to ask
// again). Errors: ValidationException (more than 100 keys, a key of the wrong shape, a
// duplicate), ResourceNotFoundException.
struct KeysAndAttributes {
  std::vector<Item> keys;
  std::optional<std::string> projection_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<bool> consistent_read;
  std::optional<std::vector<std::string>> attributes_to_get;
};
struct BatchGetItemRequest {
  std::map<std::string, KeysAndAttributes> request_items;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
};
struct BatchGetItemResponse {
  std::map<std::string, std::vector<Item>> responses;
  std::map<std::string, KeysAndAttributes> unprocessed_keys;
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity;
};

// BatchWriteItem puts and deletes up to 25 items (exactly one of put_item / delete_key in
// each; no item twice), without conditions. Every write is validated before any is made, and
// all are committed together (DynamoDB promises each write's atomicity only);
// unprocessed_items stays empty. Errors: ValidationException, ResourceNotFoundException.
struct WriteRequest {
  std::optional<Item> put_item;    // PutRequest.Item
  std::optional<Item> delete_key;  // DeleteRequest.Key
};
struct BatchWriteItemRequest {
  std::map<std::string, std::vector<WriteRequest>> request_items;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics;
};
struct BatchWriteItemResponse {
  std::map<std::string, std::vector<WriteRequest>> unprocessed_items;
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity;
  std::optional<std::map<std::string, std::vector<ItemCollectionMetrics>>> item_collection_metrics;
};

// ---- transactions --------------------------------------------------------------------------
// A TransactWriteItems action is one of four kinds, each with the members DynamoDB gives it
// (what is required is not optional). Every action may carry a ConditionExpression (a
// ConditionCheck must), the ExpressionAttributeNames/Values its expressions use, and
// ReturnValuesOnConditionCheckFailure (ALL_OLD: a failed condition's cancellation reason
// carries the item as it was).
struct TransactPut {
  std::string table_name;
  Item item;
  std::optional<std::string> condition_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<ValueMap> expression_attribute_values;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};
struct TransactUpdate {
  std::string table_name;
  Item key;
  std::string update_expression;
  std::optional<std::string> condition_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<ValueMap> expression_attribute_values;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};
struct TransactDelete {
  std::string table_name;
  Item key;
  std::optional<std::string> condition_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<ValueMap> expression_attribute_values;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};
struct TransactConditionCheck {
  std::string table_name;
  Item key;
  std::string condition_expression;
  std::optional<NameMap> expression_attribute_names;
  std::optional<ValueMap> expression_attribute_values;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};
using TransactWriteItem =
    std::variant<TransactConditionCheck, TransactPut, TransactDelete, TransactUpdate>;

// TransactWriteItems: up to 100 actions on distinct items, all applied or none. Every
// condition is checked against the items as they are before any is written. Errors:
//   ValidationException: the request as a whole (its size, 4 MB of items at most, an item
//     named twice, an empty key value, a Put over 400 KB, an update of a key attribute, the
//     expressions' syntax);
//   TransactionCanceledException: one CancellationReason per action, in order, None for those
//     that would have succeeded: ConditionalCheckFailed (the item for ALL_OLD) or
//     ValidationError (the action's item does not fit the table: a key or index key of the
//     wrong type, an update that fails on the item it finds or grows it past 400 KB);
//   IdempotentParameterMismatchException: client_request_token in use (10 minutes) by a request
//     with other actions; a retry with the same actions succeeds without applying them again;
//   ResourceNotFoundException, InternalServerError (the store).
// Capacity: each action's write units as for a single write, doubled; a condition check is
// billed as a write of the item it checked, doubled too.
struct TransactWriteItemsRequest {
  std::vector<TransactWriteItem> transact_items;
  std::optional<std::string> client_request_token;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<ReturnItemCollectionMetrics> return_item_collection_metrics;
};
struct TransactWriteItemsResponse {
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity;
  std::optional<std::map<std::string, std::vector<ItemCollectionMetrics>>> item_collection_metrics;
};

// TransactGetItems: up to 100 items read from one snapshot (strongly consistent reads,
// capacity doubled); no item twice. A key that does not match its table's schema cancels the
// request (TransactionCanceledException, that Get's reason ValidationError).
struct TransactGetItem {
  std::string table_name;
  Item key;
  std::optional<std::string> projection_expression;
  std::optional<NameMap> expression_attribute_names;
};
struct TransactGetItemsRequest {
  std::vector<TransactGetItem> transact_items;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
};
struct ItemResponse {
  std::optional<Item> item;
};
struct TransactGetItemsResponse {
  std::vector<ItemResponse> responses;
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity;
};

// ---- PartiQL ---------------------------------------------------------------------------------
// DynamoDB's PartiQL statements (the grammar is in src/expr/partiql.h), run as the operations
// they stand for: a SELECT with an equality (or IN) on the partition key is a Query, any other a
// Scan; INSERT is a PutItem that refuses an existing item (DuplicateItemException); UPDATE and
// DELETE name one item by its whole key, their other conditions being the write's condition.
struct ExecuteStatementRequest {
  std::string statement;
  std::optional<std::vector<AttributeValue>> parameters;  // the statement's ?s, in order
  std::optional<bool> consistent_read;
  std::optional<std::string> next_token;
  std::optional<int64_t> limit;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};
struct ExecuteStatementResponse {
  ItemList items;  // SELECT's page (built on first access, as Query's), or what RETURNING asked for
  std::optional<std::string> next_token;
  std::optional<ConsumedCapacity> consumed_capacity;
};
struct BatchStatementRequest {
  std::string statement;
  std::optional<std::vector<AttributeValue>> parameters;
  std::optional<bool> consistent_read;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};
struct BatchExecuteStatementRequest {
  std::vector<BatchStatementRequest> statements;  // 1..25, all reads or all writes
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
};
struct BatchStatementError {
  std::string code;  // "ConditionalCheckFailed", "DuplicateItem", "ValidationError", ...
  std::string message;
};
struct BatchStatementResponse {
  std::optional<std::string> table_name;
  std::optional<Item> item;
  std::optional<BatchStatementError> error;
};
struct BatchExecuteStatementResponse {
  std::vector<BatchStatementResponse> responses;  // one per statement, in order
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity;
};
struct ParameterizedStatement {
  std::string statement;
  std::optional<std::vector<AttributeValue>> parameters;
  std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};
struct ExecuteTransactionRequest {
  std::vector<ParameterizedStatement> transact_statements;  // 1..100, all reads or all writes
  std::optional<std::string> client_request_token;
  std::optional<ReturnConsumedCapacity> return_consumed_capacity;
};
struct ExecuteTransactionResponse {
  std::vector<ItemResponse> responses;  // reads: one per statement; writes: none
  std::optional<std::vector<ConsumedCapacity>> consumed_capacity;
};

const char* ToString(ReturnValue v);
const char* ToString(Select v);

}  // namespace localdynamo

#pragma GCC visibility pop
