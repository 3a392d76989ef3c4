// The change stream: Subscribe / Unsubscribe (delivery is engine/streams/stream_hub.cc) and the
// DynamoDB Streams API (ListStreams, DescribeStream, GetShardIterator, GetRecords) over the
// records the write path stored.

#include <cstdio>
#include <cstring>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <exception>

#include <fmt/format.h>

#include "engine/database_impl.h"
#include "engine/errors.h"
#include "engine/streams/stream_hub.h"
#include "engine/streams/stream_store.h"

namespace localdynamo {

using engine::StreamMeta;

namespace {

uint64_t ReadU64(std::string_view v) {
  uint64_t x = 0;
  if (v.size() >= 8) std::memcpy(&x, v.data(), 8);
  return x;
}

}  // namespace

Result<Database::SubscriptionId> Database::Subscribe(const std::string& table_name,
                                                     StreamSubscriber subscriber,
                                                     const std::string& consumer) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto t, db.catalog.Find(txn, table_name));
  if (!t) return errors::TableNotFoundNamed(table_name);
  if (!t->CurrentStream())
    return ValidationError(fmt::format("Table {} has no stream enabled", table_name));
  // Background subscribers start after the last committed record, or at their checkpoint.
  LD_ASSIGN_OR_RETURN(uint64_t last, engine::LastStreamSequence(txn, t->number));
  uint64_t next = last + 1;
  if (!consumer.empty()) {
    LD_ASSIGN_OR_RETURN(auto cp,
                        txn.Get(txn.dbis().meta, engine::CheckpointKey(table_name, consumer)));
    if (cp) next = ReadU64(*cp);
  }
  return db.streams.Add({0, table_name, std::move(subscriber), consumer, next});
}

void Database::Unsubscribe(SubscriptionId id) { impl_->streams.Remove(id); }

namespace {

// "arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>" -> <name>
std::optional<std::string> TableOfStreamArn(std::string_view arn) {
  auto t = arn.find(":table/");
  auto s = arn.find("/stream/");
  if (t == std::string_view::npos || s == std::string_view::npos || s < t + 7) return std::nullopt;
  return std::string(arn.substr(t + 7, s - t - 7));
}

Error StreamNotFound(std::string_view arn) {
  return ResourceNotFound(fmt::format("Requested resource not found: Stream: {} not found", arn));
}

std::string ShardId(const StreamMeta& s) {
  return fmt::format("shardId-{:020}-{:08x}", static_cast<int64_t>(s.created * 1000), s.number);
}

struct Located {
  TablePtr table;
  const StreamMeta* stream = nullptr;
};

// Descriptions of deleted tables whose streams are still within the 24-hour retention
// (written by DeleteTable under "dropped/<table>/<deletion millis>").
Result<std::vector<TablePtr>> DroppedTables(Database::Impl& db, const storage::Txn& txn,
                                            std::optional<std::string_view> table) {
  std::string prefix = table ? fmt::format("dropped/{}/", *table) : std::string("dropped/");
  const int64_t now = db.options.clock->NowMillis();
  std::vector<TablePtr> out;
  LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().meta));
  LD_ASSIGN_OR_RETURN(auto e, cursor.SeekGE(prefix));
  while (e && e->key.starts_with(prefix)) {
    int64_t deleted = std::atoll(std::string(e->key.substr(e->key.rfind('/') + 1)).c_str());
    if (now - deleted < engine::kRetentionMillis)
      if (auto meta = engine::ParseTableMeta(e->value))
        out.push_back(std::make_shared<const TableMeta>(std::move(*meta)));
    LD_ASSIGN_OR_RETURN(e, cursor.Next());
  }
  return out;
}

Result<Located> FindStream(Database::Impl& db, const storage::Txn& txn, std::string_view arn) {
  auto name = TableOfStreamArn(arn);
  if (!name) return StreamNotFound(arn);
  LD_ASSIGN_OR_RETURN(auto t, db.catalog.Find(txn, *name));
  if (t)
    if (const StreamMeta* s = t->FindStream(arn)) return Located{t, s};
  LD_ASSIGN_OR_RETURN(auto dropped, DroppedTables(db, txn, *name));
  for (const auto& d : dropped)
    if (const StreamMeta* s = d->FindStream(arn)) return Located{d, s};
  return StreamNotFound(arn);
}

// Shard iterators: "<stream arn>|<shard id>|<next sequence>|<created millis>", opaque to
// clients; like DynamoDB's, they expire 15 minutes after they are handed out.
constexpr int64_t kIteratorLifetimeMillis = 15 * 60 * 1000;

std::string MakeIterator(std::string_view arn, std::string_view shard, uint64_t next, int64_t now) {
  return fmt::format("{}|{}|{}|{}", arn, shard, next, now);
}

struct IteratorParts {
  std::string arn, shard;
  uint64_t next = 0;
  int64_t created = 0;
};

std::optional<IteratorParts> ParseIterator(std::string_view it) {
  auto c = it.rfind('|');
  if (c == std::string_view::npos || c == 0) return std::nullopt;
  auto b = it.rfind('|', c - 1);
  if (b == std::string_view::npos || b == 0) return std::nullopt;
  auto a = it.rfind('|', b - 1);
  if (a == std::string_view::npos) return std::nullopt;
  IteratorParts p{std::string(it.substr(0, a)), std::string(it.substr(a + 1, b - a - 1)), 0, 0};
  try {
    p.next = std::stoull(std::string(it.substr(b + 1, c - b - 1)));
    p.created = std::stoll(std::string(it.substr(c + 1)));
  } catch (...) {
    return std::nullopt;
  }
  return p;
}

// Java's Date.toString() form, which DynamoDB Streams' ExpiredIteratorException message uses.
std::string JavaDate(int64_t millis) {
  std::time_t secs = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

}  // namespace

Result<ListStreamsResponse> Database::ListStreams(const ListStreamsRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto tables, db.catalog.All(txn));  // in name order
  std::vector<StreamSummary> all;
  LD_ASSIGN_OR_RETURN(auto dropped, DroppedTables(db, txn, r.table_name));
  for (const auto& d : dropped)
    for (const auto& s : d->streams) all.push_back({s.arn, s.label, d->name});
  const bool named_exists =
      r.table_name && std::any_of(tables.begin(), tables.end(),
                                  [&](const TablePtr& t) { return t->name == *r.table_name; });
  if (r.table_name && !named_exists && all.empty())
    return errors::TableNotFoundNamed(*r.table_name);
  for (const auto& t : tables) {
    if (r.table_name && t->name != *r.table_name) continue;
    for (const auto& s : t->streams) all.push_back({s.arn, s.label, t->name});
  }
  ListStreamsResponse out;
  std::size_t limit = static_cast<std::size_t>(r.limit.value_or(100));
  bool started = !r.exclusive_start_stream_arn;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!started) {
      started = all[i].stream_arn == *r.exclusive_start_stream_arn;
      continue;
    }
    if (out.streams.size() == limit) {
      out.last_evaluated_stream_arn = out.streams.back().stream_arn;
      break;
    }
    out.streams.push_back(all[i]);
  }
  return out;
}

Result<DescribeStreamResponse> Database::DescribeStream(const DescribeStreamRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(Located loc, FindStream(db, txn, r.stream_arn));
  const StreamMeta& s = *loc.stream;
  StreamDescription d;
  d.stream_arn = s.arn;
  d.stream_label = s.label;
  d.stream_status = s.enabled ? "ENABLED" : "DISABLED";
  d.stream_view_type = s.view_type;
  d.creation_request_date_time = s.created;
  d.table_name = loc.table->name;
  d.key_schema = loc.table->key_schema;
  LD_ASSIGN_OR_RETURN(auto range, engine::StreamSequenceRange(txn, s.number));
  Shard shard;
  shard.shard_id = ShardId(s);
  shard.sequence_number_range.starting_sequence_number =
      engine::SequenceText(range.first.value_or(0));
  if (!s.enabled && range.last)
    shard.sequence_number_range.ending_sequence_number = engine::SequenceText(*range.last);
  if (!r.exclusive_start_shard_id || *r.exclusive_start_shard_id < shard.shard_id)
    d.shards.push_back(std::move(shard));
  return DescribeStreamResponse{std::move(d)};
}

Result<GetShardIteratorResponse> Database::GetShardIterator(const GetShardIteratorRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(Located loc, FindStream(db, txn, r.stream_arn));
  if (r.shard_id != ShardId(*loc.stream))
    return ResourceNotFound(fmt::format("Requested resource not found: Shard does not exist"));
  uint64_t next = 0;
  const std::string& type = r.shard_iterator_type;
  if (type == "TRIM_HORIZON") {
    next = 0;
  } else if (type == "LATEST") {
    LD_ASSIGN_OR_RETURN(uint64_t last, engine::LastStreamSequence(txn, loc.table->number));
    next = last + 1;
  } else if (type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER") {
    if (!r.sequence_number)
      return ValidationError("Must specify a sequence number with shard iterator type " + type);
    auto seq = engine::ParseSequence(*r.sequence_number);
    if (!seq) return ValidationError("Invalid SequenceNumber: " + *r.sequence_number);
    next = *seq + (type == "AFTER_SEQUENCE_NUMBER" ? 1 : 0);
  } else {
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'shardIteratorType' failed to satisfy "
        "constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, "
        "AT_SEQUENCE_NUMBER, TRIM_HORIZON]",
        type));
  }
  if (type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER") {
    // A position at or before the last record trimmed away (24-hour retention) is gone.
    LD_ASSIGN_OR_RETURN(auto trimmed,
                        txn.Get(txn.dbis().meta, engine::TrimmedKey(loc.stream->number)));
    if (trimmed && next <= ReadU64(*trimmed))
      return Error{ErrorCode::kTrimmedDataAccess,
                   "The operation attempted to read past the oldest stream record in a shard.",
                   nullptr,
                   {}};
  }
  return GetShardIteratorResponse{
      MakeIterator(r.stream_arn, r.shard_id, next, db.options.clock->NowMillis())};
}

Result<GetRecordsResponse> Database::GetRecords(const GetRecordsRequest& r) {
  Impl& db = *impl_;
  auto parts = ParseIterator(r.shard_iterator);
  if (!parts) return ValidationError("Invalid ShardIterator");
  const int64_t now = db.options.clock->NowMillis();
  if (now - parts->created > kIteratorLifetimeMillis)
    return Error{ErrorCode::kExpiredIterator,
                 fmt::format("Iterator expired. The iterator was created at time {} while right "
                             "now it is {} which is "
                             "further in the future than the tolerated delay of {} milliseconds.",
                             JavaDate(parts->created), JavaDate(now), kIteratorLifetimeMillis),
                 nullptr,
                 {}};
  int64_t limit = r.limit.value_or(1000);
  if (limit < 1 || limit > 1000)
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'limit' failed to satisfy constraint: "
        "Member must have value {} 1000",
        limit, limit < 1 ? "greater than or equal to 1" : "less than or equal to"));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(Located loc, FindStream(db, txn, parts->arn));
  const uint32_t number = loc.stream->number;
  GetRecordsResponse out;
  uint64_t next = parts->next;
  bool corrupt = false;
  LD_ASSIGN_OR_RETURN(
      bool more,
      engine::ReadStream(txn, number, parts->next, [&](uint64_t seq, std::string_view bytes) {
        if (static_cast<int64_t>(out.records.size()) == limit) return false;
        StreamRecord rec;
        corrupt = !engine::DecodeStreamRecord(seq, bytes,
                                              {*loc.table, *loc.stream, db.options.region}, &rec);
        if (corrupt) return false;
        next = seq + 1;
        out.records.push_back(std::move(rec));
        return true;
      }));
  if (corrupt) return InternalError("corrupt stream record");
  // A disabled stream's shard is closed: once read to its end there is no next iterator.
  if (loc.stream->enabled || more)
    out.next_shard_iterator = MakeIterator(parts->arn, parts->shard, next, now);
  return out;
}

}  // namespace localdynamo
