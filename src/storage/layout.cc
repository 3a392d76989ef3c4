#include "storage/layout.h"

#include <algorithm>
#include <cstring>

#include "storage/item_codec.h"

namespace localdynamo::storage {
namespace {

constexpr uint8_t kLongFormFlag = 1;

}  // namespace

uint64_t Hash64(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

void AppendKeyspacePrefix(std::string* out, uint32_t table_number, uint8_t index_number) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out->push_back(static_cast<char>(table_number >> shift));
  out->push_back(static_cast<char>(index_number));
}

std::string KeyspacePrefix(uint32_t table_number, uint8_t index_number) {
  std::string out;
  AppendKeyspacePrefix(&out, table_number, index_number);
  return out;
}

std::string TableKeyspace(uint32_t table_number) {
  return KeyspacePrefix(table_number, 0).substr(0, 4);
}

std::string StoredKey(std::string_view full_key) {
  if (full_key.size() <= kLongKeyPrefix) return std::string(full_key);
  std::string out(full_key.substr(0, kLongKeyPrefix));
  uint64_t h = Hash64(full_key);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(h >> shift));
  return out;
}

std::string EncodeEntryValue(std::string_view full_key, std::string_view payload) {
  std::string out;
  if (full_key.size() > kLongKeyPrefix) {
    out.push_back(static_cast<char>(kLongFormFlag));
    AppendVarint(&out, full_key.size());
    out.append(full_key);
  } else {
    out.push_back(0);
  }
  out.append(payload);
  return out;
}

bool DecodeEntryValue(std::string_view stored_key, std::string_view value, EntryView* out) {
  if (value.empty()) return false;
  if (!(static_cast<uint8_t>(value[0]) & kLongFormFlag)) {
    // The common case, kept free of locals whose address is taken: GCC spilled `value` to
    // the stack for ReadVarint and read it back with one 16-byte load over two 8-byte
    // stores, a store-forwarding stall that was half of this function's time.
    out->full_key = stored_key;
    out->payload = std::string_view(value.data() + 1, value.size() - 1);
    return true;
  }
  std::string_view rest = value.substr(1);
  uint64_t n;
  if (!ReadVarint(&rest, &n) || n > rest.size()) return false;
  out->full_key = rest.substr(0, n);
  out->payload = rest.substr(n);
  return true;
}

Status PutEntry(WriteTxn& txn, MDB_dbi dbi, std::string_view full_key, std::string_view payload) {
  if (full_key.size() <= kLongKeyPrefix) {
    // The common case: the key is stored as is; the value is written straight into LMDB's
    // page (flag byte + payload), with no intermediate copy.
    LD_ASSIGN_OR_RETURN(char* dst, txn.Reserve(dbi, full_key, payload.size() + 1));
    dst[0] = 0;
    std::memcpy(dst + 1, payload.data(), payload.size());
    return OkStatus();
  }
  std::string stored = StoredKey(full_key);
  LD_ASSIGN_OR_RETURN(auto existing, txn.Get(dbi, stored));
  EntryView e;
  if (existing && DecodeEntryValue(stored, *existing, &e) && e.full_key != full_key)
    return InternalError("long key hash collision; the item cannot be stored");
  return txn.Put(dbi, stored, EncodeEntryValue(full_key, payload));
}

Status DeleteKeyspace(WriteTxn& txn, MDB_dbi dbi, std::string_view prefix) {
  LD_ASSIGN_OR_RETURN(auto cursor, Cursor::Open(txn, dbi));
  LD_ASSIGN_OR_RETURN(auto e, cursor.SeekGE(prefix));
  while (e && e->key.starts_with(prefix)) {
    LD_RETURN_IF_ERROR(cursor.DeleteCurrent());
    // After a delete LMDB leaves the cursor on the following entry.
    LD_ASSIGN_OR_RETURN(e, cursor.SeekGE(prefix));
  }
  return OkStatus();
}

Status CopyKeyspace(WriteTxn& txn, MDB_dbi dbi, std::string_view from, std::string_view to,
                    const std::function<bool(uint8_t index_number)>& keep) {
  if (from.size() != to.size() || from.empty())
    return InternalError("CopyKeyspace: prefixes differ in size");
  // Read in batches and write each batch with no cursor open, so the writes (after the
  // source's keys or before them) never move a cursor under the reading.
  constexpr std::size_t kBatch = 1024;
  std::string resume(from);
  std::vector<std::pair<std::string, std::string>> batch;  // full key under `to`, payload
  while (true) {
    batch.clear();
    bool more = false;
    {
      LD_ASSIGN_OR_RETURN(auto cursor, Cursor::Open(txn, dbi));
      LD_ASSIGN_OR_RETURN(auto e, cursor.SeekGE(resume));
      while (e && e->key.starts_with(from)) {
        if (batch.size() == kBatch) {
          more = true;
          resume.assign(e->key);
          break;
        }
        EntryView v;
        if (!DecodeEntryValue(e->key, e->value, &v)) return InternalError("corrupt entry");
        const uint8_t index =
            v.full_key.size() > from.size() ? static_cast<uint8_t>(v.full_key[from.size()]) : 0;
        if (!keep || keep(index)) {
          std::string key(to);
          key.append(v.full_key.substr(from.size()));
          batch.emplace_back(std::move(key), std::string(v.payload));
        }
        LD_ASSIGN_OR_RETURN(e, cursor.Next());
      }
    }
    for (const auto& [key, payload] : batch) LD_RETURN_IF_ERROR(PutEntry(txn, dbi, key, payload));
    if (!more) return OkStatus();
  }
}

Result<bool> DeleteEntry(WriteTxn& txn, MDB_dbi dbi, std::string_view full_key) {
  std::string stored = StoredKey(full_key);
  if (IsLongForm(stored)) {
    LD_ASSIGN_OR_RETURN(auto existing, txn.Get(dbi, stored));
    EntryView e;
    if (!existing || !DecodeEntryValue(stored, *existing, &e) || e.full_key != full_key)
      return false;
  }
  return txn.Del(dbi, stored);
}

Result<std::optional<std::string_view>> GetEntry(const Txn& txn, MDB_dbi dbi,
                                                 std::string_view full_key) {
  std::string long_form;
  std::string_view stored = full_key;
  if (full_key.size() > kLongKeyPrefix) stored = long_form = StoredKey(full_key);
  LD_ASSIGN_OR_RETURN(auto value, txn.Get(dbi, stored));
  if (!value) return std::optional<std::string_view>();
  EntryView e;
  if (!DecodeEntryValue(stored, *value, &e)) return InternalError("corrupt entry");
  if (e.full_key != full_key) return std::optional<std::string_view>();
  return std::optional<std::string_view>(e.payload);
}

RangeScanner::RangeScanner(Cursor cursor, Bound lower, Bound upper, bool forward)
    : cursor_(std::move(cursor)),
      lower_(std::move(lower)),
      upper_(std::move(upper)),
      forward_(forward) {}

bool RangeScanner::AboveLower(std::string_view full) const {
  switch (lower_.kind) {
    case Bound::Kind::kExclusive:
      return full > lower_.key;
    case Bound::Kind::kAfterPrefix: {  // above the bound and not starting with it
      const std::string_view key = lower_.key;
      return full.substr(0, key.size()).compare(key) > 0;
    }
    default:
      return full >= lower_.key;
  }
}

bool RangeScanner::BelowUpper(std::string_view full) const {
  switch (upper_.kind) {
    case Bound::Kind::kInclusive:
      return full <= upper_.key;
    case Bound::Kind::kExclusive:
      return full < upper_.key;
    case Bound::Kind::kPrefix: {
      // Below the bound or starting with it: only the bound's length of `full` matters.
      const std::string_view key = upper_.key;
      return full.substr(0, key.size()).compare(key) <= 0;
    }
    case Bound::Kind::kAfterPrefix:
      return false;  // not an upper bound kind
  }
  return false;
}

Result<std::optional<Cursor::Entry>> RangeScanner::Advance() {
  if (pending_) {
    auto e = pending_;
    pending_.reset();
    return e;
  }
  if (started_) return forward_ ? cursor_.Next() : cursor_.Prev();
  started_ = true;
  if (forward_) {
    std::string_view seek = lower_.key;
    if (seek.size() > kLongKeyPrefix) seek = seek.substr(0, kLongKeyPrefix);
    return cursor_.SeekGE(seek);
  }
  // Greatest stored key that can be <= upper: pad with 0xFF past any stored key that starts
  // with the (truncated) bound.
  std::string seek = upper_.key.substr(0, std::min(upper_.key.size(), kLongKeyPrefix));
  if (upper_.kind == Bound::Kind::kPrefix || upper_.key.size() > kLongKeyPrefix)
    seek.resize(kMaxLmdbKey, '\xFF');
  return cursor_.SeekLE(seek);
}

Status RangeScanner::LoadGroup(Cursor::Entry first) {
  group_.clear();
  group_pos_ = 0;
  std::string prefix(first.key.substr(0, kLongKeyPrefix));
  std::optional<Cursor::Entry> e = first;
  while (e && IsLongForm(e->key) && e->key.starts_with(prefix)) {
    EntryView view;
    if (!DecodeEntryValue(e->key, e->value, &view)) return InternalError("corrupt entry");
    group_.emplace_back(std::string(view.full_key), std::string(view.payload));
    LD_ASSIGN_OR_RETURN(e, forward_ ? cursor_.Next() : cursor_.Prev());
  }
  pending_ = e;
  if (forward_) {
    std::sort(group_.begin(), group_.end());
  } else {
    std::sort(group_.begin(), group_.end(), std::greater<>());
  }
  return OkStatus();
}

Result<std::optional<EntryView>> RangeScanner::Next() {
  while (true) {
    if (group_pos_ < group_.size()) {
      const auto& [full, payload] = group_[group_pos_++];
      if (!AboveLower(full)) {
        if (forward_) continue;
        done_ = true;
        return std::optional<EntryView>();
      }
      if (!BelowUpper(full)) {
        if (!forward_) continue;
        done_ = true;
        return std::optional<EntryView>();
      }
      return std::optional<EntryView>(EntryView{full, payload});
    }
    if (done_) return std::optional<EntryView>();
    LD_ASSIGN_OR_RETURN(auto e, Advance());
    if (!e) {
      done_ = true;
      return std::optional<EntryView>();
    }
    if (IsLongForm(e->key)) {
      LD_RETURN_IF_ERROR(LoadGroup(*e));
      if (!pending_) done_ = true;  // the group ran to the end of the database
      continue;
    }
    EntryView view;
    if (!DecodeEntryValue(e->key, e->value, &view)) return InternalError("corrupt entry");
    // Short-form keys come in full-key order: once one is past the bound the scan starts
    // from, every later one is too, and only the far bound needs checking.
    if (forward_) {
      if (!BelowUpper(view.full_key)) {
        done_ = true;
        return std::optional<EntryView>();
      }
      if (!past_start_ && !AboveLower(view.full_key)) continue;
    } else {
      if (!AboveLower(view.full_key)) {
        done_ = true;
        return std::optional<EntryView>();
      }
      if (!past_start_ && !BelowUpper(view.full_key)) continue;
    }
    past_start_ = true;
    return std::optional<EntryView>(view);
  }
}

}  // namespace localdynamo::storage
