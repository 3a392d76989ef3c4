// The HTTP endpoint: cpp-httplib, POST / with X-Amz-Target routed to wire::Dispatch,
// DynamoDB's response headers (x-amzn-RequestId, x-amz-crc32), optional SigV4 checking.

#include "localdynamo/server.h"

#include <httplib.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "server/sigv4.h"
#include "wire/dispatch.h"

namespace localdynamo {

namespace {

constexpr std::size_t kMaxRequestBytes = 16 * 1024 * 1024;
constexpr const char* kJsonType = "application/x-amz-json-1.0";

uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

}  // namespace

struct Server::Impl {
  Database* db = nullptr;
  ServerOptions options;
  httplib::Server http;
  std::thread thread;
  int port = 0;
  std::once_flag stop_once;

  void Respond(httplib::Response& res, int status, std::string body) {
    res.status = status;
    res.set_header("x-amzn-RequestId", db->options().ids->NewUuid());
    res.set_header("x-amz-crc32", std::to_string(Crc32(body)));
    res.set_content(std::move(body), kJsonType);
  }

  void Handle(const httplib::Request& req, httplib::Response& res) {
    auto started = std::chrono::steady_clock::now();
    std::string target = req.get_header_value("X-Amz-Target");
    wire::WireResponse out;
    if (options.access_key_id) {
      server::SignedRequest sr{req.method, req.path, "",
                               [&](std::string_view name) -> std::optional<std::string> {
                                 std::string n(name);
                                 if (!req.has_header(n)) return std::nullopt;
                                 return req.get_header_value(n);
                               },
                               req.body};
      auto ok = server::VerifySigV4(sr, *options.access_key_id, options.secret_access_key);
      if (!ok.ok()) {
        out = {ErrorHttpStatus(ok.error().code), wire::ErrorBody(ok.error()),
               std::string(ErrorCodeName(ok.error().code)), ""};
      }
    }
    if (out.body.empty()) {
      std::string type = req.get_header_value("Content-Type");
      if (!type.starts_with(kJsonType) && !type.starts_with("application/json")) {
        // DynamoDB answers a body it can't read as its protocol with UnknownOperationException.
        Error e{ErrorCode::kUnknownOperation, "", nullptr, {}};
        out = {400, wire::ErrorBody(e), "UnknownOperationException", ""};
      } else {
        out = wire::Dispatch(*db, target, req.body);
      }
    }
    if (options.access_log) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
      std::fprintf(stderr, "%s %s %d %s %lldus\n", target.empty() ? "-" : target.c_str(),
                   out.table_name.empty() ? "-" : out.table_name.c_str(), out.http_status,
                   out.error_code.empty() ? "-" : out.error_code.c_str(), static_cast<long long>(us));
    }
    Respond(res, out.http_status, std::move(out.body));
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  Stop();
  Wait();
}

Result<std::unique_ptr<Server>> Server::Start(Database& db, ServerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->db = &db;
  impl->options = options;
  auto& http = impl->http;
  const int threads = std::max(2, options.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  http.set_payload_max_length(kMaxRequestBytes);
  http.set_keep_alive_max_count(1000000);
  http.set_keep_alive_timeout(30);
  http.set_read_timeout(30, 0);
  http.set_write_timeout(30, 0);
  http.set_tcp_nodelay(true);
  Impl* raw = impl.get();
  http.Post("/", [raw](const httplib::Request& req, httplib::Response& res) { raw->Handle(req, res); });
  http.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("healthy: localdynamo", "text/plain");
  });
  if (options.port == 0) {
    impl->port = http.bind_to_any_port(options.host);
  } else {
    impl->port = http.bind_to_port(options.host, options.port) ? options.port : -1;
  }
  if (impl->port < 0)
    return InternalError(fmt::format("cannot listen on {}:{}", options.host, options.port));
  impl->thread = std::thread([raw] { raw->http.listen_after_bind(); });
  // httplib's stop() is a no-op until the accept loop runs: wait for it, so that a Stop()
  // right after Start() (a SIGTERM at once) can't be lost.
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::microseconds(50));
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->port; }

void Server::Stop() {
  std::call_once(impl_->stop_once, [this] { impl_->http.stop(); });
}

void Server::Wait() {
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace localdynamo
