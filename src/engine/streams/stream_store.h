#pragma once
// Stream records in the `stream` DBI:
//   key   := u32 stream number (big-endian) | u64 sequence (big-endian)
//   value := on-disk record (stream_store.cc; two formats, both read)
// Sequence numbers come from one counter per table (Database::Impl::LastStreamSequence), so
// they increase strictly in commit order across the table's streams.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "localdynamo/stream.h"
#include "engine/table_meta.h"
#include "storage/lmdb.h"

namespace localdynamo::engine {

std::string StreamKey(uint32_t stream_number, uint64_t sequence);
// The part of StreamKey every record of the stream shares.
std::string StreamPrefix(uint32_t stream_number);
// Meta key holding the last sequence trimmed from a stream (u64, native order).
std::string TrimmedKey(uint32_t stream_number);
// The record's own fields, with its items already encoded (storage/item_codec): the write
// path passes the bytes it stored, so nothing is encoded twice. `keys` is stored only when
// neither image is (an image holds the keys).
struct RecordBytes {
  std::optional<std::string_view> new_image, old_image, keys;
};
enum class StreamEvent : uint8_t { kInsert = 1, kModify = 2, kRemove = 3 };
// "INSERT", "MODIFY", "REMOVE".
std::string_view StreamEventName(StreamEvent event);
// The rest of what a record stores: the write path has these at hand, and building a whole
// StreamRecord for them would cost every write (only synchronous subscribers need one).
struct RecordHeader {
  StreamEvent event;
  int64_t millis;  // ApproximateCreationDateTime
  int64_t size_bytes;
  StreamViewType view_type;
  bool by_time_to_live = false;  // a deletion by time to live (userIdentity: the service)
};
// The userIdentity of time to live's deletions.
StreamIdentity TimeToLiveIdentity();
// Replaces `*out` with the encoded record (a buffer the caller reuses: this runs on every write).
void EncodeStreamRecord(const RecordHeader& header, const RecordBytes& bytes, std::string* out);

// What a record doesn't repeat, because its key, stream and table already say it.
struct RecordSource {
  const TableMeta& table;
  const StreamMeta& stream;
  std::string_view region;
};
// A record as stored, numbered `sequence`.
bool DecodeStreamRecord(uint64_t sequence, std::string_view record, const RecordSource& source,
                        StreamRecord* out);
// ApproximateCreationDateTime in milliseconds, read from the record's header only (trimming).
std::optional<int64_t> StreamRecordMillis(std::string_view value);
uint64_t StreamKeySequence(std::string_view key);
// A record's eventID.
std::string EventId(std::string_view stream_arn, uint64_t sequence);

// Calls visit(sequence, record) for the records of stream `stream_number` from sequence
// `from` on, in order, until visit returns false; returns whether it did (so a record was
// left unread).
using StreamVisitor = std::function<bool(uint64_t sequence, std::string_view record)>;
Result<bool> ReadStream(const storage::Txn& txn, uint32_t stream_number, uint64_t from,
                        const StreamVisitor& visit);
// The first and last sequence stored for a stream.
struct SequenceRange {
  std::optional<uint64_t> first, last;
};
Result<SequenceRange> StreamSequenceRange(const storage::Txn& txn, uint32_t stream_number);

// DynamoDB keeps a stream's records for 24 hours. Writes trim every kTrimEvery-th sequence
// number, removing at most kTrimAtMost expired records, oldest first; the last sequence
// removed is kept under TrimmedKey.
inline constexpr int64_t kRetentionMillis = 24 * 3600 * 1000;
inline constexpr uint64_t kTrimEvery = 256;
inline constexpr uint64_t kTrimAtMost = 4 * kTrimEvery;
Status TrimStream(storage::WriteTxn& txn, uint32_t stream_number, int64_t now_millis);

// "000000000000000000042" -> 42; the SequenceNumber text of a sequence.
std::string SequenceText(uint64_t sequence);
std::optional<uint64_t> ParseSequence(std::string_view text);

}  // namespace localdynamo::engine
