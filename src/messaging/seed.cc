#include "seed.h"

#include <fmt/format.h>

namespace cruddur {

using namespace localdynamo;

namespace {

constexpr const char* kConversation[] = {
    "Have you ever watched Babylon 5?",
    "Yes, I have. I love it!",
    "It's one of my favorite TV shows too. What's your favorite season?",
    "I think my favorite season is season 3. So many great episodes, like \"Severed Dreams\" and "
    "\"War Without End.\"",
    "Yeah, season 3 was amazing. I also loved season 4, especially with the Shadow War and the "
    "conclusion of the Narn-Centauri conflict.",
    "Definitely. And I loved the character development of G'Kar and Londo in that season.",
    "Agreed. Their relationship was so complex and fascinating.",
    "What did you think of the final season?",
    "I thought it was a satisfying conclusion to the series. The ending was bittersweet but "
    "fitting.",
    "Yeah, it was a great way to end the show. Have you seen any of the spin-off movies or series?",
    "I've seen some of the movies, but not the Crusade spin-off series. Have you?",
    "I haven't either. I heard mixed reviews about Crusade.",
    "Same here. Who's your favorite character?",
    "That's a tough one. I think I'd have to go with Delenn.",
    "Delenn is great. I always liked Sheridan too.",
    "Sheridan's arc was one of the best. The 'Into the Fire' episode still gives me chills.",
    "What about the music? The score by Christopher Franke was incredible.",
    "Absolutely. The main theme of season 4 is my favorite.",
    "Did you ever play any of the Babylon 5 games?",
    "No, but I read a few of the novels. The Psi Corps trilogy is really good.",
    "I'll have to check those out. Thanks for the recommendation!",
    "No problem. It was fun talking about B5 with someone who loves it as much as I do.",
    "Same! Let's rewatch it together sometime.",
    "Deal. I'll bring the popcorn.",
    "And I'll bring the Narn ale.",
};

AttributeValue S(std::string s) { return AttributeValue::S(std::move(s)); }

// Version-4-shaped uuid from a counter, so synthetic data is the same every run.
std::string Uuid(uint64_t kind, uint64_t n) {
  return fmt::format("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", n & 0xFFFFFFFF, kind & 0xFFFF,
                     (n >> 32) & 0xFFF, 0, n * 2654435761ULL & 0xFFFFFFFFFFFFULL);
}

class BatchWriter {
 public:
  explicit BatchWriter(Database& db) : db_(db) {}
  Status Add(Item item) {
    req_.request_items[kMessagesTable].push_back(WriteRequest{std::move(item), std::nullopt});
    if (req_.request_items[kMessagesTable].size() == 25) return Flush();
    return OkStatus();
  }
  Status Flush() {
    if (req_.request_items.empty() || req_.request_items[kMessagesTable].empty()) return OkStatus();
    LD_RETURN_IF_ERROR(db_.BatchWriteItem(req_));
    req_.request_items.clear();
    return OkStatus();
  }

 private:
  Database& db_;
  BatchWriteItemRequest req_;
};

}  // namespace

Status SeedConversation(App& app, Database& db) {
  LD_ASSIGN_OR_RETURN(User andrew,
                      app.CreateUser("andrewbrown", "Andrew Brown", std::string(kAndrewUuid)));
  LD_ASSIGN_OR_RETURN(User bayko, app.CreateUser("bayko", "Andrew Bayko", std::string(kBaykoUuid)));
  const int n = static_cast<int>(std::size(kConversation));
  std::string last_at = App::Timestamp(kSeedStartMillis + int64_t{n - 1} * 60000);
  std::vector<Item> items = {
      GroupRowItem(andrew, bayko, kSeedGroupUuid, kConversation[n - 1], last_at),
      GroupRowItem(bayko, andrew, kSeedGroupUuid, kConversation[n - 1], last_at)};
  for (int i = 0; i < n; ++i)
    items.push_back(MessageRowItem(kSeedGroupUuid, i % 2 ? bayko : andrew, kConversation[i],
                                   App::Timestamp(kSeedStartMillis + int64_t{i} * 60000),
                                   Uuid(3, static_cast<uint64_t>(i + 1))));
  for (auto& item : items) {
    PutItemRequest p;
    p.table_name = kMessagesTable;
    p.item = std::move(item);
    LD_RETURN_IF_ERROR(db.PutItem(p));
  }
  return OkStatus();
}

Status SeedSynthetic(App& app, Database& db, const SyntheticSize& size,
                     const std::function<void(int64_t, int64_t)>& progress) {
  (void)app;
  const int64_t total = size.users + size.groups + size.messages;
  int64_t done = 0;
  auto tick = [&](int64_t n) {
    done += n;
    if (progress && (done % 10000 == 0 || done == total)) progress(done, total);
  };
  auto user = [](int64_t i) {
    return User{Uuid(1, static_cast<uint64_t>(i)), fmt::format("user{}", i),
                fmt::format("User {}", i)};
  };
  {
    BatchWriteItemRequest b;
    for (int64_t i = 0; i < size.users; ++i) {
      User u = user(i);
      b.request_items[kUsersTable].push_back(WriteRequest{
          Item{{"uuid", S(u.uuid)}, {"handle", S(u.handle)}, {"display_name", S(u.display_name)}},
          std::nullopt});
      if (b.request_items[kUsersTable].size() == 25 || i + 1 == size.users) {
        LD_RETURN_IF_ERROR(db.BatchWriteItem(b));
        b.request_items.clear();
      }
      tick(1);
    }
  }
  if (size.users < 2) return OkStatus();
  BatchWriter writer(db);
  // Group g joins users a and b; messages go round-robin over the groups, so every group's
  // rows carry its last message time.
  const int64_t groups = std::max<int64_t>(size.groups, 1);
  std::vector<std::pair<int64_t, int64_t>> members(static_cast<std::size_t>(groups));
  for (int64_t g = 0; g < groups; ++g) {
    int64_t a = (g * 7919) % size.users, b = (g * 104729 + 1) % size.users;
    if (a == b) b = (b + 1) % size.users;
    members[static_cast<std::size_t>(g)] = {a, b};
  }
  const int64_t per_group = size.messages / groups;
  for (int64_t g = 0; g < groups; ++g) {
    auto [a, b] = members[static_cast<std::size_t>(g)];
    User ua = user(a), ub = user(b);
    std::string gid = Uuid(2, static_cast<uint64_t>(g));
    int64_t count = per_group + (g < size.messages % groups ? 1 : 0);
    int64_t last_ms = kSeedStartMillis + (g * 1000 + count) * 1000;
    for (int64_t m = 0; m < count; ++m) {
      int64_t ms = kSeedStartMillis + (g * 1000 + m) * 1000;
      LD_RETURN_IF_ERROR(writer.Add(
          MessageRowItem(gid, m % 2 ? ub : ua, fmt::format("message {} in group {}", m, g),
                         App::Timestamp(ms), Uuid(3, static_cast<uint64_t>(g * 1000000 + m)))));
      tick(1);
    }
    std::string text = count ? fmt::format("message {} in group {}", count - 1, g) : "hello";
    std::string at = App::Timestamp(count ? last_ms - 1000 : last_ms);
    LD_RETURN_IF_ERROR(writer.Add(GroupRowItem(ua, ub, gid, text, at)));
    LD_RETURN_IF_ERROR(writer.Add(GroupRowItem(ub, ua, gid, text, at)));
    tick(1);
  }
  return writer.Flush();
}

}  // namespace cruddur
