#pragma once
// Seed data: the seed document's two-person conversation (Andrew Brown and Andrew Bayko, one
// message a minute), and large synthetic stores for benchmarks.

#include <cstdint>
#include <functional>

#include "messaging.h"

namespace cruddur {

// Users and ids of the seed conversation (as ../shared/acceptance/cruddur_e2e.py uses them).
inline constexpr const char* kAndrewUuid = "1506fa16-d775-4808-9f46-456661029af2";
inline constexpr const char* kBaykoUuid = "2f1c7a1e-30e8-4c5c-9b0f-6a5b7a7d3e21";
inline constexpr const char* kSeedGroupUuid = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399";
inline constexpr int64_t kSeedStartMillis = 1679306400000;  // 2023-03-20T10:00:00Z

// Writes the two users, both group rows and the 25 messages (the last one's time on the group
// rows), exactly as the seed script does; the same items every run.
Status SeedConversation(App& app, localdynamo::Database& db);

struct SyntheticSize {
  int64_t users = 0;
  int64_t groups = 0;
  int64_t messages = 0;
};
// users user-N; groups between pseudo-random pairs; messages spread over the groups, one
// second apart from kSeedStartMillis, batched 25 per write. `progress(done, total)` is called
// now and then. Deterministic for a given size.
Status SeedSynthetic(App& app, localdynamo::Database& db, const SyntheticSize& size,
                     const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace cruddur
