// The table catalog: table metadata in the catalog DBI, cached per Database handle and
// reloaded when the stored catalog version changes; counters and table statistics in `meta`.

#include <cstring>

#include <fmt/format.h>

#include "engine/arn.h"
#include "engine/catalog.h"
#include "engine/errors.h"
#include "engine/backup/recovery_log.h"
#include "storage/layout.h"

namespace localdynamo::engine {

using storage::Txn;
using storage::WriteTxn;

namespace {

constexpr std::string_view kCatalogVersionKey = "catalog_version";
constexpr std::string_view kFormatKey = "format";  // the store format (database.cc)

uint64_t ReadU64(std::string_view v, std::size_t offset = 0) {
  uint64_t x = 0;
  if (v.size() >= offset + 8) std::memcpy(&x, v.data() + offset, 8);
  return x;
}

std::string U64Bytes(uint64_t x) { return std::string(reinterpret_cast<const char*>(&x), 8); }

// One key per table: "stats/" + u32 table number ->
//   u64 last stream sequence, { u8 index number, i64 items, i64 bytes }*
// (index number 0 is the table), so a write updates its table's statistics and, with a
// stream, takes its record's sequence number in one put. Values from store format 2 lack the
// sequence (their length is a multiple of 17, a format-3 value's is not); their table's
// sequence continues from the store-wide floor below.
std::string StatsKey(uint32_t table_number) {
  return "stats/" + storage::TableKeyspace(table_number);
}

constexpr std::size_t kStatsEntry = 17;
constexpr std::size_t kSequenceHeader = 8;

// Where a stats value's entries begin.
std::size_t EntriesOffset(std::string_view v) {
  return v.size() % kStatsEntry == kSequenceHeader ? kSequenceHeader : 0;
}

// Sequence numbers issued by deleted tables (and, in format-2 stores, by every table): a new
// table's records start above them, so a consumer's checkpoint for a table name that is
// dropped and created again never skips the new table's records.
constexpr std::string_view kSequenceFloorKey = "counter/stream_sequence";

std::map<uint8_t, TableStats> ParseStats(std::optional<std::string_view> v) {
  std::map<uint8_t, TableStats> out;
  if (!v) return out;
  for (std::size_t i = EntriesOffset(*v); i + kStatsEntry <= v->size(); i += kStatsEntry) {
    uint8_t index = static_cast<uint8_t>((*v)[i]);
    out[index] = TableStats{static_cast<int64_t>(ReadU64(*v, i + 1)),
                            static_cast<int64_t>(ReadU64(*v, i + 9))};
  }
  return out;
}

std::string EncodeStats(uint64_t sequence, const std::map<uint8_t, TableStats>& all) {
  std::string out = U64Bytes(sequence);
  for (const auto& [index, st] : all) {
    out.push_back(static_cast<char>(index));
    out += U64Bytes(static_cast<uint64_t>(st.item_count));
    out += U64Bytes(static_cast<uint64_t>(st.size_bytes));
  }
  return out;
}

}  // namespace

Status Catalog::RefreshLocked(const Txn& txn) {
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, kCatalogVersionKey));
  return ReloadLocked(txn, v ? ReadU64(*v) : 0);
}

Status Catalog::ReloadLocked(const Txn& txn, uint64_t version) {
  if (version == version_) return OkStatus();
  snapshot_ = 0;
  std::map<std::string, TablePtr, std::less<>> fresh;
  LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().catalog));
  LD_ASSIGN_OR_RETURN(auto e, cursor.First());
  while (e) {
    auto meta = ParseTableMeta(e->value);
    if (!meta) return InternalError(fmt::format("corrupt catalog entry for {}", e->key));
    std::string name = meta->name;  // copied before *meta is moved from
    fresh.emplace(std::move(name), std::make_shared<const TableMeta>(std::move(*meta)));
    LD_ASSIGN_OR_RETURN(e, cursor.Next());
  }
  tables_ = std::move(fresh);
  version_ = version;
  return OkStatus();
}

Result<TablePtr> Catalog::Find(const Txn& txn, std::string_view name) {
  if (IsArn(name)) {
    LD_ASSIGN_OR_RETURN(name, TableNameFromArn(name, options_));
  }
  // Every read request looks its table up: from a snapshot already seen (no write committed
  // since), the catalog is the one cached then.
  const uint64_t snapshot = txn.snapshot_id();
  std::lock_guard lock(mu_);
  if (snapshot == 0 || snapshot != snapshot_) {
    LD_RETURN_IF_ERROR(RefreshLocked(txn));
    snapshot_ = snapshot;
  }
  auto it = tables_.find(name);
  return it == tables_.end() ? TablePtr() : it->second;
}

Result<TablePtr> Catalog::Require(const Txn& txn, std::string_view name) {
  LD_ASSIGN_OR_RETURN(auto t, Find(txn, name));
  if (!t) return errors::TableNotFound();
  return t;
}

Result<std::vector<TablePtr>> Catalog::All(const Txn& txn) {
  std::lock_guard lock(mu_);
  LD_RETURN_IF_ERROR(RefreshLocked(txn));
  std::vector<TablePtr> out;
  out.reserve(tables_.size());
  for (const auto& [_, t] : tables_) out.push_back(t);
  return out;
}

Status Catalog::Save(WriteTxn& txn, const TableMeta& table) {
  LD_RETURN_IF_ERROR(txn.Put(txn.dbis().catalog, table.name, SerializeTableMeta(table)));
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, kCatalogVersionKey));
  return txn.Put(txn.dbis().meta, kCatalogVersionKey, U64Bytes((v ? ReadU64(*v) : 0) + 1));
}

Status Catalog::Erase(WriteTxn& txn, const TableMeta& table, bool keep_entries) {
  LD_ASSIGN_OR_RETURN(bool existed, txn.Del(txn.dbis().catalog, table.name));
  (void)existed;
  // Every entry of the table and its indexes lives under its table number.
  if (!keep_entries)
    LD_RETURN_IF_ERROR(
        storage::DeleteKeyspace(txn, txn.dbis().data, storage::TableKeyspace(table.number)));
  if (table.recovery_log) LD_RETURN_IF_ERROR(DropRecoveryLog(txn, table.recovery_log));
  LD_ASSIGN_OR_RETURN(uint64_t last, LastStreamSequence(txn, table.number));
  LD_ASSIGN_OR_RETURN(auto floor, txn.Get(txn.dbis().meta, kSequenceFloorKey));
  if (!floor || ReadU64(*floor) < last)
    LD_RETURN_IF_ERROR(txn.Put(txn.dbis().meta, kSequenceFloorKey, U64Bytes(last)));
  (void)txn.Del(txn.dbis().meta, StatsKey(table.number));
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, kCatalogVersionKey));
  return txn.Put(txn.dbis().meta, kCatalogVersionKey, U64Bytes((v ? ReadU64(*v) : 0) + 1));
}

Status Catalog::EraseAll(WriteTxn& txn) {
  const auto& dbis = txn.dbis();
  LD_ASSIGN_OR_RETURN(const uint64_t version, StoredVersion(txn));
  LD_ASSIGN_OR_RETURN(auto format, txn.Get(dbis.meta, kFormatKey));
  const std::string kept_format = format ? std::string(*format) : std::string();
  for (MDB_dbi dbi : {dbis.catalog, dbis.data, dbis.stream, dbis.meta})
    LD_RETURN_IF_ERROR(txn.Clear(dbi));
  if (!kept_format.empty()) LD_RETURN_IF_ERROR(txn.Put(dbis.meta, kFormatKey, kept_format));
  return StoreVersion(txn, version + 1);
}

Result<uint64_t> Catalog::StoredVersion(const Txn& txn) {
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, kCatalogVersionKey));
  return v ? ReadU64(*v) : 0;
}

Status Catalog::StoreVersion(WriteTxn& txn, uint64_t version) {
  return txn.Put(txn.dbis().meta, kCatalogVersionKey, U64Bytes(version));
}

Result<uint64_t> NextCounter(WriteTxn& txn, std::string_view name) {
  std::string key = "counter/" + std::string(name);
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, key));
  uint64_t next = (v ? ReadU64(*v) : 0) + 1;
  LD_RETURN_IF_ERROR(txn.Put(txn.dbis().meta, key, U64Bytes(next)));
  return next;
}

Result<TableStats> ReadStats(const Txn& txn, uint32_t table_number, uint8_t index_number) {
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, StatsKey(table_number)));
  auto all = ParseStats(v);
  auto it = all.find(index_number);
  return it == all.end() ? TableStats{} : it->second;
}

Status AddStats(WriteTxn& txn, uint32_t table_number, uint8_t index_number, int64_t count_delta,
                int64_t bytes_delta) {
  return AddStats(txn, table_number,
                  StatsDeltas{{index_number, TableStats{count_delta, bytes_delta}}});
}

Status AddStats(WriteTxn& txn, uint32_t table_number, const StatsDeltas& deltas,
                uint64_t* next_sequence) {
  if (deltas.empty() && !next_sequence) return OkStatus();
  const std::string key = StatsKey(table_number);
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, key));
  // Updated in place in the stored form (a few 17-byte entries): this runs on every write.
  std::string bytes;
  if (v && EntriesOffset(*v) == kSequenceHeader) {
    bytes.assign(*v);
  } else {
    LD_ASSIGN_OR_RETURN(uint64_t last, LastStreamSequence(txn, table_number));
    bytes = U64Bytes(last);
    if (v) bytes.append(*v);
  }
  if (next_sequence) {
    *next_sequence = ReadU64(bytes) + 1;
    std::memcpy(bytes.data(), next_sequence, 8);
  }
  for (const auto& [index, d] : deltas) {
    std::size_t at = kSequenceHeader;
    while (at + kStatsEntry <= bytes.size() && static_cast<uint8_t>(bytes[at]) != index)
      at += kStatsEntry;
    if (at + kStatsEntry > bytes.size()) {
      at = bytes.size();
      bytes.push_back(static_cast<char>(index));
      bytes.append(16, '\0');
    }
    const uint64_t count = ReadU64(bytes, at + 1) + static_cast<uint64_t>(d.item_count);
    const uint64_t size = ReadU64(bytes, at + 9) + static_cast<uint64_t>(d.size_bytes);
    std::memcpy(bytes.data() + at + 1, &count, 8);
    std::memcpy(bytes.data() + at + 9, &size, 8);
  }
  return txn.Put(txn.dbis().meta, key, bytes);
}

Result<uint64_t> LastStreamSequence(const Txn& txn, uint32_t table_number) {
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, StatsKey(table_number)));
  if (v && EntriesOffset(*v) == kSequenceHeader) return ReadU64(*v);
  LD_ASSIGN_OR_RETURN(auto floor, txn.Get(txn.dbis().meta, kSequenceFloorKey));
  return floor ? ReadU64(*floor) : 0;
}

Status DropStats(WriteTxn& txn, uint32_t table_number, uint8_t index_number) {
  LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, StatsKey(table_number)));
  auto all = ParseStats(v);
  if (!all.erase(index_number)) return OkStatus();
  LD_ASSIGN_OR_RETURN(uint64_t last, LastStreamSequence(txn, table_number));
  return txn.Put(txn.dbis().meta, StatsKey(table_number), EncodeStats(last, all));
}

Result<TableDescription> DescribeTable(const Txn& txn, const TableMeta& t) {
  TableDescription d;
  d.table_name = t.name;
  d.table_id = t.id;
  d.table_arn = t.arn;
  d.table_status = TableStatus::kActive;
  d.creation_date_time = t.creation_time;
  d.attribute_definitions = t.attribute_definitions;
  d.key_schema = t.key_schema;
  d.provisioned_throughput.read_capacity_units = t.throughput.read_capacity_units;
  d.provisioned_throughput.write_capacity_units = t.throughput.write_capacity_units;
  if (t.billing_mode == BillingMode::kPayPerRequest)
    d.billing_mode_summary =
        BillingModeSummary{BillingMode::kPayPerRequest, t.last_pay_per_request_time};
  LD_ASSIGN_OR_RETURN(TableStats stats, ReadStats(txn, t.number, 0));
  d.item_count = stats.item_count;
  d.table_size_bytes = stats.size_bytes;
  for (const auto& i : t.indexes) {
    LD_ASSIGN_OR_RETURN(TableStats is, ReadStats(txn, t.number, i.number));
    if (i.global) {
      GlobalSecondaryIndexDescription g;
      g.index_name = i.name;
      g.key_schema = i.key_schema;
      g.projection = i.projection;
      g.index_status = i.status;
      if (i.backfilling) g.backfilling = true;
      ProvisionedThroughputDescription p;
      if (i.throughput) {
        p.read_capacity_units = i.throughput->read_capacity_units;
        p.write_capacity_units = i.throughput->write_capacity_units;
      }
      g.provisioned_throughput = p;
      g.on_demand_throughput = i.on_demand_throughput;
      g.warm_throughput = WarmThroughputDescription{i.warm.read, i.warm.write, false};
      g.index_size_bytes = is.size_bytes;
      g.item_count = is.item_count;
      g.index_arn = i.arn;
      d.global_secondary_indexes.push_back(std::move(g));
    } else {
      LocalSecondaryIndexDescription l;
      l.index_name = i.name;
      l.key_schema = i.key_schema;
      l.projection = i.projection;
      l.index_size_bytes = is.size_bytes;
      l.item_count = is.item_count;
      l.index_arn = i.arn;
      d.local_secondary_indexes.push_back(std::move(l));
    }
  }
  if (const auto* s = t.CurrentStream()) {
    d.stream_specification = StreamSpecification{true, s->view_type};
  }
  if (!t.streams.empty()) {
    d.latest_stream_label = t.streams.back().label;
    d.latest_stream_arn = t.streams.back().arn;
  }
  d.deletion_protection_enabled = t.deletion_protection;
  if (!t.sse_kms_key_arn.empty())
    d.sse_description = SSEDescription{"ENABLED", "KMS", t.sse_kms_key_arn};
  d.table_class = t.table_class;
  d.on_demand_throughput = t.on_demand_throughput;
  d.warm_throughput = WarmThroughputDescription{t.warm.read, t.warm.write, false};
  return d;
}

}  // namespace localdynamo::engine
