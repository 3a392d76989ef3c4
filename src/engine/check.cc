// The consistency check (include/localdynamo/check.h). One read snapshot; the catalog, the
// backup and dropped-table records, the data DBI and the stream DBI are each walked once in key
// order, and every stored thing is compared with what the write path (mutation.cc) makes of
// its source: an item with its key, an index entry with its item's projection, the statistics
// with the sums of what is stored, a stream record with the previous record of its item, the
// recovery log's record of the same write and, last, the table. Lookups across (an entry's
// item, an item's entries) read the same snapshot, so a database in use in this process is
// checked as it was at one commit.

#include "localdynamo/check.h"

#include <charconv>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/backup/backup_record.h"
#include "engine/database_impl.h"
#include "engine/keys.h"
#include "engine/backup/recovery_log.h"
#include "engine/streams/stream_store.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo {
namespace {

using engine::IndexMeta;
using engine::KeyAttr;
using engine::StreamMeta;

// Keys of the meta DBI that other files write (named there).
constexpr std::string_view kStatsPrefix = "stats/";      // catalog.cc: "stats/" + u32 table number
constexpr std::string_view kDroppedPrefix = "dropped/";  // table_ops.cc, DeleteTable
constexpr int kNewestStoreFormat = 3;                    // database.cc's kStoreFormat

uint64_t ReadU64(std::string_view v) {
  uint64_t x = 0;
  if (v.size() >= 8) std::memcpy(&x, v.data(), 8);
  return x;
}

uint32_t ReadBigEndian32(std::string_view v) {
  uint32_t x = 0;
  for (std::size_t i = 0; i < 4; ++i) x = (x << 8) | static_cast<uint8_t>(v[i]);
  return x;
}

std::string Hex(std::string_view bytes) {
  constexpr std::size_t kShown = 40;
  std::string out;
  for (std::size_t i = 0; i < std::min(bytes.size(), kShown); ++i)
    out += fmt::format("{:02x}", static_cast<uint8_t>(bytes[i]));
  if (bytes.size() > kShown) out += "...";
  return out;
}

// A key as a problem line shows it: DynamoDB JSON, cut short.
std::string KeyText(const Item& key) {
  constexpr std::size_t kShown = 160;
  std::string text = DebugString(key);
  if (text.size() > kShown) text = text.substr(0, kShown) + "...";
  return text;
}

// "1 entry", "2 entries".
std::string Count(int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// "an INSERT", "a MODIFY", "a REMOVE".
std::string AnEvent(std::string_view event) {
  return fmt::format("{} {}", event == "INSERT" ? "an" : "a", event);
}

// Why `item` can't have `attr` as a key attribute, or "".
std::string AttrProblem(const KeyAttr& attr, const Item& item) {
  auto it = item.find(attr.name);
  if (it == item.end()) return fmt::format("lacks its key attribute {}", attr.name);
  if (it->second.type() != ToValueType(attr.type))
    return fmt::format("has {} of type {}, the key's is {}", attr.name, TypeName(it->second.type()),
                       ToString(attr.type));
  return "";
}

std::string TableKeyProblem(const TableMeta& t, const Item& item) {
  for (const KeyAttr* attr : {&t.key.hash, t.key.range ? &*t.key.range : nullptr})
    if (attr)
      if (std::string why = AttrProblem(*attr, item); !why.empty()) return why;
  return "";
}

// Whether `item` belongs in `index`: every index key attribute present with the index's type.
// (One present with another type keeps the item out, as GSI backfill leaves it out; writes
// can't make such items.)
bool Indexed(const IndexMeta& index, const Item& item) {
  for (const KeyAttr* attr : {&index.key.hash, index.key.range ? &*index.key.range : nullptr})
    if (attr && !AttrProblem(*attr, item).empty()) return false;
  return true;
}

const IndexMeta* IndexNumbered(const TableMeta& t, uint8_t number) {
  for (const IndexMeta& i : t.indexes)
    if (i.number == number) return &i;
  return nullptr;
}

struct Tally {
  int64_t count = 0;
  int64_t bytes = 0;
  bool sized = true;  // false once an entry didn't decode: its size is unknown
};

// A keyspace of the data DBI: a live table's or a backup's copy.
struct Space {
  const TableMeta* table;  // numbered as the keyspace
  std::string name;        // "table T", "backup B (...) of table T"
  bool live;
  std::map<uint8_t, TableStats> stats;  // as the catalog (a backup: its record) keeps them
  std::map<uint8_t, Tally> found;
};

// Who a keyspace of the stream DBI belongs to: a stream, or (stream null) a recovery log.
struct StreamOwner {
  const TableMeta* table;
  const StreamMeta* stream;
  bool live;  // the table is in the catalog (not a dropped table's description)
};

// An item's last record in the stream being read.
struct LastRecord {
  uint64_t sequence;
  std::string event;
  std::optional<Item> new_image;
};

class Checker {
 public:
  Checker(Database::Impl& db, const storage::Txn& txn, CheckReport& report)
      : db_(db), txn_(txn), report_(report) {}

  Status Run() {
    LD_RETURN_IF_ERROR(LoadCatalog());
    LD_RETURN_IF_ERROR(LoadDropped());
    LD_RETURN_IF_ERROR(LoadBackups());
    LD_RETURN_IF_ERROR(CheckCounters());
    LD_RETURN_IF_ERROR(CheckData());
    LD_RETURN_IF_ERROR(CheckStats());
    LD_RETURN_IF_ERROR(CheckStreams());
    if (unlisted_)
      report_.problems.push_back(fmt::format("{} more problems not listed", unlisted_));
    return OkStatus();
  }

 private:
  template <class... Args>
  void Problem(fmt::format_string<Args...> format, Args&&... args) {
    if (report_.problems.size() < CheckReport::kMaxProblems)
      report_.problems.push_back(fmt::format(format, std::forward<Args>(args)...));
    else
      ++unlisted_;
  }

  // Calls visit(key, value) for each entry of `dbi` whose key starts with `prefix` (all when
  // empty), in key order, until visit fails.
  template <class F>
  Status Walk(MDB_dbi dbi, std::string_view prefix, F visit) {
    LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn_, dbi));
    // (LMDB refuses an empty key to seek to.)
    LD_ASSIGN_OR_RETURN(auto e, prefix.empty() ? cursor.First() : cursor.SeekGE(prefix));
    while (e && e->key.starts_with(prefix)) {
      LD_RETURN_IF_ERROR(visit(e->key, e->value));
      LD_ASSIGN_OR_RETURN(e, cursor.Next());
    }
    return OkStatus();
  }

  // Numbers issued by the "table" counter (tables, backups' copies) and the "stream" counter
  // (streams, recovery logs): each names one thing.
  void TakeNumber(std::map<uint32_t, std::string>& taken, uint32_t number, std::string owner) {
    auto [it, fresh] = taken.try_emplace(number, owner);
    if (!fresh) Problem("catalog: number {} is both {}'s and {}'s", number, it->second, owner);
  }

  Status LoadCatalog() {
    return Walk(
        txn_.dbis().catalog, "", [&](std::string_view key, std::string_view value) -> Status {
          auto meta = engine::ParseTableMeta(value);
          if (!meta) {
            Problem("catalog: the entry of table {} does not parse", key);
            return OkStatus();
          }
          if (meta->name != key)
            Problem("catalog: table {} is stored under the name {}", meta->name, key);
          const TableMeta& t = owned_.emplace_back(std::move(*meta));
          ++report_.tables;
          const std::string name = fmt::format("table {}", t.name);
          TakeNumber(table_numbers_, t.number, name);
          std::map<uint8_t, std::string> index_numbers;
          for (const IndexMeta& i : t.indexes) {
            if (i.number == 0 || i.number >= t.next_index_number)
              Problem("{}: index {} has number {}, outside 1..{}", name, i.name, i.number,
                      t.next_index_number - 1);
            if (auto [it, fresh] = index_numbers.try_emplace(i.number, i.name); !fresh)
              Problem("{}: indexes {} and {} share number {}", name, it->second, i.name, i.number);
          }
          for (const StreamMeta& s : t.streams) {
            TakeNumber(stream_numbers_, s.number, fmt::format("{}'s stream {}", name, s.label));
            stream_owners_.emplace(s.number, StreamOwner{&t, &s, true});
          }
          if (t.recovery_log) {
            TakeNumber(stream_numbers_, t.recovery_log, name + "'s recovery log");
            stream_owners_.emplace(t.recovery_log, StreamOwner{&t, nullptr, true});
          }
          Space space{&t, name, true, {}, {}};
          for (uint8_t index = 0;; ++index) {
            LD_ASSIGN_OR_RETURN(TableStats s, engine::ReadStats(txn_, t.number, index));
            if (index == 0 || index_numbers.count(index))
              space.stats[index] = s;
            else if (s.item_count || s.size_bytes)
              Problem("{}: statistics are kept for index number {}, which the table doesn't have",
                      name, index);
            if (index == 255) break;
          }
          spaces_.emplace(t.number, std::move(space));
          return OkStatus();
        });
  }

  // DeleteTable keeps a table's description while its streams are readable; their records
  // stay theirs.
  Status LoadDropped() {
    return Walk(txn_.dbis().meta, kDroppedPrefix,
                [&](std::string_view key, std::string_view value) -> Status {
                  auto meta = engine::ParseTableMeta(value);
                  if (!meta) {
                    Problem("meta: the deleted table's description {} does not parse", key);
                    return OkStatus();
                  }
                  const TableMeta& t = owned_.emplace_back(std::move(*meta));
                  for (const StreamMeta& s : t.streams) {
                    TakeNumber(stream_numbers_, s.number,
                               fmt::format("deleted table {}'s stream {}", t.name, s.label));
                    stream_owners_.emplace(s.number, StreamOwner{&t, &s, false});
                  }
                  return OkStatus();
                });
  }

  Status LoadBackups() {
    return Walk(
        txn_.dbis().meta, engine::kBackupRecordPrefix,
        [&](std::string_view key, std::string_view value) -> Status {
          const std::string_view arn = key.substr(engine::kBackupRecordPrefix.size());
          auto b = engine::ParseBackupRecord(value);
          if (!b) {
            Problem("backup {}: its record does not parse", arn);
            return OkStatus();
          }
          ++report_.backups;
          const std::string name = fmt::format("backup {} ({}) of table {}", b->name,
                                               arn.substr(arn.rfind('/') + 1), b->table.name);
          if (b->arn != arn) Problem("{}: its record is stored under another ARN, {}", name, arn);
          // A system backup is a deleted table's own entries; a user backup, a copy of its own.
          if ((b->type == BackupType::kSystem) != (b->number == b->table.number))
            Problem("{}: its entries are under number {}, the table's number is {}", name,
                    b->number, b->table.number);
          TableMeta& t = owned_.emplace_back(b->table);
          t.number = b->number;
          if (b->type == BackupType::kSystem && table_numbers_.count(t.number)) {
            Problem("{}: its entries are under number {}, which a table in the catalog has", name,
                    t.number);
            return OkStatus();
          }
          if (b->type != BackupType::kSystem) TakeNumber(table_numbers_, t.number, name);
          Space space{&t, name, false, {}, {}};
          for (const auto& [index, s] : b->stats) {
            if (index == 0 || IndexNumbered(t, index))
              space.stats[index] = s;
            else
              Problem("{}: statistics are kept for index number {}, which the table didn't have",
                      name, index);
          }
          if (!spaces_.emplace(t.number, std::move(space)).second)
            Problem("{}: its entries are under number {}, as another backup's are", name, t.number);
          return OkStatus();
        });
  }

  Status CheckCounters() {
    for (const auto& [counter, taken] :
         {std::pair{"table", &table_numbers_}, std::pair{"stream", &stream_numbers_}}) {
      if (taken->empty()) continue;
      LD_ASSIGN_OR_RETURN(auto v, txn_.Get(txn_.dbis().meta, fmt::format("counter/{}", counter)));
      const uint64_t issued = v ? ReadU64(*v) : 0;
      const auto& [last, owner] = *taken->rbegin();
      if (last > issued)
        Problem("meta: {} has number {}, but the {} counter has issued only up to {}", owner, last,
                counter, issued);
    }
    // Statistics of a table are erased with it.
    return Walk(txn_.dbis().meta, kStatsPrefix,
                [&](std::string_view key, std::string_view) -> Status {
                  std::string_view number = key.substr(kStatsPrefix.size());
                  if (number.size() != 4) {
                    Problem("meta: malformed statistics key {}", Hex(key));
                    return OkStatus();
                  }
                  auto it = spaces_.find(ReadBigEndian32(number));
                  if (it == spaces_.end() || !it->second.live)
                    Problem("meta: statistics are kept for table number {}, which no table has",
                            ReadBigEndian32(number));
                  return OkStatus();
                });
  }

  // ---- items and index entries ----

  std::string KeyOfEntry(const TableMeta& t, const IndexMeta* index, std::string_view full_key) {
    auto key = engine::KeyFromEntry(t, index, full_key);
    return key ? KeyText(*key) : Hex(full_key);
  }

  Status CheckData() {
    std::map<std::pair<uint32_t, uint8_t>, int64_t> orphans;  // (number, index number) -> entries
    LD_RETURN_IF_ERROR(
        Walk(txn_.dbis().data, "", [&](std::string_view key, std::string_view value) -> Status {
          if (key.size() < storage::kKeyspacePrefixSize) {
            Problem("data: key {} is shorter than a keyspace prefix", Hex(key));
            return OkStatus();
          }
          const uint32_t number = ReadBigEndian32(key);
          const uint8_t index_number = static_cast<uint8_t>(key[4]);
          auto it = spaces_.find(number);
          const IndexMeta* index =
              it == spaces_.end() ? nullptr : IndexNumbered(*it->second.table, index_number);
          if (it == spaces_.end() || (index_number && !index)) {
            ++orphans[{number, index_number}];
            return OkStatus();
          }
          Space& space = it->second;
          storage::EntryView entry;
          if (!storage::DecodeEntryValue(key, value, &entry) ||
              (storage::IsLongForm(key) && storage::StoredKey(entry.full_key) != key)) {
            Tally& tally = space.found[index_number];
            ++tally.count;
            tally.sized = false;
            Problem("{}: the entry under {} is malformed", space.name, Hex(key));
            return OkStatus();
          }
          return index ? CheckIndexEntry(space, *index, entry) : CheckItem(space, entry);
        }));
    for (const auto& [where, count] : orphans)
      Problem("data: {} under number {}, index number {}, which no table, index or backup has",
              Count(count, "entry", "entries"), where.first, where.second);
    return OkStatus();
  }

  Status CheckItem(Space& space, const storage::EntryView& entry) {
    const TableMeta& t = *space.table;
    Tally& tally = space.found[0];
    ++tally.count;
    Item item;
    if (!storage::DecodeItem(entry.payload, &item)) {
      tally.sized = false;
      Problem("{}: item {} does not decode", space.name, KeyOfEntry(t, nullptr, entry.full_key));
      return OkStatus();
    }
    tally.bytes += static_cast<int64_t>(ItemSize(item));
    if (std::string why = TableKeyProblem(t, item); !why.empty()) {
      Problem("{}: item {} {}", space.name, KeyOfEntry(t, nullptr, entry.full_key), why);
      return OkStatus();
    }
    const std::string key = KeyText(engine::ExtractKey(t, nullptr, item));
    if (engine::TableKey(t, item) != entry.full_key)
      Problem("{}: item {} is stored under another key, {}", space.name, key,
              KeyOfEntry(t, nullptr, entry.full_key));
    // Missing entries here; an entry that disagrees with its item, from the entry's side.
    for (const IndexMeta& index : t.indexes) {
      if (!Indexed(index, item)) continue;
      LD_ASSIGN_OR_RETURN(auto stored, storage::GetEntry(txn_, txn_.dbis().data,
                                                         *engine::IndexKey(t, index, item)));
      if (!stored) Problem("{} index {}: no entry for item {}", space.name, index.name, key);
    }
    return OkStatus();
  }

  Status CheckIndexEntry(Space& space, const IndexMeta& index, const storage::EntryView& entry) {
    const TableMeta& t = *space.table;
    const std::string where = fmt::format("{} index {}", space.name, index.name);
    Tally& tally = space.found[index.number];
    ++tally.count;
    Item projected;
    const bool decoded = storage::DecodeItem(entry.payload, &projected);
    if (decoded)
      tally.bytes += static_cast<int64_t>(ItemSize(projected));
    else
      tally.sized = false;
    auto key = engine::KeyFromEntry(t, &index, entry.full_key);
    if (!key) {
      Problem("{}: entry {} has a malformed key", where, Hex(entry.full_key));
      return OkStatus();
    }
    if (!decoded) {
      Problem("{}: entry {} does not decode", where, KeyText(*key));
      return OkStatus();
    }
    LD_ASSIGN_OR_RETURN(auto base,
                        storage::GetEntry(txn_, txn_.dbis().data, engine::TableKey(t, *key)));
    if (!base) {
      Problem("{}: stale entry {}: no item has its table key", where, KeyText(*key));
      return OkStatus();
    }
    Item item;
    if (!storage::DecodeItem(*base, &item)) return OkStatus();  // reported with the item
    if (!Indexed(index, item)) {
      Problem("{}: stale entry {}: its item has no index key", where, KeyText(*key));
    } else if (engine::IndexKey(t, index, item) != entry.full_key) {
      Problem("{}: stale entry {}: its item's index key is {}", where, KeyText(*key),
              KeyText(engine::ExtractKey(t, &index, item)));
    } else if (projected != engine::ProjectForIndex(t, index, item)) {
      Problem("{}: entry {} differs from its item's projection", where, KeyText(*key));
    }
    return OkStatus();
  }

  Status CheckStats() {
    for (auto& [number, space] : spaces_) {
      for (const auto& [index, stats] : space.stats) {
        const IndexMeta* i = index ? IndexNumbered(*space.table, index) : nullptr;
        const std::string where = i ? fmt::format("{} index {}", space.name, i->name) : space.name;
        const Tally& found = space.found[index];
        const char* what = i ? "entries" : "items";
        if (stats.item_count != found.count)
          Problem("{}: ItemCount is {}, {} stored", where, stats.item_count,
                  Count(found.count, i ? "entry is" : "item is", i ? "entries are" : "items are"));
        if (found.sized && stats.size_bytes != found.bytes)
          Problem("{}: {} is {}, the stored {} add up to {}", where,
                  i ? "IndexSizeBytes" : "TableSizeBytes", stats.size_bytes, what, found.bytes);
      }
      int64_t entries = 0;
      for (const IndexMeta& i : space.table->indexes) entries += space.found[i.number].count;
      if (space.live) {
        report_.items += space.found[0].count;
        report_.index_entries += entries;
      } else {
        report_.backup_items += space.found[0].count;
      }
    }
    return OkStatus();
  }

  // ---- streams and recovery logs ----

  Status CheckStreams() {
    std::optional<uint32_t> current;
    std::map<uint32_t, int64_t> orphans;  // stream number -> records
    LD_RETURN_IF_ERROR(
        Walk(txn_.dbis().stream, "", [&](std::string_view key, std::string_view value) -> Status {
          if (key.size() != 12) {
            Problem("streams: key {} is not a stream number and a sequence", Hex(key));
            return OkStatus();
          }
          const uint32_t number = ReadBigEndian32(key);
          const uint64_t sequence = engine::StreamKeySequence(key);
          if (number != current) {
            LD_RETURN_IF_ERROR(EndKeyspace());
            current = number;
            LD_RETURN_IF_ERROR(BeginKeyspace(number));
          }
          if (!owner_) {
            ++orphans[number];
            return OkStatus();
          }
          if (last_sequence_ && sequence <= *last_sequence_)
            Problem("{}: record {} comes after record {}", owner_name_, sequence, *last_sequence_);
          last_sequence_ = sequence;
          if (sequence <= trimmed_)
            Problem("{}: record {} is at or before the last trimmed, {}", owner_name_, sequence,
                    trimmed_);
          if (sequence > issued_)
            Problem("{}: record {} is numbered after the table's last issued sequence, {}",
                    owner_name_, sequence, issued_);
          if (owner_->stream) {
            ++report_.stream_records;
            auto [it, fresh] = stream_sequences_[owner_->table->number].try_emplace(
                sequence, owner_->stream->label);
            if (!fresh)
              Problem("{}: record {} is also in the table's stream {}", owner_name_, sequence,
                      it->second);
            return CheckStreamRecord(sequence, value);
          }
          ++report_.recovery_records;
          CheckRecoveryRecord(sequence, value);
          return OkStatus();
        }));
    LD_RETURN_IF_ERROR(EndKeyspace());
    for (const auto& [number, count] : orphans)
      Problem("streams: {} under stream number {}, which no table (in the catalog or deleted) has",
              Count(count, "record", "records"), number);
    return OkStatus();
  }

  Status BeginKeyspace(uint32_t number) {
    auto it = stream_owners_.find(number);
    owner_ = it == stream_owners_.end() ? nullptr : &it->second;
    last_sequence_.reset();
    last_records_.clear();
    trimmed_ = 0;
    if (!owner_) return OkStatus();
    const TableMeta& t = *owner_->table;
    owner_name_ = owner_->stream
                      ? fmt::format("{}table {} stream {}", owner_->live ? "" : "deleted ", t.name,
                                    owner_->stream->label)
                      : fmt::format("table {} recovery log", t.name);
    // A deleted table's sequence continues in the store-wide floor, which LastStreamSequence
    // reads once the table's statistics are gone.
    LD_ASSIGN_OR_RETURN(issued_, engine::LastStreamSequence(txn_, t.number));
    if (owner_->stream) {
      LD_ASSIGN_OR_RETURN(auto trimmed, txn_.Get(txn_.dbis().meta, engine::TrimmedKey(number)));
      if (trimmed) trimmed_ = ReadU64(*trimmed);
    }
    return OkStatus();
  }

  // The current stream's last record of each item says what the table holds.
  Status EndKeyspace() {
    if (!owner_ || !owner_->stream || !owner_->live ||
        owner_->table->CurrentStream() != owner_->stream)
      return OkStatus();
    for (const auto& [table_key, last] : last_records_) {
      LD_ASSIGN_OR_RETURN(auto stored, storage::GetEntry(txn_, txn_.dbis().data, table_key));
      const std::string key = KeyOfEntry(*owner_->table, nullptr, table_key);
      if (last.event == "REMOVE") {
        if (stored)
          Problem("{}: its last record of item {}, {}, is a REMOVE, but the table has the item",
                  owner_name_, key, last.sequence);
      } else if (!stored) {
        Problem("{}: its last record of item {}, {}, is {}, but the table hasn't the item",
                owner_name_, key, last.sequence, AnEvent(last.event));
      } else if (Item item;
                 last.new_image && storage::DecodeItem(*stored, &item) && item != *last.new_image) {
        Problem("{}: the table's item {} is not the new image of its last record, {}", owner_name_,
                key, last.sequence);
      }
    }
    return OkStatus();
  }

  Status CheckStreamRecord(uint64_t sequence, std::string_view value) {
    const TableMeta& t = *owner_->table;
    const StreamMeta& s = *owner_->stream;
    StreamRecord r;
    if (!engine::DecodeStreamRecord(sequence, value, engine::RecordSource{t, s, db_.options.region},
                                    &r)) {
      Problem("{}: record {} does not decode", owner_name_, sequence);
      return OkStatus();
    }
    const std::string& event = r.event_name;
    if (event != "INSERT" && event != "MODIFY" && event != "REMOVE") {
      Problem("{}: record {} has event {}", owner_name_, sequence, event);
      return OkStatus();
    }
    if (r.stream_view_type != s.view_type)
      Problem("{}: record {} has view type {}, the stream's is {}", owner_name_, sequence,
              ToString(r.stream_view_type), ToString(s.view_type));
    const bool news =
        s.view_type == StreamViewType::kNewImage || s.view_type == StreamViewType::kNewAndOldImages;
    const bool olds =
        s.view_type == StreamViewType::kOldImage || s.view_type == StreamViewType::kNewAndOldImages;
    if (r.new_image.has_value() != (news && event != "REMOVE") ||
        r.old_image.has_value() != (olds && event != "INSERT"))
      Problem("{}: record {}, {}, has {} new image and {} old image", owner_name_, sequence,
              AnEvent(event), r.new_image ? "a" : "no", r.old_image ? "an" : "no");
    if (std::string why = TableKeyProblem(t, r.keys);
        !why.empty() || r.keys.size() != (t.key.range ? 2u : 1u)) {
      Problem("{}: record {}'s keys {} are not a key of the table", owner_name_, sequence,
              KeyText(r.keys));
      return OkStatus();
    }
    for (const auto* image : {&r.new_image, &r.old_image})
      if (*image && engine::ExtractKey(t, nullptr, **image) != r.keys)
        Problem("{}: record {} has an image of another item than {}", owner_name_, sequence,
                KeyText(r.keys));

    // The item's previous record in this stream: INSERT only after REMOVE (or first), and its
    // new image is this one's old image.
    const std::string table_key = engine::TableKey(t, r.keys);
    auto [it, first] = last_records_.try_emplace(table_key);
    LastRecord& last = it->second;
    if (!first) {
      if ((event == "INSERT") != (last.event == "REMOVE"))
        Problem("{}: record {}, {} of item {}, follows record {}, {}", owner_name_, sequence,
                AnEvent(event), KeyText(r.keys), last.sequence, AnEvent(last.event));
      else if (last.new_image && r.old_image && *last.new_image != *r.old_image)
        Problem("{}: record {}'s old image of item {} is not record {}'s new image", owner_name_,
                sequence, KeyText(r.keys), last.sequence);
    }
    last = LastRecord{sequence, event, r.new_image};

    // The same write's record in the recovery log.
    if (!owner_->live || !t.recovery_log) return OkStatus();
    LD_ASSIGN_OR_RETURN(auto logged,
                        txn_.Get(txn_.dbis().stream, engine::StreamKey(t.recovery_log, sequence)));
    engine::RecoveryRecord rr;
    if (!logged || !engine::DecodeRecoveryRecord(*logged, &rr) ||
        !TableKeyProblem(t, rr.item).empty())
      return OkStatus();
    if (engine::ExtractKey(t, nullptr, rr.item) != r.keys)
      Problem("{}: record {} is of item {}, the recovery log's record {} of item {}", owner_name_,
              sequence, KeyText(r.keys), sequence,
              KeyText(engine::ExtractKey(t, nullptr, rr.item)));
    else if (rr.had_item != (event != "INSERT"))
      Problem("{}: record {} is {}, but the recovery log's record {} says the item {}", owner_name_,
              sequence, AnEvent(event), sequence,
              rr.had_item ? "was there before" : "wasn't there before");
    else if (r.old_image && *r.old_image != rr.item)
      Problem("{}: record {}'s old image is not the recovery log's record {}", owner_name_,
              sequence, sequence);
    return OkStatus();
  }

  void CheckRecoveryRecord(uint64_t sequence, std::string_view value) {
    const TableMeta& t = *owner_->table;
    engine::RecoveryRecord rr;
    if (!engine::DecodeRecoveryRecord(value, &rr)) {
      Problem("{}: record {} does not decode", owner_name_, sequence);
      return;
    }
    if (std::string why = TableKeyProblem(t, rr.item); !why.empty())
      Problem("{}: record {}'s item {} {}", owner_name_, sequence, KeyText(rr.item), why);
    else if (!rr.had_item && rr.item.size() != (t.key.range ? 2u : 1u))
      Problem("{}: record {} says there was no item, yet holds more than a key", owner_name_,
              sequence);
  }

  Database::Impl& db_;
  const storage::Txn& txn_;
  CheckReport& report_;
  int64_t unlisted_ = 0;

  std::deque<TableMeta>
      owned_;  // the catalog's tables, deleted tables', backups' (stable addresses)
  std::map<uint32_t, std::string> table_numbers_, stream_numbers_;  // number -> what has it
  std::map<uint32_t, Space> spaces_;
  std::map<uint32_t, StreamOwner> stream_owners_;
  std::map<uint32_t, std::unordered_map<uint64_t, std::string>>
      stream_sequences_;  // table -> sequence -> stream

  // The stream DBI keyspace being read.
  const StreamOwner* owner_ = nullptr;
  std::string owner_name_;
  std::optional<uint64_t> last_sequence_;
  uint64_t trimmed_ = 0, issued_ = 0;
  std::map<std::string, LastRecord> last_records_;  // by table key
};

}  // namespace

Result<CheckReport> CheckDatabase(const std::string& directory) {
  // Opening would create a database where there is none.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::path(directory) / "data.mdb", ec))
    return InternalError(fmt::format("no database in {} (no data.mdb)", directory));
  Database::Impl db;
  db.directory = directory;
  LD_ASSIGN_OR_RETURN(db.env, storage::Env::Open(directory, storage::EnvOptions{}));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto format, txn.Get(txn.dbis().meta, "format"));
  int version = 0;
  if (format) std::from_chars(format->data(), format->data() + format->size(), version);
  if (version > kNewestStoreFormat)
    return InternalError(
        fmt::format("the database in {} was written by a newer localdynamo (store format {})",
                    directory, version));
  CheckReport report;
  Checker checker(db, txn, report);
  LD_RETURN_IF_ERROR(checker.Run());
  return report;
}

}  // namespace localdynamo
