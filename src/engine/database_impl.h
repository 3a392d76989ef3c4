#pragma once
// Database::Impl: the state behind the public Database handle, shared by the engine's files.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "engine/table_meta.h"
#include "localdynamo/database.h"
#include "storage/lmdb.h"

namespace localdynamo {

using engine::TableMeta;
using TablePtr = std::shared_ptr<const TableMeta>;

struct TableStats {
  int64_t item_count = 0;
  int64_t size_bytes = 0;
};

struct Database::Impl {
  std::string directory;
  bool temporary = false;
  Options options;
  std::shared_ptr<storage::Env> env;

  // Time to live's sweep: where each table's next pass starts (after this full key; none: at
  // the table's first item), so that a pass reads a bounded part of a large table.
  std::mutex expiry_mu;
  std::map<uint32_t, std::string> expiry_resume;
  // Catalog cache, refreshed whenever the stored catalog version moves (another handle or
  // process may have changed it). catalog_snapshot: a read snapshot (Txn::snapshot_id) known
  // to hold catalog_version, whose later reads skip looking the version up; 0 for none.
  std::mutex catalog_mu;
  uint64_t catalog_version = ~uint64_t{0};
  uint64_t catalog_snapshot = 0;
  std::map<std::string, TablePtr, std::less<>> tables;

  // Stream subscribers and the synchronous delivery FIFO (streams.cc).
  struct Subscription {
    SubscriptionId id;
    std::string table_name;
    StreamSubscriber callback;
    std::string consumer;    // background mode: checkpoint name ("" = not persisted)
    uint64_t next_sequence;  // background mode: first sequence not yet delivered
  };
  std::mutex subscribers_mu;
  std::vector<Subscription> subscribers;
  // subscribers.size(), for a write's check without the lock (most stores have none).
  std::atomic<std::size_t> subscriber_count{0};
  SubscriptionId next_subscription = 1;
  std::mutex delivery_mu;
  // Held from before a write's commit until its stream records are queued for synchronous
  // delivery: without it a later writer's records could be queued (and delivered) first.
  std::mutex commit_order_mu;
  std::condition_variable delivery_cv;
  std::deque<StreamRecord> delivery_queue;
  uint64_t enqueued_total = 0;   // records ever queued
  uint64_t delivered_total = 0;  // records ever handed to every subscriber
  bool delivering = false;
  std::thread::id delivering_thread;

  // Background delivery (StreamDelivery::kBackground): a worker thread reading the stream DBI.
  std::thread worker;
  std::mutex worker_mu;
  std::condition_variable worker_cv;
  bool worker_stopping = false;
  bool worker_poke = false;
  void StartWorker();
  void StopWorker();
  void WorkerLoop();
  void DeliverBackground();

  ~Impl();

  double NowSeconds() const { return static_cast<double>(options.clock->NowMillis()) / 1000.0; }

  // ---- catalog (catalog.cc) ----
  Result<TablePtr> FindTable(const storage::Txn& txn, std::string_view name);
  // ResourceNotFoundException "Requested resource not found" when missing.
  Result<TablePtr> RequireTable(const storage::Txn& txn, std::string_view name);
  Status RefreshCatalog(const storage::Txn& txn);
  Status RefreshCatalogLocked(const storage::Txn& txn, uint64_t version);  // catalog_mu held
  Status SaveTable(storage::WriteTxn& txn, const TableMeta& table);
  // Removes the table; its entries too unless a system backup keeps them.
  Status EraseTable(storage::WriteTxn& txn, const TableMeta& table, bool keep_entries = false);
  Result<uint64_t> NextCounter(storage::WriteTxn& txn, std::string_view name);
  Result<TableStats> ReadStats(const storage::Txn& txn, uint32_t table_number, uint8_t index_number);
  Status AddStats(storage::WriteTxn& txn, uint32_t table_number, uint8_t index_number,
                  int64_t count_delta, int64_t bytes_delta);
  // Several deltas (index number 0 = the table) in one read-modify-write. With
  // `next_sequence`, also issues the table's next stream sequence number into it: the table's
  // statistics and its stream sequence share one stored value, which every write rewrites.
  using StatsDeltas = std::vector<std::pair<uint8_t, TableStats>>;
  Status AddStats(storage::WriteTxn& txn, uint32_t table_number, const StatsDeltas& deltas,
                  uint64_t* next_sequence = nullptr);
  // The last stream sequence number issued to the table's records (increasing per table,
  // across streams and across a drop and re-create of its name; 0 if none ever).
  Result<uint64_t> LastStreamSequence(const storage::Txn& txn, uint32_t table_number);
  Status DropStats(storage::WriteTxn& txn, uint32_t table_number, uint8_t index_number);
  Result<TableDescription> Describe(const storage::Txn& txn, const TableMeta& table);

  Result<storage::ReadTxn> BeginRead() { return storage::ReadTxn::Begin(env); }
  Result<storage::WriteTxn> BeginWrite() { return storage::WriteTxn::Begin(env); }

  // ---- streams (streams.cc) ----
  // Hands records committed by a write to the subscribers (synchronous mode: drains the FIFO
  // unless this thread is already draining it).
  // `order`, when given, is commit_order_mu held since before the records' commit: released
  // once they are queued, so records are queued in commit order (see CommitAndDeliver).
  void Deliver(std::vector<StreamRecord> records, std::unique_lock<std::mutex>* order = nullptr);
  // Whether records of `table` have to be handed to a subscriber on the writing thread.
  bool HasSynchronousListener(std::string_view table);
};

namespace engine {
// A new table's name, id, ARN, keyspace number and creation time (CreateTable, restores;
// table_ops.cc).
Status NewTableIdentity(Database::Impl& db, storage::WriteTxn& txn, std::string name, TableMeta& t);
// Adds a new stream to `t` (a new ARN and label each time one is enabled; table_ops.cc).
Status EnableStream(Database::Impl& db, storage::WriteTxn& txn, TableMeta& t, StreamViewType view);
// Tags a request sets (TagResource, CreateTable): each key and value, duplicates, the count;
// and a resource's whole set after a change: the count and the total size (tags.cc).
Status CheckTagsToSet(const std::vector<Tag>& tags);
Status CheckTagSet(const std::vector<Tag>& tags);
// DeleteTable with point-in-time recovery on: DynamoDB keeps the table as a system backup
// ("<name>$DeletedTableBackup", 35 days), made of the table's entries, which stay (backups.cc).
Status KeepDeletedTableBackup(Database::Impl& db, storage::WriteTxn& txn, const TableMeta& t);
// Point-in-time recovery's description at `now_millis`, its window included (continuous_backups.cc).
ContinuousBackupsResponse DescribeRecovery(const TableMeta& t, int64_t now_millis);
}  // namespace engine

}  // namespace localdynamo
