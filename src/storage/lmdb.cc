#include "storage/lmdb.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

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
  if (dir.has_parent_path() && dir.parent_path() != dir) std::filesystem::create_directories(dir.parent_path(), ec);
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
    if (err != EWOULDBLOCK) return InternalError(fmt::format("cannot lock {}: {}", file, std::strerror(err)));
    return InternalError(fmt::format(
        "the database directory {} is in use by process {}: one process opens a database at a time "
        "(reach it through that process, e.g. its endpoint with --endpoint)",
        path, n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : "unknown"));
  }
  const std::string me = std::to_string(getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size())) {
    close(fd);
    return InternalError(fmt::format("cannot write {}: {}", file, std::strerror(errno)));
  }
  return fd;
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
  mdb_env_set_mapsize(env->env_, options.map_size);
  // MDB_NOTLS: read transactions belong to their object, not to a thread (server threads
  // and the stream worker hand snapshots around). MDB_NOSYNC trades durability for speed.
  unsigned flags = MDB_NOTLS | (options.sync ? 0u : MDB_NOSYNC) | (options.write_map ? MDB_WRITEMAP : 0u);
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
  if (rc) return LmdbError(rc, "mdb_txn_commit");
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
    if (!slot.load(std::memory_order_relaxed) && slot.compare_exchange_strong(empty, txn, std::memory_order_release))
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
  MDB_val k = ToVal(key), v = ToVal(value);
  int rc = mdb_put(txn_, dbi, &k, &v, 0);
  if (rc) return LmdbError(rc, "mdb_put");
  return OkStatus();
}

Status WriteTxn::Append(MDB_dbi dbi, std::string_view key, std::string_view value) {
  MDB_val k = ToVal(key), v = ToVal(value);
  int rc = mdb_put(txn_, dbi, &k, &v, MDB_APPEND);
  if (rc == MDB_KEYEXIST) return Put(dbi, key, value);
  if (rc) return LmdbError(rc, "mdb_put (append)");
  return OkStatus();
}

Result<char*> WriteTxn::Reserve(MDB_dbi dbi, std::string_view key, std::size_t size) {
  MDB_val k = ToVal(key), v{size, nullptr};
  int rc = mdb_put(txn_, dbi, &k, &v, MDB_RESERVE);
  if (rc) return LmdbError(rc, "mdb_put (reserve)");
  return static_cast<char*>(v.mv_data);
}

Result<bool> WriteTxn::Del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = ToVal(key);
  int rc = mdb_del(txn_, dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  if (rc) return LmdbError(rc, "mdb_del");
  return true;
}

Status WriteTxn::Commit() {
  int rc = mdb_txn_commit(txn_);
  txn_ = nullptr;  // committed or, on failure, freed by LMDB
  if (rc) return LmdbError(rc, "mdb_txn_commit");
  return OkStatus();
}

Result<Cursor> Cursor::Open(const Txn& txn, MDB_dbi dbi) {
  MDB_cursor* c = nullptr;
  int rc = mdb_cursor_open(txn.raw(), dbi, &c);
  if (rc) return LmdbError(rc, "mdb_cursor_open");
  return Cursor(c);
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
  int rc = mdb_cursor_del(cursor_, 0);
  if (rc) return LmdbError(rc, "mdb_cursor_del");
  return OkStatus();
}

}  // namespace localdynamo::storage
