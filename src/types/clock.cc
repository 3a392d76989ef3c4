#include "localdynamo/clock.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>

namespace localdynamo {
namespace {

class SystemClockImpl final : public Clock {
 public:
  int64_t NowMillis() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

std::string FormatUuid(uint64_t hi, uint64_t lo) {
  // Version 4 / RFC 4122 variant bits, so the text is a valid UUID whatever the source.
  hi = (hi & ~uint64_t{0xF000}) | 0x4000;
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);
  // 8-4-4-4-12 hex digits: the 128 bits, most significant first.
  std::string out(36, '-');
  auto hex = [&out](std::size_t at, uint64_t v, int digits) {
    for (int i = digits - 1; i >= 0; --i, v >>= 4) out[at + i] = "0123456789abcdef"[v & 0xF];
  };
  hex(0, hi >> 32, 8);
  hex(9, hi >> 16, 4);
  hex(14, hi, 4);
  hex(19, lo >> 48, 4);
  hex(24, lo, 12);
  return out;
}

class RandomIdsImpl final : public IdSource {
 public:
  RandomIdsImpl() : rng_(std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32)) {}
  std::string NewUuid() override {
    std::lock_guard lock(mu_);
    uint64_t hi = rng_(), lo = rng_();
    return FormatUuid(hi, lo);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 rng_;
};

// splitmix64: a fixed, well-mixed sequence from a seed.
uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::shared_ptr<Clock> SystemClock() { return std::make_shared<SystemClockImpl>(); }
std::shared_ptr<ManualClock> FixedClock(int64_t start_millis, int64_t step_millis) {
  return std::make_shared<ManualClock>(start_millis, step_millis);
}

ManualClock::ManualClock(int64_t start_millis, int64_t step_millis)
    : start_(start_millis), now_(start_millis), step_(step_millis) {}
void ManualClock::Restart() { now_.store(start_); }
int64_t ManualClock::NowMillis() { return now_.fetch_add(step_); }
void ManualClock::Set(int64_t millis) { now_.store(millis); }
void ManualClock::Advance(int64_t millis) { now_.fetch_add(millis); }
std::shared_ptr<IdSource> RandomIds() { return std::make_shared<RandomIdsImpl>(); }
std::shared_ptr<SeededIds> SequentialIds(uint64_t seed) {
  return std::make_shared<SeededIds>(seed);
}

SeededIds::SeededIds(uint64_t seed) : seed_(seed), state_(seed) {}

std::string SeededIds::NewUuid() {
  std::lock_guard lock(mu_);
  uint64_t hi = SplitMix(&state_), lo = SplitMix(&state_);
  return FormatUuid(hi, lo);
}

void SeededIds::Restart() {
  std::lock_guard lock(mu_);
  state_ = seed_;
}

}  // namespace localdynamo
