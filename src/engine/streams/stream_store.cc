#include "engine/streams/stream_store.h"

#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "engine/keys.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo::engine {

std::string StreamKey(uint32_t stream_number, uint64_t sequence) {
  std::string k(12, '\0');
  for (int i = 0; i < 4; ++i) k[i] = static_cast<char>(stream_number >> (24 - 8 * i));
  for (int i = 0; i < 8; ++i) k[4 + i] = static_cast<char>(sequence >> (56 - 8 * i));
  return k;
}

std::string StreamPrefix(uint32_t stream_number) {
  return StreamKey(stream_number, 0).substr(0, 4);
}

std::string TrimmedKey(uint32_t stream_number) { return fmt::format("trimmed/{}", stream_number); }

std::string SequenceText(uint64_t sequence) {
  // DynamoDB's sequence numbers are decimal strings of 21+ digits; a leading 1 keeps ours
  // the same width without leading zeros.
  return fmt::format("1{:020}", sequence);
}

std::optional<uint64_t> ParseSequence(std::string_view text) {
  if (text.size() != 21 || text[0] != '1') return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

// Record format 2:
//   0xF2 | u8 event (1 INSERT, 2 MODIFY, 3 REMOVE) | varint millis | varint SizeBytes
//   | u8 view type | u8 flags (1 new image, 2 old image, 4 keys, 8 deleted by time to live)
//   | { varint length, item }*
// The sequence is in the key; the eventID derives from the stream ARN and the sequence; the
// region, table and ARN come from the database. The record is about the size of its images,
// which is most of what the stream costs a write.
// Format 1 (earlier releases, still read) starts with the eventID's length, 0x20:
//   eventID eventName region varint(millis) sequence varint(SizeBytes) u8 view u8 flags
//   keys [new] [old] table arn, strings and items as varint length + bytes.
namespace {

constexpr char kFormat2 = static_cast<char>(0xF2);

using storage::ReadLengthPrefixed;

bool ReadItemField(std::string_view* in, Item* out) {
  std::string_view bytes;
  return ReadLengthPrefixed(in, &bytes) && storage::DecodeItem(bytes, out);
}

bool DecodeFormat1(std::string_view in, StreamRecord* r) {
  uint64_t millis, size;
  std::string_view id, name, region, seq;
  if (!ReadLengthPrefixed(&in, &id) || !ReadLengthPrefixed(&in, &name) ||
      !ReadLengthPrefixed(&in, &region) || !storage::ReadVarint(&in, &millis) ||
      !ReadLengthPrefixed(&in, &seq) || !storage::ReadVarint(&in, &size) || in.size() < 2)
    return false;
  r->event_id = id;
  r->event_name = name;
  r->aws_region = region;
  r->sequence_number = seq;
  r->approximate_creation_date_time = static_cast<double>(millis) / 1000.0;
  r->size_bytes = static_cast<int64_t>(size);
  r->stream_view_type = static_cast<StreamViewType>(in[0]);
  int flags = in[1];
  in.remove_prefix(2);
  if (!ReadItemField(&in, &r->keys)) return false;
  if ((flags & 1) && !ReadItemField(&in, &r->new_image.emplace())) return false;
  if ((flags & 2) && !ReadItemField(&in, &r->old_image.emplace())) return false;
  std::string_view table, arn;
  if (!ReadLengthPrefixed(&in, &table) || !ReadLengthPrefixed(&in, &arn)) return false;
  r->table_name = table;
  r->stream_arn = arn;
  return true;
}

}  // namespace

std::string_view StreamEventName(StreamEvent event) {
  constexpr std::string_view kNames[] = {"", "INSERT", "MODIFY", "REMOVE"};
  return kNames[static_cast<uint8_t>(event)];
}

void EncodeStreamRecord(const RecordHeader& header, const RecordBytes& bytes, std::string* out) {
  const bool keys = !bytes.new_image && !bytes.old_image;
  const std::optional<std::string_view> parts[] = {bytes.new_image, bytes.old_image,
                                                   keys ? bytes.keys : std::nullopt};
  std::size_t room = 4 + 2 * storage::kMaxVarint;
  for (const auto& part : parts)
    if (part) room += storage::kMaxVarint + part->size();
  // Written through a pointer into room made ahead, then cut to length (this runs on every write).
  out->resize(room);
  char* p = out->data();
  *p++ = kFormat2;
  *p++ = static_cast<char>(header.event);
  p = storage::WriteVarint(p, static_cast<uint64_t>(header.millis));
  p = storage::WriteVarint(p, static_cast<uint64_t>(header.size_bytes));
  *p++ = static_cast<char>(header.view_type);
  *p++ = static_cast<char>((bytes.new_image ? 1 : 0) | (bytes.old_image ? 2 : 0) | (keys ? 4 : 0) |
                           (header.by_time_to_live ? 8 : 0));
  for (const auto& part : parts) {
    if (!part) continue;
    p = storage::WriteVarint(p, part->size());
    std::memcpy(p, part->data(), part->size());
    p += part->size();
  }
  out->resize(static_cast<std::size_t>(p - out->data()));
}

StreamIdentity TimeToLiveIdentity() { return {"dynamodb.amazonaws.com", "Service"}; }

std::string EventId(std::string_view stream_arn, uint64_t sequence) {
  // 32 hex digits like DynamoDB's eventIDs: unique, deterministic, and no id-source call.
  return fmt::format("{:016x}{:016x}", storage::Hash64(stream_arn), sequence);
}

uint64_t StreamKeySequence(std::string_view key) {
  uint64_t seq = 0;
  for (std::size_t i = key.size() - 8; i < key.size(); ++i)
    seq = (seq << 8) | static_cast<uint8_t>(key[i]);
  return seq;
}

bool DecodeStreamRecord(uint64_t seq, std::string_view in, const RecordSource& source,
                        StreamRecord* r) {
  if (in.empty()) return false;
  if (in[0] != kFormat2) return DecodeFormat1(in, r);
  in.remove_prefix(1);
  uint64_t millis, size;
  if (in.empty() || static_cast<uint8_t>(in[0]) - 1u > 2u) return false;
  r->event_name = StreamEventName(static_cast<StreamEvent>(in[0]));
  in.remove_prefix(1);
  if (!storage::ReadVarint(&in, &millis) || !storage::ReadVarint(&in, &size) || in.size() < 2)
    return false;
  r->event_id = EventId(source.stream.arn, seq);
  r->sequence_number = SequenceText(seq);
  r->aws_region = source.region;
  r->table_name = source.table.name;
  r->stream_arn = source.stream.arn;
  r->approximate_creation_date_time = static_cast<double>(millis) / 1000.0;
  r->size_bytes = static_cast<int64_t>(size);
  r->stream_view_type = static_cast<StreamViewType>(in[0]);
  const int flags = in[1];
  in.remove_prefix(2);
  if (flags & 8) r->user_identity = TimeToLiveIdentity();
  if ((flags & 1) && !ReadItemField(&in, &r->new_image.emplace())) return false;
  if ((flags & 2) && !ReadItemField(&in, &r->old_image.emplace())) return false;
  if (flags & 4) return ReadItemField(&in, &r->keys) && in.empty();
  r->keys = ExtractKey(source.table, nullptr, r->new_image ? *r->new_image : *r->old_image);
  return in.empty();
}

std::optional<int64_t> StreamRecordMillis(std::string_view in) {
  uint64_t millis;
  if (!in.empty() && in[0] == kFormat2) {
    in.remove_prefix(2);
    if (!storage::ReadVarint(&in, &millis)) return std::nullopt;
    return static_cast<int64_t>(millis);
  }
  std::string_view skip;
  if (!ReadLengthPrefixed(&in, &skip) || !ReadLengthPrefixed(&in, &skip) ||
      !ReadLengthPrefixed(&in, &skip) || !storage::ReadVarint(&in, &millis))
    return std::nullopt;
  return static_cast<int64_t>(millis);
}

Result<bool> ReadStream(const storage::Txn& txn, uint32_t stream_number, uint64_t from,
                        const StreamVisitor& visit) {
  const std::string prefix = StreamPrefix(stream_number);
  LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().stream));
  LD_ASSIGN_OR_RETURN(auto e, cursor.SeekGE(StreamKey(stream_number, from)));
  while (e && e->key.starts_with(prefix)) {
    if (!visit(StreamKeySequence(e->key), e->value)) return true;
    LD_ASSIGN_OR_RETURN(e, cursor.Next());
  }
  return false;
}

Result<SequenceRange> StreamSequenceRange(const storage::Txn& txn, uint32_t stream_number) {
  SequenceRange range;
  const std::string prefix = StreamPrefix(stream_number);
  LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().stream));
  LD_ASSIGN_OR_RETURN(auto first, cursor.SeekGE(StreamKey(stream_number, 0)));
  if (first && first->key.starts_with(prefix)) {
    range.first = StreamKeySequence(first->key);
    LD_ASSIGN_OR_RETURN(auto last, cursor.SeekLE(StreamKey(stream_number, ~uint64_t{0})));
    range.last = StreamKeySequence(last->key);
  }
  return range;
}

Status TrimStream(storage::WriteTxn& txn, uint32_t stream_number, int64_t now_millis) {
  const std::string prefix = StreamPrefix(stream_number);
  LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().stream));
  LD_ASSIGN_OR_RETURN(auto e, cursor.SeekGE(prefix));
  uint64_t trimmed = 0;
  // A bounded amount per call: a store reopened after days holds a backlog that one write
  // transaction must not take on whole (LMDB caps the pages a transaction may dirty, and the
  // write that happens to trim would stall). Calls come every kTrimEvery records and trim up
  // to four times that, so a backlog shrinks with every write.
  for (uint64_t n = 0; n < kTrimAtMost && e && e->key.starts_with(prefix); ++n) {
    std::optional<int64_t> millis = StreamRecordMillis(e->value);
    if (!millis) break;  // unreadable: left in place rather than failing the user's write
    if (now_millis - *millis < kRetentionMillis) break;
    trimmed = StreamKeySequence(e->key);
    LD_RETURN_IF_ERROR(cursor.DeleteCurrent());
    LD_ASSIGN_OR_RETURN(e, cursor.SeekGE(prefix));
  }
  // Remember how far the stream was trimmed: positions up to here are gone for readers.
  if (trimmed)
    LD_RETURN_IF_ERROR(txn.Put(txn.dbis().meta, TrimmedKey(stream_number),
                               std::string(reinterpret_cast<const char*>(&trimmed), 8)));
  return OkStatus();
}

}  // namespace localdynamo::engine
