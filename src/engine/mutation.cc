#include "engine/mutation.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "engine/keys.h"
#include "engine/backup/recovery_log.h"
#include "engine/streams/stream_store.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo::engine {

Result<std::optional<Item>> Mutation::Read(const TableMeta& table, const Item& key_or_item) {
  LD_ASSIGN_OR_RETURN(auto payload,
                      storage::GetEntry(txn_, txn_.dbis().data, TableKey(table, key_or_item)));
  if (!payload) return std::optional<Item>();
  Item item;
  if (!storage::DecodeItem(*payload, &item)) return InternalError("corrupt item");
  return std::optional<Item>(std::move(item));
}

Status Mutation::Apply(const TableMeta& table, const Item* old_item, const Item* new_item,
                       CapacityTally* tally) {
  const MDB_dbi data = txn_.dbis().data;
  const std::size_t old_size = old_item ? ItemSize(*old_item) : 0;
  const std::size_t new_size = new_item ? ItemSize(*new_item) : 0;
  if (tally) tally->table += WriteUnits(std::max(old_size, new_size));

  std::string encoded_new;  // reused by ALL-projection index entries
  if (new_item) {
    encoded_new = storage::EncodeItem(*new_item);
    LD_RETURN_IF_ERROR(storage::PutEntry(txn_, data, TableKey(table, *new_item), encoded_new));
  } else if (old_item) {
    LD_ASSIGN_OR_RETURN(bool existed, storage::DeleteEntry(txn_, data, TableKey(table, *old_item)));
    (void)existed;
  }
  engine::StatsDeltas deltas;
  deltas.reserve(1 + table.indexes.size());
  deltas.emplace_back(0,
                      TableStats{(new_item ? 1 : 0) - (old_item ? 1 : 0),
                                 static_cast<int64_t>(new_size) - static_cast<int64_t>(old_size)});

  for (const IndexMeta& index : table.indexes) {
    std::optional<std::string> old_key =
        old_item ? IndexKey(table, index, *old_item) : std::nullopt;
    std::optional<std::string> new_key =
        new_item ? IndexKey(table, index, *new_item) : std::nullopt;
    if (!old_key && !new_key) continue;
    // An ALL projection is the item itself: no copy, no second encoding.
    const bool all =
        index.projection.projection_type.value_or(ProjectionType::kAll) == ProjectionType::kAll;
    std::optional<Item> old_store, new_store;
    const Item* old_proj = nullptr;
    const Item* new_proj = nullptr;
    if (old_key)
      old_proj = all ? old_item : &old_store.emplace(ProjectForIndex(table, index, *old_item));
    if (new_key)
      new_proj = all ? new_item : &new_store.emplace(ProjectForIndex(table, index, *new_item));
    const std::size_t old_psize = old_proj ? (all ? old_size : ItemSize(*old_proj)) : 0;
    const std::size_t new_psize = new_proj ? (all ? new_size : ItemSize(*new_proj)) : 0;
    if (old_key && new_key && *old_key == *new_key && *old_proj == *new_proj) continue;
    double units = 0;
    if (old_key && (!new_key || *old_key != *new_key)) {
      LD_ASSIGN_OR_RETURN(bool existed, storage::DeleteEntry(txn_, data, *old_key));
      (void)existed;
      units += WriteUnits(old_psize);
    }
    if (new_key) {
      LD_RETURN_IF_ERROR(storage::PutEntry(txn_, data, *new_key,
                                           all ? encoded_new : storage::EncodeItem(*new_proj)));
      // An in-place update of an entry costs one write of the larger image.
      units +=
          WriteUnits(old_key && *old_key == *new_key ? std::max(old_psize, new_psize) : new_psize);
    }
    deltas.emplace_back(index.number, TableStats{(new_key ? 1 : 0) - (old_key ? 1 : 0),
                                                 static_cast<int64_t>(new_psize) -
                                                     static_cast<int64_t>(old_psize)});
    if (tally) (index.global ? tally->gsi : tally->lsi)[index.name] += units;
  }
  // DynamoDB writes no stream record for a write that changes nothing: a delete of a missing
  // item, or a put/update leaving the item as it was. Point-in-time recovery's log skips them
  // too (there is nothing to undo).
  const StreamMeta* stream = table.CurrentStream();
  // (The items are compared only when a record would be written: the comparison is the cost.)
  if ((stream || table.recovery_log) && (old_item || new_item) &&
      !(old_item && new_item && *old_item == *new_item)) {
    uint64_t seq = 0;
    LD_RETURN_IF_ERROR(engine::AddStats(txn_, table.number, deltas, &seq));
    if (table.recovery_log)
      LD_RETURN_IF_ERROR(AppendRecoveryRecord(db_, txn_, table, seq, old_item, new_item));
    if (stream)
      return AppendStreamRecord(table, *stream, seq, old_item, new_item,
                                Written{old_size, new_size, encoded_new});
    return OkStatus();
  }
  return engine::AddStats(txn_, table.number, deltas);
}

Status Mutation::AppendStreamRecord(const TableMeta& table, const StreamMeta& stream, uint64_t seq,
                                    const Item* old_item, const Item* new_item,
                                    const Written& written) {
  const StreamEvent event =
      !old_item ? StreamEvent::kInsert : (!new_item ? StreamEvent::kRemove : StreamEvent::kModify);
  const int64_t millis = db_.options.clock->NowMillis() / 1000 * 1000;  // DynamoDB: whole seconds
  const Item& any = new_item ? *new_item : *old_item;
  const StreamViewType view = stream.view_type;
  const bool has_new =
      new_item && (view == StreamViewType::kNewImage || view == StreamViewType::kNewAndOldImages);
  const bool has_old =
      old_item && (view == StreamViewType::kOldImage || view == StreamViewType::kNewAndOldImages);
  std::size_t key_size = 0;
  for (const auto* attr : {&table.key.hash, table.key.range ? &*table.key.range : nullptr})
    if (attr) key_size += attr->name.size() + ValueSize(any.at(attr->name));
  const auto size_bytes = static_cast<int64_t>(key_size + (has_new ? written.new_size : 0) +
                                               (has_old ? written.old_size : 0));

  RecordBytes bytes;
  std::string encoded_old, encoded_keys;
  if (has_new) bytes.new_image = written.encoded_new;
  if (has_old) bytes.old_image = encoded_old = storage::EncodeItem(*old_item);
  if (!has_new && !has_old)
    bytes.keys = encoded_keys = storage::EncodeItem(ExtractKey(table, nullptr, any));
  thread_local std::string encoded;  // reused: no allocation per record
  EncodeStreamRecord({event, millis, size_bytes, view, by_time_to_live_}, bytes, &encoded);
  LD_RETURN_IF_ERROR(txn_.Append(txn_.dbis().stream, StreamKey(stream.number, seq), encoded));
  // Now and then, trim what is older than DynamoDB's 24-hour retention.
  if (seq % kTrimEvery == 0) LD_RETURN_IF_ERROR(TrimStream(txn_, stream.number, millis));
  // Only synchronous subscribers need the record in memory: it is made for them.
  if (!db_.streams.HasSynchronousListener(table.name)) return OkStatus();
  StreamRecord r;
  r.event_name = StreamEventName(event);
  r.approximate_creation_date_time = static_cast<double>(millis / 1000);
  r.stream_view_type = view;
  r.size_bytes = size_bytes;
  r.event_id = EventId(stream.arn, seq);
  r.sequence_number = SequenceText(seq);
  r.aws_region = db_.options.region;
  r.table_name = table.name;
  r.stream_arn = stream.arn;
  r.keys = ExtractKey(table, nullptr, any);
  if (by_time_to_live_) r.user_identity = TimeToLiveIdentity();
  if (has_new) r.new_image = *new_item;
  if (has_old) r.old_image = *old_item;
  records_.push_back(std::move(r));
  return OkStatus();
}

}  // namespace localdynamo::engine
