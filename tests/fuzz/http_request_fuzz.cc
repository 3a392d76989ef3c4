// libFuzzer target: ParseRequest on any bytes stays inside them, and agrees with itself: a
// request it reads is read the same from exactly its own bytes and is incomplete one byte
// short (so the answer never depends on how a client's bytes were split into reads); a
// refusal is 400, 413 or 431 and closes. Built by tools/fuzz.sh (clang, ASan + UBSan).

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/http_request.h"

using namespace localdynamo::server;
using Kind = ParsedRequest::Kind;

namespace {

constexpr std::size_t kMaxBody = 300, kMaxHead = 200;

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  HttpHeaders headers;
  const ParsedRequest p = ParseRequest(in, kMaxBody, kMaxHead, &headers);
  for (const auto& [name, value] : headers) {
    Check(name.data() >= in.data() && name.data() + name.size() <= in.data() + in.size());
    Check(value.data() >= in.data() && value.data() + value.size() <= in.data() + in.size());
  }
  switch (p.kind) {
    case Kind::kRequest: {
      Check(p.size <= in.size() && p.body.size() <= kMaxBody);
      Check(p.body.data() == in.data() + p.size - p.body.size());
      const ParsedRequest own = ParseRequest(in.substr(0, p.size), kMaxBody, kMaxHead, &headers);
      Check(own.kind == Kind::kRequest && own.size == p.size && own.body == p.body &&
            own.method == p.method && own.path == p.path && own.keep_alive == p.keep_alive);
      Check(ParseRequest(in.substr(0, p.size - 1), kMaxBody, kMaxHead, &headers).kind ==
            Kind::kIncomplete);
      break;
    }
    case Kind::kRefused:
      Check((p.status == 400 || p.status == 413 || p.status == 431) && !p.keep_alive);
      break;
    case Kind::kIncomplete:
      Check(!p.has_head || in.find("\r\n\r\n") != std::string_view::npos);
      break;
  }
  return 0;
}
