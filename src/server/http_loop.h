#pragma once
// A small HTTP/1.1 server for DynamoDB's protocol: non-blocking sockets, one epoll event loop
// per thread (the listening socket shared with EPOLLEXCLUSIVE), keep-alive, Expect:
// 100-continue, a request size limit, idle and slow-client timeouts. Requests are handled on
// the loop thread: every operation is short (microseconds), so a thread per connection (what
// cpp-httplib does) only adds context switches. Those that wait (a durable write waits for the
// disk) may go to a pool of threads instead (HttpOptions::blocking), so that the loop serves
// other connections meanwhile and their writes can share a sync.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "localdynamo/status.h"

namespace localdynamo::server {

struct HttpRequest {
  std::string_view method;
  std::string_view path;
  std::string_view body;
  // Header value by lower-case name ("" when absent).
  std::function<std::string_view(std::string_view)> header;
  bool has_header(std::string_view name) const;
};

struct HttpResponse {
  static constexpr std::string_view kJsonType = "application/x-amz-json-1.0";
  int status = 200;
  std::string_view content_type = kJsonType;  // a literal
  // Further header lines, "Name: value\r\n" each: kept as text (cleared, not freed, between
  // requests) so that adding them allocates nothing.
  std::string headers;
  std::string body;

  void AddHeader(std::string_view name, std::string_view value) {
    headers.append(name).append(": ").append(value).append("\r\n");
  }
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

// One of the loop's own refusals: a request it can't read.
struct HttpRefusal {
  int status = 400;         // 400, 413 or 431
  std::string_view reason;  // a short text
  // The request line was HTTP's, so the client awaits an answer in its protocol's shape; false
  // for bytes that aren't HTTP at all.
  bool http = false;
};

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 2;
  std::size_t max_body = 16 * 1024 * 1024;
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive connections with nothing to do
  std::chrono::milliseconds request_timeout{
      30000};  // a request that has begun but not arrived whole
  // The memory all connections together may hold for large requests. A connection reads its
  // first 128 KB freely (a head, a small request); a larger request's body is read once its
  // whole size is granted from this budget, and waits unread until then (its bytes stay in
  // the kernel's socket buffer, and TCP holds its sender back). A request larger than the
  // whole budget is read when no other holds any of it. Given back once the request is answered.
  std::size_t max_buffered = 64 * 1024 * 1024;
  // Answers the loop's own refusals: `r` comes with the refusal's status and its reason as a
  // text/plain body, which the server may replace with its own error shape, and adds to it
  // what it adds to every answer (its x-amzn-RequestId, say).
  std::function<void(const HttpRefusal&, HttpResponse&)> answer_refusal;
  // Requests that wait: those for which this returns true are handled on a pool of
  // `blocking_threads` threads while the loop goes on serving the other connections. Their
  // connection reads no further request until the answer is sent, so answers keep their
  // order. Unset: every request is handled on its loop thread.
  std::function<bool(const HttpRequest&)> blocking;
  int blocking_threads = 64;
};

class HttpLoop {
 public:
  // Binds and listens; Run() serves. Errors: InternalServerError with the system message.
  static Result<std::unique_ptr<HttpLoop>> Bind(const HttpOptions& options, HttpHandler handler);
  ~HttpLoop();
  int port() const { return port_; }
  // The bytes granted from max_buffered now, across all threads.
  std::size_t buffered() const { return granted_.load(std::memory_order_relaxed); }
  // Starts the loop threads.
  void Start();
  // Stops accepting and closes connections once their current request is answered.
  void Stop();
  void Join();

 private:
  HttpLoop() = default;
  struct LoopState;
  struct Job;
  void Loop(int epoll_fd, LoopState* state);
  // A pool thread: handles jobs until Join() stops the pool.
  void Work();
  // Takes `bytes` from the budget: false when others hold too much of it for them.
  bool Grant(std::size_t bytes);

  HttpOptions options_;
  HttpHandler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  int stop_fd_ = -1;  // eventfd, readable once Stop() was called
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> granted_{0};  // of options_.max_buffered
  std::vector<std::thread> threads_;
  std::vector<std::unique_ptr<LoopState>> loops_;  // one per loop thread
  // The blocking requests waiting for a pool thread.
  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;
  std::deque<Job> jobs_;
  bool pool_stopping_ = false;
  std::vector<std::thread> pool_;
};

}  // namespace localdynamo::server
