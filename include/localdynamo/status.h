#pragma once
// Errors are values: every fallible call returns Result<T> (or Status), whose Error carries
// DynamoDB's exception name and DynamoDB's exact message text.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "localdynamo/flat_map.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

class AttributeValue;
using Item = FlatMap<AttributeValue>;  // attribute name -> value, in name order

// DynamoDB's exception names (the part after '#' in a wire error's __type).
enum class ErrorCode {
  kValidation,
  kResourceNotFound,
  kResourceInUse,
  kConditionalCheckFailed,
  kTransactionCanceled,
  kTransactionConflict,
  kTransactionInProgress,
  kIdempotentParameterMismatch,
  kItemCollectionSizeLimitExceeded,
  kLimitExceeded,
  kProvisionedThroughputExceeded,
  kSerialization,
  kUnknownOperation,
  kInternalServerError,
  kUnrecognizedClient,
  kInvalidSignature,
  kMissingAuthenticationToken,
  kIncompleteSignature,  // a signature whose parts can't be read (the endpoint's --auth)
  kAccessDenied,
  kTrimmedDataAccess,
  kExpiredIterator,
  kTableNotFound,  // the backup operations' "table not found" (others use kResourceNotFound)
  kDuplicateItem,  // PartiQL's INSERT of an item that exists
  kBackupNotFound,
  kTableAlreadyExists,  // RestoreTableFromBackup's target (CreateTable says ResourceInUse)
  kPointInTimeRecoveryUnavailable,
  kInvalidRestoreTime,
};

// "ValidationException", "ResourceNotFoundException", ...
std::string_view ErrorCodeName(ErrorCode code);
// The HTTP status DynamoDB answers with for this code (400 or 500).
int ErrorHttpStatus(ErrorCode code);

// Why one action of a transaction stopped it (CancellationReason.Code): DynamoDB's codes, and
// PartiQL's DuplicateItem (an ExecuteTransaction INSERT of an item that exists). kNone: this
// action would have succeeded.
enum class CancellationCode {
  kNone,
  kConditionalCheckFailed,
  kDuplicateItem,
  kValidationError,
  kItemCollectionSizeLimitExceeded,
  kTransactionConflict,
  kProvisionedThroughputExceeded,
  kThrottlingError,
};
// "None", "ConditionalCheckFailed", ... (the wire's Code).
std::string_view CancellationCodeName(CancellationCode code);

// One entry of TransactionCanceledException's CancellationReasons, in request order.
struct CancellationReason {
  CancellationCode code = CancellationCode::kNone;
  std::string message;               // empty when DynamoDB sends none
  std::shared_ptr<const Item> item;  // ReturnValuesOnConditionCheckFailure=ALL_OLD
};

struct Error {
  ErrorCode code = ErrorCode::kInternalServerError;
  std::string message;
  // ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure=ALL_OLD.
  std::shared_ptr<const Item> item;
  // TransactionCanceledException only.
  std::vector<CancellationReason> cancellation_reasons;

  std::string ToString() const;  // "ValidationException: <message>"
};

// Factories, one per DynamoDB exception, so call sites read like DynamoDB's documentation.
Error ValidationError(std::string message);
Error ResourceNotFound(std::string message);
Error ResourceInUse(std::string message);
Error ConditionalCheckFailed(std::string message = "The conditional request failed");
Error InternalError(std::string message);

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace localdynamo

// Propagate an error from a Result-returning expression; evaluates to nothing.
#define LD_RETURN_IF_ERROR(expr)                                \
  do {                                                          \
    auto ld_status_ = (expr);                                   \
    if (!ld_status_.ok()) return std::move(ld_status_).error(); \
  } while (0)

#define LD_CONCAT_INNER(a, b) a##b
#define LD_CONCAT(a, b) LD_CONCAT_INNER(a, b)
// `LD_ASSIGN_OR_RETURN(auto x, Foo());`
#define LD_ASSIGN_OR_RETURN(lhs, expr) \
  LD_ASSIGN_OR_RETURN_IMPL(LD_CONCAT(ld_r_, __LINE__), lhs, expr)
#define LD_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).error();  \
  lhs = std::move(tmp).value()

#pragma GCC visibility pop
