#pragma once
// DynamoDB JSON <-> typed requests and responses, one pair per operation.

#include "localdynamo/requests.h"
#include "localdynamo/stream.h"
#include "wire/json_value.h"

namespace localdynamo::wire {

CreateTableRequest ParseCreateTable(const json& j);
DescribeTableRequest ParseDescribeTable(const json& j);
DeleteTableRequest ParseDeleteTable(const json& j);
ListTablesRequest ParseListTables(const json& j);
UpdateTableRequest ParseUpdateTable(const json& j);
UpdateTimeToLiveRequest ParseUpdateTimeToLive(const json& j);
DescribeTimeToLiveRequest ParseDescribeTimeToLive(const json& j);
TagResourceRequest ParseTagResource(const json& j);
UntagResourceRequest ParseUntagResource(const json& j);
ListTagsOfResourceRequest ParseListTagsOfResource(const json& j);
UpdateContinuousBackupsRequest ParseUpdateContinuousBackups(const json& j);
DescribeContinuousBackupsRequest ParseDescribeContinuousBackups(const json& j);
CreateBackupRequest ParseCreateBackup(const json& j);
DescribeBackupRequest ParseDescribeBackup(const json& j);
DeleteBackupRequest ParseDeleteBackup(const json& j);
ListBackupsRequest ParseListBackups(const json& j);
RestoreTableFromBackupRequest ParseRestoreTableFromBackup(const json& j);
RestoreTableToPointInTimeRequest ParseRestoreTableToPointInTime(const json& j);
UpdateContributorInsightsRequest ParseUpdateContributorInsights(const json& j);
DescribeContributorInsightsRequest ParseDescribeContributorInsights(const json& j);
ListContributorInsightsRequest ParseListContributorInsights(const json& j);
PutItemRequest ParsePutItem(const json& j);
GetItemRequest ParseGetItem(const json& j);
DeleteItemRequest ParseDeleteItem(const json& j);
UpdateItemRequest ParseUpdateItem(const json& j);
QueryRequest ParseQuery(const json& j);
ScanRequest ParseScan(const json& j);
BatchGetItemRequest ParseBatchGetItem(const json& j);
BatchWriteItemRequest ParseBatchWriteItem(const json& j);
TransactWriteItemsRequest ParseTransactWriteItems(const json& j);
TransactGetItemsRequest ParseTransactGetItems(const json& j);
ExecuteStatementRequest ParseExecuteStatement(const json& j);
BatchExecuteStatementRequest ParseBatchExecuteStatement(const json& j);
ExecuteTransactionRequest ParseExecuteTransaction(const json& j);
ListStreamsRequest ParseListStreams(const json& j);
DescribeStreamRequest ParseDescribeStream(const json& j);
GetShardIteratorRequest ParseGetShardIterator(const json& j);
GetRecordsRequest ParseGetRecords(const json& j);

json ToJson(const TableDescription& d);
json ConsumedCapacityJson(const ConsumedCapacity& c);
json ToJson(const CreateTableResponse& r);
json ToJson(const DescribeTableResponse& r);
json ToJson(const DeleteTableResponse& r);
json ToJson(const ListTablesResponse& r);
json ToJson(const UpdateTableResponse& r);
json ToJson(const UpdateTimeToLiveResponse& r);
json ToJson(const DescribeTimeToLiveResponse& r);
json ToJson(const Ok&);  // an operation that answers with no members: {}
json ToJson(const ListTagsOfResourceResponse& r);
json ToJson(const ContinuousBackupsResponse& r);
json ToJson(const CreateBackupResponse& r);
json ToJson(const BackupDescriptionResponse& r);
json ToJson(const ListBackupsResponse& r);
json ToJson(const RestoreTableFromBackupResponse& r);
json ToJson(const UpdateContributorInsightsResponse& r);
json ToJson(const DescribeContributorInsightsResponse& r);
json ToJson(const ListContributorInsightsResponse& r);
json ToJson(const PutItemResponse& r);
json ToJson(const DeleteItemResponse& r);
json ToJson(const UpdateItemResponse& r);
json ToJson(const QueryResponse& r);
json ToJson(const BatchGetItemResponse& r);
json ToJson(const BatchWriteItemResponse& r);
json ToJson(const TransactWriteItemsResponse& r);
json ToJson(const TransactGetItemsResponse& r);
json ToJson(const BatchExecuteStatementResponse& r);
json ToJson(const ExecuteTransactionResponse& r);
json ToJson(const ListStreamsResponse& r);
json ToJson(const DescribeStreamResponse& r);
json ToJson(const GetShardIteratorResponse& r);
json ToJson(const GetRecordsResponse& r);
json ToJson(const StreamRecord& r);

}  // namespace localdynamo::wire
