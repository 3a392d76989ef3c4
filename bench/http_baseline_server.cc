// The HTTP stack's own limit, for bench/http_bench.py: the same server::HttpLoop that
// `localdynamo serve` runs (same threads, keep-alive, response headers), answering every
// request with an empty JSON object and no database work; or, given BODY_BYTES, with a JSON
// object of that many bytes (the stack's limit for answers as large as a Query page).
//   http_baseline_server PORT [THREADS [BODY_BYTES]]   (THREADS as `localdynamo serve --threads`)

#include <csignal>
#include <algorithm>
#include <cstdlib>
#include <string>

#include "server/http_loop.h"

int main(int argc, char** argv) {
  using namespace localdynamo::server;
  HttpOptions options;
  options.port = argc > 1 ? std::atoi(argv[1]) : 8001;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 0;
  options.threads =
      threads > 0 ? threads : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  const std::size_t body_bytes = argc > 3 ? std::max(2, std::atoi(argv[3])) : 2;
  // {"x":"aaa...a"}, or {} when that is all the room there is.
  const std::string body =
      body_bytes < 9 ? std::string("{}") : "{\"x\":\"" + std::string(body_bytes - 8, 'a') + "\"}";
  auto loop = HttpLoop::Bind(options, [&body](const HttpRequest&, HttpResponse& res) {
    res.AddHeader(
        "x-amzn-RequestId",
        "0000000000000000000000000ODHNM6OBCCHSMSOBDDSG76PBIEO");  // as long as localdynamo's
    res.AddHeader("x-amz-crc32", "2745614147");
    res.body = body;
  });
  if (!loop.ok()) return 1;
  (*loop)->Start();
  (*loop)->Join();
  return 0;
}
