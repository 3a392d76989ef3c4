#include <doctest/doctest.h>

#include "server/request_id.h"

#include <string>

// The id as text.
std::string RequestId(std::string_view uuid) {
  return std::string(localdynamo::server::RequestId(uuid).view());
}

// Expected values from Python: base64.b32hexencode(uuid.UUID(u).bytes).rstrip("=").
constexpr const char* kSuffix = "DHNM6OBCCHSMSOBDDSG76PBIEO";  // b32hex of "localdynamo serv"

TEST_CASE("RequestId: a UUID's 128 bits in base32hex, then the constant half") {
  CHECK(RequestId("00000000-0000-0000-0000-000000000000") == std::string(26, '0') + kSuffix);
  CHECK(RequestId("ffffffff-ffff-ffff-ffff-ffffffffffff") ==
        std::string("VVVVVVVVVVVVVVVVVVVVVVVVVS") + kSuffix);
  CHECK(RequestId("6663236a-b495-11e8-946a-bf44f413b71f") ==
        std::string("CPHI6QLKIK8UH53ANT2F84TN3S") + kSuffix);
  CHECK(RequestId("6663236A-B495-11E8-946A-BF44F413B71F") ==
        RequestId("6663236a-b495-11e8-946a-bf44f413b71f"));
}

TEST_CASE("RequestId: an id of fewer than 32 digits is zero-filled at the end") {
  CHECK(RequestId("ff") == "VS" + std::string(24, '0') + kSuffix);
  CHECK(RequestId("") == std::string(26, '0') + kSuffix);
  CHECK(RequestId("ffffffff-ffff-ffff") ==
        std::string(12, 'V') + "U" + std::string(13, '0') + kSuffix);
  CHECK(RequestId("ffffffff-ffff-ffff-f") ==
        std::string(13, 'V') + "S" + std::string(12, '0') + kSuffix);
}

TEST_CASE("RequestId: 52 characters of 0-9 and A-V, as DynamoDB's") {
  const std::string id = RequestId("0f1e2d3c-4b5a-4968-8776-655443322110");
  CHECK(id.size() == 52);
  for (char c : id) CHECK(((c >= '0' && c <= '9') || (c >= 'A' && c <= 'V')));
  CHECK(RequestId("0f1e2d3c-4b5a-4968-8776-655443322111") != id);
}

TEST_CASE("RequestId: a canonical UUID reads as its 32 digits in any arrangement do") {
  // The canonical form has its own path; the same digits without dashes take the general one.
  for (const char* u :
       {"0f1e2d3c-4b5a-4968-8776-655443322110", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "6663236A-B495-11e8-946a-bf44f413b71f", "00000000-0000-0000-0000-000000000001"}) {
    std::string digits;
    for (const char* c = u; *c; ++c)
      if (*c != '-') digits += *c;
    CHECK(RequestId(u) == RequestId(digits));
    CHECK(RequestId(u) == RequestId(digits.substr(0, 5) + "-" + digits.substr(5)));
  }
  // Dashes elsewhere in 36 characters: not the canonical form, read digit by digit.
  CHECK(RequestId("0f1e2d3c4-b5a-4968-8776-655443322110") ==
        RequestId("0f1e2d3c4b5a49688776655443322110"));
}
