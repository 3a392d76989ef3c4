// Test control on a Database: Reset (the store emptied, as new, in one transaction).

#include "engine/catalog.h"
#include "engine/database_impl.h"

namespace localdynamo {

Status Database::Reset() {
  Impl& db = *impl_;
  {
    LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
    LD_RETURN_IF_ERROR(engine::Catalog::EraseAll(txn));
    LD_RETURN_IF_ERROR(txn.Commit());
  }
  // What the process remembers of tables by number, which the next tables reuse.
  db.expiry.Clear();
  db.streams.Rewind();
  return OkStatus();
}

}  // namespace localdynamo
