#pragma once
// The table catalog: each table's metadata in the catalog DBI, cached per Database handle and
// reloaded whenever the stored catalog version moves (another handle or process may have
// changed it). Beside it in the meta DBI: each table's statistics (items and bytes, per index)
// with its last stream sequence number, and the store's counters.
//
// Thread-safe: the cache has its own mutex; the rest works in the transaction it is given.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/table_meta.h"
#include "localdynamo/options.h"
#include "localdynamo/schema.h"
#include "storage/lmdb.h"

namespace localdynamo {

using TablePtr = std::shared_ptr<const engine::TableMeta>;

struct TableStats {
  int64_t item_count = 0;
  int64_t size_bytes = 0;
};

namespace engine {

class Catalog {
 public:
  // `options` (the database's: region and account, for table ARNs) must outlive the catalog.
  explicit Catalog(const Options& options) : options_(options) {}
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // The table `name` (a name or the table's ARN) as `txn` sees it; null when there is none.
  // Errors: DynamoDB's error for an ARN that names no table of this database's account and
  // region (engine/arn.h); InternalServerError (a corrupt catalog entry, LMDB).
  Result<TablePtr> Find(const storage::Txn& txn, std::string_view name);
  // As Find, with ResourceNotFoundException "Requested resource not found" when missing.
  Result<TablePtr> Require(const storage::Txn& txn, std::string_view name);
  // Every table as `txn` sees the catalog, in name order. Errors: as Find's.
  Result<std::vector<TablePtr>> All(const storage::Txn& txn);

  // Stores `table` (new or changed) and moves the catalog version. Errors: LMDB's.
  static Status Save(storage::WriteTxn& txn, const TableMeta& table);
  // Removes the table, and its entries unless a system backup keeps them (`keep_entries`);
  // its stream sequence numbers stay issued (see LastStreamSequence). Errors: LMDB's.
  static Status Erase(storage::WriteTxn& txn, const TableMeta& table, bool keep_entries = false);
  // Removes everything the store holds (tables, their entries and streams, backups, recovery
  // logs, tokens, counters, stream consumers' positions): the store as new, but for its format
  // and a catalog version moved past every earlier one (so that no cache mistakes the empty
  // catalog for one it has seen). Errors: LMDB's.
  static Status EraseAll(storage::WriteTxn& txn);
  // The stored catalog version (0: none yet), and storing one, which must exceed every version
  // stored before (a cache reloads when the version differs from the one it holds; a version
  // used again could hide a different catalog). Errors: LMDB's.
  static Result<uint64_t> StoredVersion(const storage::Txn& txn);
  static Status StoreVersion(storage::WriteTxn& txn, uint64_t version);

 private:
  Status RefreshLocked(const storage::Txn& txn);                   // mu_ held
  Status ReloadLocked(const storage::Txn& txn, uint64_t version);  // mu_ held

  const Options& options_;
  std::mutex mu_;
  uint64_t version_ = ~uint64_t{0};
  // A read snapshot (Txn::snapshot_id) known to hold version_, whose later lookups skip
  // reading the version; 0 for none.
  uint64_t snapshot_ = 0;
  std::map<std::string, TablePtr, std::less<>> tables_;
};

// ---- statistics and counters (meta DBI) ----------------------------------------------------
// The next value of the store-wide counter `name` (1 first).
Result<uint64_t> NextCounter(storage::WriteTxn& txn, std::string_view name);
// Index number 0 is the table itself.
Result<TableStats> ReadStats(const storage::Txn& txn, uint32_t table_number, uint8_t index_number);
Status AddStats(storage::WriteTxn& txn, uint32_t table_number, uint8_t index_number,
                int64_t count_delta, int64_t bytes_delta);
// Several deltas (index number 0 = the table) in one read-modify-write. With `next_sequence`,
// also issues the table's next stream sequence number into it: the table's statistics and its
// stream sequence share one stored value, which every write rewrites.
using StatsDeltas = std::vector<std::pair<uint8_t, TableStats>>;
Status AddStats(storage::WriteTxn& txn, uint32_t table_number, const StatsDeltas& deltas,
                uint64_t* next_sequence = nullptr);
// The last stream sequence number issued to the table's records (increasing per table, across
// streams and across a drop and re-create of its name; 0 if none ever).
Result<uint64_t> LastStreamSequence(const storage::Txn& txn, uint32_t table_number);
Status DropStats(storage::WriteTxn& txn, uint32_t table_number, uint8_t index_number);

// DescribeTable's description of `table`, its statistics as `txn` sees them.
Result<TableDescription> DescribeTable(const storage::Txn& txn, const TableMeta& table);

}  // namespace engine
}  // namespace localdynamo
