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

namespace localdynamo {

// Who made a change, when it wasn't a request: time to live's deletions carry
// {principal_id "dynamodb.amazonaws.com", type "Service"}.
struct StreamIdentity {
  std::string principal_id;
  std::string type;
};

struct StreamRecord {
  std::string event_id;
  std::string event_name;  // "INSERT", "MODIFY", "REMOVE"
  std::string event_version = "1.1";
  std::string event_source = "aws:dynamodb";
  std::string aws_region;
  double approximate_creation_date_time = 0;  // epoch seconds, from the Clock
  Item keys;
  std::optional<Item> new_image;
  std::optional<Item> old_image;
  std::string sequence_number;  // decimal digits, strictly increasing per table
  int64_t size_bytes = 0;
  StreamViewType stream_view_type = StreamViewType::kNewImage;
  std::optional<StreamIdentity> user_identity;  // time to live's deletions only
  std::string table_name;  // not part of DynamoDB's record; handy for subscribers
  std::string stream_arn;
};

// Called after commit, in commit order. What a throwing subscriber means: see Database.
using StreamSubscriber = std::function<void(const StreamRecord&)>;

// ---- the DynamoDB Streams API ------------------------------------------------------------
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
struct DescribeStreamRequest {
  std::string stream_arn;
  std::optional<int64_t> limit;
  std::optional<std::string> exclusive_start_shard_id;
};
struct DescribeStreamResponse {
  StreamDescription stream_description;
};

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

struct GetRecordsRequest {
  std::string shard_iterator;
  std::optional<int64_t> limit;  // 1..1000
};
struct GetRecordsResponse {
  std::vector<StreamRecord> records;
  std::optional<std::string> next_shard_iterator;
};

}  // namespace localdynamo
