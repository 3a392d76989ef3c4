#pragma once
// Injected time and ids: nothing in the engine reads the wall clock or a random source directly.

#include <cstdint>
#include <memory>
#include <string>

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMillis() = 0;
};

// The system clock.
std::shared_ptr<Clock> SystemClock();
// Starts at `start_millis` and advances by `step_millis` on every reading (0: stands still).
// Thread-safe.
std::shared_ptr<Clock> FixedClock(int64_t start_millis, int64_t step_millis = 0);

class IdSource {
 public:
  virtual ~IdSource() = default;
  // A fresh RFC 4122 UUID in canonical lower-case text form.
  virtual std::string NewUuid() = 0;
};

// Random UUIDs (v4), seeded from the OS.
std::shared_ptr<IdSource> RandomIds();
// Deterministic UUIDs: the same seed yields the same sequence. Thread-safe.
std::shared_ptr<IdSource> SequentialIds(uint64_t seed = 0);

}  // namespace localdynamo

#pragma GCC visibility pop
