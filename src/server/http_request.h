#pragma once
// Reading one HTTP/1.1 request off the front of what a connection has received: the request
// (method, path, body, headers as views into the bytes), or "not all here yet", or a refusal
// with the status to answer. No allocation; the server's loop (http_loop.cc) acts on the result.

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace localdynamo::server {

using HttpHeaders = std::vector<std::pair<std::string_view, std::string_view>>;

struct ParsedRequest {
  enum class Kind {
    kIncomplete,  // wait for more bytes
    kRequest,     // a whole request: answer it, then drop `size` bytes
    kRefused,     // answer `status` and close (413: after reading and dropping the body)
  };
  Kind kind = Kind::kIncomplete;
  int status = 0;           // kRefused: 400, 413 or 431
  std::string_view reason;  // kRefused: a short text for the response body (a literal)
  // kRefused: the request line is HTTP/1's ("METHOD target HTTP/1.x"), so the client awaits
  // an answer in its protocol's shape; false for bytes that aren't HTTP at all (a 400).
  bool http = false;
  std::string_view method, path, body;
  // kRequest: the request's bytes, head and body; kIncomplete with has_head: what the whole
  // request will take once its body is here.
  std::size_t size = 0;
  bool keep_alive = true;         // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only if asked
  bool has_head = false;          // the head has arrived (kIncomplete: the body is on its way)
  bool expects_continue = false;  // the client waits for "100 Continue" before sending the body
};

// `in`: the bytes received and not yet consumed. `headers` receives the request's headers
// (cleared first), values trimmed; the views point into `in`. The body's length is
// Content-Length's (none: no body); RFC 9112's framing errors are refused with 400 and close:
// differing Content-Length values, any Transfer-Encoding (this server reads no chunked
// bodies), whitespace before a field's colon, an obsolete line folding.
ParsedRequest ParseRequest(std::string_view in, std::size_t max_body, std::size_t max_head,
                           HttpHeaders* headers);

// A header's value by name, ASCII case-insensitively ("" when absent).
std::string_view FindHeader(const HttpHeaders& headers, std::string_view name);

}  // namespace localdynamo::server
