#include "server/http_request.h"

#include "types/ascii.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <tuple>

namespace localdynamo::server {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

ParsedRequest Refuse(int status, std::string_view reason, bool http) {
  ParsedRequest p;
  p.kind = ParsedRequest::Kind::kRefused;
  p.status = status;
  p.reason = reason;
  p.http = http;
  p.keep_alive = false;
  return p;
}

// "METHOD target HTTP/1.x": the method and target (and the version in `version`), or
// nothing for a line that isn't HTTP/1's (RFC 9112 3: a 400).
std::optional<std::pair<std::string_view, std::string_view>> RequestLine(
    std::string_view line, std::string_view* version) {
  const std::size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 == sp1) return std::nullopt;
  *version = line.substr(sp2 + 1);
  if (version->size() != 8 || !version->starts_with("HTTP/1.") || version->back() < '0' ||
      version->back() > '9')
    return std::nullopt;
  return std::pair(line.substr(0, sp1), line.substr(sp1 + 1, sp2 - sp1 - 1));
}

// Content-Length's value: one field, or several, or a list ("2, 2"), all of one decimal
// number. RFC 9112 6.3 makes differing values an unrecoverable framing error; RFC 9110 8.6
// lets a recipient take identical ones as that one value (a duplicate that some sender or
// proxy made), which is what we do: the framing is not in doubt. -1: absent; -2: invalid.
int64_t ContentLength(const HttpHeaders& headers) {
  int64_t length = -1;
  for (const auto& [name, value] : headers) {
    if (!EqualsIgnoreCase(name, "content-length")) continue;
    std::string_view rest = value;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view element = Trim(rest.substr(0, comma));
      uint64_t n = 0;
      auto [end, ec] = std::from_chars(element.data(), element.data() + element.size(), n);
      if (element.empty() || ec != std::errc() || end != element.data() + element.size() ||
          n > static_cast<uint64_t>(INT64_MAX) ||
          (length >= 0 && static_cast<int64_t>(n) != length))
        return -2;
      length = static_cast<int64_t>(n);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  }
  return length;
}

}  // namespace

std::string_view FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [k, v] : headers)
    if (EqualsIgnoreCase(k, name)) return v;
  return {};
}

ParsedRequest ParseRequest(std::string_view in, std::size_t max_body, std::size_t max_head,
                           HttpHeaders* headers) {
  headers->clear();
  const std::size_t head_end = in.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    // Refused once the head can no longer end within max_head bytes (its "\r\n\r\n" may
    // start at max_head), so the answer doesn't depend on how the bytes were split.
    if (in.size() > max_head + 3) {
      std::string_view version;
      const std::size_t line_end = in.find("\r\n");
      const bool http =
          line_end != std::string_view::npos && RequestLine(in.substr(0, line_end), &version);
      return Refuse(431, "request header fields too large", http);
    }
    return {};
  }
  const std::string_view head = in.substr(0, head_end);
  const std::size_t line_end = head.find("\r\n");
  std::string_view version;
  const auto request_line = RequestLine(head.substr(0, line_end), &version);
  if (!request_line) return Refuse(400, "malformed request line", false);
  if (head_end > max_head) return Refuse(431, "request header fields too large", true);

  ParsedRequest p;
  std::tie(p.method, p.path) = *request_line;
  std::string_view rest =
      line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    const std::size_t e = rest.find("\r\n");
    const std::string_view line = rest.substr(0, e);
    rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 2);
    // RFC 9112 5.2: an obsolete line folding (a line that begins with whitespace) may be
    // refused; read as a field of its own it could frame the body as the sender didn't mean.
    if (line.starts_with(' ') || line.starts_with('\t'))
      return Refuse(400, "obsolete line folding", true);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    // RFC 9112 5.1: whitespace between a field's name and its colon MUST be refused (400).
    if (name.empty() || name.back() == ' ' || name.back() == '\t')
      return Refuse(400, "malformed header field", true);
    headers->emplace_back(name, Trim(line.substr(colon + 1)));
  }
  const std::string_view connection = FindHeader(*headers, "connection");
  p.keep_alive = version == "HTTP/1.1" ? !EqualsIgnoreCase(connection, "close")
                                       : EqualsIgnoreCase(connection, "keep-alive");
  // RFC 9112 6.1/6.3: with Transfer-Encoding (alone, or overriding a Content-Length) the body
  // is in a coding this server doesn't read: refused, and the connection closed so that no
  // byte of that body is read as a request. Present but empty is refused too.
  for (const auto& [name, value] : *headers)
    if (EqualsIgnoreCase(name, "transfer-encoding"))
      return Refuse(400, "chunked requests are not supported", true);
  const int64_t content_length = ContentLength(*headers);
  if (content_length == -2) return Refuse(400, "invalid or conflicting Content-Length", true);
  const std::size_t length = content_length < 0 ? 0 : static_cast<std::size_t>(content_length);
  if (length > max_body) return Refuse(413, "request entity too large", true);
  p.has_head = true;
  const std::size_t body_at = head_end + 4;
  p.size = body_at + length;
  if (in.size() - body_at < length) {
    p.expects_continue = EqualsIgnoreCase(FindHeader(*headers, "expect"), "100-continue");
    return p;  // kIncomplete
  }
  p.kind = ParsedRequest::Kind::kRequest;
  p.body = in.substr(body_at, length);
  return p;
}

}  // namespace localdynamo::server
