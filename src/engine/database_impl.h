#pragma once
// Database::Impl: the state behind the public Database handle, as named parts.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/catalog.h"
#include "engine/commit_queue.h"
#include "engine/streams/stream_hub.h"
#include "engine/table_meta.h"
#include "localdynamo/database.h"
#include "storage/lmdb.h"

namespace localdynamo {

using engine::TableMeta;

// The database's parts, each owning its state behind its own interface: the environment
// (storage/lmdb.h), the table catalog (engine/catalog.h), the commit queue every item write
// goes through (engine/commit_queue.h), the stream subscribers and their delivery
// (engine/streams/stream_hub.h) and time to live's sweep position (below). The engine's
// operations are written against them.
struct Database::Impl {
  std::string directory;
  bool temporary = false;
  Options options;
  std::shared_ptr<storage::Env> env;
  engine::Catalog catalog{options};

  // Time to live's sweep (time_to_live.cc): where each table's next pass starts (after this
  // full key; none: at the table's first item), so that a pass reads a bounded part of a large
  // table.
  class ExpirySweep {
   public:
    std::optional<std::string> ResumeAfter(uint32_t table_number);
    void Advance(uint32_t table_number, std::optional<std::string> stopped_after);
    void Clear();  // the store was reset: table numbers start again

   private:
    std::mutex mu_;
    std::map<uint32_t, std::string> resume_;
  };
  ExpirySweep expiry;

  // Copies of the whole store, by name (SaveSnapshot; control/snapshots.cc): each DBI's
  // entries in key order (catalog, data, meta, stream).
  struct StoreCopy {
    std::vector<std::pair<std::string, std::string>> entries[4];
  };
  std::mutex snapshots_mu;
  std::map<std::string, std::shared_ptr<const StoreCopy>, std::less<>> snapshots;

  // Item writes, committed in groups (commit_queue.h).
  engine::CommitQueue commits{*this};

  // Last: its background worker (reading the catalog and the environment) stops first.
  engine::StreamHub streams{*this};

  ~Impl();

  double NowSeconds() const { return static_cast<double>(options.clock->NowMillis()) / 1000.0; }
  Result<storage::ReadTxn> BeginRead() { return storage::ReadTxn::Begin(env); }
  Result<storage::WriteTxn> BeginWrite() { return storage::WriteTxn::Begin(env); }
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
// Point-in-time recovery's description at `now_millis`, its window included
// (continuous_backups.cc).
ContinuousBackupsResponse DescribeRecovery(const TableMeta& t, int64_t now_millis);
}  // namespace engine

}  // namespace localdynamo
