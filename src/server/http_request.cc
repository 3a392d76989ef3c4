#include "server/http_request.h"

#include "types/ascii.h"

#include <algorithm>
#include <charconv>

namespace localdynamo::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

ParsedRequest Refuse(int status, std::string_view reason = "") {
  ParsedRequest p;
  p.kind = ParsedRequest::Kind::kRefused;
  p.status = status;
  p.reason = reason;
  p.keep_alive = false;
  return p;
}

}  // namespace

std::string_view FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return v;
  return {};
}

ParsedRequest ParseRequest(std::string_view in, std::size_t max_body, std::size_t max_head, HttpHeaders* headers) {
  headers->clear();
  const std::size_t head_end = in.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    // Refused once the head can no longer end within max_head bytes (its "\r\n\r\n" may
    // start at max_head), so the answer doesn't depend on how the bytes were split.
    if (in.size() > max_head + 3) return Refuse(431);
    return {};
  }
  if (head_end > max_head) return Refuse(431);
  const std::string_view head = in.substr(0, head_end);
  const std::size_t line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, line_end);
  const std::size_t sp1 = request_line.find(' '), sp2 = request_line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return Refuse(400);

  ParsedRequest p;
  p.method = request_line.substr(0, sp1);
  p.path = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = request_line.substr(sp2 + 1);
  std::string_view rest = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    const std::size_t e = rest.find("\r\n");
    const std::string_view line = rest.substr(0, e);
    rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    headers->emplace_back(Trim(line.substr(0, colon)), Trim(line.substr(colon + 1)));
  }
  const std::string_view connection = FindHeader(*headers, "connection");
  p.keep_alive = version == "HTTP/1.1" ? !EqualsIgnoreCase(connection, "close") : EqualsIgnoreCase(connection, "keep-alive");
  if (!FindHeader(*headers, "transfer-encoding").empty()) return Refuse(400, "chunked requests are not supported");
  std::size_t length = 0;
  if (const std::string_view cl = FindHeader(*headers, "content-length"); !cl.empty()) {
    auto [end, ec] = std::from_chars(cl.data(), cl.data() + cl.size(), length);
    if (ec != std::errc() || end != cl.data() + cl.size()) return Refuse(400);
  }
  if (length > max_body) return Refuse(413);
  p.has_head = true;
  const std::size_t body_at = head_end + 4;
  if (in.size() - body_at < length) {
    p.expects_continue = EqualsIgnoreCase(FindHeader(*headers, "expect"), "100-continue");
    return p;  // kIncomplete
  }
  p.kind = ParsedRequest::Kind::kRequest;
  p.body = in.substr(body_at, length);
  p.size = body_at + length;
  return p;
}

}  // namespace localdynamo::server
