#include "server/http_loop.h"

#include "server/http_request.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>  // mallopt
#endif

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <vector>

#include <fmt/format.h>

namespace localdynamo::server {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
// What a connection reads without a grant from HttpOptions::max_buffered: more than a head
// may take (so a head too large is seen and refused), and most requests whole.
constexpr std::size_t kUngrantedBytes = 128 * 1024;
static_assert(kUngrantedBytes > kMaxHeaderBytes + 4);
// Allocations this large are mappings of their own, returned to the system when freed.
constexpr std::size_t kOwnMappingBytes = 1024 * 1024;
// While a connection waits for a grant, its thread looks again this often.
constexpr int kPausedWaitMs = 5;

const char* StatusText(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    default:
      return "Unknown";
  }
}

struct Connection {
  int fd = -1;
  std::string in;   // bytes received, not yet consumed
  std::string out;  // bytes to send
  std::size_t out_pos = 0;
  // An answer computed but not yet sent (sent with the batch's others; see Loop), kept as
  // head and body so that the body goes out without being copied. Only while `out` is empty.
  bool pending = false;
  std::string pending_head, pending_body;
  bool close_after = false;
  bool sent_continue = false;
  bool want_write = false;  // EPOLLOUT registered after a short send
  // After refusing an oversized request: read and drop the rest of its body, so the client
  // gets our answer instead of a reset, and close when it is done sending.
  bool draining = false;
  // A request larger than kUngrantedBytes: its whole size, granted from the budget and
  // reserved in `in` before its body is read, and given back once it is answered.
  std::size_t granted = 0;
  bool paused = false;  // waiting for a grant: not read (no EPOLLIN) meanwhile
  // A request handed to the pool (HttpOptions::blocking) and not yet answered: no further
  // request is read off `in` meanwhile. `serial` tells this connection from a later one on the
  // same descriptor when the answer comes back.
  bool in_flight = false;
  uint64_t serial = 0;
  bool peer_gone = false;  // the peer closed while its request was in flight
  Clock::time_point last_activity = Clock::now();
  Clock::time_point request_started{};  // when the current partial request (head or body) began
};

// The status line and headers, through the blank line.
void AppendHead(std::string* out, const HttpResponse& r, bool keep_alive) {
  out->append("HTTP/1.1 ");
  out->append(std::to_string(r.status));
  out->push_back(' ');
  out->append(StatusText(r.status));
  out->append("\r\nContent-Type: ");
  out->append(r.content_type);
  out->append("\r\nContent-Length: ");
  out->append(std::to_string(r.body.size()));
  out->append("\r\n");
  out->append(r.headers);
  if (!keep_alive) out->append("Connection: close\r\n");
  out->append("\r\n");
}

void AppendResponse(std::string* out, const HttpResponse& r, bool keep_alive) {
  AppendHead(out, r, keep_alive);
  out->append(r.body);
}

}  // namespace

bool HttpRequest::has_header(std::string_view name) const { return !header(name).empty(); }

// A request for the pool, with copies of what the handler reads (the connection's buffer moves
// on meanwhile), and where its answer goes.
struct HttpLoop::Job {
  LoopState* loop = nullptr;
  int fd = -1;
  uint64_t serial = 0;
  bool keep_alive = true;
  std::string method, path, body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// What a loop thread shares with the pool: the answers back, and the eventfd that wakes it.
struct HttpLoop::LoopState {
  struct Answer {
    int fd = -1;
    uint64_t serial = 0;
    bool keep_alive = true;
    HttpResponse response;
  };
  int wake_fd = -1;
  std::mutex mu;
  std::vector<Answer> answers;
  ~LoopState() {
    if (wake_fd >= 0) close(wake_fd);
  }
};

void HttpLoop::Work() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(jobs_mu_);
      jobs_cv_.wait(lock, [&] { return pool_stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    HttpHeaders headers;
    headers.reserve(job.headers.size());
    for (const auto& [name, value] : job.headers) headers.emplace_back(name, value);
    HttpRequest req{job.method, job.path, job.body,
                    [&headers](std::string_view name) { return FindHeader(headers, name); }};
    LoopState::Answer answer{job.fd, job.serial, job.keep_alive, HttpResponse{}};
    handler_(req, answer.response);
    {
      std::lock_guard lock(job.loop->mu);
      job.loop->answers.push_back(std::move(answer));
    }
    uint64_t one = 1;
    (void)!write(job.loop->wake_fd, &one, sizeof one);
  }
}

Result<std::unique_ptr<HttpLoop>> HttpLoop::Bind(const HttpOptions& options, HttpHandler handler) {
  std::unique_ptr<HttpLoop> loop(new HttpLoop());
  loop->options_ = options;
  loop->handler_ = std::move(handler);
  addrinfo hints{}, *res = nullptr;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  std::string port = std::to_string(options.port);
  if (int rc = getaddrinfo(options.host.c_str(), port.c_str(), &hints, &res); rc != 0)
    return InternalError(fmt::format("cannot resolve {}: {}", options.host, gai_strerror(rc)));
  int fd =
      socket(res->ai_family, res->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, res->ai_protocol);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
    std::string err = std::strerror(errno);
    freeaddrinfo(res);
    if (fd >= 0) close(fd);
    return InternalError(
        fmt::format("cannot listen on {}:{}: {}", options.host, options.port, err));
  }
  freeaddrinfo(res);
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  loop->port_ = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                                 : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  loop->listen_fd_ = fd;
  loop->stop_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  return loop;
}

bool HttpLoop::Grant(std::size_t bytes) {
  std::size_t held = granted_.load(std::memory_order_relaxed);
  do {
    // Alone, any request may proceed: one larger than the budget mustn't wait forever.
    if (held != 0 && held + bytes > options_.max_buffered) return false;
  } while (!granted_.compare_exchange_weak(held, held + bytes, std::memory_order_relaxed));
  return true;
}

HttpLoop::~HttpLoop() {
  Stop();
  Join();
  if (listen_fd_ >= 0) close(listen_fd_);
  if (stop_fd_ >= 0) close(stop_fd_);
}

void HttpLoop::Start() {
#if defined(__GLIBC__)
  // A fixed mmap threshold: every buffer of a large request (the connection's, the parser's)
  // is a mapping of its own, unmapped when freed, by whichever thread frees it. glibc's
  // default threshold rises to the size of the last mapping freed, after which 16 MB bodies
  // came from the threads' heaps, which kept them: 20 requests of 16 MB left up to 28 MB
  // resident over idle (malloc_trim after each, as before, returned it only when no other
  // thread still held its buffer); with this, none.
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kOwnMappingBytes));
#endif
  for (int i = 0; i < std::max(1, options_.threads); ++i) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.fd = listen_fd_;
    epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd_, &ev);
    epoll_event sev{};
    sev.events = EPOLLIN;
    sev.data.fd = stop_fd_;
    epoll_ctl(ep, EPOLL_CTL_ADD, stop_fd_, &sev);
    auto state = std::make_unique<LoopState>();
    state->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event wev{};
    wev.events = EPOLLIN;
    wev.data.fd = state->wake_fd;
    epoll_ctl(ep, EPOLL_CTL_ADD, state->wake_fd, &wev);
    LoopState* raw = state.get();
    loops_.push_back(std::move(state));
    threads_.emplace_back([this, ep, raw] { Loop(ep, raw); });
  }
  if (options_.blocking)
    for (int i = 0; i < std::max(1, options_.blocking_threads); ++i)
      pool_.emplace_back([this] { Work(); });
}

void HttpLoop::Stop() {
  if (stopping_.exchange(true)) return;
  uint64_t one = 1;
  if (stop_fd_ >= 0) (void)!write(stop_fd_, &one, sizeof one);
}

void HttpLoop::Join() {
  // The loops first: they wait for their connections' answers from the pool before they end.
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  {
    std::lock_guard lock(jobs_mu_);
    pool_stopping_ = true;
  }
  jobs_cv_.notify_all();
  for (auto& t : pool_)
    if (t.joinable()) t.join();
  pool_.clear();
  loops_.clear();
}

void HttpLoop::Loop(int ep, LoopState* state) {
  uint64_t next_serial = 1;
  // By descriptor (the kernel hands out the lowest free one, so the vector stays short):
  // found without hashing, twice per request.
  std::vector<std::unique_ptr<Connection>> conns;
  auto find_conn = [&conns](int fd) -> Connection* {
    return static_cast<std::size_t>(fd) < conns.size() ? conns[static_cast<std::size_t>(fd)].get()
                                                       : nullptr;
  };
  std::vector<epoll_event> events(256);
  // Wake up often enough to enforce the timeouts within a fraction of them.
  const int wait_ms = static_cast<int>(std::clamp<int64_t>(
      std::min(options_.request_timeout, options_.idle_timeout).count() / 4, 1, 1000));
  // Connections waiting for a grant, in the order they began to wait.
  std::vector<int> paused;
  // A grant given back: the request is answered (its connection's buffer shrinks to what is
  // left, usually nothing), or the connection closes.
  auto release = [&](Connection& c) {
    if (c.granted == 0) return;
    std::string(c.in).swap(c.in);
    // Only now, with the memory gone, may another connection take it.
    granted_.fetch_sub(c.granted, std::memory_order_relaxed);
    c.granted = 0;
  };
  auto close_conn = [&](int fd) {
    Connection& c = *conns[static_cast<std::size_t>(fd)];
    release(c);
    if (c.paused) std::erase(paused, fd);
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    conns[static_cast<std::size_t>(fd)].reset();
  };
  // What epoll watches: readable unless waiting for a grant, writable while an answer waits.
  auto watch = [&](Connection& c) {
    epoll_event ev{};
    ev.events =
        (c.paused || c.peer_gone ? 0u : EPOLLIN | EPOLLRDHUP) | (c.want_write ? EPOLLOUT : 0u);
    ev.data.fd = c.fd;
    epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
  };
  // Sends what is buffered; false when the connection is finished (error, or answered and to
  // be closed).
  auto flush = [&](Connection& c) -> bool {
    while (c.out_pos < c.out.size()) {
      ssize_t n = send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_pos += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!c.want_write) {
          c.want_write = true;
          watch(c);
        }
        return true;
      }
      return false;
    }
    c.out.clear();
    c.out_pos = 0;
    if (c.want_write) {
      c.want_write = false;
      watch(c);
    }
    return !c.close_after || c.draining;
  };
  // A held answer into `out`, behind which something else must queue.
  auto spill = [](Connection& c) {
    if (!c.pending) return;
    c.out.append(c.pending_head);
    c.out.append(c.pending_body);
    c.pending = false;
  };
  // A refusal, after which the connection closes.
  auto refuse = [&](Connection& c, const ParsedRequest& p) {
    spill(c);
    HttpResponse r;
    r.status = p.status;
    r.content_type = "text/plain";
    r.body = p.reason;
    if (options_.answer_refusal)
      options_.answer_refusal(HttpRefusal{p.status, p.reason, p.http}, r);
    AppendResponse(&c.out, r, false);
    c.close_after = true;
  };
  // Sends a held answer, head and body in one call without copying the body; what the
  // socket doesn't take is queued in `out`.
  auto send_pending = [](Connection& c) {
    if (!c.pending) return;
    c.pending = false;
    iovec parts[2] = {{c.pending_head.data(), c.pending_head.size()},
                      {c.pending_body.data(), c.pending_body.size()}};
    msghdr msg{};
    msg.msg_iov = parts;
    msg.msg_iovlen = 2;
    ssize_t sent = sendmsg(c.fd, &msg, MSG_NOSIGNAL);
    std::size_t done = sent > 0 ? static_cast<std::size_t>(sent) : 0;
    if (done < c.pending_head.size()) c.out.append(c.pending_head, done);
    done = done > c.pending_head.size() ? done - c.pending_head.size() : 0;
    if (done < c.pending_body.size()) c.out.append(c.pending_body, done);
  };
  // Reused by every request on this thread: no allocations for them after the first few.
  HttpHeaders headers;
  HttpResponse res;
  // The connections read in this batch, and whether their peer has closed.
  std::vector<std::pair<int, bool>> touched;
  // Answers every complete request in c.in.
  auto process = [&](Connection& c) {
    while (!c.close_after && !c.in_flight) {
      const ParsedRequest p = ParseRequest(c.in, options_.max_body, kMaxHeaderBytes, &headers);
      if (p.kind == ParsedRequest::Kind::kRefused) {
        refuse(c, p);
        if (p.status == 413) {
          c.draining = true;
          c.in.clear();
          c.request_started = Clock::now();
        }
        return;
      }
      if (p.kind == ParsedRequest::Kind::kIncomplete) {
        if (p.has_head && p.size > kUngrantedBytes && c.granted == 0) {
          if (!Grant(p.size)) {
            // Not read until memory comes back (a client waiting for 100-continue waits for
            // it); meanwhile it is not timed out, as the wait is ours.
            if (!c.paused) {
              c.paused = true;
              watch(c);
              paused.push_back(c.fd);
            }
            c.request_started = Clock::time_point{};
            return;
          }
          c.granted = p.size;
          std::string whole;
          whole.reserve(p.size);  // exactly, where in.reserve() might double in's capacity
          whole.append(c.in);
          c.in.swap(whole);
          if (c.paused) {
            c.paused = false;
            std::erase(paused, c.fd);
            watch(c);
          }
        }
        if (p.expects_continue && !c.sent_continue) {
          spill(c);
          c.out.append("HTTP/1.1 100 Continue\r\n\r\n");
          c.sent_continue = true;
        }
        // A request has begun (some of its head, or its body, is here): it must arrive whole
        // within the request timeout, however slowly its bytes trickle in.
        if (!c.in.empty() && c.request_started == Clock::time_point{})
          c.request_started = Clock::now();
        return;
      }
      HttpRequest req{p.method, p.path, p.body,
                      [&headers](std::string_view name) { return FindHeader(headers, name); }};
      if (options_.blocking && options_.blocking(req)) {
        Job job{state,
                c.fd,
                c.serial,
                p.keep_alive,
                std::string(p.method),
                std::string(p.path),
                std::string(p.body),
                {}};
        job.headers.reserve(headers.size());
        for (const auto& [name, value] : headers) job.headers.emplace_back(name, value);
        c.in_flight = true;
        c.in.erase(0, p.size);
        release(c);
        c.sent_continue = false;
        c.request_started = Clock::time_point{};
        {
          std::lock_guard lock(jobs_mu_);
          jobs_.push_back(std::move(job));
        }
        jobs_cv_.notify_one();
        return;
      }
      res.status = 200;
      res.content_type = HttpResponse::kJsonType;
      res.headers.clear();
      res.body.clear();
      handler_(req, res);
      const bool keep_alive = p.keep_alive && !stopping_;
      if (c.out.empty() && !c.pending) {
        // The usual case: held until the batch's other requests are answered.
        c.pending_head.clear();
        AppendHead(&c.pending_head, res, keep_alive);
        c.pending_body.swap(res.body);
        c.pending = true;
      } else {
        spill(c);
        AppendResponse(&c.out, res, keep_alive);
      }
      if (!p.keep_alive || stopping_) c.close_after = true;
      c.in.erase(0, p.size);
      release(c);
      c.sent_continue = false;
      c.request_started = Clock::time_point{};
    }
  };

  while (true) {
    int n = epoll_wait(ep, events.data(), static_cast<int>(events.size()),
                       paused.empty() ? wait_ms : kPausedWaitMs);
    const auto now = Clock::now();
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == stop_fd_) continue;
      if (fd == state->wake_fd) {
        // Answers from the pool: sent (with the batch's others, below), and the connection's
        // next requests, if any arrived meanwhile, read.
        uint64_t count;
        (void)!read(state->wake_fd, &count, sizeof count);
        std::vector<LoopState::Answer> answers;
        {
          std::lock_guard lock(state->mu);
          answers.swap(state->answers);
        }
        for (auto& a : answers) {
          Connection* c = find_conn(a.fd);
          if (!c || c->serial != a.serial) continue;  // closed meanwhile
          spill(*c);
          const bool keep_alive = a.keep_alive && !stopping_;
          AppendResponse(&c->out, a.response, keep_alive);
          if (!keep_alive) c->close_after = true;
          c->in_flight = false;
          c->last_activity = now;
          process(*c);
          touched.emplace_back(a.fd, false);
        }
        continue;
      }
      if (fd == listen_fd_) {
        while (!stopping_) {
          int cfd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (cfd < 0) break;
          int one = 1;
          setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          auto c = std::make_unique<Connection>();
          c->fd = cfd;
          c->serial = next_serial++;
          epoll_event ev{};
          ev.events = EPOLLIN | EPOLLRDHUP;
          ev.data.fd = cfd;
          epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &ev);
          if (static_cast<std::size_t>(cfd) >= conns.size())
            conns.resize(static_cast<std::size_t>(cfd) + 1);
          conns[static_cast<std::size_t>(cfd)] = std::move(c);
        }
        continue;
      }
      Connection* found = find_conn(fd);
      if (!found) continue;
      Connection& c = *found;
      c.last_activity = now;
      if (c.paused && (events[i].events & (EPOLLHUP | EPOLLERR))) {
        close_conn(fd);  // gone while waiting for a grant
        continue;
      }
      bool peer_closed = false;
      if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        char buf[64 * 1024];
        // Bytes after a refusal or a last answer are read only to be dropped.
        const bool dropping = c.draining || c.close_after;
        while (true) {
          // Into `in`, no further than a grant allows: the rest stays in the socket.
          std::size_t room = sizeof buf;
          if (!dropping) {
            const std::size_t limit =
                c.granted != 0 ? std::max(c.in.capacity(), kUngrantedBytes) : kUngrantedBytes;
            if (c.in.size() >= limit) break;
            room = std::min(room, limit - c.in.size());
          }
          ssize_t r = recv(fd, buf, room, 0);
          if (r > 0) {
            if (!dropping) c.in.append(buf, static_cast<std::size_t>(r));
            // A short read emptied the socket: no second recv just to see EAGAIN (epoll is
            // level-triggered, so anything arriving later wakes the loop again).
            if (static_cast<std::size_t>(r) < room) break;
            continue;
          }
          if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) peer_closed = true;
          break;
        }
        if (!c.draining) process(c);
      }
      touched.emplace_back(fd, peer_closed);
    }
    // Memory may have come back, here or on another thread: those waiting try again, in turn.
    for (std::size_t k = 0; k < paused.size();) {
      const int fd = paused[k];
      process(*find_conn(fd));  // granted: removed from `paused`
      if (k < paused.size() && paused[k] == fd) {
        ++k;
      } else {
        touched.emplace_back(fd, false);  // its 100 Continue, if it waits for one
      }
    }
    // The batch's answers go out together, after all of them are computed: a client waiting
    // for several answers is woken once for the lot rather than once per answer (a wake-up
    // of another core's thread is dear, dearer still in a virtual machine), and its next
    // requests arrive while this thread is busy rather than asleep.
    for (const auto& [fd, peer_closed] : touched) {
      Connection* found = find_conn(fd);
      if (!found) continue;
      Connection& c = *found;
      send_pending(c);
      bool keep = true;
      if (c.out.size() > c.out_pos || c.want_write) {
        keep = flush(c);
      } else if (c.close_after && !c.draining) {
        keep = false;
      }
      if (!keep || (peer_closed && !c.in_flight)) {
        close_conn(fd);
      } else if (peer_closed && !c.peer_gone) {
        // Its answer is still to come: sent, then the connection closes. Not watched for
        // reading meanwhile (a closed peer is always readable).
        c.peer_gone = true;
        c.close_after = true;
        watch(c);
      }
    }
    touched.clear();
    // Timeouts: idle keep-alive connections, and slow clients mid-request.
    std::vector<int> expired;
    for (const auto& c : conns) {
      if (!c || c->in_flight) continue;
      if (c->request_started != Clock::time_point{} &&
          now - c->request_started > options_.request_timeout)
        expired.push_back(c->fd);
      else if (c->in.empty() && c->out.empty() && now - c->last_activity > options_.idle_timeout)
        expired.push_back(c->fd);
    }
    for (int fd : expired) close_conn(fd);
    // Stopping waits for the answers of requests handed to the pool.
    if (stopping_ &&
        std::none_of(conns.begin(), conns.end(), [](const auto& c) { return c && c->in_flight; })) {
      // Requests in flight were answered above; send what is pending, then close.
      for (const auto& c : conns) {
        if (!c) continue;
        const int fd = c->fd;
        release(*c);
        spill(*c);
        int flags = fcntl(fd, F_GETFL, 0);
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        if (c->out.size() > c->out_pos)
          (void)!send(fd, c->out.data() + c->out_pos, c->out.size() - c->out_pos, MSG_NOSIGNAL);
        close(fd);
      }
      conns.clear();
      close(ep);
      return;
    }
  }
}

}  // namespace localdynamo::server
