#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "localdynamo/clock.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

// What a write survives once its call has returned (as LMDB documents its flags). Writes from
// several threads at once share a commit, and under kSync its sync (group commit).
enum class Durability {
  // Every write is on disk before its call returns (LMDB's default: the data, then the meta
  // page, each synced). A process crash or a power loss loses no returned write. The default
  // for Open.
  kSync,
  // Committed to the operating system's cache, not synced (MDB_NOSYNC): a process crash loses
  // nothing (the system writes the cache out), a power loss or a system crash loses the writes
  // of the last seconds and, as LMDB warns, may leave the database corrupt (`localdynamo
  // check` tells). Faster: no write waits for the disk.
  kNoSync,
  // Nothing is kept: the database is temporary (OpenInMemory's: tmpfs where there is room),
  // removed when closed; a crash loses all of it. Open refuses it (a directory is kept).
  kNone,
};

enum class StreamDelivery {
  // Subscribers run on the writing thread after commit, through a FIFO drained before the
  // write call returns; a subscriber's own writes are queued behind, never nested.
  kSynchronous,
  // Subscribers run on a worker thread, like a Lambda trigger, resuming from a persisted
  // checkpoint after a restart (at-least-once).
  kBackground,
};

struct Options {
  Durability durability = Durability::kSync;
  // Largest size the database may grow to (LMDB map size); reserved address space only. 0: the
  // size of the filesystem holding the directory (at least 64 GiB, at most 16 TiB), so that the
  // disk fills before the map. A write that finds the map full fails (InternalServerError "The
  // database is full ...", as does one that finds the disk full) and changes nothing; reopening
  // with a larger size makes room. OpenInMemory: at most 8 GiB, and on tmpfs at most half of its
  // free space (0: as much as that allows).
  uint64_t map_size_bytes = 0;
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::shared_ptr<Clock> clock;   // default: SystemClock()
  std::shared_ptr<IdSource> ids;  // default: RandomIds()
  StreamDelivery stream_delivery = StreamDelivery::kSynchronous;
  // Permission bits of the files Open creates (before the umask): the owner's only by default.
  // A directory Open creates gets these bits plus search permission for whoever may read
  // (0600: 0700, 0640: 0750); an existing directory keeps its own.
  unsigned file_mode = 0600;
};

}  // namespace localdynamo

#pragma GCC visibility pop
