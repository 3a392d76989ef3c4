#include "engine/backup/recovery_log.h"

#include <cstring>

#include "engine/keys.h"
#include "engine/mutation.h"
#include "engine/streams/stream_store.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo::engine {
namespace {

constexpr int64_t kDayMillis = 24 * 3600 * 1000;
constexpr std::size_t kHeader = 9;  // millis, had_item

int64_t RecordMillis(std::string_view value) {
  int64_t millis = 0;
  if (value.size() >= 8) std::memcpy(&millis, value.data(), 8);
  return millis;
}

// Drops records older than the recovery period, oldest first, a bounded number per call (as
// streams are trimmed: see TrimStream).
Status Trim(storage::WriteTxn& txn, const TableMeta& table, int64_t now_millis) {
  const std::string prefix = StreamPrefix(table.recovery_log);
  const int64_t cutoff = now_millis - table.recovery_period_days * kDayMillis;
  LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().stream));
  LD_ASSIGN_OR_RETURN(auto e, cursor.SeekGE(prefix));
  for (uint64_t n = 0;
       n < kTrimAtMost && e && e->key.starts_with(prefix) && RecordMillis(e->value) < cutoff; ++n) {
    LD_RETURN_IF_ERROR(cursor.DeleteCurrent());
    LD_ASSIGN_OR_RETURN(e, cursor.SeekGE(prefix));
  }
  return OkStatus();
}

}  // namespace

Status AppendRecoveryRecord(Database::Impl& db, storage::WriteTxn& txn, const TableMeta& table,
                            uint64_t sequence, const Item* old_item, const Item* new_item) {
  const int64_t now = db.options.clock->NowMillis();
  std::string value(kHeader, '\0');
  std::memcpy(value.data(), &now, 8);
  value[8] = old_item ? 1 : 0;
  value += storage::EncodeItem(old_item ? *old_item : ExtractKey(table, nullptr, *new_item));
  LD_RETURN_IF_ERROR(txn.Append(txn.dbis().stream, StreamKey(table.recovery_log, sequence), value));
  if (sequence % kTrimEvery == 0) LD_RETURN_IF_ERROR(Trim(txn, table, now));
  return OkStatus();
}

bool DecodeRecoveryRecord(std::string_view value, RecoveryRecord* out) {
  if (value.size() < kHeader || static_cast<uint8_t>(value[8]) > 1) return false;
  out->millis = RecordMillis(value);
  out->had_item = value[8] != 0;
  out->item = Item();
  return storage::DecodeItem(value.substr(kHeader), &out->item);
}

Status DropRecoveryLog(storage::WriteTxn& txn, uint32_t log) {
  return storage::DeleteKeyspace(txn, txn.dbis().stream, StreamPrefix(log));
}

Status UndoWritesAfter(Database::Impl& db, storage::WriteTxn& txn, const TableMeta& source,
                       const TableMeta& target, int64_t after_millis) {
  // The records to undo, newest first, read before anything is written.
  std::vector<std::string> undo;
  {
    const std::string prefix = StreamPrefix(source.recovery_log);
    LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().stream));
    LD_ASSIGN_OR_RETURN(auto e, cursor.SeekLE(prefix + std::string(8, '\xff')));
    while (e && e->key.starts_with(prefix) && RecordMillis(e->value) > after_millis) {
      undo.emplace_back(e->value);
      LD_ASSIGN_OR_RETURN(e, cursor.Prev());
    }
  }
  Mutation m(db, txn);
  for (const std::string& record : undo) {
    if (record.size() < kHeader) return InternalError("corrupt recovery record");
    Item before;
    if (!storage::DecodeItem(std::string_view(record).substr(kHeader), &before))
      return InternalError("corrupt recovery record");
    LD_ASSIGN_OR_RETURN(auto now, m.Read(target, before));
    const Item* restored = record[8] ? &before : nullptr;
    if (Mutation::Ptr(now) || restored)
      LD_RETURN_IF_ERROR(m.Apply(target, Mutation::Ptr(now), restored, nullptr));
  }
  return OkStatus();
}

}  // namespace localdynamo::engine
