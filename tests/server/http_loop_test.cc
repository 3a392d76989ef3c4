// The HTTP loop's timeouts, on a real socket: a request that has begun must arrive whole
// within the request timeout (however slowly it trickles in), and a keep-alive connection
// with nothing to do is closed after the idle timeout; answers too large to send at once;
// its own refusals; the budget for request buffers across connections.

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <tuple>

#include "server/http_loop.h"

using namespace localdynamo::server;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

struct Served {
  std::unique_ptr<HttpLoop> loop;
  // Answers "{}", or with `repeat` > 0 the request's body repeated that many times.
  // `adjust` changes the options before the loop starts.
  explicit Served(std::size_t repeat = 0, const std::function<void(HttpOptions&)>& adjust = {}) {
    HttpOptions o;
    o.threads = 1;
    o.request_timeout = 300ms;
    o.idle_timeout = 600ms;
    o.max_body = 1000;
    // What a server does: its request id on every refusal, its own error shape for HTTP clients.
    o.answer_refusal = [](const HttpRefusal& f, HttpResponse& r) {
      r.AddHeader("x-amzn-RequestId", "REFUSED");
      if (!f.http) return;
      r.content_type = HttpResponse::kJsonType;
      r.body = "{\"status\":" + std::to_string(f.status) + ",\"reason\":\"" +
               std::string(f.reason) + "\"}";
    };
    if (adjust) adjust(o);
    loop = std::move(HttpLoop::Bind(o, [repeat](const HttpRequest& req, HttpResponse& res) {
             if (repeat == 0) res.body = "{}";
             for (std::size_t i = 0; i < repeat; ++i) res.body.append(req.body);
           })).value();
    loop->Start();
  }
  ~Served() {
    loop->Stop();
    loop->Join();
  }
  int Connect() const {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(loop->port()));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    timeval tv{5, 0};  // a server that never closes fails the test instead of hanging it
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
  }
};

void Send(int fd, std::string_view s) {
  REQUIRE(send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()));
}

// Reads until the server closes the connection; what it sent, and how long that took.
std::pair<std::string, Clock::duration> ReadUntilClosed(int fd) {
  const auto start = Clock::now();
  std::string got;
  char buf[4096];
  while (true) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      CHECK(n == 0);  // closed by the server, not the 5 s receive timeout
      break;
    }
    got.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  return {got, Clock::now() - start};
}

constexpr std::string_view kHead = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n";

}  // namespace

TEST_CASE("a request whose head or body stops arriving is closed after the request timeout") {
  Served s;
  for (const std::string& begun :
       {std::string("POST / HTTP/1.1\r\nHost: x\r\n"), std::string(kHead) + "abc"}) {
    CAPTURE(begun);
    int fd = s.Connect();
    Send(fd, begun);  // and nothing more
    auto [got, took] = ReadUntilClosed(fd);
    CHECK(got.empty());
    CHECK(took >= 250ms);
    CHECK(took < 3s);
  }
}

TEST_CASE(
    "a request in pieces, all within the timeout, is answered; then the idle connection closes") {
  Served s;
  int fd = s.Connect();
  for (std::string_view piece :
       {kHead.substr(0, 7), kHead.substr(7), std::string_view("0123456789")}) {
    Send(fd, piece);
    std::this_thread::sleep_for(50ms);
  }
  const auto answered = Clock::now();
  auto [got, took] = ReadUntilClosed(fd);
  CHECK(got.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(got.ends_with("\r\n\r\n{}"));
  CHECK(Clock::now() - answered >= 500ms);  // kept alive for the idle timeout, not less
  CHECK(took < 3s);
}

TEST_CASE(
    "the loop's own refusals are answered as the server says, in its shape for HTTP clients") {
  Served s;
  int fd = s.Connect();
  Send(fd, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
  auto [got, took] = ReadUntilClosed(fd);
  CHECK(got.starts_with("HTTP/1.1 413 "));
  CHECK(got.find("\r\nx-amzn-RequestId: REFUSED\r\n") != std::string::npos);
  CHECK(got.find("\r\nContent-Type: application/x-amz-json-1.0\r\n") != std::string::npos);
  CHECK(got.ends_with("\r\n\r\n{\"status\":413,\"reason\":\"request entity too large\"}"));
  // Two lengths that differ: refused, closed, whatever follows unread.
  fd = s.Connect();
  Send(fd,
       "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}POST / "
       "HTTP/1.1\r\n\r\n");
  std::tie(got, took) = ReadUntilClosed(fd);
  CHECK(got.starts_with("HTTP/1.1 400 "));
  CHECK(got.find("\r\nConnection: close\r\n") != std::string::npos);
  CHECK(got.find("\"status\":400") != std::string::npos);
  CHECK(got.find("HTTP/1.1", 1) == std::string::npos);  // one answer
  // Not HTTP at all: a plain 400, still with the server's headers.
  fd = s.Connect();
  Send(fd, "HELLO\r\n\r\n");
  std::tie(got, took) = ReadUntilClosed(fd);
  CHECK(got.starts_with("HTTP/1.1 400 "));
  CHECK(got.find("\r\nContent-Type: text/plain\r\n") != std::string::npos);
  CHECK(got.find("\r\nx-amzn-RequestId: REFUSED\r\n") != std::string::npos);
  fd = s.Connect();
  Send(fd, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
  char buf[512];
  const ssize_t n = recv(fd, buf, sizeof buf, 0);
  REQUIRE(n > 0);
  CHECK(std::string(buf, static_cast<std::size_t>(n)).find("REFUSED") ==
        std::string::npos);  // answered by the handler
  close(fd);
}

TEST_CASE("answers larger than the socket takes at once reach a slow reader whole and in order") {
  // 4 MB answers: the first send takes only part, the rest waits for the reader.
  constexpr std::size_t kRepeat = 4 * 1024 * 1024 / 10;
  Served s(kRepeat);
  int fd = s.Connect();
  // Two pipelined requests in one write, then one that closes the connection.
  Send(fd, std::string(kHead) + "0123456789" + std::string(kHead) + "abcdefghij" +
               "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
               "10\r\n\r\nKLMNOPQRST");
  std::this_thread::sleep_for(100ms);  // the server fills the socket and must wait
  auto [got, took] = ReadUntilClosed(fd);
  std::size_t at = 0;
  for (std::string_view body : {"0123456789", "abcdefghij", "KLMNOPQRST"}) {
    CAPTURE(body);
    const std::string head = "HTTP/1.1 200 OK\r\n";
    REQUIRE(got.compare(at, head.size(), head) == 0);
    const std::size_t blank = got.find("\r\n\r\n", at);
    REQUIRE(blank != std::string::npos);
    CHECK(got.substr(at, blank - at).find("Content-Length: " + std::to_string(kRepeat * 10)) !=
          std::string::npos);
    at = blank + 4;
    std::string expected;
    for (std::size_t i = 0; i < kRepeat; ++i) expected.append(body);
    CHECK(got.compare(at, expected.size(), expected) == 0);
    at += expected.size();
  }
  CHECK(at == got.size());
}

TEST_CASE("an answer held for its batch goes out before what the loop queues after it") {
  // A whole request, then the head of one that expects 100-continue, in one write: the
  // first's answer (held until the batch is answered) must precede the interim 100.
  Served s;
  int fd = s.Connect();
  Send(fd, std::string(kHead) + "0123456789" +
               "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: "
               "close\r\nContent-Length: 2\r\n\r\n");
  std::string got;
  char buf[512];
  while (got.find("100 Continue") == std::string::npos) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    REQUIRE(n > 0);
    got.append(buf, static_cast<std::size_t>(n));
  }
  CHECK(got.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(got.ends_with("\r\n\r\n{}HTTP/1.1 100 Continue\r\n\r\n"));
  Send(fd, "{}");
  auto [rest, took] = ReadUntilClosed(fd);
  CHECK(rest.starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(rest.find("Connection: close\r\n") != std::string::npos);
}

namespace {

// Receives until `needle` has arrived (what came, through it), or fails after the 5 s timeout.
std::string RecvUntil(int fd, std::string_view needle) {
  std::string got;
  char buf[4096];
  while (got.find(needle) == std::string::npos) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    REQUIRE(n > 0);
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 400 && !done(); ++i) std::this_thread::sleep_for(5ms);
  return done();
}

std::string BigHead(std::size_t length, std::string_view extra = "") {
  return "POST / HTTP/1.1\r\nHost: x\r\n" + std::string(extra) +
         "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

}  // namespace

TEST_CASE(
    "past the buffer budget a large request waits unread until memory is released, then proceeds") {
  constexpr std::size_t kBig = 700 * 1024;  // two don't fit in the budget
  Served s(0, [](HttpOptions& o) {
    o.max_body = 4 * 1024 * 1024;
    o.max_buffered = 1024 * 1024;
    o.request_timeout = 5s;
  });
  // A's body is on its way: its buffer is granted.
  const int a = s.Connect();
  Send(a, BigHead(kBig) + std::string(1000, 'a'));
  REQUIRE(WaitFor([&] { return s.loop->buffered() >= kBig; }));
  // B would take the budget past its limit: it is not read, so not told to go on.
  const int b = s.Connect();
  Send(b, BigHead(kBig, "Expect: 100-continue\r\n"));
  std::this_thread::sleep_for(200ms);
  char buf[64];
  CHECK(recv(b, buf, sizeof buf, MSG_DONTWAIT) < 0);
  CHECK(s.loop->buffered() < 1024 * 1024);
  // A finishes and is answered; its memory goes back, though its connection stays open.
  Send(a, std::string(kBig - 1000, 'a'));
  CHECK(RecvUntil(a, "\r\n\r\n{}").starts_with("HTTP/1.1 200 OK\r\n"));
  // B's turn.
  CHECK(RecvUntil(b, "\r\n\r\n") == "HTTP/1.1 100 Continue\r\n\r\n");
  Send(b, std::string(kBig, 'b'));
  CHECK(RecvUntil(b, "\r\n\r\n{}").starts_with("HTTP/1.1 200 OK\r\n"));
  CHECK(WaitFor([&] { return s.loop->buffered() == 0; }));
  close(a);
  close(b);
}

TEST_CASE("a request larger than the whole budget is read when it is the only one") {
  constexpr std::size_t kHuge = 3 * 1024 * 1024;
  Served s(0, [](HttpOptions& o) {
    o.max_body = 4 * 1024 * 1024;
    o.max_buffered = 1024 * 1024;
    o.request_timeout = 5s;
  });
  const int fd = s.Connect();
  std::thread sender([&] { Send(fd, BigHead(kHuge) + std::string(kHuge, 'h')); });
  CHECK(RecvUntil(fd, "\r\n\r\n{}").starts_with("HTTP/1.1 200 OK\r\n"));
  sender.join();
  CHECK(WaitFor([&] { return s.loop->buffered() == 0; }));
  close(fd);
}
