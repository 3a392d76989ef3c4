// Requests: DynamoDB JSON -> typed request structs.

#include <fmt/format.h>

#include "engine/errors.h"
#include "wire/codec.h"
#include "wire/reader.h"

namespace localdynamo::wire {
namespace {

constexpr EnumName<ReturnValue> kReturnValues[] = {{"NONE", ReturnValue::kNone},
                                                   {"ALL_OLD", ReturnValue::kAllOld},
                                                   {"UPDATED_OLD", ReturnValue::kUpdatedOld},
                                                   {"ALL_NEW", ReturnValue::kAllNew},
                                                   {"UPDATED_NEW", ReturnValue::kUpdatedNew}};
constexpr const char* kReturnValuesSet = "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]";
constexpr EnumName<ReturnConsumedCapacity> kRcc[] = {{"NONE", ReturnConsumedCapacity::kNone},
                                                     {"TOTAL", ReturnConsumedCapacity::kTotal},
                                                     {"INDEXES", ReturnConsumedCapacity::kIndexes}};
constexpr const char* kRccSet = "[INDEXES, TOTAL, NONE]";
constexpr EnumName<ReturnItemCollectionMetrics> kRicm[] = {
    {"NONE", ReturnItemCollectionMetrics::kNone}, {"SIZE", ReturnItemCollectionMetrics::kSize}};
constexpr const char* kRicmSet = "[SIZE, NONE]";
constexpr EnumName<ReturnValuesOnConditionCheckFailure> kRvccf[] = {
    {"NONE", ReturnValuesOnConditionCheckFailure::kNone},
    {"ALL_OLD", ReturnValuesOnConditionCheckFailure::kAllOld}};
constexpr const char* kRvccfSet = "[ALL_OLD, NONE]";
constexpr EnumName<Select> kSelect[] = {
    {"ALL_ATTRIBUTES", Select::kAllAttributes},
    {"ALL_PROJECTED_ATTRIBUTES", Select::kAllProjectedAttributes},
    {"SPECIFIC_ATTRIBUTES", Select::kSpecificAttributes},
    {"COUNT", Select::kCount}};
constexpr const char* kSelectSet =
    "[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]";
constexpr EnumName<ConditionalOperator> kCondOp[] = {{"AND", ConditionalOperator::kAnd},
                                                     {"OR", ConditionalOperator::kOr}};
constexpr const char* kCondOpSet = "[AND, OR]";
constexpr EnumName<BillingMode> kBilling[] = {{"PROVISIONED", BillingMode::kProvisioned},
                                              {"PAY_PER_REQUEST", BillingMode::kPayPerRequest}};
constexpr const char* kBillingSet = "[PROVISIONED, PAY_PER_REQUEST]";
constexpr EnumName<TableClass> kTableClass[] = {
    {"STANDARD", TableClass::kStandard},
    {"STANDARD_INFREQUENT_ACCESS", TableClass::kStandardInfrequentAccess}};
constexpr const char* kTableClassSet = "[STANDARD, STANDARD_INFREQUENT_ACCESS]";
constexpr EnumName<std::string_view> kSseType[] = {{"AES256", "AES256"}, {"KMS", "KMS"}};
constexpr const char* kSseTypeSet = "[AES256, KMS]";
constexpr EnumName<KeyType> kKeyType[] = {{"HASH", KeyType::kHash}, {"RANGE", KeyType::kRange}};
constexpr const char* kKeyTypeSet = "[HASH, RANGE]";
constexpr EnumName<ScalarAttributeType> kAttrType[] = {
    {"S", ScalarAttributeType::kS}, {"N", ScalarAttributeType::kN}, {"B", ScalarAttributeType::kB}};
constexpr const char* kAttrTypeSet = "[B, N, S]";
constexpr EnumName<ProjectionType> kProjType[] = {{"ALL", ProjectionType::kAll},
                                                  {"KEYS_ONLY", ProjectionType::kKeysOnly},
                                                  {"INCLUDE", ProjectionType::kInclude}};
constexpr const char* kProjTypeSet = "[ALL, INCLUDE, KEYS_ONLY]";
constexpr EnumName<StreamViewType> kViewType[] = {
    {"KEYS_ONLY", StreamViewType::kKeysOnly},
    {"NEW_IMAGE", StreamViewType::kNewImage},
    {"OLD_IMAGE", StreamViewType::kOldImage},
    {"NEW_AND_OLD_IMAGES", StreamViewType::kNewAndOldImages}};
constexpr const char* kViewTypeSet = "[NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]";

// A table name member; `arn_ok`: of an operation on an existing table, which takes the table's
// ARN too.
void CheckTableName(Reader& r, const std::string& name, std::string_view member = "TableName",
                    bool arn_ok = false) {
  if (!r.Has(member)) return;
  auto check = [&](std::string_view path, std::vector<std::string>* failures) {
    arn_ok ? errors::CheckTableNameOrArn(name, path, failures)
           : errors::CheckName(name, path, failures);
  };
  // Checked once without the member's path, which is only worth building for a failure: every
  // request has a table name.
  std::vector<std::string> failures;
  check("", &failures);
  if (failures.empty()) return;
  failures.clear();
  check(r.PathOf(member), &failures);
  for (auto& f : failures) r.Fail(std::move(f));
}

std::optional<SSESpecification> Sse(Reader& r, std::string_view member) {
  if (!r.Has(member)) return std::nullopt;
  Reader e = r.Child(member);
  SSESpecification sse;
  sse.enabled = e.Bool("Enabled");
  if (auto type = e.Enum("SSEType", kSseType, kSseTypeSet)) sse.sse_type = std::string(*type);
  sse.kms_master_key_id = e.String("KMSMasterKeyId");
  return sse;
}

std::optional<OnDemandThroughput> OnDemand(Reader& r, std::string_view member) {
  if (!r.Has(member)) return std::nullopt;
  Reader e = r.Child(member);
  return OnDemandThroughput{e.Long("MaxReadRequestUnits"), e.Long("MaxWriteRequestUnits")};
}

std::optional<WarmThroughput> Warm(Reader& r, std::string_view member) {
  if (!r.Has(member)) return std::nullopt;
  Reader e = r.Child(member);
  return WarmThroughput{e.Long("ReadUnitsPerSecond"), e.Long("WriteUnitsPerSecond")};
}

// SSESpecification, TableClass, OnDemandThroughput and WarmThroughput: CreateTable's and
// UpdateTable's alike.
template <class Request>
void TableSettings(Reader& r, Request* q) {
  q->sse_specification = Sse(r, "SSESpecification");
  // DynamoDB answers an unknown class with a text of its own, not the enum constraint's.
  if (auto c = r.String("TableClass")) {
    q->table_class = std::nullopt;
    for (const auto& n : kTableClass)
      if (*c == n.name) q->table_class = n.value;
    if (!q->table_class)
      ThrowValidation(
          "Invalid table-class parameter provided. Please try again with a valid table-class "
          "value: " +
          std::string(kTableClassSet) + ".");
  }
  q->on_demand_throughput = OnDemand(r, "OnDemandThroughput");
  q->warm_throughput = Warm(r, "WarmThroughput");
}

// A PartiQL statement's Parameters: a list of AttributeValues.
std::optional<std::vector<AttributeValue>> Parameters(Reader& r) {
  const JsonRef a = r.Get("Parameters");
  if (!a) return std::nullopt;
  if (!a.IsArray()) ThrowSerialization("Unexpected value type in payload");
  std::vector<AttributeValue> out;
  for (const JsonRef v : a.elements()) out.push_back(ParseValue(v));
  return out;
}

// A Tags member. A tag without its Key or Value is refused at once, as DynamoDB words it.
std::vector<Tag> Tags(Reader& r) {
  std::vector<Tag> tags;
  r.EachObject("Tags", [&](Reader& e) {
    auto key = e.String("Key");
    if (!key) ThrowValidation("The Tag Key provided is invalid, Key: null");
    auto value = e.String("Value");
    if (!value) ThrowValidation("The Tag Value provided is invalid, Value: null");
    tags.push_back({std::move(*key), std::move(*value)});
  });
  return tags;
}

// The tag operations' ResourceArn: when it is missing DynamoDB says so before anything else,
// and in its own words (the engine checks the ARN itself).
std::string ResourceArn(Reader& r) {
  auto arn = r.String("ResourceArn");
  if (!arn) ThrowValidation("Invalid TableArn");
  return *arn;
}

// The TableName of an operation on an existing table: its name or its ARN.
std::string TableName(Reader& r) {
  std::string name = r.RequiredString("TableName");
  CheckTableName(r, name, "TableName", true);
  return name;
}

void CheckLimit(Reader& r, const std::optional<int64_t>& limit, std::string_view member = "Limit") {
  if (limit && *limit < 1)
    r.Fail(
        fmt::format("Value '{}' at '{}' failed to satisfy constraint: Member must have value "
                    "greater than or equal to 1",
                    *limit, r.PathOf(member)));
}

std::vector<KeySchemaElement> KeySchema(Reader& r, std::string_view member = "KeySchema") {
  std::vector<KeySchemaElement> out;
  if (!r.Has(member)) {
    r.FailNull(member);
    return out;
  }
  r.EachObject(member, [&](Reader& e) {
    KeySchemaElement k;
    k.attribute_name = e.RequiredString("AttributeName");
    auto t = e.Enum("KeyType", kKeyType, kKeyTypeSet);
    if (!e.Has("KeyType")) e.RequiredString("KeyType");
    k.key_type = t.value_or(KeyType::kHash);
    out.push_back(k);
  });
  return out;
}

Projection ParseProjection(Reader& r) {
  Projection p;
  if (!r.Has("Projection")) {
    r.FailNull("Projection");
    return p;
  }
  Reader pr = r.Child("Projection");
  p.projection_type = pr.Enum("ProjectionType", kProjType, kProjTypeSet);
  if (auto nk = pr.StringList("NonKeyAttributes")) p.non_key_attributes = *nk;
  return p;
}

std::optional<ProvisionedThroughput> Throughput(Reader& r,
                                                std::string_view member = "ProvisionedThroughput") {
  if (!r.Has(member)) return std::nullopt;
  Reader t = r.Child(member);
  ProvisionedThroughput p;
  auto rd = t.Long("ReadCapacityUnits");
  auto wr = t.Long("WriteCapacityUnits");
  if (!rd) t.FailNull("ReadCapacityUnits");
  if (!wr) t.FailNull("WriteCapacityUnits");
  p.read_capacity_units = rd.value_or(1);
  p.write_capacity_units = wr.value_or(1);
  return p;
}

std::optional<StreamSpecification> Stream(Reader& r) {
  if (!r.Has("StreamSpecification")) return std::nullopt;
  Reader s = r.Child("StreamSpecification");
  StreamSpecification spec;
  auto enabled = s.Bool("StreamEnabled");
  if (!enabled) s.FailNull("StreamEnabled");
  spec.stream_enabled = enabled.value_or(false);
  spec.stream_view_type = s.Enum("StreamViewType", kViewType, kViewTypeSet);
  return spec;
}

std::map<std::string, Condition> Conditions(Reader& r, std::string_view member) {
  std::map<std::string, Condition> out;
  const JsonRef m = r.Get(member);
  if (!m) return out;
  if (!m.IsObject()) ThrowSerialization("Unexpected value type in payload");
  for (const auto [attr, c] : m.members()) {
    Reader cr(c, r.PathOf(member) + "." + std::string(attr) + ".member", r.failures());
    Condition cond;
    cond.comparison_operator = cr.RequiredString("ComparisonOperator");
    if (const JsonRef list = cr.Get("AttributeValueList")) {
      if (!list.IsArray()) ThrowSerialization("Unexpected value type in payload");
      std::vector<AttributeValue> values;
      for (const JsonRef v : list.elements()) values.push_back(ParseValue(v));
      cond.attribute_value_list = std::move(values);
    }
    out.emplace(attr, std::move(cond));
  }
  return out;
}

std::optional<std::map<std::string, Condition>> OptConditions(Reader& r, std::string_view member) {
  if (!r.Has(member)) return std::nullopt;
  return Conditions(r, member);
}

std::optional<std::map<std::string, ExpectedAttributeValue>> Expected(Reader& r) {
  const JsonRef m = r.Get("Expected");
  if (!m) return std::nullopt;
  if (!m.IsObject()) ThrowSerialization("Unexpected value type in payload");
  std::map<std::string, ExpectedAttributeValue> out;
  for (const auto [attr, e] : m.members()) {
    Reader er(e, "expected." + std::string(attr) + ".member", r.failures());
    ExpectedAttributeValue x;
    if (const JsonRef v = er.Get("Value")) x.value = ParseValue(v);
    x.exists = er.Bool("Exists");
    x.comparison_operator = er.String("ComparisonOperator");
    if (const JsonRef list = er.Get("AttributeValueList")) {
      if (!list.IsArray()) ThrowSerialization("Unexpected value type in payload");
      std::vector<AttributeValue> values;
      for (const JsonRef v : list.elements()) values.push_back(ParseValue(v));
      x.attribute_value_list = std::move(values);
    }
    out.emplace(attr, std::move(x));
  }
  return out;
}

}  // namespace

CreateTableRequest ParseCreateTable(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  CreateTableRequest q;
  q.table_name = r.RequiredString("TableName");
  CheckTableName(r, q.table_name);  // a new table: a name, no ARN
  if (!r.Has("AttributeDefinitions")) r.FailNull("AttributeDefinitions");
  r.EachObject("AttributeDefinitions", [&](Reader& e) {
    AttributeDefinition d;
    d.attribute_name = e.RequiredString("AttributeName");
    auto t = e.Enum("AttributeType", kAttrType, kAttrTypeSet);
    if (!e.Has("AttributeType")) e.RequiredString("AttributeType");
    d.attribute_type = t.value_or(ScalarAttributeType::kS);
    q.attribute_definitions.push_back(d);
  });
  q.key_schema = KeySchema(r);
  if (r.Has("LocalSecondaryIndexes")) {
    q.local_secondary_indexes.emplace();
    r.EachObject("LocalSecondaryIndexes", [&](Reader& e) {
      LocalSecondaryIndex l;
      l.index_name = e.RequiredString("IndexName");
      l.key_schema = KeySchema(e);
      l.projection = ParseProjection(e);
      q.local_secondary_indexes->push_back(std::move(l));
    });
  }
  if (r.Has("GlobalSecondaryIndexes")) {
    q.global_secondary_indexes.emplace();
    r.EachObject("GlobalSecondaryIndexes", [&](Reader& e) {
      GlobalSecondaryIndex g;
      g.index_name = e.RequiredString("IndexName");
      g.key_schema = KeySchema(e);
      g.projection = ParseProjection(e);
      g.provisioned_throughput = Throughput(e);
      g.on_demand_throughput = OnDemand(e, "OnDemandThroughput");
      g.warm_throughput = Warm(e, "WarmThroughput");
      q.global_secondary_indexes->push_back(std::move(g));
    });
  }
  q.billing_mode = r.Enum("BillingMode", kBilling, kBillingSet);
  q.provisioned_throughput = Throughput(r);
  q.stream_specification = Stream(r);
  q.deletion_protection_enabled = r.Bool("DeletionProtectionEnabled");
  if (r.Has("Tags")) q.tags = Tags(r);
  TableSettings(r, &q);
  f.ThrowIfAny();
  return q;
}

// A request whose one member is TableName.
template <class Request>
Request OnlyTableName(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  Request q{TableName(r)};
  f.ThrowIfAny();
  return q;
}

DescribeTableRequest ParseDescribeTable(JsonRef j) {
  return OnlyTableName<DescribeTableRequest>(j);
}
DeleteTableRequest ParseDeleteTable(JsonRef j) { return OnlyTableName<DeleteTableRequest>(j); }
DescribeTimeToLiveRequest ParseDescribeTimeToLive(JsonRef j) {
  return OnlyTableName<DescribeTimeToLiveRequest>(j);
}

UpdateTimeToLiveRequest ParseUpdateTimeToLive(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  UpdateTimeToLiveRequest q;
  q.table_name = TableName(r);
  if (auto s = r.RequiredChild("TimeToLiveSpecification")) {
    q.time_to_live_specification.enabled = s->RequiredBool("Enabled");
    q.time_to_live_specification.attribute_name = s->RequiredString("AttributeName");
  }
  f.ThrowIfAny();  // the attribute name's length is the engine's to check
  return q;
}

TagResourceRequest ParseTagResource(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  TagResourceRequest q;
  q.resource_arn = ResourceArn(r);
  if (!r.Has("Tags")) r.FailNull("Tags");
  f.ThrowIfAny();
  q.tags = Tags(r);
  return q;
}

UntagResourceRequest ParseUntagResource(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  UntagResourceRequest q;
  q.resource_arn = ResourceArn(r);
  auto keys = r.StringList("TagKeys");
  if (!keys) r.FailNull("TagKeys");
  f.ThrowIfAny();
  q.tag_keys = std::move(*keys);
  return q;
}

ListTagsOfResourceRequest ParseListTagsOfResource(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  ListTagsOfResourceRequest q;
  q.resource_arn = ResourceArn(r);
  q.next_token = r.String("NextToken");
  f.ThrowIfAny();
  return q;
}

DescribeContinuousBackupsRequest ParseDescribeContinuousBackups(JsonRef j) {
  return OnlyTableName<DescribeContinuousBackupsRequest>(j);
}

UpdateContinuousBackupsRequest ParseUpdateContinuousBackups(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  UpdateContinuousBackupsRequest q;
  q.table_name = TableName(r);
  if (auto s = r.RequiredChild("PointInTimeRecoverySpecification")) {
    q.point_in_time_recovery_specification.point_in_time_recovery_enabled =
        s->RequiredBool("PointInTimeRecoveryEnabled");
    q.point_in_time_recovery_specification.recovery_period_in_days =
        s->Long("RecoveryPeriodInDays");
  }
  f.ThrowIfAny();  // the period's range is the engine's to check
  return q;
}

CreateBackupRequest ParseCreateBackup(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  CreateBackupRequest q;
  q.table_name = TableName(r);
  q.backup_name = r.RequiredString("BackupName");
  f.ThrowIfAny();  // the name's pattern and length are the engine's to check
  return q;
}

// DescribeBackup and DeleteBackup: a BackupArn.
template <class Request>
Request OnlyBackupArn(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  Request q{r.RequiredString("BackupArn")};
  f.ThrowIfAny();
  return q;
}
DescribeBackupRequest ParseDescribeBackup(JsonRef j) {
  return OnlyBackupArn<DescribeBackupRequest>(j);
}
DeleteBackupRequest ParseDeleteBackup(JsonRef j) { return OnlyBackupArn<DeleteBackupRequest>(j); }

ListBackupsRequest ParseListBackups(JsonRef j) {
  static constexpr EnumName<BackupTypeFilter> kTypes[] = {
      {"USER", BackupTypeFilter::kUser},
      {"SYSTEM", BackupTypeFilter::kSystem},
      {"AWS_BACKUP", BackupTypeFilter::kAwsBackup},
      {"ALL", BackupTypeFilter::kAll}};
  Failures f;
  Reader r(j, "", &f);
  ListBackupsRequest q;
  q.table_name = r.String("TableName");
  q.limit = r.Long("Limit");
  q.time_range_lower_bound = r.Timestamp("TimeRangeLowerBound");
  q.time_range_upper_bound = r.Timestamp("TimeRangeUpperBound");
  q.exclusive_start_backup_arn = r.String("ExclusiveStartBackupArn");
  q.backup_type = r.Enum("BackupType", kTypes, "[USER, SYSTEM, AWS_BACKUP, ALL]");
  f.ThrowIfAny();  // the limit's range and the names are the engine's to check
  return q;
}

namespace {

// The overrides both restores take.
template <class Request>
void RestoreOverrides(Reader& r, Request* q) {
  q->billing_mode_override = r.Enum("BillingModeOverride", kBilling, kBillingSet);
  if (r.Has("GlobalSecondaryIndexOverride")) {
    q->global_secondary_index_override.emplace();
    r.EachObject("GlobalSecondaryIndexOverride", [&](Reader& e) {
      GlobalSecondaryIndex g;
      g.index_name = e.RequiredString("IndexName");
      g.key_schema = KeySchema(e);
      g.projection = ParseProjection(e);
      g.provisioned_throughput = Throughput(e);
      q->global_secondary_index_override->push_back(std::move(g));
    });
  }
  if (r.Has("LocalSecondaryIndexOverride")) {
    q->local_secondary_index_override.emplace();
    r.EachObject("LocalSecondaryIndexOverride", [&](Reader& e) {
      LocalSecondaryIndex l;
      l.index_name = e.RequiredString("IndexName");
      l.key_schema = KeySchema(e);
      l.projection = ParseProjection(e);
      q->local_secondary_index_override->push_back(std::move(l));
    });
  }
  q->provisioned_throughput_override = Throughput(r, "ProvisionedThroughputOverride");
  q->on_demand_throughput_override = OnDemand(r, "OnDemandThroughputOverride");
  q->sse_specification_override = Sse(r, "SSESpecificationOverride");
}

}  // namespace

RestoreTableFromBackupRequest ParseRestoreTableFromBackup(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  RestoreTableFromBackupRequest q;
  q.target_table_name = r.RequiredString("TargetTableName");
  q.backup_arn = r.RequiredString("BackupArn");
  RestoreOverrides(r, &q);
  f.ThrowIfAny();
  return q;
}

RestoreTableToPointInTimeRequest ParseRestoreTableToPointInTime(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  RestoreTableToPointInTimeRequest q;
  q.source_table_arn = r.String("SourceTableArn");
  q.source_table_name = r.String("SourceTableName");
  q.target_table_name = r.RequiredString("TargetTableName");
  q.use_latest_restorable_time = r.Bool("UseLatestRestorableTime");
  q.restore_date_time = r.Timestamp("RestoreDateTime");
  RestoreOverrides(r, &q);
  f.ThrowIfAny();  // which source and which time are the engine's to check
  return q;
}

namespace {

constexpr EnumName<ContributorInsightsMode> kInsightsModes[] = {
    {"ACCESSED_AND_THROTTLED_KEYS", ContributorInsightsMode::kAccessedAndThrottledKeys},
    {"THROTTLED_KEYS", ContributorInsightsMode::kThrottledKeys}};
constexpr const char* kInsightsModeSet = "[THROTTLED_KEYS, ACCESSED_AND_THROTTLED_KEYS]";

}  // namespace

UpdateContributorInsightsRequest ParseUpdateContributorInsights(JsonRef j) {
  static constexpr EnumName<ContributorInsightsAction> kActions[] = {
      {"ENABLE", ContributorInsightsAction::kEnable},
      {"DISABLE", ContributorInsightsAction::kDisable}};
  Failures f;
  Reader r(j, "", &f);
  UpdateContributorInsightsRequest q;
  q.table_name = TableName(r);
  q.index_name = r.String("IndexName");
  if (!r.Has("ContributorInsightsAction")) r.FailNull("ContributorInsightsAction");
  q.action = r.Enum("ContributorInsightsAction", kActions, "[ENABLE, DISABLE]")
                 .value_or(ContributorInsightsAction::kEnable);
  q.mode = r.Enum("ContributorInsightsMode", kInsightsModes, kInsightsModeSet);
  f.ThrowIfAny();
  return q;
}

DescribeContributorInsightsRequest ParseDescribeContributorInsights(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  DescribeContributorInsightsRequest q;
  q.table_name = TableName(r);
  q.index_name = r.String("IndexName");
  f.ThrowIfAny();
  return q;
}

ListContributorInsightsRequest ParseListContributorInsights(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  ListContributorInsightsRequest q;
  q.table_name = r.String("TableName");
  q.next_token = r.String("NextToken");
  q.max_results = r.Long("MaxResults");
  f.ThrowIfAny();
  return q;
}

ExecuteStatementRequest ParseExecuteStatement(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  ExecuteStatementRequest q;
  q.statement = r.RequiredString("Statement");
  q.parameters = Parameters(r);
  q.consistent_read = r.Bool("ConsistentRead");
  q.next_token = r.String("NextToken");
  q.limit = r.Long("Limit");
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  q.return_values_on_condition_check_failure =
      r.Enum("ReturnValuesOnConditionCheckFailure", kRvccf, kRvccfSet);
  f.ThrowIfAny();  // the statement's length and the limit's range are the engine's to check
  return q;
}

BatchExecuteStatementRequest ParseBatchExecuteStatement(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  BatchExecuteStatementRequest q;
  if (!r.Has("Statements")) r.FailNull("Statements");
  r.EachObject("Statements", [&](Reader& e) {
    BatchStatementRequest s;
    s.statement = e.RequiredString("Statement");
    s.parameters = Parameters(e);
    s.consistent_read = e.Bool("ConsistentRead");
    s.return_values_on_condition_check_failure =
        e.Enum("ReturnValuesOnConditionCheckFailure", kRvccf, kRvccfSet);
    q.statements.push_back(std::move(s));
  });
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  f.ThrowIfAny();
  return q;
}

ExecuteTransactionRequest ParseExecuteTransaction(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  ExecuteTransactionRequest q;
  if (!r.Has("TransactStatements")) r.FailNull("TransactStatements");
  r.EachObject("TransactStatements", [&](Reader& e) {
    ParameterizedStatement s;
    s.statement = e.RequiredString("Statement");
    s.parameters = Parameters(e);
    s.return_values_on_condition_check_failure =
        e.Enum("ReturnValuesOnConditionCheckFailure", kRvccf, kRvccfSet);
    q.transact_statements.push_back(std::move(s));
  });
  q.client_request_token = r.String("ClientRequestToken");
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  f.ThrowIfAny();
  return q;
}

ListTablesRequest ParseListTables(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  ListTablesRequest q;
  q.exclusive_start_table_name = r.String("ExclusiveStartTableName");
  if (q.exclusive_start_table_name)
    CheckTableName(r, *q.exclusive_start_table_name, "ExclusiveStartTableName");
  q.limit = r.Long("Limit");
  CheckLimit(r, q.limit);
  if (q.limit && *q.limit > 100)
    r.Fail(
        fmt::format("Value '{}' at 'limit' failed to satisfy constraint: Member must have value "
                    "less than or equal to 100",
                    *q.limit));
  f.ThrowIfAny();
  return q;
}

UpdateTableRequest ParseUpdateTable(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  UpdateTableRequest q;
  q.table_name = TableName(r);
  if (r.Has("AttributeDefinitions")) {
    q.attribute_definitions.emplace();
    r.EachObject("AttributeDefinitions", [&](Reader& e) {
      AttributeDefinition d;
      d.attribute_name = e.RequiredString("AttributeName");
      d.attribute_type =
          e.Enum("AttributeType", kAttrType, kAttrTypeSet).value_or(ScalarAttributeType::kS);
      q.attribute_definitions->push_back(d);
    });
  }
  q.billing_mode = r.Enum("BillingMode", kBilling, kBillingSet);
  q.provisioned_throughput = Throughput(r);
  q.stream_specification = Stream(r);
  q.deletion_protection_enabled = r.Bool("DeletionProtectionEnabled");
  TableSettings(r, &q);
  if (r.Has("GlobalSecondaryIndexUpdates")) {
    q.global_secondary_index_updates.emplace();
    r.EachObject("GlobalSecondaryIndexUpdates", [&](Reader& e) {
      GlobalSecondaryIndexUpdate u;
      if (e.Has("Create")) {
        Reader c = e.Child("Create");
        GlobalSecondaryIndex g;
        g.index_name = c.RequiredString("IndexName");
        g.key_schema = KeySchema(c);
        g.projection = ParseProjection(c);
        g.provisioned_throughput = Throughput(c);
        g.on_demand_throughput = OnDemand(c, "OnDemandThroughput");
        g.warm_throughput = Warm(c, "WarmThroughput");
        u.create = std::move(g);
      }
      if (e.Has("Delete")) u.delete_index_name = e.Child("Delete").RequiredString("IndexName");
      if (e.Has("Update")) {
        Reader c = e.Child("Update");
        u.update_index_name = c.RequiredString("IndexName");
        u.update_provisioned_throughput = Throughput(c);
        u.update_on_demand_throughput = OnDemand(c, "OnDemandThroughput");
        u.update_warm_throughput = Warm(c, "WarmThroughput");
      }
      q.global_secondary_index_updates->push_back(std::move(u));
    });
  }
  f.ThrowIfAny();
  return q;
}

PutItemRequest ParsePutItem(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  PutItemRequest q;
  q.table_name = TableName(r);
  q.item = r.RequiredItem("Item");
  q.condition_expression = r.String("ConditionExpression");
  q.expression_attribute_names = r.Names("ExpressionAttributeNames");
  q.expression_attribute_values = r.Values("ExpressionAttributeValues");
  q.return_values = r.Enum("ReturnValues", kReturnValues, kReturnValuesSet);
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  q.return_item_collection_metrics = r.Enum("ReturnItemCollectionMetrics", kRicm, kRicmSet);
  q.return_values_on_condition_check_failure =
      r.Enum("ReturnValuesOnConditionCheckFailure", kRvccf, kRvccfSet);
  q.expected = Expected(r);
  q.conditional_operator = r.Enum("ConditionalOperator", kCondOp, kCondOpSet);
  f.ThrowIfAny();
  return q;
}

GetItemRequest ParseGetItem(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  GetItemRequest q;
  q.table_name = TableName(r);
  q.key = r.RequiredItem("Key");
  q.projection_expression = r.String("ProjectionExpression");
  q.expression_attribute_names = r.Names("ExpressionAttributeNames");
  q.consistent_read = r.Bool("ConsistentRead");
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  q.attributes_to_get = r.StringList("AttributesToGet");
  f.ThrowIfAny();
  return q;
}

DeleteItemRequest ParseDeleteItem(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  DeleteItemRequest q;
  q.table_name = TableName(r);
  q.key = r.RequiredItem("Key");
  q.condition_expression = r.String("ConditionExpression");
  q.expression_attribute_names = r.Names("ExpressionAttributeNames");
  q.expression_attribute_values = r.Values("ExpressionAttributeValues");
  q.return_values = r.Enum("ReturnValues", kReturnValues, kReturnValuesSet);
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  q.return_item_collection_metrics = r.Enum("ReturnItemCollectionMetrics", kRicm, kRicmSet);
  q.return_values_on_condition_check_failure =
      r.Enum("ReturnValuesOnConditionCheckFailure", kRvccf, kRvccfSet);
  q.expected = Expected(r);
  q.conditional_operator = r.Enum("ConditionalOperator", kCondOp, kCondOpSet);
  f.ThrowIfAny();
  return q;
}

UpdateItemRequest ParseUpdateItem(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  UpdateItemRequest q;
  q.table_name = TableName(r);
  q.key = r.RequiredItem("Key");
  q.update_expression = r.String("UpdateExpression");
  q.condition_expression = r.String("ConditionExpression");
  q.expression_attribute_names = r.Names("ExpressionAttributeNames");
  q.expression_attribute_values = r.Values("ExpressionAttributeValues");
  q.return_values = r.Enum("ReturnValues", kReturnValues, kReturnValuesSet);
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  q.return_item_collection_metrics = r.Enum("ReturnItemCollectionMetrics", kRicm, kRicmSet);
  q.return_values_on_condition_check_failure =
      r.Enum("ReturnValuesOnConditionCheckFailure", kRvccf, kRvccfSet);
  if (const JsonRef m = r.Get("AttributeUpdates")) {
    if (!m.IsObject()) ThrowSerialization("Unexpected value type in payload");
    q.attribute_updates.emplace();
    for (const auto [attr, u] : m.members()) {
      Reader ur(u, "attributeUpdates." + std::string(attr) + ".member", &f);
      AttributeValueUpdate x;
      if (const JsonRef v = ur.Get("Value")) x.value = ParseValue(v);
      x.action = ur.String("Action");
      q.attribute_updates->emplace(attr, std::move(x));
    }
  }
  q.expected = Expected(r);
  q.conditional_operator = r.Enum("ConditionalOperator", kCondOp, kCondOpSet);
  f.ThrowIfAny();
  return q;
}

QueryRequest ParseQuery(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  QueryRequest q;
  q.table_name = TableName(r);
  q.index_name = r.String("IndexName");
  q.key_condition_expression = r.String("KeyConditionExpression");
  q.filter_expression = r.String("FilterExpression");
  q.projection_expression = r.String("ProjectionExpression");
  q.expression_attribute_names = r.Names("ExpressionAttributeNames");
  q.expression_attribute_values = r.Values("ExpressionAttributeValues");
  q.select = r.Enum("Select", kSelect, kSelectSet);
  q.scan_index_forward = r.Bool("ScanIndexForward");
  q.limit = r.Long("Limit");
  CheckLimit(r, q.limit);
  q.exclusive_start_key = r.OptItem("ExclusiveStartKey");
  q.consistent_read = r.Bool("ConsistentRead");
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  q.key_conditions = OptConditions(r, "KeyConditions");
  q.query_filter = OptConditions(r, "QueryFilter");
  q.attributes_to_get = r.StringList("AttributesToGet");
  q.conditional_operator = r.Enum("ConditionalOperator", kCondOp, kCondOpSet);
  f.ThrowIfAny();
  return q;
}

ScanRequest ParseScan(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  ScanRequest q;
  q.table_name = TableName(r);
  q.index_name = r.String("IndexName");
  q.filter_expression = r.String("FilterExpression");
  q.projection_expression = r.String("ProjectionExpression");
  q.expression_attribute_names = r.Names("ExpressionAttributeNames");
  q.expression_attribute_values = r.Values("ExpressionAttributeValues");
  q.select = r.Enum("Select", kSelect, kSelectSet);
  q.limit = r.Long("Limit");
  CheckLimit(r, q.limit);
  q.exclusive_start_key = r.OptItem("ExclusiveStartKey");
  q.consistent_read = r.Bool("ConsistentRead");
  q.segment = r.Long("Segment");
  q.total_segments = r.Long("TotalSegments");
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  q.scan_filter = OptConditions(r, "ScanFilter");
  q.attributes_to_get = r.StringList("AttributesToGet");
  q.conditional_operator = r.Enum("ConditionalOperator", kCondOp, kCondOpSet);
  f.ThrowIfAny();
  return q;
}

BatchGetItemRequest ParseBatchGetItem(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  BatchGetItemRequest q;
  const JsonRef items = r.Get("RequestItems");
  if (!items)
    r.FailNull("RequestItems");
  else if (!items.IsObject())
    ThrowSerialization("Unexpected value type in payload");
  else
    for (const auto [table, ka] : items.members()) {
      Reader kr(ka, "requestItems." + std::string(table) + ".member", &f);
      KeysAndAttributes k;
      if (!kr.Has("Keys")) kr.FailNull("Keys");
      if (const JsonRef keys = kr.Get("Keys")) {
        if (!keys.IsArray()) ThrowSerialization("Unexpected value type in payload");
        for (const JsonRef key : keys.elements()) k.keys.push_back(ParseItem(key));
      }
      k.projection_expression = kr.String("ProjectionExpression");
      k.expression_attribute_names = kr.Names("ExpressionAttributeNames");
      k.consistent_read = kr.Bool("ConsistentRead");
      k.attributes_to_get = kr.StringList("AttributesToGet");
      q.request_items.emplace(table, std::move(k));
    }
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  f.ThrowIfAny();
  return q;
}

BatchWriteItemRequest ParseBatchWriteItem(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  BatchWriteItemRequest q;
  const JsonRef items = r.Get("RequestItems");
  if (!items)
    r.FailNull("RequestItems");
  else if (!items.IsObject())
    ThrowSerialization("Unexpected value type in payload");
  else
    for (const auto [table, writes] : items.members()) {
      if (!writes.IsArray()) ThrowSerialization("Unexpected value type in payload");
      auto& list = q.request_items[std::string(table)];
      for (const JsonRef w : writes.elements()) {
        Reader wr(w, "requestItems." + std::string(table) + ".member", &f);
        WriteRequest x;
        if (wr.Has("PutRequest")) x.put_item = wr.Child("PutRequest").RequiredItem("Item");
        if (wr.Has("DeleteRequest")) x.delete_key = wr.Child("DeleteRequest").RequiredItem("Key");
        if (x.put_item.has_value() == x.delete_key.has_value())
          ThrowValidation(
              "Supplied AttributeValue has more than one datatypes set, must contain exactly one "
              "of the supported datatypes");
        list.push_back(std::move(x));
      }
    }
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  q.return_item_collection_metrics = r.Enum("ReturnItemCollectionMetrics", kRicm, kRicmSet);
  f.ThrowIfAny();
  return q;
}

TransactWriteItemsRequest ParseTransactWriteItems(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  TransactWriteItemsRequest q;
  if (!r.Has("TransactItems")) r.FailNull("TransactItems");
  r.EachObject("TransactItems", [&](Reader& e) {
    std::optional<TransactWriteItem> action;
    int kinds = 0;
    // The members every action has (its ConditionExpression into `condition`).
    std::optional<std::string> condition;
    auto common = [&condition](Reader& x, auto& a) {
      a.table_name = x.RequiredString("TableName");
      condition = x.String("ConditionExpression");
      a.expression_attribute_names = x.Names("ExpressionAttributeNames");
      a.expression_attribute_values = x.Values("ExpressionAttributeValues");
      a.return_values_on_condition_check_failure =
          x.Enum("ReturnValuesOnConditionCheckFailure", kRvccf, kRvccfSet);
    };
    if (e.Has("Put")) {
      ++kinds;
      Reader x = e.Child("Put");
      TransactPut a;
      common(x, a);
      a.condition_expression = condition;
      a.item = x.RequiredItem("Item");
      action = std::move(a);
    }
    if (e.Has("Delete")) {
      ++kinds;
      Reader x = e.Child("Delete");
      TransactDelete a;
      common(x, a);
      a.condition_expression = condition;
      a.key = x.RequiredItem("Key");
      action = std::move(a);
    }
    if (e.Has("Update")) {
      ++kinds;
      Reader x = e.Child("Update");
      TransactUpdate a;
      common(x, a);
      a.condition_expression = condition;
      a.key = x.RequiredItem("Key");
      auto update = x.String("UpdateExpression");
      if (update)
        a.update_expression = std::move(*update);
      else
        x.FailNull("UpdateExpression");
      action = std::move(a);
    }
    if (e.Has("ConditionCheck")) {
      ++kinds;
      Reader x = e.Child("ConditionCheck");
      TransactConditionCheck a;
      common(x, a);
      a.key = x.RequiredItem("Key");
      if (condition)
        a.condition_expression = std::move(*condition);
      else
        x.FailNull("ConditionExpression");
      action = std::move(a);
    }
    if (kinds != 1)
      ThrowValidation("TransactItems can only contain one of Check, Put, Update or Delete");
    q.transact_items.push_back(std::move(*action));
  });
  q.client_request_token = r.String("ClientRequestToken");
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  q.return_item_collection_metrics = r.Enum("ReturnItemCollectionMetrics", kRicm, kRicmSet);
  f.ThrowIfAny();
  return q;
}

TransactGetItemsRequest ParseTransactGetItems(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  TransactGetItemsRequest q;
  if (!r.Has("TransactItems")) r.FailNull("TransactItems");
  r.EachObject("TransactItems", [&](Reader& e) {
    Reader x = e.Child("Get");
    TransactGetItem g;
    g.table_name = x.RequiredString("TableName");
    g.key = x.RequiredItem("Key");
    g.projection_expression = x.String("ProjectionExpression");
    g.expression_attribute_names = x.Names("ExpressionAttributeNames");
    q.transact_items.push_back(std::move(g));
  });
  q.return_consumed_capacity = r.Enum("ReturnConsumedCapacity", kRcc, kRccSet);
  f.ThrowIfAny();
  return q;
}

ListStreamsRequest ParseListStreams(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  ListStreamsRequest q;
  q.table_name = r.String("TableName");
  q.limit = r.Long("Limit");
  CheckLimit(r, q.limit);
  q.exclusive_start_stream_arn = r.String("ExclusiveStartStreamArn");
  f.ThrowIfAny();
  return q;
}

DescribeStreamRequest ParseDescribeStream(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  DescribeStreamRequest q;
  q.stream_arn = r.RequiredString("StreamArn");
  q.limit = r.Long("Limit");
  CheckLimit(r, q.limit);
  q.exclusive_start_shard_id = r.String("ExclusiveStartShardId");
  f.ThrowIfAny();
  return q;
}

GetShardIteratorRequest ParseGetShardIterator(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  GetShardIteratorRequest q;
  q.stream_arn = r.RequiredString("StreamArn");
  q.shard_id = r.RequiredString("ShardId");
  q.shard_iterator_type = r.RequiredString("ShardIteratorType");
  q.sequence_number = r.String("SequenceNumber");
  f.ThrowIfAny();
  return q;
}

GetRecordsRequest ParseGetRecords(JsonRef j) {
  Failures f;
  Reader r(j, "", &f);
  GetRecordsRequest q;
  q.shard_iterator = r.RequiredString("ShardIterator");
  q.limit = r.Long("Limit");
  f.ThrowIfAny();
  return q;
}

}  // namespace localdynamo::wire
