// Database: opening and closing, and the handle's accessors.

#include <sys/statvfs.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "engine/database_impl.h"
#include "localdynamo/version.h"

namespace localdynamo {

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Database::~Database() = default;

Database::Impl::~Impl() {
  streams.StopWorker();
  std::string dir = directory;
  env.reset();
  if (temporary) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
}

namespace {

// The on-disk format this release writes. Format 2: stream records without repeated fields
// (engine/streams/stream_store.cc). Format 3: each table's stream sequence kept with its statistics
// (engine/catalog.cc); a format-2 release would issue sequence numbers below it. Recorded at
// open; a store from a newer release is refused rather than misread. Older stores are read
// (their values are upgraded as they are next written) and marked.
constexpr int kStoreFormat = 3;

Status CheckStoreFormat(const std::shared_ptr<storage::Env>& env, const std::string& directory) {
  auto format_of = [](std::optional<std::string_view> v) {
    int format = 0;
    if (v) std::from_chars(v->data(), v->data() + v->size(), format);
    return format;
  };
  {
    // Every open after the first only reads: no write transaction on the way to serving.
    LD_ASSIGN_OR_RETURN(auto txn, storage::ReadTxn::Begin(env));
    LD_ASSIGN_OR_RETURN(auto v, txn.Get(txn.dbis().meta, "format"));
    const int format = format_of(v);
    if (format > kStoreFormat)
      return InternalError(
          fmt::format("the database in {} was written by a newer localdynamo (store format {}; "
                      "this one reads up to {})",
                      directory, format, kStoreFormat));
    if (format == kStoreFormat) return OkStatus();
  }
  LD_ASSIGN_OR_RETURN(auto txn, storage::WriteTxn::Begin(env));
  LD_RETURN_IF_ERROR(txn.Put(txn.dbis().meta, "format", std::to_string(kStoreFormat)));
  return txn.Commit();
}

Result<std::unique_ptr<Database::Impl>> OpenImpl(const std::string& directory, Options options,
                                                 bool temporary, bool write_map = false) {
  auto impl = std::make_unique<Database::Impl>();
  if (!options.clock) options.clock = SystemClock();
  if (!options.ids) options.ids = RandomIds();
  impl->directory = directory;
  impl->temporary = temporary;
  storage::EnvOptions env_options;
  env_options.sync = options.durability == Durability::kSync;
  env_options.map_size = options.map_size_bytes;
  env_options.write_map = write_map;
  env_options.file_mode = options.file_mode;
  impl->options = std::move(options);
  LD_ASSIGN_OR_RETURN(impl->env, storage::Env::Open(directory, env_options));
  LD_RETURN_IF_ERROR(CheckStoreFormat(impl->env, directory));
  if (impl->options.stream_delivery == StreamDelivery::kBackground) impl->streams.StartWorker();
  return impl;
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& directory, Options options) {
  if (options.durability == Durability::kNone)
    return ValidationError(
        "Durability::kNone keeps nothing: open a temporary database with OpenInMemory");
  LD_ASSIGN_OR_RETURN(auto impl, OpenImpl(directory, std::move(options), false));
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

std::string_view Database::Version() { return LOCALDYNAMO_VERSION; }

Result<std::unique_ptr<Database>> Database::OpenInMemory(Options options) {
  options.durability = Durability::kNone;
  // Temporary databases are small; a smaller reservation keeps many of them cheap.
  constexpr uint64_t kMostInMemory = uint64_t{8} << 30;
  options.map_size_bytes =
      options.map_size_bytes == 0 ? kMostInMemory : std::min(options.map_size_bytes, kMostInMemory);
  // tmpfs when there is room on it: an in-memory database then never waits on disk
  // writeback. The map is capped to half the space tmpfs has free, so a full database is
  // LMDB's MDB_MAP_FULL error rather than a SIGBUS on a page that can't be backed (MDB_WRITEMAP
  // writes through the map: a page tmpfs has no room for is a SIGBUS, not an error). That
  // holds while others leave tmpfs the other half: one that fills /dev/shm meanwhile can still
  // make a write here a SIGBUS, which nothing in the process can turn into an error.
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path();
  bool on_tmpfs = false;
  struct statvfs shm {};
  if (std::filesystem::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0 &&
      statvfs("/dev/shm", &shm) == 0) {
    const uint64_t available = uint64_t{shm.f_bavail} * shm.f_frsize;
    if (available >= (uint64_t{256} << 20)) {
      base = "/dev/shm";
      on_tmpfs = true;
      options.map_size_bytes = std::min<uint64_t>(options.map_size_bytes, available / 2);
    }
  }
  std::string dir = (base / "localdynamo-XXXXXX").string();
  if (!mkdtemp(dir.data())) return InternalError("cannot create a temporary directory");
  auto impl = OpenImpl(dir, std::move(options), true, on_tmpfs);
  if (!impl.ok()) {
    std::filesystem::remove_all(dir, ec);
    return std::move(impl).error();
  }
  // LMDB keeps its files open and mapped; unlinked now, their space (in memory, on tmpfs) goes
  // back when the process ends however it ends, killed or crashed, not only when the database
  // is closed. The directory stays (empty) for the process's other handles on it.
  for (const char* file : {"data.mdb", "lock.mdb", "localdynamo.lock"})
    std::filesystem::remove(std::filesystem::path(dir) / file, ec);
  return std::unique_ptr<Database>(new Database(std::move(impl).value()));
}

const std::string& Database::directory() const { return impl_->directory; }
const Options& Database::options() const { return impl_->options; }

}  // namespace localdynamo
