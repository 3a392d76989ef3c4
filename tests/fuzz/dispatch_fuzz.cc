// libFuzzer target: any request body, sent as any operation (data plane, tables, Streams),
// gets a 200 or DynamoDB's 400 error with a JSON body; never a crash, never sanitizer
// findings, never a 500 (an internal error means the engine met input it did not expect);
// and a request answered with an error changes nothing a client can read (Digest).
// The store persists across inputs, so later inputs meet what earlier ones wrote; every 100
// inputs time to live deletes what has expired in it; the two seeded tables are created
// again when an input deleted them, and every table is dropped now and then so that the
// store stays small. Built by tools/fuzz.sh (clang, ASan + UBSan); the first input byte
// picks the operation, the rest is the body, with its repeats written out (ExpandRepeats: so
// that short inputs reach deep and long requests).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "localdynamo/localdynamo.h"
#include "fuzz/dispatch_store.h"
#include "wire/dispatch.h"

using namespace localdynamo;

namespace {

constexpr int kInputsPerStore = 2000;

Database& Store() {
  static int inputs = 0;
  static Database* db = [] {
    Options o;
    o.durability = Durability::kNoSync;
    o.clock = FixedClock(1679306400000, 1000);
    o.ids = SequentialIds(7);
    return std::move(Database::OpenInMemory(o)).value().release();
  }();
  if (++inputs % kInputsPerStore == 0) {
    auto tables = nlohmann::json::parse(
        wire::Dispatch(*db, "DynamoDB_20120810.ListTables", R"({"Limit":100})").body);
    for (const auto& t : tables["TableNames"])
      (void)wire::Dispatch(*db, "DynamoDB_20120810.DeleteTable",
                           nlohmann::json{{"TableName", t}}.dump());
  }
  // Time to live's deletions, on whatever the inputs wrote (and whichever attribute they chose).
  if (inputs % 100 == 0 && !db->DeleteExpiredItems().ok()) {
    std::fprintf(stderr, "DeleteExpiredItems failed\n");
    std::abort();
  }
  if (std::string failed = ld_fuzz::SeedTables(*db); !failed.empty()) {
    std::fprintf(stderr, "setup failed: %s\n", failed.c_str());
    std::abort();
  }
  return *db;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view target =
      ld_fuzz::kDispatchTargets[data[0] % std::size(ld_fuzz::kDispatchTargets)];
  const std::string body =
      ld_fuzz::ExpandRepeats(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  Database& db = Store();
  const std::string before = ld_fuzz::Digest(db);
  const wire::WireResponse r = wire::Dispatch(db, target, body);
  const bool json_body = nlohmann::json::accept(r.body);
  if ((r.http_status != 200 && r.http_status != 400) || !json_body) {
    std::fprintf(stderr, "%.*s -> %d %s\n", static_cast<int>(target.size()), target.data(),
                 r.http_status, r.body.c_str());
    std::abort();
  }
  if (r.http_status != 200 && ld_fuzz::Digest(db) != before) {
    std::fprintf(stderr, "%.*s -> %s, and the store changed\n", static_cast<int>(target.size()),
                 target.data(), r.body.c_str());
    std::abort();
  }
  return 0;
}
