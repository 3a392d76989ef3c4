#pragma once
// Mutation: the one write path. Every item write (Put, Update, Delete, batch, transaction)
// reads the current item and applies old -> new through here, inside one LMDB write
// transaction: the table entry, every index entry, table statistics and the stream record.

#include <optional>
#include <vector>

#include "engine/capacity.h"
#include "engine/database_impl.h"

namespace localdynamo::engine {

class Mutation {
 public:
  Mutation(Database::Impl& db, storage::WriteTxn& txn) : db_(db), txn_(txn) {}

  // The stored item with the key attributes of `key_or_item` (which must be validated).
  Result<std::optional<Item>> Read(const TableMeta& table, const Item& key_or_item);

  // Replaces `old_item` (as read by Read) with `new_item`; either may be null. Adds the
  // write units to `tally` (table + each affected index) unless it is null.
  Status Apply(const TableMeta& table, const Item* old_item, const Item* new_item,
               CapacityTally* tally);

  static const Item* Ptr(const std::optional<Item>& item) { return item ? &*item : nullptr; }

  // The writes that follow are time to live's deletions (their stream records say so).
  void ByTimeToLive() { by_time_to_live_ = true; }

  // Stream records appended so far, to deliver after commit.
  std::vector<StreamRecord> TakeRecords() { return std::move(records_); }

 private:
  // The write's sizes and the new item's stored bytes come from Apply, which has them.
  struct Written {
    std::size_t old_size = 0, new_size = 0;
    std::string_view encoded_new;
  };
  // Appends the record numbered `seq` for a write that changed the item.
  Status AppendStreamRecord(const TableMeta& table, const StreamMeta& stream, uint64_t seq,
                            const Item* old_item, const Item* new_item, const Written& written);

  Database::Impl& db_;
  storage::WriteTxn& txn_;
  std::vector<StreamRecord> records_;
  bool by_time_to_live_ = false;
};

}  // namespace localdynamo::engine
