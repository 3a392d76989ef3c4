// SigV4 checking (issue 21): a correct signature is not enough; DynamoDB also refuses a
// request dated more than 15 minutes from its clock, a credential scope for another service or
// another day than X-Amz-Date's, and SignedHeaders without host. The requests here are signed by
// a signer written from the specification
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), checked first
// against AWS's published test vectors, so every refusal below is for the reason named and not a
// signature mismatch.

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "localdynamo/server.h"
#include "server/sigv4.h"
#include "support/fixtures.h"
#include "types/ascii.h"

using namespace localdynamo;
using localdynamo::server::SignedRequest;
using localdynamo::server::VerifySigV4;

namespace {

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kDay = 24 * 60 * kMinute;
// 2015-08-30T12:36:00Z, the date of AWS's SigV4 test suite.
constexpr int64_t kSuiteMillis = 1440938160000;
constexpr const char* kSuiteDate = "20150830T123600Z";
constexpr const char* kKey = "AKIDEXAMPLE";
constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// SHA-256 and HMAC from OpenSSL's libcrypto, loaded as the server loads it.
struct Crypto {
  decltype(&::SHA256) sha256 = nullptr;
  decltype(&::HMAC) hmac = nullptr;
  decltype(&::EVP_sha256) evp_sha256 = nullptr;
  Crypto() {
    for (const char* name : {"libcrypto.so.3", "libcrypto.so"}) {
      void* lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (!lib) continue;
      sha256 = reinterpret_cast<decltype(&::SHA256)>(dlsym(lib, "SHA256"));
      hmac = reinterpret_cast<decltype(&::HMAC)>(dlsym(lib, "HMAC"));
      evp_sha256 = reinterpret_cast<decltype(&::EVP_sha256)>(dlsym(lib, "EVP_sha256"));
      if (sha256 && hmac && evp_sha256) return;
    }
    FAIL("libcrypto could not be loaded");
  }
};

const Crypto& Lib() {
  static const Crypto crypto;
  return crypto;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  Lib().sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(d), sizeof d));
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  Lib().hmac(Lib().evp_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

// An HTTP request and what signs it: headers by lower-case name.
struct Request {
  std::string method = "POST";
  std::map<std::string, std::string> headers;
  std::string body;

  SignedRequest View() const {
    return SignedRequest{method, "/", "",
                         [this](std::string_view name) -> std::optional<std::string> {
                           auto it = headers.find(std::string(name));
                           if (it == headers.end()) return std::nullopt;
                           return it->second;
                         },
                         body};
  }
};

// The specification's four steps, for path "/" and no query: the signature over `signed_headers`
// (names in order, ';'-separated) with the scope <scope_date>/<region>/<service>/aws4_request.
std::string Signature(const Request& r, std::string_view signed_headers, std::string_view amz_date,
                      std::string_view scope_date, std::string_view region,
                      std::string_view service, std::string_view secret = kSecret) {
  std::string canonical = r.method + "\n/\n\n";
  std::string names(signed_headers);
  for (std::size_t start = 0; start <= names.size();) {
    std::size_t end = names.find(';', start);
    if (end == std::string::npos) end = names.size();
    std::string name = names.substr(start, end - start);
    auto it = r.headers.find(name);
    canonical += name + ":" + (it == r.headers.end() ? "" : it->second) + "\n";
    start = end + 1;
  }
  canonical += "\n" + names + "\n" + Sha256Hex(r.body);
  const std::string scope = std::string(scope_date) + "/" + std::string(region) + "/" +
                            std::string(service) + "/aws4_request";
  const std::string to_sign =
      "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope + "\n" + Sha256Hex(canonical);
  std::string key = Hmac("AWS4" + std::string(secret), scope_date);
  key = Hmac(key, region);
  key = Hmac(key, service);
  key = Hmac(key, "aws4_request");
  return HexEncode(Hmac(key, to_sign));
}

// "20150830T123600Z" for a time in milliseconds since the epoch.
std::string AmzDate(int64_t millis) {
  using namespace std::chrono;
  const sys_seconds t{duration_cast<seconds>(milliseconds(millis))};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char out[17];
  std::snprintf(out, sizeof out, "%04d%02u%02uT%02ld%02ld%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return out;
}

struct Signing {
  std::string amz_date = kSuiteDate;
  std::string scope_date;  // empty: amz_date's day
  std::string service = "dynamodb";
  std::string signed_headers = "content-type;host;x-amz-date;x-amz-target";
  std::string target = "DynamoDB_20120810.ListTables";
  std::string host = "localhost:8000";
};

// A ListTables request signed correctly for everything `s` says.
Request Signed(const Signing& s) {
  Request r;
  r.body = "{}";
  r.headers["content-type"] = "application/x-amz-json-1.0";
  r.headers["host"] = s.host;
  r.headers["x-amz-date"] = s.amz_date;
  r.headers["x-amz-target"] = s.target;
  const std::string scope_date = s.scope_date.empty() ? s.amz_date.substr(0, 8) : s.scope_date;
  r.headers["authorization"] =
      "AWS4-HMAC-SHA256 Credential=" + std::string(kKey) + "/" + scope_date + "/us-east-1/" +
      s.service + "/aws4_request, SignedHeaders=" + s.signed_headers + ", Signature=" +
      Signature(r, s.signed_headers, s.amz_date, scope_date, "us-east-1", s.service);
  return r;
}

Status Verify(const Request& r, int64_t now_millis) {
  return VerifySigV4(r.View(), kKey, kSecret, now_millis);
}

// Refused with InvalidSignatureException and exactly this text.
void CheckInvalidSignature(const Status& s, std::string_view message) {
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kInvalidSignature);
  CHECK(s.error().message == message);
}

}  // namespace

TEST_CASE("SigV4 test signer: reproduces AWS's published get-vanilla and post-vanilla signatures") {
  // aws-sig-v4-test-suite
  // (https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html)
  for (auto [method, expected] :
       {std::pair{"GET", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
        std::pair{"POST", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"}}) {
    Request r;
    r.method = method;
    r.headers["host"] = "example.amazonaws.com";
    r.headers["x-amz-date"] = kSuiteDate;
    CHECK(Signature(r, "host;x-amz-date", kSuiteDate, "20150830", "us-east-1", "service") ==
          expected);
  }
  CHECK(AmzDate(kSuiteMillis) == kSuiteDate);
  CHECK(AmzDate(kSuiteMillis + 16 * kMinute + 999) == "20150830T125200Z");
}

TEST_CASE("SigV4: a correct signature within 15 minutes of the server's clock is accepted") {
  const Request r = Signed({});
  CHECK(Verify(r, kSuiteMillis).ok());
  CHECK(Verify(r, kSuiteMillis + 14 * kMinute).ok());
  CHECK(Verify(r, kSuiteMillis - 14 * kMinute).ok());
  // The bounds themselves are inside: DynamoDB refuses only earlier than now - 15 min or later
  // than now + 15 min, to the second.
  CHECK(Verify(r, kSuiteMillis + 15 * kMinute).ok());
  CHECK(Verify(r, kSuiteMillis + 15 * kMinute + 999).ok());
  CHECK(Verify(r, kSuiteMillis - 15 * kMinute).ok());
}

TEST_CASE("SigV4: a request dated more than 15 minutes before the server's clock has expired") {
  const Request r = Signed({});
  CheckInvalidSignature(Verify(r, kSuiteMillis + 16 * kMinute),
                        "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z "
                        "(20150830T125200Z - 15 min.)");
  CheckInvalidSignature(Verify(r, kSuiteMillis + 15 * kMinute + 1000),
                        "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z "
                        "(20150830T125101Z - 15 min.)");
  CheckInvalidSignature(Verify(r, kSuiteMillis + kDay),
                        "Signature expired: 20150830T123600Z is now earlier than 20150831T122100Z "
                        "(20150831T123600Z - 15 min.)");
  CheckInvalidSignature(Verify(r, kSuiteMillis + 365 * kDay),
                        "Signature expired: 20150830T123600Z is now earlier than 20160829T122100Z "
                        "(20160829T123600Z - 15 min.)");
}

TEST_CASE(
    "SigV4: a request dated more than 15 minutes after the server's clock is not yet current") {
  const Request r = Signed({});
  CheckInvalidSignature(
      Verify(r, kSuiteMillis - 16 * kMinute),
      "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z "
      "(20150830T122000Z + 15 min.)");
  CheckInvalidSignature(
      Verify(r, kSuiteMillis - kDay),
      "Signature not yet current: 20150830T123600Z is still later than 20150829T125100Z "
      "(20150829T123600Z + 15 min.)");
  CheckInvalidSignature(
      Verify(r, kSuiteMillis - 365 * kDay),
      "Signature not yet current: 20150830T123600Z is still later than 20140830T125100Z "
      "(20140830T123600Z + 15 min.)");
}

TEST_CASE("SigV4: the time is checked before the signature") {
  // DynamoDB answers a stale request with the expiry even when its signature is also wrong.
  Request r = Signed({});
  r.body = "{\"Limit\": 1}";
  CHECK(Verify(r, kSuiteMillis).error().message.starts_with("The request signature we calculated"));
  CHECK(Verify(r, kSuiteMillis + kDay).error().message.starts_with("Signature expired: "));
}

TEST_CASE("SigV4: an X-Amz-Date that isn't ISO 8601's basic format is refused") {
  for (const char* date :
       {"2015-08-30T12:36:00Z", "20150830T123600", "20150830", "20151330T123600Z",
        "20150230T123600Z", "20150830T253600Z", "2015083OT123600Z", ""}) {
    const std::string amz_date = date;
    CAPTURE(amz_date);
    Signing s;
    s.amz_date = amz_date;
    s.scope_date = "20150830";
    const Status refused = Verify(Signed(s), kSuiteMillis);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::kIncompleteSignature);
    CHECK(refused.error().message == "Date must be in ISO-8601 'basic format'. Got '" + amz_date +
                                         "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
}

TEST_CASE("SigV4: a Credential that isn't five parts is an incomplete signature") {
  Request r = Signed({});
  std::string& auth = r.headers["authorization"];
  const std::size_t at = auth.find("Credential=") + 11;
  auth.replace(at, auth.find(',', at) - at, "AKIDEXAMPLE");
  const Status refused = Verify(r, kSuiteMillis);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kIncompleteSignature);
  CHECK(refused.error().message ==
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got 'AKIDEXAMPLE'");
}

TEST_CASE("SigV4: the credential scope's service must be dynamodb, for the Streams API too") {
  Signing s;
  s.service = "s3";
  CheckInvalidSignature(Verify(Signed(s), kSuiteMillis),
                        "Credential should be scoped to correct service: 'dynamodb'. ");
  s.service = "dynamodbstreams";
  CheckInvalidSignature(Verify(Signed(s), kSuiteMillis),
                        "Credential should be scoped to correct service: 'dynamodb'. ");
  s.service = "DynamoDB";
  CheckInvalidSignature(Verify(Signed(s), kSuiteMillis),
                        "Credential should be scoped to correct service: 'dynamodb'. ");
  // The SDKs' Streams clients sign with the signing name dynamodb (botocore's
  // dynamodbstreams service-2.json: "signingName":"dynamodb").
  s.service = "dynamodb";
  s.target = "DynamoDBStreams_20120810.ListStreams";
  CHECK(Verify(Signed(s), kSuiteMillis).ok());
}

TEST_CASE("SigV4: the credential scope's date must be X-Amz-Date's") {
  Signing s;
  s.scope_date = "20150831";
  CheckInvalidSignature(
      Verify(Signed(s), kSuiteMillis),
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
      "HTTP: '20150831' != '20150830', from '20150830T123600Z'. ");
  // One second before midnight is still the day before, even within the 15 minutes.
  s.amz_date = "20150830T235959Z";
  CheckInvalidSignature(
      Verify(Signed(s), kSuiteMillis + 11 * 60 * kMinute + 24 * kMinute),
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
      "HTTP: '20150831' != '20150830', from '20150830T235959Z'. ");
  // Both wrong: one answer naming both, service first.
  s = Signing{};
  s.service = "s3";
  s.scope_date = "20150829";
  CheckInvalidSignature(
      Verify(Signed(s), kSuiteMillis),
      "Credential should be scoped to correct service: 'dynamodb'. Date in Credential scope does "
      "not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != '20150830', "
      "from '20150830T123600Z'. ");
}

TEST_CASE("SigV4: host must be among the SignedHeaders") {
  Signing s;
  s.signed_headers = "content-type;x-amz-date;x-amz-target";
  CheckInvalidSignature(
      Verify(Signed(s), kSuiteMillis),
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  s.signed_headers = "content-type;hosts;x-amz-date";
  CheckInvalidSignature(
      Verify(Signed(s), kSuiteMillis),
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  s.signed_headers = "host;x-amz-date";
  CHECK(Verify(Signed(s), kSuiteMillis).ok());
}

TEST_CASE("SigV4: the other refusals keep their answers") {
  Request r = Signed({});
  r.headers.erase("authorization");
  CHECK(Verify(r, kSuiteMillis).error().code == ErrorCode::kMissingAuthenticationToken);
  CHECK(VerifySigV4(Signed({}).View(), "AKIDOTHER", kSecret, kSuiteMillis).error().code ==
        ErrorCode::kUnrecognizedClient);
  CheckInvalidSignature(
      VerifySigV4(Signed({}).View(), kKey, "wrong", kSuiteMillis),
      "The request signature we calculated does not match the signature you provided. Check "
      "your AWS Secret Access Key and signing method. Consult the service documentation for "
      "details.");
}

namespace {

// One request over a fresh connection to 127.0.0.1:`port`; the whole answer.
std::string Exchange(int port, const Request& r) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string text = r.method + " / HTTP/1.1\r\n";
  for (const auto& [name, value] : r.headers) text += name + ": " + value + "\r\n";
  text +=
      "content-length: " + std::to_string(r.body.size()) + "\r\nconnection: close\r\n\r\n" + r.body;
  REQUIRE(send(fd, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size()));
  std::string answer;
  char buf[4096];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;)
    answer.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return answer;
}

}  // namespace

TEST_CASE("serve --auth: the time is checked against the database's clock (Options.clock)") {
  auto clock = std::make_shared<ManualClock>(ld_test::kStartMillis);
  clock->Set(kSuiteMillis);
  Options o;
  o.clock = clock;
  o.ids = SequentialIds(7);
  auto db = Database::OpenInMemory(o);
  REQUIRE(db.ok());
  ServerOptions so;
  so.port = 0;
  so.threads = 1;
  so.time_to_live_sweep_seconds = 0;
  so.access_key_id = kKey;
  so.secret_access_key = kSecret;
  auto server = Server::Start(**db, so);
  REQUIRE(server.ok());
  const int port = (*server)->port();
  Signing s;
  s.host = "127.0.0.1:" + std::to_string(port);
  const Request r = Signed(s);

  std::string answer = Exchange(port, r);
  CHECK(answer.starts_with("HTTP/1.1 200"));
  CHECK(answer.find("TableNames") != std::string::npos);

  clock->Set(kSuiteMillis + 16 * kMinute);
  answer = Exchange(port, r);
  CHECK(answer.starts_with("HTTP/1.1 400"));
  CHECK(answer.find("InvalidSignatureException") != std::string::npos);
  CHECK(answer.find("Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z "
                    "(20150830T125200Z - 15 min.)") != std::string::npos);

  clock->Set(kSuiteMillis - 16 * kMinute);
  answer = Exchange(port, r);
  CHECK(answer.starts_with("HTTP/1.1 400"));
  CHECK(answer.find("Signature not yet current: ") != std::string::npos);
}
