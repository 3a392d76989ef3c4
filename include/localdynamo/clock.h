#pragma once
// Injected time and ids: nothing in the engine reads the wall clock or a random source directly.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
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

// A clock the caller moves (tests; `localdynamo serve --clock`): it reads `start_millis`
// first, each reading then advancing it by `step_millis` (0: it stands still until Set or
// Advance). What follows the database's clock follows it: time to live's expiry, the
// point-in-time recovery window, stream retention, the idempotency tokens' 10 minutes.
// Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_millis, int64_t step_millis = 0);
  int64_t NowMillis() override;
  void Set(int64_t millis);
  void Advance(int64_t millis);  // may be negative: time may be set back too
  void Restart();                // back to start_millis

 private:
  const int64_t start_;
  std::atomic<int64_t> now_;
  const int64_t step_;
};

// The system clock.
std::shared_ptr<Clock> SystemClock();
// A ManualClock.
std::shared_ptr<ManualClock> FixedClock(int64_t start_millis, int64_t step_millis = 0);

class IdSource {
 public:
  virtual ~IdSource() = default;
  // A fresh RFC 4122 UUID in canonical lower-case text form.
  virtual std::string NewUuid() = 0;
};

// Deterministic UUIDs (`serve --ids sequential[:SEED]`): the same seed yields the same
// sequence; Restart begins it again. Thread-safe.
class SeededIds final : public IdSource {
 public:
  explicit SeededIds(uint64_t seed);
  std::string NewUuid() override;
  void Restart();

 private:
  std::mutex mu_;
  const uint64_t seed_;
  uint64_t state_;
};

// Random UUIDs (v4), seeded from the OS.
std::shared_ptr<IdSource> RandomIds();
// A SeededIds.
std::shared_ptr<SeededIds> SequentialIds(uint64_t seed = 0);

}  // namespace localdynamo

#pragma GCC visibility pop
