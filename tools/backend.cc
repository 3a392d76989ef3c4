#include "backend.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "localdynamo/server.h"

namespace localdynamo::cli {
namespace {

std::string FullTarget(const std::string& operation) {
  return operation.find('.') == std::string::npos ? "DynamoDB_20120810." + operation : operation;
}

json Check(int status, const std::string& body) {
  json j = ParseJson(body);
  if (status != 200) {
    std::string type = j.is_object() ? j.value("__type", "") : "";
    std::string message = j.is_object() ? j.value("message", j.value("Message", "")) : body;
    throw CommandError(fmt::format("{}: {}", type.substr(type.find('#') + 1), message));
  }
  return j;
}

class DirectoryBackend : public Backend {
 public:
  explicit DirectoryBackend(const std::string& dir) {
    auto db = Database::Open(dir);
    if (!db.ok()) throw CommandError(db.error().ToString());
    db_ = std::move(db).value();
  }
  json Call(const std::string& operation, const json& request) override {
    auto r = InvokeJson(*db_, FullTarget(operation), request.dump());
    return Check(r.http_status, r.body);
  }

 private:
  std::unique_ptr<Database> db_;
};

// A minimal HTTP/1.1 client for the endpoint: one keep-alive connection, POST /, a body
// framed by Content-Length (all the DynamoDB protocol needs).
class EndpointBackend : public Backend {
 public:
  explicit EndpointBackend(const std::string& url) {
    std::string rest = url;
    if (rest.starts_with("http://"))
      rest = rest.substr(7);
    else if (rest.find("://") != std::string::npos)
      throw CommandError("only http:// endpoints are supported: " + url);
    rest = rest.substr(0, rest.find('/'));
    auto colon = rest.rfind(':');
    host_ = colon == std::string::npos ? rest : rest.substr(0, colon);
    port_ = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  }
  ~EndpointBackend() override {
    if (fd_ >= 0) close(fd_);
  }
  json Call(const std::string& operation, const json& request) override {
    std::string body = request.dump();
    std::string msg = fmt::format(
        "POST / HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: application/x-amz-json-1.0\r\n"
        "X-Amz-Target: {}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=local/20230320/us-east-1/"
        "dynamodb/aws4_request, SignedHeaders=host, Signature=0\r\nContent-Length: {}\r\n\r\n{}",
        host_, port_, FullTarget(operation), body.size(), body);
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0) Connect();
      int status = 0;
      std::string response;
      if (Exchange(msg, &status, &response)) return Check(status, response);
      close(fd_);  // a kept-alive connection the server closed: reconnect once
      fd_ = -1;
    }
    throw CommandError(fmt::format("cannot reach the endpoint {}:{}", host_, port_));
  }

 private:
  void Connect() {
    addrinfo hints{}, *res = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host_.c_str(), port_.c_str(), &hints, &res) != 0)
      throw CommandError(fmt::format("cannot resolve {}", host_));
    for (addrinfo* a = res; a; a = a->ai_next) {
      fd_ = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
      if (fd_ >= 0 && connect(fd_, a->ai_addr, a->ai_addrlen) == 0) break;
      if (fd_ >= 0) close(fd_);
      fd_ = -1;
    }
    freeaddrinfo(res);
    if (fd_ < 0) throw CommandError(fmt::format("cannot connect to {}:{}", host_, port_));
  }

  bool Exchange(const std::string& msg, int* status, std::string* body) {
    for (std::size_t sent = 0; sent < msg.size();) {
      ssize_t n = send(fd_, msg.data() + sent, msg.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    std::string in;
    char buf[65536];
    std::size_t header_end;
    while ((header_end = in.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return false;
      in.append(buf, static_cast<std::size_t>(n));
    }
    std::string head = in.substr(0, header_end);
    *status = std::atoi(head.c_str() + head.find(' ') + 1);
    std::size_t length = 0;
    std::string lower = head;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (auto p = lower.find("content-length:"); p != std::string::npos)
      length = std::stoul(head.substr(p + 15));
    while (in.size() < header_end + 4 + length) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return false;
      in.append(buf, static_cast<std::size_t>(n));
    }
    *body = in.substr(header_end + 4, length);
    return true;
  }

  std::string host_, port_;
  int fd_ = -1;
};

}  // namespace

json ParseJson(std::string_view text) {
  constexpr int kMaxDepth = 256;
  bool too_deep = false;
  json j = json::parse(
      text,
      [&](int depth, json::parse_event_t, json&) {
        too_deep = too_deep || depth > kMaxDepth;
        return !too_deep;
      },
      false);
  return too_deep ? json(json::value_t::discarded) : j;
}

std::unique_ptr<Backend> OpenBackend(const Target& t) {
  if (!t.endpoint.empty()) return std::make_unique<EndpointBackend>(t.endpoint);
  if (t.data_dir.empty())
    throw CommandError("give --data DIR (a database directory) or --endpoint URL");
  return std::make_unique<DirectoryBackend>(t.data_dir);
}

}  // namespace localdynamo::cli
