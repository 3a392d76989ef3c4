#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "localdynamo/clock.h"

namespace localdynamo {

enum class Durability {
  kSync,    // every commit is on disk before the call returns (default for directories)
  kNoSync,  // the OS flushes when it likes: fast, loses recent commits on a machine crash
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
  // Largest size the database may grow to (LMDB map size); reserved address space only.
  uint64_t map_size_bytes = uint64_t{64} << 30;
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  std::shared_ptr<Clock> clock;        // default: SystemClock()
  std::shared_ptr<IdSource> ids;       // default: RandomIds()
  StreamDelivery stream_delivery = StreamDelivery::kSynchronous;
  // Permission bits of the files Open creates (before the umask): the owner's only by default.
  // A directory Open creates gets these bits plus search permission for whoever may read
  // (0600: 0700, 0640: 0750); an existing directory keeps its own.
  unsigned file_mode = 0600;
};

}  // namespace localdynamo
