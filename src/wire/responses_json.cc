// Responses: typed response structs -> DynamoDB JSON (absent optionals omitted).

#include "wire/codec.h"

namespace localdynamo::wire {
namespace {

json KeySchemaJson(const std::vector<KeySchemaElement>& ks) {
  json a = json::array();
  for (const auto& k : ks)
    a.push_back({{"AttributeName", k.attribute_name}, {"KeyType", ToString(k.key_type)}});
  return a;
}

json ProjectionJson(const Projection& p) {
  json o = {{"ProjectionType", ToString(p.projection_type.value_or(ProjectionType::kAll))}};
  if (!p.non_key_attributes.empty()) o["NonKeyAttributes"] = p.non_key_attributes;
  return o;
}

json ThroughputJson(const ProvisionedThroughputDescription& t) {
  json o = {{"NumberOfDecreasesToday", t.number_of_decreases_today},
            {"ReadCapacityUnits", t.read_capacity_units},
            {"WriteCapacityUnits", t.write_capacity_units}};
  if (t.last_increase_date_time) o["LastIncreaseDateTime"] = *t.last_increase_date_time;
  if (t.last_decrease_date_time) o["LastDecreaseDateTime"] = *t.last_decrease_date_time;
  return o;
}

const char* ToString(BackupStatus s) {
  static constexpr const char* kNames[] = {"CREATING", "DELETED", "AVAILABLE"};
  return kNames[static_cast<int>(s)];
}
const char* ToString(BackupType t) {
  static constexpr const char* kNames[] = {"USER", "SYSTEM", "AWS_BACKUP"};
  return kNames[static_cast<int>(t)];
}

// BackupDetails' members; a BackupSummary has the same ones beside its table's.
void AddBackupDetails(json& o, const BackupDetails& d) {
  o["BackupArn"] = d.backup_arn;
  o["BackupName"] = d.backup_name;
  o["BackupSizeBytes"] = d.backup_size_bytes;
  o["BackupStatus"] = ToString(d.backup_status);
  o["BackupType"] = ToString(d.backup_type);
  o["BackupCreationDateTime"] = d.backup_creation_date_time;
  if (d.backup_expiry_date_time) o["BackupExpiryDateTime"] = *d.backup_expiry_date_time;
}

json PlainThroughputJson(const ProvisionedThroughput& t) {
  return {{"ReadCapacityUnits", t.read_capacity_units},
          {"WriteCapacityUnits", t.write_capacity_units}};
}

json WarmJson(const WarmThroughputDescription& w) {
  return {{"ReadUnitsPerSecond", w.read_units_per_second},
          {"WriteUnitsPerSecond", w.write_units_per_second},
          {"Status", w.updating ? "UPDATING" : "ACTIVE"}};
}

json OnDemandJson(const OnDemandThroughput& od) {
  json t = json::object();
  if (od.max_read_request_units) t["MaxReadRequestUnits"] = *od.max_read_request_units;
  if (od.max_write_request_units) t["MaxWriteRequestUnits"] = *od.max_write_request_units;
  return t;
}

json SseJson(const SSEDescription& sse) {
  return {{"Status", sse.status},
          {"SSEType", sse.sse_type},
          {"KMSMasterKeyArn", sse.kms_master_key_arn}};
}

json CapacityJson(const Capacity& c) {
  json o = {{"CapacityUnits", c.capacity_units}};
  if (c.read_capacity_units) o["ReadCapacityUnits"] = *c.read_capacity_units;
  if (c.write_capacity_units) o["WriteCapacityUnits"] = *c.write_capacity_units;
  return o;
}

void AddConsumed(json& o, const std::optional<ConsumedCapacity>& c) {
  if (c) o["ConsumedCapacity"] = ConsumedCapacityJson(*c);
}

void AddConsumedList(json& o, const std::optional<std::vector<ConsumedCapacity>>& list) {
  if (!list) return;
  json a = json::array();
  for (const auto& c : *list) a.push_back(ConsumedCapacityJson(c));
  o["ConsumedCapacity"] = a;
}

json CollectionMetricsJson(const ItemCollectionMetrics& m) {
  return {{"ItemCollectionKey", ItemJson(m.item_collection_key)},
          {"SizeEstimateRangeGB", m.size_estimate_range_gb}};
}

void AddCollectionMetrics(json& o, const std::optional<ItemCollectionMetrics>& m) {
  if (m) o["ItemCollectionMetrics"] = CollectionMetricsJson(*m);
}

// BatchWriteItem / TransactWriteItems: {"table": [metrics...]}.
void AddCollectionMetrics(
    json& o, const std::optional<std::map<std::string, std::vector<ItemCollectionMetrics>>>& m) {
  if (!m) return;
  json per_table = json::object();
  for (const auto& [table, list] : *m) {
    json a = json::array();
    for (const auto& x : list) a.push_back(CollectionMetricsJson(x));
    per_table[table] = a;
  }
  o["ItemCollectionMetrics"] = per_table;
}

json WriteRequestJson(const WriteRequest& w) {
  if (w.put_item) return {{"PutRequest", {{"Item", ItemJson(*w.put_item)}}}};
  return {{"DeleteRequest", {{"Key", ItemJson(*w.delete_key)}}}};
}

}  // namespace

json ConsumedCapacityJson(const ConsumedCapacity& c) {
  json o = {{"TableName", c.table_name}, {"CapacityUnits", c.capacity_units}};
  if (c.read_capacity_units) o["ReadCapacityUnits"] = *c.read_capacity_units;
  if (c.write_capacity_units) o["WriteCapacityUnits"] = *c.write_capacity_units;
  if (c.table) o["Table"] = CapacityJson(*c.table);
  if (!c.global_secondary_indexes.empty()) {
    json g = json::object();
    for (const auto& [k, v] : c.global_secondary_indexes) g[k] = CapacityJson(v);
    o["GlobalSecondaryIndexes"] = g;
  }
  if (!c.local_secondary_indexes.empty()) {
    json l = json::object();
    for (const auto& [k, v] : c.local_secondary_indexes) l[k] = CapacityJson(v);
    o["LocalSecondaryIndexes"] = l;
  }
  return o;
}

json ToJson(const TableDescription& d) {
  json o;
  o["TableName"] = d.table_name;
  o["TableId"] = d.table_id;
  o["TableArn"] = d.table_arn;
  o["TableStatus"] = ToString(d.table_status);
  o["CreationDateTime"] = d.creation_date_time;
  json defs = json::array();
  for (const auto& a : d.attribute_definitions)
    defs.push_back(
        {{"AttributeName", a.attribute_name}, {"AttributeType", ToString(a.attribute_type)}});
  o["AttributeDefinitions"] = defs;
  o["KeySchema"] = KeySchemaJson(d.key_schema);
  o["ProvisionedThroughput"] = ThroughputJson(d.provisioned_throughput);
  if (d.billing_mode_summary)
    o["BillingModeSummary"] = {{"BillingMode", ToString(d.billing_mode_summary->billing_mode)},
                               {"LastUpdateToPayPerRequestDateTime",
                                d.billing_mode_summary->last_update_to_pay_per_request_date_time}};
  o["TableSizeBytes"] = d.table_size_bytes;
  o["ItemCount"] = d.item_count;
  if (!d.local_secondary_indexes.empty()) {
    json a = json::array();
    for (const auto& l : d.local_secondary_indexes)
      a.push_back({{"IndexName", l.index_name},
                   {"KeySchema", KeySchemaJson(l.key_schema)},
                   {"Projection", ProjectionJson(l.projection)},
                   {"IndexSizeBytes", l.index_size_bytes},
                   {"ItemCount", l.item_count},
                   {"IndexArn", l.index_arn}});
    o["LocalSecondaryIndexes"] = a;
  }
  if (!d.global_secondary_indexes.empty()) {
    json a = json::array();
    for (const auto& g : d.global_secondary_indexes) {
      json gj = {{"IndexName", g.index_name}, {"IndexStatus", ToString(g.index_status)}};
      if (!g.key_schema.empty()) {
        gj["KeySchema"] = KeySchemaJson(g.key_schema);
        gj["Projection"] = ProjectionJson(g.projection);
        gj["IndexSizeBytes"] = g.index_size_bytes;
        gj["ItemCount"] = g.item_count;
        gj["IndexArn"] = g.index_arn;
      }
      if (g.backfilling) gj["Backfilling"] = *g.backfilling;
      if (g.provisioned_throughput)
        gj["ProvisionedThroughput"] = ThroughputJson(*g.provisioned_throughput);
      if (g.on_demand_throughput) gj["OnDemandThroughput"] = OnDemandJson(*g.on_demand_throughput);
      if (g.warm_throughput) gj["WarmThroughput"] = WarmJson(*g.warm_throughput);
      a.push_back(gj);
    }
    o["GlobalSecondaryIndexes"] = a;
  }
  if (d.stream_specification) {
    json s = {{"StreamEnabled", d.stream_specification->stream_enabled}};
    if (d.stream_specification->stream_view_type)
      s["StreamViewType"] = ToString(*d.stream_specification->stream_view_type);
    o["StreamSpecification"] = s;
  }
  if (d.latest_stream_label) o["LatestStreamLabel"] = *d.latest_stream_label;
  if (d.latest_stream_arn) o["LatestStreamArn"] = *d.latest_stream_arn;
  o["DeletionProtectionEnabled"] = d.deletion_protection_enabled;
  if (d.sse_description) o["SSEDescription"] = SseJson(*d.sse_description);
  if (d.table_class) o["TableClassSummary"] = {{"TableClass", ToString(*d.table_class)}};
  if (d.on_demand_throughput) o["OnDemandThroughput"] = OnDemandJson(*d.on_demand_throughput);
  if (d.warm_throughput) o["WarmThroughput"] = WarmJson(*d.warm_throughput);
  if (const auto& rs = d.restore_summary) {
    json s = {{"SourceTableArn", rs->source_table_arn},
              {"RestoreDateTime", rs->restore_date_time},
              {"RestoreInProgress", rs->restore_in_progress}};
    if (!rs->source_backup_arn.empty())
      s["SourceBackupArn"] = rs->source_backup_arn;  // a backup's restore
    o["RestoreSummary"] = s;
  }
  return o;
}

json ToJson(const CreateTableResponse& r) {
  return {{"TableDescription", ToJson(r.table_description)}};
}
json ToJson(const DescribeTableResponse& r) { return {{"Table", ToJson(r.table)}}; }
json ToJson(const DeleteTableResponse& r) {
  return {{"TableDescription", ToJson(r.table_description)}};
}
json ToJson(const UpdateTableResponse& r) {
  return {{"TableDescription", ToJson(r.table_description)}};
}

json ToJson(const UpdateTimeToLiveResponse& r) {
  const auto& s = r.time_to_live_specification;
  return {
      {"TimeToLiveSpecification", {{"AttributeName", s.attribute_name}, {"Enabled", s.enabled}}}};
}

json ToJson(const DescribeTimeToLiveResponse& r) {
  static constexpr const char* kStatus[] = {"ENABLING", "DISABLING", "ENABLED", "DISABLED"};
  const auto& d = r.time_to_live_description;
  json o = {{"TimeToLiveStatus", kStatus[static_cast<int>(d.time_to_live_status)]}};
  if (d.attribute_name) o["AttributeName"] = *d.attribute_name;
  return {{"TimeToLiveDescription", o}};
}

json ToJson(const Ok&) { return json::object(); }

json ToJson(const CreateBackupResponse& r) {
  json d = json::object();
  AddBackupDetails(d, r.backup_details);
  return {{"BackupDetails", d}};
}

json ToJson(const BackupDescriptionResponse& r) {
  const BackupDescription& b = r.backup_description;
  json details = json::object();
  AddBackupDetails(details, b.backup_details);
  const SourceTableDetails& s = b.source_table_details;
  json source = {{"TableName", s.table_name},
                 {"TableId", s.table_id},
                 {"TableArn", s.table_arn},
                 {"TableSizeBytes", s.table_size_bytes},
                 {"KeySchema", KeySchemaJson(s.key_schema)},
                 {"TableCreationDateTime", s.table_creation_date_time},
                 {"ProvisionedThroughput", PlainThroughputJson(s.provisioned_throughput)},
                 {"ItemCount", s.item_count},
                 {"BillingMode", ToString(s.billing_mode)}};
  if (s.on_demand_throughput) source["OnDemandThroughput"] = OnDemandJson(*s.on_demand_throughput);
  const SourceTableFeatureDetails& f = b.source_table_feature_details;
  json features = json::object();
  if (!f.local_secondary_indexes.empty()) {
    json a = json::array();
    for (const auto& l : f.local_secondary_indexes)
      a.push_back({{"IndexName", l.index_name},
                   {"KeySchema", KeySchemaJson(l.key_schema)},
                   {"Projection", ProjectionJson(l.projection)}});
    features["LocalSecondaryIndexes"] = a;
  }
  if (!f.global_secondary_indexes.empty()) {
    json a = json::array();
    for (const auto& g : f.global_secondary_indexes) {
      json gj = {{"IndexName", g.index_name},
                 {"KeySchema", KeySchemaJson(g.key_schema)},
                 {"Projection", ProjectionJson(g.projection)}};
      gj["ProvisionedThroughput"] =
          PlainThroughputJson(g.provisioned_throughput.value_or(ProvisionedThroughput{}));
      if (g.on_demand_throughput) gj["OnDemandThroughput"] = OnDemandJson(*g.on_demand_throughput);
      a.push_back(gj);
    }
    features["GlobalSecondaryIndexes"] = a;
  }
  if (const auto& st = f.stream_description) {
    json sj = {{"StreamEnabled", st->stream_enabled}};
    if (st->stream_view_type) sj["StreamViewType"] = ToString(*st->stream_view_type);
    features["StreamDescription"] = sj;
  }
  if (const auto& ttl = f.time_to_live_description) {
    json tj = {{"TimeToLiveStatus", "ENABLED"}};
    if (ttl->attribute_name) tj["AttributeName"] = *ttl->attribute_name;
    features["TimeToLiveDescription"] = tj;
  }
  if (f.sse_description) features["SSEDescription"] = SseJson(*f.sse_description);
  return {{"BackupDescription",
           {{"BackupDetails", details},
            {"SourceTableDetails", source},
            {"SourceTableFeatureDetails", features}}}};
}

json ToJson(const ListBackupsResponse& r) {
  json a = json::array();
  for (const auto& s : r.backup_summaries) {
    json o = {{"TableName", s.table_name}, {"TableId", s.table_id}, {"TableArn", s.table_arn}};
    AddBackupDetails(o, s.details);
    a.push_back(o);
  }
  json out = {{"BackupSummaries", a}};
  if (r.last_evaluated_backup_arn) out["LastEvaluatedBackupArn"] = *r.last_evaluated_backup_arn;
  return out;
}

json ToJson(const RestoreTableFromBackupResponse& r) {
  return {{"TableDescription", ToJson(r.table_description)}};
}

namespace {

const char* ToString(ContributorInsightsStatus s) {
  static constexpr const char* kNames[] = {"ENABLING", "ENABLED", "DISABLING", "DISABLED",
                                           "FAILED"};
  return kNames[static_cast<int>(s)];
}
const char* ToString(ContributorInsightsMode m) {
  return m == ContributorInsightsMode::kThrottledKeys ? "THROTTLED_KEYS"
                                                      : "ACCESSED_AND_THROTTLED_KEYS";
}

// TableName, IndexName, ContributorInsightsStatus and ContributorInsightsMode, as all three
// operations write them.
json InsightsJson(const std::string& table, const std::optional<std::string>& index,
                  ContributorInsightsStatus status,
                  const std::optional<ContributorInsightsMode>& mode) {
  json o = {{"TableName", table}};
  if (index) o["IndexName"] = *index;
  o["ContributorInsightsStatus"] = ToString(status);
  if (mode) o["ContributorInsightsMode"] = ToString(*mode);
  return o;
}

}  // namespace

json ToJson(const UpdateContributorInsightsResponse& r) {
  return InsightsJson(r.table_name, r.index_name, r.status, r.mode);
}

json ToJson(const DescribeContributorInsightsResponse& r) {
  json o = InsightsJson(r.table_name, r.index_name, r.status, r.mode);
  if (r.rule_list) o["ContributorInsightsRuleList"] = *r.rule_list;
  if (r.last_update_date_time) o["LastUpdateDateTime"] = *r.last_update_date_time;
  return o;
}

json ToJson(const ListContributorInsightsResponse& r) {
  json a = json::array();
  for (const auto& s : r.summaries)
    a.push_back(InsightsJson(s.table_name, s.index_name, s.status, s.mode));
  json o = {{"ContributorInsightsSummaries", a}};
  if (r.next_token) o["NextToken"] = *r.next_token;
  return o;
}

json ToJson(const ListTagsOfResourceResponse& r) {
  json tags = json::array();
  for (const Tag& t : r.tags) tags.push_back({{"Key", t.key}, {"Value", t.value}});
  return {{"Tags", tags}};
}

json ToJson(const ContinuousBackupsResponse& r) {
  const ContinuousBackupsDescription& c = r.continuous_backups_description;
  const PointInTimeRecoveryDescription& p = c.point_in_time_recovery_description;
  json recovery = {{"PointInTimeRecoveryStatus", p.enabled ? "ENABLED" : "DISABLED"}};
  if (p.earliest_restorable_date_time)
    recovery["EarliestRestorableDateTime"] = *p.earliest_restorable_date_time;
  if (p.latest_restorable_date_time)
    recovery["LatestRestorableDateTime"] = *p.latest_restorable_date_time;
  if (p.recovery_period_in_days) recovery["RecoveryPeriodInDays"] = *p.recovery_period_in_days;
  return {{"ContinuousBackupsDescription",
           {{"ContinuousBackupsStatus", c.continuous_backups_enabled ? "ENABLED" : "DISABLED"},
            {"PointInTimeRecoveryDescription", recovery}}}};
}

json ToJson(const ListTablesResponse& r) {
  json o = {{"TableNames", r.table_names}};
  if (r.last_evaluated_table_name) o["LastEvaluatedTableName"] = *r.last_evaluated_table_name;
  return o;
}

// PutItem, DeleteItem and UpdateItem answer with the same members.
template <class WriteResponse>
json WriteResponseJson(const WriteResponse& r) {
  json o = json::object();
  if (r.attributes) o["Attributes"] = ItemJson(*r.attributes);
  AddConsumed(o, r.consumed_capacity);
  AddCollectionMetrics(o, r.item_collection_metrics);
  return o;
}

json ToJson(const PutItemResponse& r) { return WriteResponseJson(r); }

json ToJson(const DeleteItemResponse& r) { return WriteResponseJson(r); }

json ToJson(const UpdateItemResponse& r) { return WriteResponseJson(r); }

json ToJson(const QueryResponse& r) {
  json o = json::object();
  if (r.items) {
    json a = json::array();
    for (const auto& i : *r.items) a.push_back(ItemJson(i));
    o["Items"] = std::move(a);
  }
  o["Count"] = r.count;
  o["ScannedCount"] = r.scanned_count;
  if (r.last_evaluated_key) o["LastEvaluatedKey"] = ItemJson(*r.last_evaluated_key);
  AddConsumed(o, r.consumed_capacity);
  return o;
}

json ToJson(const BatchGetItemResponse& r) {
  json responses = json::object();
  for (const auto& [table, items] : r.responses) {
    json a = json::array();
    for (const auto& i : items) a.push_back(ItemJson(i));
    responses[table] = a;
  }
  json unprocessed = json::object();
  for (const auto& [table, ka] : r.unprocessed_keys) {
    json keys = json::array();
    for (const auto& k : ka.keys) keys.push_back(ItemJson(k));
    json kj = {{"Keys", keys}};
    if (ka.projection_expression) kj["ProjectionExpression"] = *ka.projection_expression;
    if (ka.expression_attribute_names)
      kj["ExpressionAttributeNames"] = *ka.expression_attribute_names;
    if (ka.consistent_read) kj["ConsistentRead"] = *ka.consistent_read;
    if (ka.attributes_to_get) kj["AttributesToGet"] = *ka.attributes_to_get;
    unprocessed[table] = kj;
  }
  json o = {{"Responses", responses}, {"UnprocessedKeys", unprocessed}};
  AddConsumedList(o, r.consumed_capacity);
  return o;
}

json ToJson(const BatchWriteItemResponse& r) {
  json unprocessed = json::object();
  for (const auto& [table, writes] : r.unprocessed_items) {
    json a = json::array();
    for (const auto& w : writes) a.push_back(WriteRequestJson(w));
    unprocessed[table] = a;
  }
  json o = {{"UnprocessedItems", unprocessed}};
  AddConsumedList(o, r.consumed_capacity);
  AddCollectionMetrics(o, r.item_collection_metrics);
  return o;
}

json ToJson(const TransactWriteItemsResponse& r) {
  json o = json::object();
  AddConsumedList(o, r.consumed_capacity);
  AddCollectionMetrics(o, r.item_collection_metrics);
  return o;
}

json ToJson(const TransactGetItemsResponse& r) {
  json a = json::array();
  for (const auto& resp : r.responses) {
    json x = json::object();
    if (resp.item) x["Item"] = ItemJson(*resp.item);
    a.push_back(x);
  }
  json o = {{"Responses", a}};
  AddConsumedList(o, r.consumed_capacity);
  return o;
}

json ToJson(const BatchExecuteStatementResponse& r) {
  json a = json::array();
  for (const auto& resp : r.responses) {
    json x = json::object();
    if (resp.error) x["Error"] = {{"Code", resp.error->code}, {"Message", resp.error->message}};
    if (resp.table_name) x["TableName"] = *resp.table_name;
    if (resp.item) x["Item"] = ItemJson(*resp.item);
    a.push_back(x);
  }
  json o = {{"Responses", a}};
  AddConsumedList(o, r.consumed_capacity);
  return o;
}

json ToJson(const ExecuteTransactionResponse& r) {
  return ToJson(TransactGetItemsResponse{r.responses, r.consumed_capacity});
}

json ToJson(const ListStreamsResponse& r) {
  json a = json::array();
  for (const auto& s : r.streams)
    a.push_back({{"StreamArn", s.stream_arn},
                 {"StreamLabel", s.stream_label},
                 {"TableName", s.table_name}});
  json o = {{"Streams", a}};
  if (r.last_evaluated_stream_arn) o["LastEvaluatedStreamArn"] = *r.last_evaluated_stream_arn;
  return o;
}

json ToJson(const DescribeStreamResponse& r) {
  const auto& d = r.stream_description;
  json shards = json::array();
  for (const auto& s : d.shards) {
    json range = {{"StartingSequenceNumber", s.sequence_number_range.starting_sequence_number}};
    if (s.sequence_number_range.ending_sequence_number)
      range["EndingSequenceNumber"] = *s.sequence_number_range.ending_sequence_number;
    json sj = {{"ShardId", s.shard_id}, {"SequenceNumberRange", range}};
    if (s.parent_shard_id) sj["ParentShardId"] = *s.parent_shard_id;
    shards.push_back(sj);
  }
  json o = {{"StreamArn", d.stream_arn},
            {"StreamLabel", d.stream_label},
            {"StreamStatus", d.stream_status},
            {"StreamViewType", ToString(d.stream_view_type)},
            {"CreationRequestDateTime", d.creation_request_date_time},
            {"TableName", d.table_name},
            {"KeySchema", KeySchemaJson(d.key_schema)},
            {"Shards", shards}};
  if (d.last_evaluated_shard_id) o["LastEvaluatedShardId"] = *d.last_evaluated_shard_id;
  return {{"StreamDescription", o}};
}

json ToJson(const GetShardIteratorResponse& r) {
  json o = json::object();
  if (r.shard_iterator) o["ShardIterator"] = *r.shard_iterator;
  return o;
}

json ToJson(const StreamRecord& r) {
  json d = {{"ApproximateCreationDateTime", r.approximate_creation_date_time},
            {"Keys", ItemJson(r.keys)},
            {"SequenceNumber", r.sequence_number},
            {"SizeBytes", r.size_bytes},
            {"StreamViewType", ToString(r.stream_view_type)}};
  if (r.new_image) d["NewImage"] = ItemJson(*r.new_image);
  if (r.old_image) d["OldImage"] = ItemJson(*r.old_image);
  json o = {{"eventID", r.event_id},           {"eventName", r.event_name},
            {"eventVersion", r.event_version}, {"eventSource", r.event_source},
            {"awsRegion", r.aws_region},       {"dynamodb", d}};
  if (r.user_identity)
    o["userIdentity"] = {{"PrincipalId", r.user_identity->principal_id},
                         {"Type", r.user_identity->type}};
  return o;
}

json ToJson(const GetRecordsResponse& r) {
  json a = json::array();
  for (const auto& rec : r.records) a.push_back(ToJson(rec));
  json o = {{"Records", a}};
  if (r.next_shard_iterator) o["NextShardIterator"] = *r.next_shard_iterator;
  return o;
}

}  // namespace localdynamo::wire
