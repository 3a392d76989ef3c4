// Reading requests off a connection's bytes: whole, in pieces, pipelined, and refused.

#include <doctest/doctest.h>
#include <rapidcheck.h>

#include <string>
#include <vector>

#include "server/http_request.h"

using namespace localdynamo::server;
using Kind = ParsedRequest::Kind;

namespace {

constexpr std::size_t kMaxBody = 1000, kMaxHead = 200;

ParsedRequest Parse(std::string_view in, HttpHeaders* headers = nullptr) {
  HttpHeaders scratch;
  return ParseRequest(in, kMaxBody, kMaxHead, headers ? headers : &scratch);
}

std::string Request(std::string_view body, std::string_view extra_headers = "") {
  return "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.GetItem\r\n" +
         std::string(extra_headers) + "Content-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + std::string(body);
}

}  // namespace

TEST_CASE("a whole request: method, path, body, headers by any case") {
  const std::string in =
      Request(R"({"TableName":"t"})", "content-type:  application/x-amz-json-1.0 \r\n") + "POST";
  HttpHeaders headers;
  const ParsedRequest p = Parse(in, &headers);
  REQUIRE(p.kind == Kind::kRequest);
  CHECK(p.method == "POST");
  CHECK(p.path == "/");
  CHECK(p.body == R"({"TableName":"t"})");
  CHECK(p.size == in.size() - 4);  // the next request's first bytes stay
  CHECK(p.keep_alive);
  CHECK(FindHeader(headers, "X-AMZ-TARGET") == "DynamoDB_20120810.GetItem");
  CHECK(FindHeader(headers, "content-type") == "application/x-amz-json-1.0");  // trimmed
  CHECK(FindHeader(headers, "absent").empty());
}

TEST_CASE("not all here yet: no head, or part of the body; 100-continue is noted") {
  CHECK(Parse("").kind == Kind::kIncomplete);
  CHECK(!Parse("POST / HTTP/1.1\r\nHost: x\r\n").has_head);
  const std::string waiting = Request("12345", "Expect: 100-continue\r\n");
  const ParsedRequest p =
      Parse(std::string_view(waiting).substr(0, waiting.size() - 5));  // the head, no body
  CHECK(p.kind == Kind::kIncomplete);
  CHECK(p.has_head);
  CHECK(p.expects_continue);
  const std::string plain = Request("12345");
  CHECK(!Parse(std::string_view(plain).substr(0, plain.size() - 2)).expects_continue);
  CHECK(Parse(std::string_view(plain).substr(0, plain.size() - 2)).has_head);
}

TEST_CASE("keep-alive: HTTP/1.1 unless Connection: close; HTTP/1.0 only when asked") {
  CHECK(!Parse(Request("", "Connection: Close\r\n")).keep_alive);
  CHECK(!Parse("GET / HTTP/1.0\r\n\r\n").keep_alive);
  CHECK(Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive);
  CHECK(Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").kind == Kind::kRequest);
}

TEST_CASE("refused: a bad request line, chunked bodies, a bad length, too large a body or head") {
  CHECK(Parse("GARBAGE\r\n\r\n").status == 400);
  CHECK(Parse("GARBAGE\r\n\r\n").kind == Kind::kRefused);
  const ParsedRequest chunked = Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
  CHECK(chunked.status == 400);
  CHECK(chunked.reason == "chunked requests are not supported");
  CHECK(Parse("POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n").status == 400);
  CHECK(Parse("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n").status == 400);
  CHECK(Parse("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n").status == 400);
  CHECK(Parse("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n").status == 413);
  CHECK(Parse(Request(std::string(1000, 'x'))).kind == Kind::kRequest);  // the limit itself is fine
  CHECK(Parse("POST / HTTP/1.1\r\nX: " + std::string(300, 'x')).status ==
        431);  // no end of head in sight
  CHECK(Parse("POST / HTTP/1.1\r\nX: " + std::string(300, 'x') + "\r\n\r\n").status == 431);
  // A head of exactly the limit is read, whichever way its bytes were split.
  std::string at_limit = "GET / HTTP/1.1\r\nX: ";
  at_limit += std::string(kMaxHead - at_limit.size(), 'x') + "\r\n\r\n";
  CHECK(Parse(at_limit).kind == Kind::kRequest);
  for (std::size_t n = 0; n < at_limit.size(); ++n)
    CHECK(Parse(std::string_view(at_limit).substr(0, n)).kind == Kind::kIncomplete);
  CHECK(Parse(at_limit.substr(0, 20) + "x" + at_limit.substr(20)).status == 431);  // one byte over
  for (const auto& in : {std::string("GARBAGE\r\n\r\n"),
                         std::string("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n")})
    CHECK(!Parse(in).keep_alive);
}

TEST_CASE(
    "Content-Length: differing values are refused and the connection closed; equal ones read as "
    "one") {
  // RFC 9112 6.3 (5): differing values are an unrecoverable framing error (400, close); RFC
  // 9110 8.6 lets a recipient take a repeated identical value as that value.
  for (const std::string extra :
       {"Content-Length: 3\r\nContent-Length: 2\r\n", "Content-Length: 2, 3\r\n",
        "Content-Length: 2\r\nContent-Length: 2,3\r\n", "Content-Length: 2,\r\n",
        "Content-Length:\r\n"}) {
    CAPTURE(extra);
    const ParsedRequest p = Parse("POST / HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n{}xyz");
    CHECK(p.kind == Kind::kRefused);
    CHECK(p.status == 400);
    CHECK(!p.keep_alive);
    CHECK(p.http);
    CHECK(!p.reason.empty());
  }
  for (const std::string extra :
       {"Content-Length: 2\r\ncontent-length: 2\r\n", "Content-Length: 2 , 2\r\n"}) {
    CAPTURE(extra);
    const ParsedRequest p = Parse("POST / HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n{}xyz");
    REQUIRE(p.kind == Kind::kRequest);
    CHECK(p.body == "{}");
  }
}

TEST_CASE(
    "Transfer-Encoding, with or without Content-Length, and ambiguous field lines are refused and "
    "closed") {
  // RFC 9112 6.1/6.3: a request with both may be refused, and the connection must close;
  // 5.1: whitespace before the colon is a 400; 5.2: an obsolete line folding may be a 400.
  for (const std::string extra :
       {"Transfer-Encoding: chunked\r\n", "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n",
        "Content-Length: 2\r\nTransfer-Encoding: identity\r\n",
        "Transfer-Encoding:\r\nContent-Length: 2\r\n", "Content-Length : 2\r\n",
        "Content-Length\t: 2\r\n", "X: a\r\n Content-Length: 2\r\n",
        "X: a\r\n\tb\r\nContent-Length: 2\r\n"}) {
    CAPTURE(extra);
    const ParsedRequest p = Parse("POST / HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n{}");
    CHECK(p.kind == Kind::kRefused);
    CHECK(p.status == 400);
    CHECK(!p.keep_alive);
    CHECK(p.http);
  }
}

TEST_CASE("a refusal says whether the client spoke HTTP (and gets the protocol's error) or not") {
  CHECK(!Parse("GARBAGE\r\n\r\n").http);
  for (const std::string line :
       {"\x16\x03\x01 not HTTP", "GET / HTTP/2.0", "GET / HTTP/1.10", "GET / http/1.1"}) {
    CAPTURE(line);
    const ParsedRequest p = Parse(line + "\r\nHost: x\r\n\r\n");
    CHECK(p.status == 400);
    CHECK(!p.http);
  }
  CHECK(!Parse(std::string(300, 'x')).http);  // no line end, no head end in sight: 431, not HTTP
  CHECK(Parse("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n").http);
  const ParsedRequest big_head = Parse("POST / HTTP/1.1\r\nX: " + std::string(300, 'x'));
  CHECK(big_head.status == 431);
  CHECK(big_head.http);
  CHECK(!Parse("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n").reason.empty());
}

TEST_CASE("a head that has arrived gives the whole request's size before its body is here") {
  const std::string in = Request(std::string(500, 'b'));
  const ParsedRequest p = Parse(std::string_view(in).substr(0, in.size() - 400));
  REQUIRE(p.kind == Kind::kIncomplete);
  CHECK(p.has_head);
  CHECK(p.size == in.size());
  CHECK(Parse("POST / HTTP/1.1\r\n").size == 0);
}

TEST_CASE("pipelined requests, received in any pieces, are read whole and in order") {
  CHECK(rc::check("every split of the stream yields the same requests", [] {
    const auto bodies =
        *rc::gen::container<std::vector<std::string>>(rc::gen::string<std::string>());
    std::string stream;
    for (const auto& b : bodies) stream += Request(b);
    // The stream arrives in chunks; after each, every complete request is consumed.
    std::vector<std::string> seen;
    std::string buffer;
    std::size_t at = 0;
    while (at < stream.size()) {
      const std::size_t n = *rc::gen::inRange<std::size_t>(1, stream.size() - at + 1);
      buffer.append(stream, at, n);
      at += n;
      while (true) {
        const ParsedRequest p = Parse(buffer);
        RC_ASSERT(p.kind != Kind::kRefused);
        if (p.kind == Kind::kIncomplete) break;
        seen.emplace_back(p.body);
        buffer.erase(0, p.size);
      }
    }
    RC_ASSERT(buffer.empty());
    RC_ASSERT(seen == bodies);
  }));
}
