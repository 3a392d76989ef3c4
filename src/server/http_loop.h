#pragma once
// A small HTTP/1.1 server for DynamoDB's protocol: non-blocking sockets, one epoll event loop
// per thread (the listening socket shared with EPOLLEXCLUSIVE), keep-alive, Expect:
// 100-continue, a request size limit, idle and slow-client timeouts. Requests are handled on
// the loop thread: every operation is short (microseconds), so a thread per connection (what
// cpp-httplib does) only adds context switches.

#include <atomic>
#include <chrono>
#include <functional>
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

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int threads = 2;
  std::size_t max_body = 16 * 1024 * 1024;
  std::chrono::milliseconds idle_timeout{60000};     // keep-alive connections with nothing to do
  std::chrono::milliseconds request_timeout{30000};  // a request that has begun but not arrived whole
  // Adds to the answers the loop gives itself (400, 413, 431 for requests it can't read), as
  // the handler adds to its own: the server's x-amzn-RequestId, say.
  std::function<void(HttpResponse&)> decorate_refusal;
};

class HttpLoop {
 public:
  // Binds and listens; Run() serves. Errors: InternalServerError with the system message.
  static Result<std::unique_ptr<HttpLoop>> Bind(const HttpOptions& options, HttpHandler handler);
  ~HttpLoop();
  int port() const { return port_; }
  // Starts the loop threads.
  void Start();
  // Stops accepting and closes connections once their current request is answered.
  void Stop();
  void Join();

 private:
  HttpLoop() = default;
  void Loop(int epoll_fd);

  HttpOptions options_;
  HttpHandler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  int stop_fd_ = -1;  // eventfd, readable once Stop() was called
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
};

}  // namespace localdynamo::server
