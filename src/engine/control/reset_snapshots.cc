// Test control on a Database: Reset (the store emptied, as new) and snapshots of the whole
// store (saved in memory, restored in one transaction). Both replace the four DBIs' contents
// wholesale, moving the catalog version past every earlier one so that no cached catalog
// survives them.

#include <fmt/format.h>

#include "engine/catalog.h"
#include "engine/database_impl.h"
#include "engine/errors.h"

namespace localdynamo {
namespace {

MDB_dbi DbiAt(const storage::Dbis& dbis, int i) {
  const MDB_dbi all[4] = {dbis.catalog, dbis.data, dbis.meta, dbis.stream};
  return all[i];
}

// What the process remembers of tables by number, which the tables that follow reuse.
void Forget(Database::Impl& db) {
  db.expiry.Clear();
  db.streams.Rewind();
}

}  // namespace

Status Database::Reset() {
  Impl& db = *impl_;
  {
    LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
    LD_RETURN_IF_ERROR(engine::Catalog::EraseAll(txn));
    LD_RETURN_IF_ERROR(txn.Commit());
  }
  Forget(db);
  return OkStatus();
}

Status Database::SaveSnapshot(const std::string& name) {
  if (name.empty()) return ValidationError("A snapshot needs a name");
  Impl& db = *impl_;
  auto copy = std::make_shared<Impl::StoreCopy>();
  {
    LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
    for (int i = 0; i < 4; ++i) {
      LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, DbiAt(txn.dbis(), i)));
      LD_ASSIGN_OR_RETURN(auto entry, cursor.First());
      while (entry) {
        copy->entries[i].emplace_back(entry->key, entry->value);
        LD_ASSIGN_OR_RETURN(entry, cursor.Next());
      }
    }
  }
  std::lock_guard lock(db.snapshots_mu);
  db.snapshots[name] = std::move(copy);
  return OkStatus();
}

Status Database::RestoreSnapshot(const std::string& name) {
  Impl& db = *impl_;
  std::shared_ptr<const Impl::StoreCopy> copy;
  {
    std::lock_guard lock(db.snapshots_mu);
    auto it = db.snapshots.find(name);
    if (it == db.snapshots.end())
      return Error{
          ErrorCode::kResourceNotFound, fmt::format("Snapshot not found: {}", name), nullptr, {}};
    copy = it->second;
  }
  {
    LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
    LD_ASSIGN_OR_RETURN(const uint64_t version_now, engine::Catalog::StoredVersion(txn));
    for (int i = 0; i < 4; ++i) {
      const MDB_dbi dbi = DbiAt(txn.dbis(), i);
      LD_RETURN_IF_ERROR(txn.Clear(dbi));
      for (const auto& [key, value] : copy->entries[i])  // in key order: each one appended
        LD_RETURN_IF_ERROR(txn.Append(dbi, key, value));
    }
    LD_ASSIGN_OR_RETURN(const uint64_t version_saved, engine::Catalog::StoredVersion(txn));
    LD_RETURN_IF_ERROR(
        engine::Catalog::StoreVersion(txn, std::max(version_now, version_saved) + 1));
    LD_RETURN_IF_ERROR(txn.Commit());
  }
  Forget(db);
  return OkStatus();
}

}  // namespace localdynamo
