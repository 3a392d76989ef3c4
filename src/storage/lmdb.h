#pragma once
// RAII over LMDB, and the only includer of <lmdb.h>. Move-only Env / ReadTxn / WriteTxn /
// Cursor; an uncommitted transaction aborts in its destructor; MDB_NOTFOUND is std::nullopt;
// views returned by Get / Cursor die with their transaction.

#include <lmdb.h>

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "localdynamo/status.h"

namespace localdynamo::storage {

// The fixed set of named databases inside one environment (see layout.h).
struct Dbis {
  MDB_dbi catalog = 0;  // table name -> table metadata
  MDB_dbi data = 0;     // table and index entries
  MDB_dbi meta = 0;     // counters, table statistics
  MDB_dbi stream = 0;   // change stream records
};

struct EnvOptions {
  // Commits are on disk when they return (WriteTxn::Commit), or once Env::Sync returns
  // (WriteTxn::CommitBeforeSync). false: MDB_NOSYNC, the system writes them out when it likes.
  bool sync = true;
  // The map's size in bytes, the most the data file may grow to; 0: the size of the
  // filesystem holding the directory (see MapSize in lmdb.cc).
  uint64_t map_size = 0;
  // MDB_WRITEMAP: commits write through the map instead of one pwrite per page (about half
  // the cost of a small write). Only where the map fits the filesystem (tmpfs, capped):
  // a write the filesystem can't back is a SIGBUS there, not an error.
  bool write_map = false;
  unsigned file_mode = 0600;  // Options::file_mode
};

// One LMDB environment. LMDB allows one MDB_env per process per path, so Open hands out the
// same Env to every caller in the process for a path (a process-wide registry: the one place
// where LMDB's rule forces shared state). One process at a time has a directory open: another
// process's Open fails (InternalError "... in use by process N ...") until the first closes
// it or ends, because the engine keeps per-process state about the database (the catalog's
// cache, the TTL sweep's position, stream subscribers and their delivery) that nothing would
// keep coherent across processes. LMDB itself would allow it; the lock file `localdynamo.lock`
// (flock) refuses it.
class Env {
 public:
  static Result<std::shared_ptr<Env>> Open(const std::string& directory, const EnvOptions& options);
  ~Env();
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  MDB_env* raw() const { return env_; }
  // Makes every commit so far durable (EnvOptions::sync; nothing to do without it): a sync of
  // the data file, which may run while another thread's write transaction is open. Errors:
  // InternalServerError (the system's).
  Status Sync();
  const Dbis& dbis() const { return dbis_; }
  const std::string& path() const { return path_; }

  // Ended read transactions are reset and kept for the next reader (mdb_txn_renew), not
  // freed: beginning and ending one was ~1k instructions and a 0.5 KB calloc and free, on
  // every GetItem. A few are kept, for the server's threads; a renewed one is a new snapshot.
  MDB_txn* TakeSpareReader();
  // Takes a reset read transaction back; false when there is no room (the caller aborts it).
  bool KeepSpareReader(MDB_txn* txn);

 private:
  Env() = default;
  MDB_env* env_ = nullptr;
  Dbis dbis_;
  std::string path_;
  int lock_fd_ = -1;  // LockDirectory's, held while open
  bool sync_ = true;
  std::array<std::atomic<MDB_txn*>, 8> spare_readers_{};
};

Error LmdbError(int rc, std::string_view what);

// A write's failure (mdb_put, mdb_del, mdb_txn_commit, ...) in `env`, as LmdbError, except
// that running out of room says so (InternalServerError all the same): MDB_MAP_FULL "The
// database is full" with the map's size and how to raise it; ENOSPC "The disk is full"; EDQUOT;
// EFBIG "The database file can't grow" (the file size limit); and EIO, which is how LMDB
// reports a short write, as whichever of these caused it, if one did.
Error WriteError(MDB_env* env, int rc, std::string_view what);

inline MDB_val ToVal(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
inline std::string_view FromVal(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

// A read-only snapshot (or the base of a WriteTxn).
class Txn {
 public:
  Txn(Txn&& other) noexcept
      : txn_(other.txn_),
        env_(std::move(other.env_)),
        read_only_(other.read_only_),
        writes_(other.writes_) {
    other.txn_ = nullptr;
  }
  Txn& operator=(Txn&&) = delete;
  ~Txn() { Abort(); }

  MDB_txn* raw() const { return txn_; }
  const Dbis& dbis() const { return env_->dbis(); }
  // A read snapshot's id, the id of the last write committed before it began: two read
  // transactions with the same id see the same data. 0 for a write transaction.
  uint64_t snapshot_id() const { return read_only_ ? mdb_txn_id(txn_) : 0; }

  // The value for `key`, or nullopt; the view lives until the transaction ends.
  Result<std::optional<std::string_view>> Get(MDB_dbi dbi, std::string_view key) const;
  void Abort();

 protected:
  Txn(MDB_txn* txn, std::shared_ptr<Env> env, bool read_only)
      : txn_(txn), env_(std::move(env)), read_only_(read_only) {}
  MDB_txn* txn_;
  std::shared_ptr<Env> env_;
  bool read_only_;
  // Writes attempted (WriteTxn, and a Cursor's deletions): changed or not, or failed, which
  // leaves LMDB's transaction unusable. Mutable: cursors opened on a const Txn delete.
  mutable uint64_t writes_ = 0;
  friend class Cursor;
};

class ReadTxn : public Txn {
 public:
  static Result<ReadTxn> Begin(std::shared_ptr<Env> env);

 private:
  using Txn::Txn;
};

class WriteTxn : public Txn {
 public:
  static Result<WriteTxn> Begin(std::shared_ptr<Env> env);
  Status Put(MDB_dbi dbi, std::string_view key, std::string_view value);
  // Put for keys that usually sort after every key in the DBI (sequence numbers): appended
  // without a search and with pages filled instead of split in half; an ordinary put when
  // the key is not last.
  Status Append(MDB_dbi dbi, std::string_view key, std::string_view value);
  // Makes room for a value of `size` bytes under `key` and returns where to write it (valid
  // until the next write in this transaction).
  Result<char*> Reserve(MDB_dbi dbi, std::string_view key, std::size_t size);
  // Deleting a missing key is not an error; returns whether it existed.
  Result<bool> Del(MDB_dbi dbi, std::string_view key);
  // Deletes every entry of `dbi` (mdb_drop emptying it; the DBI stays open). Errors: LMDB's.
  Status Clear(MDB_dbi dbi);
  // Commits; with EnvOptions::sync, on disk when it returns. Errors: LMDB's (WriteError).
  Status Commit();
  // Commits with the data synced but not yet the meta page that makes the commit durable
  // (MDB_NOMETASYNC): the writer lock is free again at once, and Env::Sync, which may run
  // while the next transaction is being written, finishes the job. Nothing it holds may be
  // acknowledged before that Sync returns. A crash before it loses at most this commit (LMDB
  // keeps the database whole).
  Status CommitBeforeSync();
  // How many writes were attempted so far (Put, Append, Reserve, Del and cursor deletions),
  // each counted before it is tried: unchanged since an earlier reading, the transaction holds
  // exactly what it held then (a failed write, as LMDB documents, leaves it for aborting only).
  uint64_t writes() const { return writes_; }

 private:
  using Txn::Txn;
};

// A cursor over one DBI of a transaction. Must not outlive the transaction (LMDB frees a
// read-write cursor with its transaction; closing it afterwards is a double free).
class Cursor {
 public:
  static Result<Cursor> Open(const Txn& txn, MDB_dbi dbi);
  Cursor(Cursor&& other) noexcept : cursor_(other.cursor_), writes_(other.writes_) {
    other.cursor_ = nullptr;
  }
  Cursor& operator=(Cursor&&) = delete;
  ~Cursor() {
    if (cursor_) mdb_cursor_close(cursor_);
  }

  struct Entry {
    std::string_view key;
    std::string_view value;
  };
  // First entry with key >= `key`.
  Result<std::optional<Entry>> SeekGE(std::string_view key);
  // Last entry with key <= `key`.
  Result<std::optional<Entry>> SeekLE(std::string_view key);
  Result<std::optional<Entry>> Next();
  Result<std::optional<Entry>> Prev();
  Result<std::optional<Entry>> Last();
  Result<std::optional<Entry>> First();
  // Deletes the entry the cursor is on (write transactions only).
  Status DeleteCurrent();

 private:
  Cursor(MDB_cursor* c, uint64_t* writes) : cursor_(c), writes_(writes) {}
  Result<std::optional<Entry>> Step(MDB_cursor_op op, std::string_view key = {});
  MDB_cursor* cursor_;
  uint64_t* writes_;  // the transaction's count (Txn::writes_)
};

}  // namespace localdynamo::storage
