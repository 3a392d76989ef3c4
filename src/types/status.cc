#include "localdynamo/status.h"

namespace localdynamo {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation:
      return "ValidationException";
    case ErrorCode::kResourceNotFound:
      return "ResourceNotFoundException";
    case ErrorCode::kResourceInUse:
      return "ResourceInUseException";
    case ErrorCode::kConditionalCheckFailed:
      return "ConditionalCheckFailedException";
    case ErrorCode::kTransactionCanceled:
      return "TransactionCanceledException";
    case ErrorCode::kTransactionConflict:
      return "TransactionConflictException";
    case ErrorCode::kTransactionInProgress:
      return "TransactionInProgressException";
    case ErrorCode::kIdempotentParameterMismatch:
      return "IdempotentParameterMismatchException";
    case ErrorCode::kItemCollectionSizeLimitExceeded:
      return "ItemCollectionSizeLimitExceededException";
    case ErrorCode::kLimitExceeded:
      return "LimitExceededException";
    case ErrorCode::kProvisionedThroughputExceeded:
      return "ProvisionedThroughputExceededException";
    case ErrorCode::kSerialization:
      return "SerializationException";
    case ErrorCode::kUnknownOperation:
      return "UnknownOperationException";
    case ErrorCode::kInternalServerError:
      return "InternalServerError";
    case ErrorCode::kUnrecognizedClient:
      return "UnrecognizedClientException";
    case ErrorCode::kInvalidSignature:
      return "InvalidSignatureException";
    case ErrorCode::kMissingAuthenticationToken:
      return "MissingAuthenticationTokenException";
    case ErrorCode::kIncompleteSignature:
      return "IncompleteSignatureException";
    case ErrorCode::kAccessDenied:
      return "AccessDeniedException";
    case ErrorCode::kTrimmedDataAccess:
      return "TrimmedDataAccessException";
    case ErrorCode::kExpiredIterator:
      return "ExpiredIteratorException";
    case ErrorCode::kTableNotFound:
      return "TableNotFoundException";
    case ErrorCode::kDuplicateItem:
      return "DuplicateItemException";
    case ErrorCode::kBackupNotFound:
      return "BackupNotFoundException";
    case ErrorCode::kTableAlreadyExists:
      return "TableAlreadyExistsException";
    case ErrorCode::kPointInTimeRecoveryUnavailable:
      return "PointInTimeRecoveryUnavailableException";
    case ErrorCode::kInvalidRestoreTime:
      return "InvalidRestoreTimeException";
  }
  return "InternalServerError";
}

std::string_view CancellationCodeName(CancellationCode code) {
  switch (code) {
    case CancellationCode::kNone:
      return "None";
    case CancellationCode::kConditionalCheckFailed:
      return "ConditionalCheckFailed";
    case CancellationCode::kDuplicateItem:
      return "DuplicateItem";
    case CancellationCode::kValidationError:
      return "ValidationError";
    case CancellationCode::kItemCollectionSizeLimitExceeded:
      return "ItemCollectionSizeLimitExceeded";
    case CancellationCode::kTransactionConflict:
      return "TransactionConflict";
    case CancellationCode::kProvisionedThroughputExceeded:
      return "ProvisionedThroughputExceeded";
    case CancellationCode::kThrottlingError:
      return "ThrottlingError";
  }
  return "None";
}

int ErrorHttpStatus(ErrorCode code) { return code == ErrorCode::kInternalServerError ? 500 : 400; }

std::string Error::ToString() const { return std::string(ErrorCodeName(code)) + ": " + message; }

Error ValidationError(std::string message) {
  return Error{ErrorCode::kValidation, std::move(message), nullptr, {}};
}
Error ResourceNotFound(std::string message) {
  return Error{ErrorCode::kResourceNotFound, std::move(message), nullptr, {}};
}
Error ResourceInUse(std::string message) {
  return Error{ErrorCode::kResourceInUse, std::move(message), nullptr, {}};
}
Error ConditionalCheckFailed(std::string message) {
  return Error{ErrorCode::kConditionalCheckFailed, std::move(message), nullptr, {}};
}
Error InternalError(std::string message) {
  return Error{ErrorCode::kInternalServerError, std::move(message), nullptr, {}};
}

}  // namespace localdynamo
