// The HTTP stack's own limit, for bench/http_bench.py: the same server::HttpLoop that
// `localdynamo serve` runs (same threads, keep-alive, response headers), answering every
// request with an empty JSON object and no database work.
//   http_baseline_server PORT [THREADS]   (THREADS as `localdynamo serve --threads`)

#include <csignal>
#include <cstdlib>
#include <string>

#include "server/http_loop.h"

int main(int argc, char** argv) {
  using namespace localdynamo::server;
  HttpOptions options;
  options.port = argc > 1 ? std::atoi(argv[1]) : 8001;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 0;
  options.threads = threads > 0 ? threads : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  auto loop = HttpLoop::Bind(options, [](const HttpRequest&, HttpResponse& res) {
    res.headers.emplace_back("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000");
    res.headers.emplace_back("x-amz-crc32", "2745614147");
    res.body = "{}";
  });
  if (!loop.ok()) return 1;
  (*loop)->Start();
  (*loop)->Join();
  return 0;
}
