#pragma once
// DynamoDB JSON <-> typed requests and responses, one pair per operation.

#include "localdynamo/requests.h"
#include "localdynamo/stream.h"
#include "wire/json_value.h"

namespace localdynamo::wire {

CreateTableRequest ParseCreateTable(JsonRef j);
DescribeTableRequest ParseDescribeTable(JsonRef j);
DeleteTableRequest ParseDeleteTable(JsonRef j);
ListTablesRequest ParseListTables(JsonRef j);
UpdateTableRequest ParseUpdateTable(JsonRef j);
UpdateTimeToLiveRequest ParseUpdateTimeToLive(JsonRef j);
DescribeTimeToLiveRequest ParseDescribeTimeToLive(JsonRef j);
TagResourceRequest ParseTagResource(JsonRef j);
UntagResourceRequest ParseUntagResource(JsonRef j);
ListTagsOfResourceRequest ParseListTagsOfResource(JsonRef j);
UpdateContinuousBackupsRequest ParseUpdateContinuousBackups(JsonRef j);
DescribeContinuousBackupsRequest ParseDescribeContinuousBackups(JsonRef j);
CreateBackupRequest ParseCreateBackup(JsonRef j);
DescribeBackupRequest ParseDescribeBackup(JsonRef j);
DeleteBackupRequest ParseDeleteBackup(JsonRef j);
ListBackupsRequest ParseListBackups(JsonRef j);
RestoreTableFromBackupRequest ParseRestoreTableFromBackup(JsonRef j);
RestoreTableToPointInTimeRequest ParseRestoreTableToPointInTime(JsonRef j);
UpdateContributorInsightsRequest ParseUpdateContributorInsights(JsonRef j);
DescribeContributorInsightsRequest ParseDescribeContributorInsights(JsonRef j);
ListContributorInsightsRequest ParseListContributorInsights(JsonRef j);
PutItemRequest ParsePutItem(JsonRef j);
GetItemRequest ParseGetItem(JsonRef j);
DeleteItemRequest ParseDeleteItem(JsonRef j);
UpdateItemRequest ParseUpdateItem(JsonRef j);
QueryRequest ParseQuery(JsonRef j);
ScanRequest ParseScan(JsonRef j);
BatchGetItemRequest ParseBatchGetItem(JsonRef j);
BatchWriteItemRequest ParseBatchWriteItem(JsonRef j);
TransactWriteItemsRequest ParseTransactWriteItems(JsonRef j);
TransactGetItemsRequest ParseTransactGetItems(JsonRef j);
ExecuteStatementRequest ParseExecuteStatement(JsonRef j);
BatchExecuteStatementRequest ParseBatchExecuteStatement(JsonRef j);
ExecuteTransactionRequest ParseExecuteTransaction(JsonRef j);
ListStreamsRequest ParseListStreams(JsonRef j);
DescribeStreamRequest ParseDescribeStream(JsonRef j);
GetShardIteratorRequest ParseGetShardIterator(JsonRef j);
GetRecordsRequest ParseGetRecords(JsonRef j);

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
