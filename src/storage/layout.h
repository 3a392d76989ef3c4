#pragma once
// Where things live in the LMDB environment, and exact-order range scans over full-size keys.
//
// DBI `data` holds every table and index entry under a keyspace prefix:
//   full key   := u32 table number (big-endian) | u8 index number (0 = the table) | key bytes
//   key bytes  := table:  enc(partition key) [enc(sort key)]
//                 index:  enc(index partition key) [enc(index sort key)] enc(table keys)
// (enc: key_codec.h). DynamoDB keys reach 2048 + 1024 bytes and LMDB keys 511, so a full key
// longer than kLongKeyPrefix bytes is stored as its first kLongKeyPrefix bytes + an 8-byte
// hash ("long form"), with the full key in the value. Every key sharing such a prefix is in
// long form, so a long-form group is contiguous; RangeScanner sorts each group in memory by
// full key, which keeps Query order exact.
//   value      := u8 flags (bit0: long form) [varint(len) full key] payload (item_codec)

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "storage/lmdb.h"

namespace localdynamo::storage {

inline constexpr std::size_t kMaxLmdbKey = 511;
inline constexpr std::size_t kLongKeyPrefix = kMaxLmdbKey - 8;

// u32 table number | u8 index number, in front of every table and index key.
inline constexpr std::size_t kKeyspacePrefixSize = 5;
std::string KeyspacePrefix(uint32_t table_number, uint8_t index_number);
// The u32 table number alone: the table's entries and all its indexes'.
std::string TableKeyspace(uint32_t table_number);

// FNV-1a, 64 bits: tells apart long keys sharing a prefix; also spreads partitions over
// parallel-scan segments.
uint64_t Hash64(std::string_view s);
void AppendKeyspacePrefix(std::string* out, uint32_t table_number, uint8_t index_number);

// The LMDB key under which `full_key` is stored.
std::string StoredKey(std::string_view full_key);
inline bool IsLongForm(std::string_view stored_key) { return stored_key.size() > kLongKeyPrefix; }

std::string EncodeEntryValue(std::string_view full_key, std::string_view payload);
struct EntryView {
  std::string_view full_key;
  std::string_view payload;
};
// Returns false on a malformed value.
bool DecodeEntryValue(std::string_view stored_key, std::string_view value, EntryView* out);

// Writes / deletes one entry, checking for the (astronomically unlikely) long-key hash
// collision instead of overwriting another key's entry.
Status PutEntry(WriteTxn& txn, MDB_dbi dbi, std::string_view full_key, std::string_view payload);
Result<bool> DeleteEntry(WriteTxn& txn, MDB_dbi dbi, std::string_view full_key);
// The payload stored under `full_key`, or nullopt; the view lives as long as the transaction.
Result<std::optional<std::string_view>> GetEntry(const Txn& txn, MDB_dbi dbi,
                                                 std::string_view full_key);

// Deletes every entry whose stored key starts with `prefix` (a table's, an index's).
Status DeleteKeyspace(WriteTxn& txn, MDB_dbi dbi, std::string_view prefix);
// Copies every entry whose full key starts with `from` (a u32 table number: a table or
// backup with all its indexes) to the same key under `to`, an empty keyspace of the same
// size; `keep` (when given) chooses by index number.
Status CopyKeyspace(WriteTxn& txn, MDB_dbi dbi, std::string_view from, std::string_view to,
                    const std::function<bool(uint8_t index_number)>& keep = {});

// One end of a key range.
struct Bound {
  enum class Kind {
    kInclusive,    // key itself included
    kExclusive,    // key itself excluded
    kPrefix,       // (upper bounds) every key starting with `key` included
    kAfterPrefix,  // (lower bounds) only keys after every key starting with `key`
  };
  std::string key;
  Kind kind = Kind::kInclusive;
};

// Iterates the entries with lower <= full key <= upper in exact full-key order, ascending or
// descending. Views returned live until the next call.
class RangeScanner {
 public:
  RangeScanner(Cursor cursor, Bound lower, Bound upper, bool forward);
  RangeScanner(RangeScanner&&) = default;
  Result<std::optional<EntryView>> Next();

 private:
  bool AboveLower(std::string_view full) const;
  bool BelowUpper(std::string_view full) const;
  Result<std::optional<Cursor::Entry>> Advance();
  Status LoadGroup(Cursor::Entry first);

  Cursor cursor_;
  Bound lower_, upper_;
  bool forward_;
  bool started_ = false;
  bool done_ = false;
  bool past_start_ = false;  // a short-form key within the starting bound has been returned
  // A long-form group, sorted in scan order, and the position in it.
  std::vector<std::pair<std::string, std::string>> group_;
  std::size_t group_pos_ = 0;
  std::optional<Cursor::Entry> pending_;  // first entry after a group, already read
};

}  // namespace localdynamo::storage
