#pragma once
// ClientRequestToken idempotency of TransactWriteItems (and of ExecuteTransaction, which runs
// as one): which token was used, by which request, when, and what a retry is answered with.
// The tokens live in the database, written in the write transaction of the transaction they
// guard, so a retry after the process stopped or was killed is still recognised, and two
// requests with one token are never both applied (LMDB has one writer at a time). There is
// no copy in the process: a lookup is one get in the write transaction the request begins
// anyway, and a store's tokens are the same for every handle and process that opens it.
//
// Stored in the meta DBI (on-disk; why this needs no new store format: request_tokens.cc):
//   "client_token/" token -> u8 record version (1) | i64 commit millis (little-endian)
//       | 16-byte request hash | varint(n) { varint(len) table name, f64 read units }*
//       | u8 has metrics { varint(n) { varint(len) table name,
//                          varint(k) { varint(len) encoded key item, varint(j) f64* }* }* }
//   "client_token_at/" u64 commit millis (big-endian) | token -> "" (oldest first: expiry)
// (f64: the IEEE 754 bits, little-endian.) Each record has exactly one "client_token_at/" entry.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "localdynamo/requests.h"
#include "storage/lmdb.h"

namespace localdynamo::engine {

// "A client request token is valid for 10 minutes after the first request that uses it is
// completed. After 10 minutes, any request with the same client token is treated as a new
// request." (TransactWriteItems, ClientRequestToken.)
inline constexpr int64_t kRequestTokenMillis = 10 * 60 * 1000;
// Expired tokens removed (at most) by each token written: bounded work per write, and more
// than the one added, so expired ones never pile up while tokens are being used.
inline constexpr std::size_t kExpiredTokensRemovedPerWrite = 8;

inline constexpr std::string_view kRequestTokenPrefix = "client_token/";
inline constexpr std::string_view kRequestTokenTimePrefix = "client_token_at/";

// What a token is bound to: a 128-bit hash of the request's transact items (every member but
// ClientRequestToken, ReturnConsumedCapacity and ReturnItemCollectionMetrics).
using RequestHash = std::array<uint8_t, 16>;
RequestHash HashRequest(const TransactWriteItemsRequest& request);

// What the token's first (applied) request leaves for its retries.
struct TokenAnswer {
  // Per table, the capacity units a retry reports as read: a transactional read (doubled, strongly
  // consistent) of each item the transaction wrote or checked, as the transaction left it.
  std::map<std::string, double> read_units;
  // The first response's ItemCollectionMetrics, if it had them.
  std::optional<std::map<std::string, std::vector<ItemCollectionMetrics>>> item_collection_metrics;
};

// ClientRequestToken's constraint, length 1 to 36: ValidationException in DynamoDB's words.
Status CheckRequestToken(std::string_view token);

// The answer for a retry of `token` at `now_millis` (Clock time) by a request hashing to
// `hash`; nullopt when the token is not in use (never used, or used more than 10 minutes ago:
// a new request). Errors: IdempotentParameterMismatchException when the token is in use by a
// request with other parameters; InternalServerError for a corrupt record or an LMDB error.
Result<std::optional<TokenAnswer>> FindRequestToken(const storage::Txn& txn, std::string_view token,
                                                    const RequestHash& hash, int64_t now_millis);

// Records `token` as used at `now_millis` by the request hashing to `hash` (replacing an
// expired record of it), in `txn`, the transaction that applies that request; and removes up
// to kExpiredTokensRemovedPerWrite expired tokens, oldest first. Precondition: `token` passed
// CheckRequestToken. Errors: InternalServerError (LMDB).
Status RecordRequestToken(storage::WriteTxn& txn, std::string_view token, const RequestHash& hash,
                          int64_t now_millis, const TokenAnswer& answer);

}  // namespace localdynamo::engine
