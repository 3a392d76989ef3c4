#pragma once
// DynamoDB's error texts used by the engine, one factory per message family. Texts follow
// Amazon DynamoDB (cross-checked against dynalite's validations, which were recorded from it).

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "engine/arn.h"
#include "localdynamo/status.h"
#include "types/ascii.h"

namespace localdynamo::errors {

// "1 validation error detected: Value '...' at '...' failed to satisfy constraint: ..." (the
// Coral framework's format; several constraint failures are joined with "; ").
inline Error ConstraintError(std::vector<std::string> failures) {
  std::string joined;
  for (const auto& f : failures) joined += (joined.empty() ? "" : "; ") + f;
  return ValidationError(fmt::format("{} validation error{} detected: {}", failures.size(),
                                     failures.size() == 1 ? "" : "s", joined));
}

// A table (or index) name's constraints, failures added for `member` in DynamoDB's order: the
// pattern [a-zA-Z0-9_.-]+ (which "" fails too), then the length, 3 to 255. The endpoint reads
// requests with it and the engine checks its callers with it.
inline void CheckName(std::string_view name, std::string_view member,
                      std::vector<std::string>* failures) {
  auto fail = [&](std::string_view c) {
    failures->push_back(
        fmt::format("Value '{}' at '{}' failed to satisfy constraint: {}", name, member, c));
  };
  bool pattern_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return IsAsciiAlnum(c) || c == '_' || c == '.' || c == '-';
  });
  if (!pattern_ok) fail("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  if (name.size() < 3) fail("Member must have length greater than or equal to 3");
  if (name.size() > 255) fail("Member must have length less than or equal to 255");
}

// A TableName naming an existing table: a name as above, or the table's ARN (DynamoDB's
// TableArn shape, up to 1024 characters; the catalog lookup resolves it and checks the rest).
// CreateTable's and ListTables' names take no ARN.
inline void CheckTableNameOrArn(std::string_view name, std::string_view member,
                                std::vector<std::string>* failures) {
  if (!engine::IsArn(name)) return CheckName(name, member, failures);
  if (name.size() > 1024)
    failures->push_back(
        fmt::format("Value '{}' at '{}' failed to satisfy constraint: Member must have length less "
                    "than or equal to 1024",
                    name, member));
}

// A request whose only constrained member is tableName (an existing table's): its failures as
// one error.
inline Status CheckTableName(std::string_view name) {
  std::vector<std::string> failures;
  CheckTableNameOrArn(name, "tableName", &failures);
  if (failures.empty()) return OkStatus();
  return ConstraintError(std::move(failures));
}

// A list member's length, 1..`max` (its items written as DynamoDB writes them: '[...]').
inline Status CheckListLength(std::size_t n, std::size_t max, std::string_view member) {
  if (n >= 1 && n <= max) return OkStatus();
  return ConstraintError({fmt::format(
      "Value '[...]' at '{}' failed to satisfy constraint: Member must have length {}", member,
      n == 0 ? std::string("greater than or equal to 1")
             : fmt::format("less than or equal to {}", max))});
}

inline Error Invalid(std::string_view detail) {
  return ValidationError(fmt::format("One or more parameter values were invalid: {}", detail));
}
inline Error TableNotFound() { return ResourceNotFound("Requested resource not found"); }
// The backup operations' (and point-in-time recovery's) answer for a missing table.
// Both name the table, also when the request gave its ARN.
inline Error BackupTableNotFound(std::string_view name) {
  return Error{ErrorCode::kTableNotFound,
               fmt::format("Table not found: {}", engine::TableNameOf(name)),
               nullptr,
               {}};
}
inline Error TableNotFoundNamed(std::string_view name) {
  return ResourceNotFound(
      fmt::format("Requested resource not found: Table: {} not found", engine::TableNameOf(name)));
}
inline Error KeyMismatch() {
  return ValidationError("The provided key element does not match the schema");
}
inline Error MissingKey(std::string_view attr) {
  return Invalid(fmt::format("Missing the key {} in the item", attr));
}
inline Error KeyTypeMismatch(std::string_view attr, std::string_view expected,
                             std::string_view actual) {
  return Invalid(
      fmt::format("Type mismatch for key {} expected: {} actual: {}", attr, expected, actual));
}
inline Error IndexKeyTypeMismatch(std::string_view attr, std::string_view expected,
                                  std::string_view actual, std::string_view index) {
  return Invalid(fmt::format("Type mismatch for Index Key {} Expected: {} Actual: {} IndexName: {}",
                             attr, expected, actual, index));
}
inline Error EmptyKeyString(std::string_view attr, bool binary) {
  return ValidationError(fmt::format(
      "One or more parameter values are not valid. The AttributeValue for a key attribute "
      "cannot contain an empty {} value. Key: {}",
      binary ? "binary" : "string", attr));
}
inline Error EmptyIndexKeyString(std::string_view attr, std::string_view index, bool binary) {
  return ValidationError(fmt::format(
      "One or more parameter values are not valid. A value specified for a secondary index key "
      "is not supported. The AttributeValue for a key attribute cannot contain an empty {} "
      "value. IndexName: {}, IndexKey: {}",
      binary ? "binary" : "string", index, attr));
}
inline Error HashKeyTooLong() {
  // sic: DynamoDB's text has no space in "of2048".
  return Invalid("Size of hashkey has exceeded the maximum size limit of2048 bytes");
}
inline Error RangeKeyTooLong() {
  return Invalid("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
}
// TransactionCanceledException, its message listing the reasons' codes in request order.
inline Error TransactionCanceled(std::vector<CancellationReason> reasons) {
  std::string codes;
  for (const auto& r : reasons)
    codes += (codes.empty() ? "" : ", ") + std::string(CancellationCodeName(r.code));
  return Error{
      ErrorCode::kTransactionCanceled,
      fmt::format(
          "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
          codes),
      nullptr, std::move(reasons)};
}
// PartiQL's INSERT of an item that exists (DuplicateItemException; as a cancellation reason,
// DuplicateItem with the same message).
inline Error DuplicateItem() {
  return Error{ErrorCode::kDuplicateItem, "Duplicate primary key exists in table", nullptr, {}};
}
// LimitExceededException: a per-table or per-account quota (indexes, throughput, ...).
inline Error LimitExceeded(std::string message) {
  return Error{ErrorCode::kLimitExceeded, std::move(message), nullptr, {}};
}
inline Error ItemTooLarge() {
  return ValidationError("Item size has exceeded the maximum allowed size");
}
// BatchWriteItem / BatchGetItem (and PartiQL's batches) naming one key twice.
inline Error DuplicateKeys() {
  return ValidationError("Provided list of item keys contains duplicates");
}

}  // namespace localdynamo::errors
