#pragma once
// Database: one LMDB environment (a directory) holding DynamoDB tables. Every operation of the
// DynamoDB API is a method taking its typed request; the HTTP endpoint calls the same methods.
//
// Thread-safety: a Database may be used from many threads at once; reads run in parallel on
// MVCC snapshots, item writes that arrive together are committed together (one transaction,
// and under Durability::kSync one sync; each write still all or nothing, and returning only
// once its commit is durable). Several Database handles on one directory in one process share
// one LMDB environment; another process's Open is refused while this one has it open.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "localdynamo/options.h"
#include "localdynamo/requests.h"
#include "localdynamo/schema.h"
#include "localdynamo/status.h"
#include "localdynamo/stream.h"
#include "localdynamo/value.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

namespace engine {
struct DatabaseInternals;
}  // namespace engine

class Database {
 public:
  // Opens (creating if needed) the database in `directory`. Errors: InternalServerError with
  // the system/LMDB message when the directory can't be created or opened; ValidationException
  // for Durability::kNone (nothing would be kept).
  static Result<std::unique_ptr<Database>> Open(const std::string& directory, Options options = {});
  // A database in a fresh temporary directory, removed when the Database is destroyed.
  // Durability is Durability::kNone, whatever `options` says.
  static Result<std::unique_ptr<Database>> OpenInMemory(Options options = {});

  // The library's version, "MAJOR.MINOR.PATCH" (LOCALDYNAMO_VERSION in localdynamo/version.h
  // is the headers'; they differ only when a program runs against another build's library).
  static std::string_view Version();

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& directory() const;
  const Options& options() const;

  // ---- tables ---- (errors: ValidationException, ResourceInUseException,
  // ResourceNotFoundException, LimitExceededException, with DynamoDB's texts)
  Result<CreateTableResponse> CreateTable(const CreateTableRequest& request);
  Result<DescribeTableResponse> DescribeTable(const DescribeTableRequest& request);
  Result<DeleteTableResponse> DeleteTable(const DeleteTableRequest& request);
  Result<ListTablesResponse> ListTables(const ListTablesRequest& request);
  Result<UpdateTableResponse> UpdateTable(const UpdateTableRequest& request);
  // One change per table per fixed interval, as DynamoDB allows (see time_to_live.cc).
  Result<UpdateTimeToLiveResponse> UpdateTimeToLive(const UpdateTimeToLiveRequest& request);
  Result<DescribeTimeToLiveResponse> DescribeTimeToLive(const DescribeTimeToLiveRequest& request);
  // Tags of a table or stream by ARN (tags.cc has the checks and their order).
  Status TagResource(const TagResourceRequest& request);
  Status UntagResource(const UntagResourceRequest& request);
  Result<ListTagsOfResourceResponse> ListTagsOfResource(const ListTagsOfResourceRequest& request);
  // Point-in-time recovery's setting (TableNotFoundException for a missing table, as DynamoDB's
  // backup operations answer).
  Result<ContinuousBackupsResponse> UpdateContinuousBackups(
      const UpdateContinuousBackupsRequest& request);
  Result<ContinuousBackupsResponse> DescribeContinuousBackups(
      const DescribeContinuousBackupsRequest& request);
  // On-demand backups (backups.cc): BackupNotFoundException for an unknown ARN,
  // TableAlreadyExistsException for a restore onto an existing table.
  Result<CreateBackupResponse> CreateBackup(const CreateBackupRequest& request);
  Result<BackupDescriptionResponse> DescribeBackup(const DescribeBackupRequest& request);
  Result<BackupDescriptionResponse> DeleteBackup(const DeleteBackupRequest& request);
  Result<ListBackupsResponse> ListBackups(const ListBackupsRequest& request);
  Result<RestoreTableFromBackupResponse> RestoreTableFromBackup(
      const RestoreTableFromBackupRequest& request);
  // Contributor insights' setting (contributor_insights.cc).
  Result<UpdateContributorInsightsResponse> UpdateContributorInsights(
      const UpdateContributorInsightsRequest& request);
  Result<DescribeContributorInsightsResponse> DescribeContributorInsights(
      const DescribeContributorInsightsRequest& request);
  Result<ListContributorInsightsResponse> ListContributorInsights(
      const ListContributorInsightsRequest& request);
  // PointInTimeRecoveryUnavailableException when recovery is off, InvalidRestoreTimeException
  // outside its window.
  Result<RestoreTableToPointInTimeResponse> RestoreTableToPointInTime(
      const RestoreTableToPointInTimeRequest& request);
  // What DynamoDB's time-to-live process does, now: deletes the items of tables with time to
  // live enabled whose attribute is a Number of epoch seconds before the Clock's now (but not
  // more than five years before), with REMOVE stream records whose userIdentity is the
  // service; no capacity is consumed. Per table per call it reads at most 100,000 items and
  // deletes at most 1000, the next call taking up where it stopped; returns how many.
  // `localdynamo serve` calls it every few seconds; in-process, call it when the test wants.
  Result<int64_t> DeleteExpiredItems();

  // ---- test control ----
  // Empties the database, as if it were new: every table (its items, indexes and stream),
  // backup, point-in-time recovery log and idempotency token goes, and counters start again,
  // so that the same requests after a Reset answer as they would on a new database (the
  // clock and ids are the caller's: see ManualClock, SequentialIds). One transaction: other
  // calls see the database before or after it. Subscriptions stay (a table created again
  // under a subscribed name delivers to its subscribers); background ones read its new stream
  // from the start. Errors: InternalServerError (LMDB's failures).
  Status Reset();
  // Keeps a copy of the whole store (every table with its items, indexes and stream, backups,
  // tokens, counters) under `name`, in this process's memory until the Database is closed,
  // replacing an earlier one of that name; from one read snapshot, so each write is in it
  // entirely or not at all. A suite loads its fixtures once, saves, and restores before each
  // test. Errors: ValidationException (an empty name), InternalServerError (LMDB's).
  Status SaveSnapshot(const std::string& name);
  // Makes the store what it was when `name` was saved, in one transaction (the snapshot stays,
  // to be restored again). As after Reset, subscriptions stay and background ones read their
  // table's stream from the start. Errors: ResourceNotFoundException ("Snapshot not found:
  // NAME"), InternalServerError (LMDB's).
  Status RestoreSnapshot(const std::string& name);

  // ---- items ---- (errors: ValidationException, ResourceNotFoundException,
  // ConditionalCheckFailedException)
  Result<PutItemResponse> PutItem(const PutItemRequest& request);
  Result<GetItemResponse> GetItem(const GetItemRequest& request);
  Result<DeleteItemResponse> DeleteItem(const DeleteItemRequest& request);
  Result<UpdateItemResponse> UpdateItem(const UpdateItemRequest& request);
  Result<QueryResponse> Query(const QueryRequest& request);
  Result<ScanResponse> Scan(const ScanRequest& request);

  // ---- batches and transactions ----
  Result<BatchGetItemResponse> BatchGetItem(const BatchGetItemRequest& request);
  Result<BatchWriteItemResponse> BatchWriteItem(const BatchWriteItemRequest& request);
  Result<TransactWriteItemsResponse> TransactWriteItems(const TransactWriteItemsRequest& request);
  Result<TransactGetItemsResponse> TransactGetItems(const TransactGetItemsRequest& request);
  // PartiQL (src/partiql): each statement runs as the operation it stands for.
  Result<ExecuteStatementResponse> ExecuteStatement(const ExecuteStatementRequest& request);
  Result<BatchExecuteStatementResponse> BatchExecuteStatement(
      const BatchExecuteStatementRequest& request);
  Result<ExecuteTransactionResponse> ExecuteTransaction(const ExecuteTransactionRequest& request);

  // ---- the change stream ----
  // Calls `subscriber` with every record of `table_name`'s stream committed after this call,
  // in commit order (see StreamDelivery). A subscriber that throws has the exception caught
  // and reported to stderr; the record counts as delivered to it and the others still get
  // it. Errors: ResourceNotFoundException (no such table), ValidationException (no stream).
  //
  // With StreamDelivery::kBackground and a non-empty `consumer` name, delivery is
  // at-least-once across restarts: the position of the last record handed to the subscriber
  // is persisted under (table, consumer), and a later Subscribe with the same names resumes
  // after it, delivering what was committed in between.
  using SubscriptionId = uint64_t;
  Result<SubscriptionId> Subscribe(const std::string& table_name, StreamSubscriber subscriber,
                                   const std::string& consumer = "");
  void Unsubscribe(SubscriptionId id);

  Result<ListStreamsResponse> ListStreams(const ListStreamsRequest& request);
  Result<DescribeStreamResponse> DescribeStream(const DescribeStreamRequest& request);
  Result<GetShardIteratorResponse> GetShardIterator(const GetShardIteratorRequest& request);
  Result<GetRecordsResponse> GetRecords(const GetRecordsRequest& request);

  struct __attribute__((visibility("hidden"))) Impl;  // not exported from the shared library

 private:
  // The engine's functions that serve a handle from outside it (engine/encoded_reads.h).
  friend struct engine::DatabaseInternals;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace localdynamo

#pragma GCC visibility pop
