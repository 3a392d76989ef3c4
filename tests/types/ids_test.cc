// Request ids and item ids are RFC 4122 version-4 UUIDs in their usual text form; the
// sequential source gives the same ones every run (deterministic tests depend on it).

#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "localdynamo/clock.h"

using namespace localdynamo;

TEST_CASE("SequentialIds: the splitmix64 sequence of the seed, as version-4 UUID text") {
  // Expected value computed independently (splitmix64 from 7, version and variant bits set,
  // printed with %08x-%04x-%04x-%04x-%012x).
  CHECK(SequentialIds(7)->NewUuid() == "63cbe1e4-5932-4dd7-844c-3cd7f43c661c");
  auto a = SequentialIds(1), b = SequentialIds(1);
  CHECK(a->NewUuid() == b->NewUuid());
}

TEST_CASE("Every id is lower-case hex 8-4-4-4-12 with version 4 and variant 10xx; no repeats") {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (std::shared_ptr<IdSource> ids : {std::shared_ptr<IdSource>(SequentialIds(3)), RandomIds()}) {
    std::set<std::string> seen;
    for (int i = 0; i < 500; ++i) {
      std::string id = ids->NewUuid();
      REQUIRE(std::regex_match(id, uuid));
      CHECK(seen.insert(id).second);
    }
  }
}
