// ClientRequestToken records in the meta DBI.
//
// Store format: the records are new keys in the meta DBI, which every release reads only by
// the keys (and key prefixes) it knows, so a store holding them stays format 3. An older
// release opening it misreads nothing: it ignores the records (and does not honour them, as
// it never did across restarts), and they stay until this release removes them as expired.
// Bumping the format would only make the older releases refuse such a store.

#include "engine/request_tokens.h"

#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "engine/errors.h"
#include "storage/item_codec.h"

namespace localdynamo::engine {
namespace {

constexpr uint8_t kRecordVersion = 1;
constexpr std::size_t kMaxTokenLength = 36;

// The request's members a retry must repeat, in one string (the in-process cache of earlier
// releases compared this string itself; a record keeps its hash). Unchanged since actions were
// one struct with a kind (the variant's index is that kind), so stored tokens keep matching.
std::string Fingerprint(const TransactWriteItemsRequest& r) {
  std::string f;
  auto opt = [&](const std::optional<std::string>& s) {
    f += s ? "1" + *s : "0";
    f += '\x1f';
  };
  for (const auto& action : r.transact_items) {
    std::visit(
        [&](const auto& a) {
          using A = std::decay_t<decltype(a)>;
          f += std::to_string(action.index()) + '\x1f' + a.table_name + '\x1f';
          if constexpr (std::is_same_v<A, TransactPut>) {
            f += DebugString(a.item) + '\x1f' + DebugString(Item{}) + '\x1f';
          } else {
            f += DebugString(Item{}) + '\x1f' + DebugString(a.key) + '\x1f';
          }
          if constexpr (std::is_same_v<A, TransactUpdate>)
            opt(a.update_expression);
          else
            opt(std::nullopt);
          opt(a.condition_expression);
          if (a.expression_attribute_names)
            for (const auto& [k, v] : *a.expression_attribute_names) f += k + "=" + v + '\x1f';
          if (a.expression_attribute_values)
            for (const auto& [k, v] : *a.expression_attribute_values)
              f += k + "=" + DebugString(v) + '\x1f';
        },
        action);
    f += '\x1e';
  }
  return f;
}

std::string RecordKey(std::string_view token) {
  return std::string(kRequestTokenPrefix) + std::string(token);
}

std::string TimeKey(int64_t millis, std::string_view token) {
  std::string key(kRequestTokenTimePrefix);
  const uint64_t m = static_cast<uint64_t>(std::max<int64_t>(millis, 0));
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>(m >> shift));
  key.append(token);
  return key;
}

void AppendU64(std::string* out, uint64_t v) {
  for (int shift = 0; shift < 64; shift += 8) out->push_back(static_cast<char>(v >> shift));
}
bool ReadU64(std::string_view* in, uint64_t* v) {
  if (in->size() < 8) return false;
  *v = 0;
  for (int i = 7; i >= 0; --i) *v = (*v << 8) | static_cast<uint8_t>((*in)[i]);
  in->remove_prefix(8);
  return true;
}
void AppendDouble(std::string* out, double d) { AppendU64(out, std::bit_cast<uint64_t>(d)); }
bool ReadDouble(std::string_view* in, double* d) {
  uint64_t bits;
  if (!ReadU64(in, &bits)) return false;
  *d = std::bit_cast<double>(bits);
  return true;
}

struct Record {
  int64_t millis = 0;
  RequestHash hash{};
  TokenAnswer answer;
};

std::string EncodeRecord(int64_t millis, const RequestHash& hash, const TokenAnswer& a) {
  std::string out;
  out.push_back(static_cast<char>(kRecordVersion));
  AppendU64(&out, static_cast<uint64_t>(millis));
  out.append(reinterpret_cast<const char*>(hash.data()), hash.size());
  storage::AppendVarint(&out, a.read_units.size());
  for (const auto& [table, units] : a.read_units) {
    storage::AppendLengthPrefixed(&out, table);
    AppendDouble(&out, units);
  }
  out.push_back(a.item_collection_metrics ? 1 : 0);
  if (a.item_collection_metrics) {
    storage::AppendVarint(&out, a.item_collection_metrics->size());
    for (const auto& [table, list] : *a.item_collection_metrics) {
      storage::AppendLengthPrefixed(&out, table);
      storage::AppendVarint(&out, list.size());
      for (const auto& m : list) {
        storage::AppendLengthPrefixed(&out, storage::EncodeItem(m.item_collection_key));
        storage::AppendVarint(&out, m.size_estimate_range_gb.size());
        for (double gb : m.size_estimate_range_gb) AppendDouble(&out, gb);
      }
    }
  }
  return out;
}

// Only the time and hash (the common case, a token not retried, needs no more)...
bool DecodeHeader(std::string_view* in, Record* r) {
  if (in->empty() || static_cast<uint8_t>((*in)[0]) != kRecordVersion) return false;
  in->remove_prefix(1);
  uint64_t millis;
  if (!ReadU64(in, &millis) || in->size() < r->hash.size()) return false;
  r->millis = static_cast<int64_t>(millis);
  std::memcpy(r->hash.data(), in->data(), r->hash.size());
  in->remove_prefix(r->hash.size());
  return true;
}

// ... and the answer, for a retry.
bool DecodeAnswer(std::string_view in, TokenAnswer* a) {
  uint64_t n;
  if (!storage::ReadVarint(&in, &n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view table;
    double units;
    if (!storage::ReadLengthPrefixed(&in, &table) || !ReadDouble(&in, &units)) return false;
    a->read_units[std::string(table)] = units;
  }
  if (in.empty()) return false;
  const bool has_metrics = in[0] != 0;
  in.remove_prefix(1);
  if (!has_metrics) return in.empty();
  auto& metrics = a->item_collection_metrics.emplace();
  if (!storage::ReadVarint(&in, &n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view table;
    uint64_t k;
    if (!storage::ReadLengthPrefixed(&in, &table) || !storage::ReadVarint(&in, &k)) return false;
    auto& list = metrics[std::string(table)];
    for (uint64_t j = 0; j < k; ++j) {
      ItemCollectionMetrics m;
      std::string_view key;
      uint64_t count;
      if (!storage::ReadLengthPrefixed(&in, &key) ||
          !storage::DecodeItem(key, &m.item_collection_key) || !storage::ReadVarint(&in, &count) ||
          count > in.size() / 8)
        return false;
      m.size_estimate_range_gb.resize(count);
      for (double& gb : m.size_estimate_range_gb)
        if (!ReadDouble(&in, &gb)) return false;
      list.push_back(std::move(m));
    }
  }
  return in.empty();
}

bool Expired(int64_t used_millis, int64_t now_millis) {
  return now_millis - used_millis > kRequestTokenMillis;
}

Error Corrupt(std::string_view token) {
  return InternalError(fmt::format("corrupt ClientRequestToken record {}", token));
}

}  // namespace

RequestHash HashRequest(const TransactWriteItemsRequest& request) {
  // FNV-1a, 128 bits: a retry with other parameters must not pass for the same request, and 64
  // bits would leave that to a 1 in 2^64 chance per pair instead of 2^128.
  using U128 = unsigned __int128;
  const U128 prime = (U128{1} << 88) | 0x13B;
  U128 h = (U128{0x6c62272e07bb0142ULL} << 64) | 0x62b821756295c58dULL;
  for (unsigned char c : Fingerprint(request)) {
    h ^= c;
    h *= prime;
  }
  RequestHash out;
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<uint8_t>(h >> (8 * (out.size() - 1 - i)));
  return out;
}

Status CheckRequestToken(std::string_view token) {
  if (!token.empty() && token.size() <= kMaxTokenLength) return OkStatus();
  return errors::ConstraintError({fmt::format(
      "Value '{}' at 'clientRequestToken' failed to satisfy constraint: Member must have length {}",
      token,
      token.empty() ? std::string("greater than or equal to 1")
                    : fmt::format("less than or equal to {}", kMaxTokenLength))});
}

Result<std::optional<TokenAnswer>> FindRequestToken(const storage::Txn& txn, std::string_view token,
                                                    const RequestHash& hash, int64_t now_millis) {
  LD_ASSIGN_OR_RETURN(auto value, txn.Get(txn.dbis().meta, RecordKey(token)));
  if (!value) return std::optional<TokenAnswer>();
  std::string_view in = *value;
  Record r;
  if (!DecodeHeader(&in, &r)) return Corrupt(token);
  if (Expired(r.millis, now_millis)) return std::optional<TokenAnswer>();
  if (r.hash != hash)
    return Error{
        ErrorCode::kIdempotentParameterMismatch,
        "Request body does not match the previous request with the same ClientRequestToken.",
        nullptr,
        {}};
  if (!DecodeAnswer(in, &r.answer)) return Corrupt(token);
  return std::optional<TokenAnswer>(std::move(r.answer));
}

Status RecordRequestToken(storage::WriteTxn& txn, std::string_view token, const RequestHash& hash,
                          int64_t now_millis, const TokenAnswer& answer) {
  const MDB_dbi meta = txn.dbis().meta;
  // Expired tokens, oldest first: a bounded number per write.
  std::vector<std::pair<std::string, std::string>> expired;  // time key, token
  {
    LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, meta));
    LD_ASSIGN_OR_RETURN(auto e, cursor.SeekGE(kRequestTokenTimePrefix));
    const std::size_t header = kRequestTokenTimePrefix.size() + 8;
    while (e && e->key.starts_with(kRequestTokenTimePrefix) &&
           expired.size() < kExpiredTokensRemovedPerWrite) {
      if (e->key.size() < header) return Corrupt(e->key);
      uint64_t millis = 0;
      for (std::size_t i = kRequestTokenTimePrefix.size(); i < header; ++i)
        millis = (millis << 8) | static_cast<uint8_t>(e->key[i]);
      if (!Expired(static_cast<int64_t>(millis), now_millis)) break;
      expired.emplace_back(std::string(e->key), std::string(e->key.substr(header)));
      LD_ASSIGN_OR_RETURN(e, cursor.Next());
    }
  }
  for (const auto& [time_key, expired_token] : expired) {
    LD_RETURN_IF_ERROR(txn.Del(meta, time_key));
    LD_RETURN_IF_ERROR(txn.Del(meta, RecordKey(expired_token)));
  }
  // This token's earlier (expired) use, if not just removed: its time entry goes with it.
  const std::string key = RecordKey(token);
  LD_ASSIGN_OR_RETURN(auto old, txn.Get(meta, key));
  if (old) {
    std::string_view in = *old;
    Record r;
    if (!DecodeHeader(&in, &r)) return Corrupt(token);
    LD_RETURN_IF_ERROR(txn.Del(meta, TimeKey(r.millis, token)));
  }
  LD_RETURN_IF_ERROR(txn.Put(meta, key, EncodeRecord(now_millis, hash, answer)));
  return txn.Put(meta, TimeKey(now_millis, token), "");
}

}  // namespace localdynamo::engine
