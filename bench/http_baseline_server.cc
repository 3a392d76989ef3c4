// The HTTP stack's own limit, for bench/http_bench.py: cpp-httplib configured exactly as
// `localdynamo serve` configures it (src/server/server.cc: 64 workers, keep-alive, TCP_NODELAY,
// the same response headers), answering every POST with an empty JSON object.
//   http_baseline_server PORT

#include <httplib.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  int port = argc > 1 ? std::atoi(argv[1]) : 8001;
  httplib::Server http;
  http.new_task_queue = [] { return new httplib::ThreadPool(64); };
  http.set_keep_alive_max_count(1000000);
  http.set_keep_alive_timeout(30);
  http.set_tcp_nodelay(true);
  http.Post("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000");
    res.set_header("x-amz-crc32", "2745614147");
    res.set_content("{}", "application/x-amz-json-1.0");
  });
  return http.listen("127.0.0.1", port) ? 0 : 1;
}
