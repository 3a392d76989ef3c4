// The texts are DynamoDB's as probes of the service recorded them (2026): "Invalid AWS region
// in '<ARN>'" for another region, AccessDeniedException for another account, and for an ARN
// that is no table's (an index's, a stream's, a malformed one) the "Valid ARN format" text.

#include "engine/arn.h"

#include <algorithm>

#include <fmt/format.h>

namespace localdynamo::engine {
namespace {

Error InvalidFormat(std::string_view arn) {
  return ValidationError(
      fmt::format("1 validation error detected: Value '{}' at 'tableName' failed to satisfy "
                  "constraint: Valid ARN format is "
                  "'arn:<awsPartition>:<vendor>:<region>:<subscriber>:resourceType/resourceName', "
                  "where Resource name must have "
                  "length less than or equal to 255, Resource name must have length greater than "
                  "or equal to 3, Resource name must "
                  "satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                  arn));
}

bool ValidName(std::string_view name) {
  return name.size() >= 3 && name.size() <= 255 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '-';
         });
}

}  // namespace

std::optional<ArnParts> SplitArn(std::string_view arn) {
  if (!IsArn(arn)) return std::nullopt;
  std::string_view rest = arn.substr(4);
  std::string_view parts[4];
  for (auto& part : parts) {
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  return ArnParts{parts[0], parts[1], parts[2], parts[3], rest};
}

Result<std::string_view> TableNameFromArn(std::string_view arn, const Options& options) {
  const auto parts = SplitArn(arn);
  if (!parts || parts->resource.empty()) return InvalidFormat(arn);
  if (parts->partition != "aws")
    return ValidationError(
        fmt::format("1 validation error detected: Invalid AWS partition in '{}'", arn));
  const Error denied{ErrorCode::kAccessDenied, "Access is denied", nullptr, {}};
  if (parts->service != "dynamodb" || parts->account != options.account_id) return denied;
  if (parts->region != options.region)
    return ValidationError(
        fmt::format("1 validation error detected: Invalid AWS region in '{}'", arn));
  const std::size_t slash = parts->resource.find('/');
  if (slash == std::string_view::npos) return InvalidFormat(arn);
  if (parts->resource.substr(0, slash) != "table")
    return ValidationError(
        fmt::format("1 validation error detected: Invalid resource type in '{}'", arn));
  const std::string_view name = parts->resource.substr(slash + 1);
  if (!ValidName(name))
    return InvalidFormat(arn);  // an index's or stream's ARN too: its "name" has a '/'
  return name;
}

std::string_view TableNameOf(std::string_view name_or_arn) {
  if (!IsArn(name_or_arn)) return name_or_arn;
  const std::size_t at = name_or_arn.find(":table/");
  return at == std::string_view::npos ? name_or_arn : name_or_arn.substr(at + 7);
}

}  // namespace localdynamo::engine
