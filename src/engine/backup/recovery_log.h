#pragma once
// Point-in-time recovery's log: while recovery is on, every write that changes an item of the
// table appends what the item was before it, in the same transaction, to a keyspace of the
// `stream` DBI (numbered like a stream's, keyed by the table's write sequence):
//   value := i64 millis (little-endian) | u8 had_item | encoded item (the old item, or the key)
// A restore to time T copies the table as it is now and undoes, newest first, every logged
// write after T. Records older than the recovery period are trimmed as writes go.

#include <cstdint>

#include "engine/database_impl.h"

namespace localdynamo::engine {

// Logs the write `old_item` -> `new_item` (either may be null, not both) numbered `sequence`.
Status AppendRecoveryRecord(Database::Impl& db, storage::WriteTxn& txn, const TableMeta& table,
                            uint64_t sequence, const Item* old_item, const Item* new_item);

// One logged write as stored: when it was made, and the item it replaced (or, when there was
// none, the written item's key).
struct RecoveryRecord {
  int64_t millis = 0;
  bool had_item = false;
  Item item;
};
// False when `value` is malformed (a had_item byte other than 0 or 1, an item that doesn't
// decode).
bool DecodeRecoveryRecord(std::string_view value, RecoveryRecord* out);

// Removes a log (recovery turned off, table deleted).
Status DropRecoveryLog(storage::WriteTxn& txn, uint32_t log);

// Undoes in `target` (a copy of `source`'s items made in this transaction) every write that
// `source`'s log holds from after `after_millis`, newest first.
Status UndoWritesAfter(Database::Impl& db, storage::WriteTxn& txn, const TableMeta& source,
                       const TableMeta& target, int64_t after_millis);

}  // namespace localdynamo::engine
