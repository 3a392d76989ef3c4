#pragma once
// The change stream: records in DynamoDB Streams' shape, the Streams API's requests, and the
// C++ subscription callback.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "localdynamo/schema.h"
#include "localdynamo/value.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

// Who made a change, when it wasn't a request: time to live's deletions carry
// {principal_id "dynamodb.amazonaws.com", type "Service"}.
struct StreamIdentity {
  std::string principal_id;
  std::string type;
};

// One change to one item, as DynamoDB Streams (and a Lambda event) gives it. A write that
// changes nothing (a delete of a missing item, a put or update leaving the item as it was)
// has no record. Which images it carries follows the stream's view type: KEYS_ONLY neither,
// NEW_IMAGE the item after, OLD_IMAGE the item before, NEW_AND_OLD_IMAGES both (an INSERT has
// no old image, a REMOVE no new one). Records are kept 24 hours (Clock time).
struct StreamRecord {
  std::string event_id;    // unique per record
  std::string event_name;  // "INSERT", "MODIFY", "REMOVE"
  std::string event_version = "1.1";
  std::string event_source = "aws:dynamodb";
  std::string aws_region;
  double approximate_creation_date_time = 0;  // epoch seconds, from the Clock
  Item keys;
  std::optional<Item> new_image;
  std::optional<Item> old_image;
  std::string sequence_number;  // decimal digits, strictly increasing per table
  int64_t size_bytes = 0;       // the key attributes' size plus the images carried
  StreamViewType stream_view_type = StreamViewType::kNewImage;
  std::optional<StreamIdentity> user_identity;  // time to live's deletions only
  std::string table_name;  // not part of DynamoDB's record; handy for subscribers
  std::string stream_arn;
};

// Called after commit, in commit order. What a throwing subscriber means: see Database.
using StreamSubscriber = std::function<void(const StreamRecord&)>;

// ---- the DynamoDB Streams API ------------------------------------------------------------
// A table has a new stream (a new ARN and label) each time its stream is enabled; a disabled
// stream stays readable for 24 hours. Each stream has one shard, closed (an ending sequence
// number, and no next iterator once read to its end) when the stream is disabled. Errors of
// every call: ValidationException (the request), ResourceNotFoundException (no such stream or
// shard); GetShardIterator and GetRecords as noted below.

// The streams of the tables (or of one table, `table_name`; a deleted table's for 24 hours), at
// most `limit` (1..100, default 100) after exclusive_start_stream_arn.
struct StreamSummary {
  std::string stream_arn;
  std::string stream_label;
  std::string table_name;
};
struct ListStreamsRequest {
  std::optional<std::string> table_name;
  std::optional<int64_t> limit;
  std::optional<std::string> exclusive_start_stream_arn;
};
struct ListStreamsResponse {
  std::vector<StreamSummary> streams;
  std::optional<std::string> last_evaluated_stream_arn;
};

struct SequenceNumberRange {
  std::string starting_sequence_number;
  std::optional<std::string> ending_sequence_number;
};
struct Shard {
  std::string shard_id;
  SequenceNumberRange sequence_number_range;
  std::optional<std::string> parent_shard_id;
};
struct StreamDescription {
  std::string stream_arn;
  std::string stream_label;
  std::string stream_status;  // "ENABLED" / "DISABLED"
  StreamViewType stream_view_type = StreamViewType::kNewImage;
  double creation_request_date_time = 0;
  std::string table_name;
  std::vector<KeySchemaElement> key_schema;
  std::vector<Shard> shards;
  std::optional<std::string> last_evaluated_shard_id;
};
// The stream's description and its shard (after exclusive_start_shard_id, if given).
struct DescribeStreamRequest {
  std::string stream_arn;
  std::optional<int64_t> limit;
  std::optional<std::string> exclusive_start_shard_id;
};
struct DescribeStreamResponse {
  StreamDescription stream_description;
};

// A position in the shard: its oldest record still kept (TRIM_HORIZON), after its newest
// (LATEST), at or after `sequence_number`. The iterator is opaque and valid 15 minutes.
// Errors: TrimmedDataAccessException for a sequence number older than what is kept.
struct GetShardIteratorRequest {
  std::string stream_arn;
  std::string shard_id;
  std::string
      shard_iterator_type;  // TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER
  std::optional<std::string> sequence_number;
};
struct GetShardIteratorResponse {
  std::optional<std::string> shard_iterator;
};

// The records after the iterator's position, oldest first, at most `limit` (default 1000),
// and the iterator to continue from (none once a closed shard is read to its end). Errors:
// ExpiredIteratorException (an iterator older than 15 minutes), ValidationException (one
// that can't be read).
struct GetRecordsRequest {
  std::string shard_iterator;
  std::optional<int64_t> limit;  // 1..1000
};
struct GetRecordsResponse {
  std::vector<StreamRecord> records;
  std::optional<std::string> next_shard_iterator;
};

}  // namespace localdynamo

#pragma GCC visibility pop
