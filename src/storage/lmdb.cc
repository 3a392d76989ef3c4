#include "storage/lmdb.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <system_error>

#include <fmt/format.h>

namespace localdynamo::storage {

Error LmdbError(int rc, std::string_view what) {
  return InternalError(fmt::format("LMDB {} failed: {}", what, mdb_strerror(rc)));
}

namespace {

// "1048576 bytes (1.0 MiB)"
std::string SizeText(uint64_t bytes) {
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double size = static_cast<double>(bytes);
  int unit = -1;
  while (size >= 1024 && unit < 3) {
    size /= 1024;
    ++unit;
  }
  if (unit < 0) return fmt::format("{} bytes", bytes);
  return fmt::format("{} bytes ({:.1f} {})", bytes, size, units[unit]);
}

// What LMDB's EIO stood for, when it stood for running out of room: LMDB reports a write that
// wrote less than it was asked to as EIO, and a write that meets the file size limit or the
// end of the disk part way through is cut short so (the next one gets EFBIG or ENOSPC).
int RoomErrno(int rc, const std::string& directory, const std::string& file) {
  if (rc != EIO) return rc;
  struct stat st {};
  rlimit limit{};
  if (stat(file.c_str(), &st) == 0 && getrlimit(RLIMIT_FSIZE, &limit) == 0 &&
      limit.rlim_cur != RLIM_INFINITY && static_cast<uint64_t>(st.st_size) >= limit.rlim_cur)
    return EFBIG;
  struct statvfs vfs {};
  if (statvfs(directory.c_str(), &vfs) == 0) {
    const uint64_t free_blocks = geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail;
    if (free_blocks * vfs.f_frsize < (uint64_t{16} << 20)) return ENOSPC;
  }
  return rc;
}

}  // namespace

Error WriteError(MDB_env* env, int rc, std::string_view what) {
  // Every such failure leaves the database as its last commit left it: LMDB writes a commit's
  // pages before the meta page that makes them the database, and abandons the transaction.
  if (rc == MDB_MAP_FULL) {
    MDB_envinfo info{};
    mdb_env_info(env, &info);
    return InternalError(
        fmt::format("The database is full: its LMDB map (Options::map_size_bytes) of {} is used "
                    "up, and the write was not "
                    "applied (LMDB {}: MDB_MAP_FULL). Reads still work. To write again, reopen the "
                    "database with a larger "
                    "map_size_bytes (0, the default, sizes the map to the disk): LMDB copies every "
                    "page a write changes, so in "
                    "a full map deleting items may not fit either",
                    SizeText(info.me_mapsize), what));
  }
  const char* path = nullptr;
  if ((rc != ENOSPC && rc != EDQUOT && rc != EFBIG && rc != EIO) ||
      mdb_env_get_path(env, &path) != 0 || !path)
    return LmdbError(rc, what);
  const std::string file = std::string(path) + "/data.mdb";
  const int room = RoomErrno(rc, path, file);
  // The error LMDB returned, and what it stood for when that was a short write.
  const std::string failed = room == rc ? fmt::format("LMDB {} failed: {}", what, mdb_strerror(rc))
                                        : fmt::format("LMDB {} failed: {}, a short write: {}", what,
                                                      mdb_strerror(rc), std::strerror(room));
  constexpr std::string_view kNotApplied = "the write was not applied and reads still work";
  switch (room) {
    case ENOSPC:
      return InternalError(
          fmt::format("The disk is full: writing {} failed ({}); {}. Writes resume once space is "
                      "freed on the disk",
                      file, failed, kNotApplied));
    case EDQUOT:
      return InternalError(
          fmt::format("The disk quota is used up: writing {} failed ({}); {}. Writes resume once "
                      "the quota allows",
                      file, failed, kNotApplied));
    case EFBIG:
      return InternalError(
          fmt::format("The database file can't grow: writing {} failed ({}): it has reached the "
                      "process's file size limit "
                      "(ulimit -f) or the largest file the filesystem allows; {}. Writes resume "
                      "once the limit is raised",
                      file, failed, kNotApplied));
    default:
      return LmdbError(rc, what);
  }
}

namespace {

std::mutex& RegistryMutex() {
  static std::mutex mu;
  return mu;
}
std::map<std::string, std::weak_ptr<Env>>& Registry() {
  static std::map<std::string, std::weak_ptr<Env>> registry;
  return registry;
}

// Makes `directory` (and its parents) when missing: the directory itself with `mode`, so that
// a umask of 000 does not leave it open to everyone.
Status MakeDirectory(const std::string& directory, unsigned mode) {
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::path(directory).lexically_normal();
  if (std::filesystem::is_directory(dir, ec)) return OkStatus();
  if (dir.has_parent_path() && dir.parent_path() != dir)
    std::filesystem::create_directories(dir.parent_path(), ec);
  if (ec) return InternalError(fmt::format("cannot create {}: {}", directory, ec.message()));
  if (mkdir(dir.c_str(), static_cast<mode_t>(mode)) != 0 && errno != EEXIST)
    return InternalError(fmt::format("cannot create {}: {}", directory, std::strerror(errno)));
  return OkStatus();
}

// Takes the directory's lock for this process (see Env), or says who holds it. The file
// holds the holder's pid, for that message.
Result<int> LockDirectory(const std::string& path, unsigned mode) {
  const std::string file = path + "/localdynamo.lock";
  const int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) return InternalError(fmt::format("cannot open {}: {}", file, std::strerror(errno)));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char pid[32] = {};
    const ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
    close(fd);
    if (err != EWOULDBLOCK)
      return InternalError(fmt::format("cannot lock {}: {}", file, std::strerror(err)));
    return InternalError(fmt::format(
        "the database directory {} is in use by process {}: one process opens a database at a time "
        "(reach it through that process, e.g. its endpoint with --endpoint)",
        path, n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : "unknown"));
  }
  const std::string me = std::to_string(getpid());
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size())) {
    close(fd);
    return InternalError(fmt::format("cannot write {}: {}", file, std::strerror(errno)));
  }
  return fd;
}

// The map's size. It is address space reserved for the data file, not memory: pages are read in
// as they are used, and a map larger than its file costs nothing until the file grows. LMDB
// can't grow a map while the process has a transaction open (mdb_env_set_mapsize: readers keep
// pointers into the old mapping), and ours may be open at any moment (server threads, the
// stream worker), so it is sized once, at open. Unless the caller chose a size, it is the size
// of the filesystem holding the database, which the file can't outgrow: the disk fills (ENOSPC,
// an error each write reports) before the map can (MDB_MAP_FULL, which a reopen with a larger
// map cures). At least the 64 GiB of earlier releases; at most 16 TiB, a slice of the 128 TiB of
// address space a 64-bit process has.
uint64_t MapSize(const std::string& path, uint64_t requested) {
  if (requested != 0) return requested;
  constexpr uint64_t kLeast = uint64_t{64} << 30;
  constexpr uint64_t kMost = uint64_t{16} << 40;
  struct statvfs vfs {};
  if (statvfs(path.c_str(), &vfs) != 0) return kLeast;
  return std::clamp<uint64_t>(uint64_t{vfs.f_blocks} * vfs.f_frsize, kLeast, kMost);
}

}  // namespace

Result<std::shared_ptr<Env>> Env::Open(const std::string& directory, const EnvOptions& options) {
  // The directory: the files' mode plus search permission wherever they may be read.
  const unsigned dir_mode = options.file_mode | ((options.file_mode & 0444) >> 2);
  LD_RETURN_IF_ERROR(MakeDirectory(directory, dir_mode));
  std::error_code ec;
  std::string path = std::filesystem::canonical(directory, ec).string();
  if (ec) return InternalError(fmt::format("cannot open {}: {}", directory, ec.message()));

  std::lock_guard lock(RegistryMutex());
  if (auto existing = Registry()[path].lock()) return existing;

  std::shared_ptr<Env> env(new Env());
  env->path_ = path;
  LD_ASSIGN_OR_RETURN(env->lock_fd_, LockDirectory(path, options.file_mode));
  int rc = mdb_env_create(&env->env_);
  if (rc) return LmdbError(rc, "mdb_env_create");
  mdb_env_set_maxdbs(env->env_, 8);
  mdb_env_set_maxreaders(env->env_, 512);
  mdb_env_set_mapsize(env->env_, MapSize(path, options.map_size));
  // MDB_NOTLS: read transactions belong to their object, not to a thread (server threads
  // and the stream worker hand snapshots around). MDB_NOSYNC trades durability for speed.
  // MDB_NOMETASYNC: a commit syncs its data pages, and its meta page is synced by Env::Sync
  // (right after it in Commit; outside the writer lock after CommitBeforeSync, so that the
  // next transaction is written meanwhile).
  unsigned flags = MDB_NOTLS | (options.sync ? MDB_NOMETASYNC : MDB_NOSYNC) |
                   (options.write_map ? MDB_WRITEMAP : 0u);
  env->sync_ = options.sync;
  rc = mdb_env_open(env->env_, path.c_str(), flags, static_cast<mdb_mode_t>(options.file_mode));
  if (rc) return LmdbError(rc, "mdb_env_open " + path);

  MDB_txn* txn = nullptr;
  rc = mdb_txn_begin(env->env_, nullptr, 0, &txn);
  if (rc) return LmdbError(rc, "mdb_txn_begin");
  const std::pair<const char*, MDB_dbi*> names[] = {{"catalog", &env->dbis_.catalog},
                                                    {"data", &env->dbis_.data},
                                                    {"meta", &env->dbis_.meta},
                                                    {"stream", &env->dbis_.stream}};
  for (auto [name, dbi] : names) {
    rc = mdb_dbi_open(txn, name, MDB_CREATE, dbi);
    if (rc) {
      mdb_txn_abort(txn);
      return LmdbError(rc, fmt::format("mdb_dbi_open {}", name));
    }
  }
  rc = mdb_txn_commit(txn);
  if (rc) return WriteError(env->env_, rc, "mdb_txn_commit");
  LD_RETURN_IF_ERROR(env->Sync());
  Registry()[path] = env;
  return env;
}

Env::~Env() {
  for (auto& slot : spare_readers_)
    if (MDB_txn* txn = slot.exchange(nullptr)) mdb_txn_abort(txn);
  if (env_) mdb_env_close(env_);
  if (lock_fd_ >= 0) close(lock_fd_);  // and with it the lock
}

MDB_txn* Env::TakeSpareReader() {
  for (auto& slot : spare_readers_)
    if (slot.load(std::memory_order_relaxed))
      if (MDB_txn* txn = slot.exchange(nullptr, std::memory_order_acquire)) return txn;
  return nullptr;
}

bool Env::KeepSpareReader(MDB_txn* txn) {
  for (auto& slot : spare_readers_) {
    MDB_txn* empty = nullptr;
    if (!slot.load(std::memory_order_relaxed) &&
        slot.compare_exchange_strong(empty, txn, std::memory_order_release))
      return true;
  }
  return false;
}

void Txn::Abort() {
  if (!txn_) return;
  if (read_only_) {
    mdb_txn_reset(txn_);
    if (!env_->KeepSpareReader(txn_)) mdb_txn_abort(txn_);
  } else {
    mdb_txn_abort(txn_);
  }
  txn_ = nullptr;
}

Result<std::optional<std::string_view>> Txn::Get(MDB_dbi dbi, std::string_view key) const {
  MDB_val k = ToVal(key), v;
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  if (rc) return LmdbError(rc, "mdb_get");
  return std::optional<std::string_view>(FromVal(v));
}

Result<ReadTxn> ReadTxn::Begin(std::shared_ptr<Env> env) {
  if (MDB_txn* spare = env->TakeSpareReader()) {
    if (mdb_txn_renew(spare) == 0) return ReadTxn(spare, std::move(env), true);
    mdb_txn_abort(spare);
  }
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env->raw(), nullptr, MDB_RDONLY, &txn);
  if (rc) return LmdbError(rc, "mdb_txn_begin (read)");
  return ReadTxn(txn, std::move(env), true);
}

Result<WriteTxn> WriteTxn::Begin(std::shared_ptr<Env> env) {
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env->raw(), nullptr, 0, &txn);
  if (rc) return LmdbError(rc, "mdb_txn_begin (write)");
  return WriteTxn(txn, std::move(env), false);
}

Status WriteTxn::Put(MDB_dbi dbi, std::string_view key, std::string_view value) {
  ++writes_;
  MDB_val k = ToVal(key), v = ToVal(value);
  int rc = mdb_put(txn_, dbi, &k, &v, 0);
  if (rc) return WriteError(env_->raw(), rc, "mdb_put");
  return OkStatus();
}

Status WriteTxn::Append(MDB_dbi dbi, std::string_view key, std::string_view value) {
  ++writes_;
  MDB_val k = ToVal(key), v = ToVal(value);
  int rc = mdb_put(txn_, dbi, &k, &v, MDB_APPEND);
  if (rc == MDB_KEYEXIST) return Put(dbi, key, value);
  if (rc) return WriteError(env_->raw(), rc, "mdb_put (append)");
  return OkStatus();
}

Result<char*> WriteTxn::Reserve(MDB_dbi dbi, std::string_view key, std::size_t size) {
  ++writes_;
  MDB_val k = ToVal(key), v{size, nullptr};
  int rc = mdb_put(txn_, dbi, &k, &v, MDB_RESERVE);
  if (rc) return WriteError(env_->raw(), rc, "mdb_put (reserve)");
  return static_cast<char*>(v.mv_data);
}

Result<bool> WriteTxn::Del(MDB_dbi dbi, std::string_view key) {
  ++writes_;
  MDB_val k = ToVal(key);
  int rc = mdb_del(txn_, dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  if (rc) return WriteError(env_->raw(), rc, "mdb_del");
  return true;
}

Status WriteTxn::Clear(MDB_dbi dbi) {
  ++writes_;
  const int rc = mdb_drop(txn_, dbi, 0);
  if (rc) return WriteError(env_->raw(), rc, "mdb_drop");
  return OkStatus();
}

Status WriteTxn::Commit() {
  LD_RETURN_IF_ERROR(CommitBeforeSync());
  return env_->Sync();
}

Status WriteTxn::CommitBeforeSync() {
  int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;  // committed or, on failure, freed by LMDB
  if (rc) return WriteError(env_->raw(), rc, "mdb_txn_commit");
  return OkStatus();
}

Status Env::Sync() {
  if (!sync_) return OkStatus();
  if (int rc = mdb_env_sync(env_, 1)) return WriteError(env_, rc, "mdb_env_sync");
  return OkStatus();
}

Result<Cursor> Cursor::Open(const Txn& txn, MDB_dbi dbi) {
  MDB_cursor* c = nullptr;
  int rc = mdb_cursor_open(txn.raw(), dbi, &c);
  if (rc) return LmdbError(rc, "mdb_cursor_open");
  return Cursor(c, &txn.writes_);
}

Result<std::optional<Cursor::Entry>> Cursor::Step(MDB_cursor_op op, std::string_view key) {
  MDB_val k = ToVal(key), v;
  int rc = mdb_cursor_get(cursor_, &k, &v, op);
  if (rc == MDB_NOTFOUND) return std::optional<Entry>();
  if (rc) return LmdbError(rc, "mdb_cursor_get");
  return std::optional<Entry>(Entry{FromVal(k), FromVal(v)});
}

Result<std::optional<Cursor::Entry>> Cursor::SeekGE(std::string_view key) {
  return Step(MDB_SET_RANGE, key);
}

Result<std::optional<Cursor::Entry>> Cursor::SeekLE(std::string_view key) {
  LD_ASSIGN_OR_RETURN(auto e, SeekGE(key));
  if (!e) return Last();
  if (e->key == key) return e;
  return Prev();
}

Result<std::optional<Cursor::Entry>> Cursor::Next() { return Step(MDB_NEXT); }
Result<std::optional<Cursor::Entry>> Cursor::Prev() { return Step(MDB_PREV); }
Result<std::optional<Cursor::Entry>> Cursor::Last() { return Step(MDB_LAST); }
Result<std::optional<Cursor::Entry>> Cursor::First() { return Step(MDB_FIRST); }

Status Cursor::DeleteCurrent() {
  ++*writes_;
  int rc = mdb_cursor_del(cursor_, 0);
  if (rc) return WriteError(mdb_txn_env(mdb_cursor_txn(cursor_)), rc, "mdb_cursor_del");
  return OkStatus();
}

}  // namespace localdynamo::storage
