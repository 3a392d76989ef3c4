#pragma once
// DynamoDB ARNs
// (arn:aws:dynamodb:<region>:<account>:table/<name>[/index/..|/stream/..|/backup/..]): split once
// here for every operation that takes one. A table's ARN stands for its name in any TableName
// naming an existing table, as DynamoDB allows.

#include <optional>
#include <string_view>

#include "localdynamo/options.h"
#include "localdynamo/status.h"

namespace localdynamo::engine {

struct ArnParts {
  std::string_view partition, service, region, account;
  std::string_view resource;  // everything after the fifth colon
};
// "arn:" and five colon-separated parts, else nullopt.
std::optional<ArnParts> SplitArn(std::string_view arn);

inline bool IsArn(std::string_view name) { return name.starts_with("arn:"); }

// The table name a TableName given as an ARN stands for, or DynamoDB's error for an ARN that
// names no table of this endpoint's account and region (an index's or stream's included).
Result<std::string_view> TableNameFromArn(std::string_view arn, const Options& options);

// For messages, once the name was resolved: the table name that `name_or_arn` stands for.
std::string_view TableNameOf(std::string_view name_or_arn);

}  // namespace localdynamo::engine
