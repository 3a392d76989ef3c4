// The HTTP endpoint: POST / with X-Amz-Target routed to wire::Dispatch, DynamoDB's response
// headers (x-amzn-RequestId, x-amz-crc32), optional SigV4 checking, over server::HttpLoop;
// and the tests' control API under /_localdynamo/ (server/control.h) when enabled.

#include "localdynamo/server.h"

#include <array>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "server/control.h"
#include "server/crc32.h"
#include "server/http_loop.h"
#include "server/request_id.h"
#include "server/sigv4.h"
#include "wire/dispatch.h"

namespace localdynamo {

namespace {

constexpr std::size_t kMaxRequestBytes = 16 * 1024 * 1024;

}  // namespace

struct Server::Impl {
  Database* db = nullptr;
  ServerOptions options;
  std::unique_ptr<server::HttpLoop> http;
  std::once_flag stop_once;
  // Time to live's deletions, every time_to_live_sweep_seconds until Stop().
  std::thread sweeper;
  std::mutex sweep_mu;
  std::condition_variable sweep_cv;
  bool stopping = false;

  void Sweep() {
    using namespace std::chrono;
    steady_clock::duration pause = seconds(options.time_to_live_sweep_seconds);
    std::unique_lock lock(sweep_mu);
    while (!sweep_cv.wait_for(lock, pause, [&] { return stopping; })) {
      lock.unlock();
      // A pass reads every item of the tables with time to live on: on a large table it takes
      // a while, so the next waits ten times as long, keeping the sweep under a tenth of a core.
      const auto started = steady_clock::now();
      while (true) {  // a failure is the store's, and is retried next time
        auto n = db->DeleteExpiredItems();
        if (!n.ok() || *n == 0) break;
      }
      pause = std::max<steady_clock::duration>(seconds(options.time_to_live_sweep_seconds),
                                               10 * (steady_clock::now() - started));
      lock.lock();
    }
  }

  void Handle(const server::HttpRequest& req, server::HttpResponse& res) {
    if (req.method == "GET" && req.path == "/") {
      res.content_type = "text/plain";
      res.body = "healthy: localdynamo";
      return;
    }
    const auto started = options.access_log ? std::chrono::steady_clock::now()
                                            : std::chrono::steady_clock::time_point{};
    const std::string_view target = req.header("x-amz-target");
    const bool control = req.path.starts_with(server::kControlPrefix);
    wire::WireResponse out;
    bool answered = false;
    if (!control && req.method != "POST") {
      Error e{ErrorCode::kUnknownOperation, "", nullptr, {}};
      out = {400, wire::ErrorBody(e), "UnknownOperationException", ""};
      answered = true;
    }
    if (!answered && options.access_key_id) {
      server::SignedRequest sr{std::string(req.method), std::string(req.path), "",
                               [&](std::string_view name) -> std::optional<std::string> {
                                 std::string_view v = req.header(name);
                                 if (v.empty()) return std::nullopt;
                                 return std::string(v);
                               },
                               req.body};
      auto ok = server::VerifySigV4(sr, *options.access_key_id, options.secret_access_key,
                                    db->options().clock->NowMillis());
      if (!ok.ok()) {
        out = {ErrorHttpStatus(ok.error().code), wire::ErrorBody(ok.error()),
               std::string(ErrorCodeName(ok.error().code)), ""};
        answered = true;
      }
    }
    if (!answered && control) {
      // Tests' control API (server/control.h), when the server was started with it.
      auto a = options.control
                   ? server::HandleControl(*db, req.method, req.path, req.body)
                   : server::ControlAnswer{
                         403, wire::ErrorBody(Error{ErrorCode::kAccessDenied,
                                                    "The control API is off: start localdynamo "
                                                    "serve with --control",
                                                    nullptr,
                                                    {}})};
      out = {a.http_status, std::move(a.body), "", ""};
      answered = true;
    }
    if (!answered) {
      std::string_view type = req.header("content-type");
      if (!type.starts_with(server::HttpResponse::kJsonType) &&
          !type.starts_with("application/json")) {
        // DynamoDB answers a body it can't read as its protocol with UnknownOperationException.
        Error e{ErrorCode::kUnknownOperation, "", nullptr, {}};
        out = {400, wire::ErrorBody(e), "UnknownOperationException", ""};
      } else {
        out = wire::Dispatch(*db, target, req.body);
      }
    }
    if (options.access_log) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
      auto or_dash = [](std::string_view v) { return v.empty() ? std::string_view("-") : v; };
      fmt::print(stderr, "{} {} {} {} {}us\n", or_dash(target), or_dash(out.table_name),
                 out.http_status, or_dash(out.error_code), us);
    }
    res.status = out.http_status;
    // Not on the control API's answers: they take no id from the database's source, so a
    // test's control calls leave the ids its DynamoDB requests get unchanged.
    if (!control)
      res.AddHeader("x-amzn-RequestId", server::RequestId(db->options().ids->NewUuid()).view());
    char crc[10];
    const char* crc_end = std::to_chars(crc, crc + sizeof crc, server::Crc32(out.body)).ptr;
    res.AddHeader("x-amz-crc32", std::string_view(crc, crc_end));
    res.body = std::move(out.body);
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
  server::HttpOptions ho;
  ho.host = options.host;
  ho.port = options.port;
  ho.threads = options.threads > 0
                   ? options.threads
                   : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  ho.max_body = kMaxRequestBytes;
  ho.answer_refusal = [&db](const server::HttpRefusal& refusal, server::HttpResponse& res) {
    res.AddHeader("x-amzn-RequestId", server::RequestId(db.options().ids->NewUuid()).view());
    if (!refusal.http) return;  // not HTTP at all: the plain answer is all it can read
    // A request the server can't read, answered in DynamoDB's error shape (an SDK then reports
    // the error instead of failing to parse the answer), with the status kept: DynamoDB too
    // answers 413 to a request over 16 MB. Its body's __type there is not documented: a limit
    // is a ValidationException, broken framing (400) a SerializationException.
    const ErrorCode code =
        refusal.status == 400 ? ErrorCode::kSerialization : ErrorCode::kValidation;
    res.content_type = server::HttpResponse::kJsonType;
    res.body = wire::ErrorBody(Error{code, std::string(refusal.reason), nullptr, {}});
    char crc[10];
    const char* crc_end = std::to_chars(crc, crc + sizeof crc, server::Crc32(res.body)).ptr;
    res.AddHeader("x-amz-crc32", std::string_view(crc, crc_end));
  };
  if (db.options().durability == Durability::kSync) {
    // A durable write waits for the disk: on the pool, so that the loop threads go on reading
    // other connections' requests and concurrent writes share a sync (group commit). Reads,
    // and writes that don't wait, stay on the loop.
    ho.blocking = [](const server::HttpRequest& req) {
      return wire::WritesItems(req.header("x-amz-target"));
    };
  }
  Impl* raw = impl.get();
  LD_ASSIGN_OR_RETURN(impl->http, server::HttpLoop::Bind(ho, [raw](const server::HttpRequest& req,
                                                                   server::HttpResponse& res) {
                        raw->Handle(req, res);
                      }));
  impl->http->Start();
  if (options.time_to_live_sweep_seconds > 0) impl->sweeper = std::thread([raw] { raw->Sweep(); });
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->http->port(); }

void Server::Stop() {
  std::call_once(impl_->stop_once, [this] {
    impl_->http->Stop();
    {
      std::lock_guard lock(impl_->sweep_mu);
      impl_->stopping = true;
    }
    impl_->sweep_cv.notify_all();
  });
}

void Server::Wait() {
  impl_->http->Join();
  if (impl_->sweeper.joinable()) impl_->sweeper.join();
}

}  // namespace localdynamo
