#include "server/sigv4.h"

#include "types/ascii.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <dlfcn.h>

#include <algorithm>
#include <mutex>
#include <sstream>
#include <vector>

namespace localdynamo::server {
namespace {

// OpenSSL's SHA-256 and HMAC, loaded on first use: only `serve --auth` needs them, and linking
// libcrypto costs every process ~3 MB of resident memory at start.
struct Crypto {
  decltype(&::SHA256) sha256 = nullptr;
  decltype(&::HMAC) hmac = nullptr;
  decltype(&::EVP_sha256) evp_sha256 = nullptr;
};

const Crypto* LoadCrypto() {
  static Crypto crypto;
  static std::once_flag once;
  std::call_once(once, [] {
    for (const char* name : {"libcrypto.so.3", "libcrypto.so"}) {
      void* lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
      if (!lib) continue;
      crypto.sha256 = reinterpret_cast<decltype(&::SHA256)>(dlsym(lib, "SHA256"));
      crypto.hmac = reinterpret_cast<decltype(&::HMAC)>(dlsym(lib, "HMAC"));
      crypto.evp_sha256 = reinterpret_cast<decltype(&::EVP_sha256)>(dlsym(lib, "EVP_sha256"));
      if (crypto.sha256 && crypto.hmac && crypto.evp_sha256) return;
    }
    crypto = Crypto{};
  });
  return crypto.sha256 ? &crypto : nullptr;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  LoadCrypto()->sha256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(d), sizeof d));
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const Crypto* c = LoadCrypto();
  c->hmac(c->evp_sha256(), key.data(), static_cast<int>(key.size()),
          reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  // Sequential spaces collapse to one.
  std::string out;
  for (char c : s)
    if (!(c == ' ' && !out.empty() && out.back() == ' ')) out.push_back(c);
  return out;
}

// "k1=v1, k2=v2" parts of the Authorization header after the algorithm.
std::string Part(std::string_view auth, std::string_view key) {
  auto pos = auth.find(std::string(key) + "=");
  if (pos == std::string_view::npos) return "";
  auto start = pos + key.size() + 1;
  auto end = auth.find(',', start);
  return std::string(auth.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
}

Error Code(ErrorCode c, std::string m) { return Error{c, std::move(m), nullptr, {}}; }

}  // namespace

Status VerifySigV4(const SignedRequest& r, std::string_view access_key, std::string_view secret) {
  if (!LoadCrypto()) return InternalError("SigV4 checking needs OpenSSL's libcrypto, which could not be loaded");
  auto auth = r.header("authorization");
  if (!auth || auth->empty())
    return Code(ErrorCode::kMissingAuthenticationToken, "Request is missing Authentication Token");
  const std::string kAlg = "AWS4-HMAC-SHA256 ";
  const Error invalid_token =
      Code(ErrorCode::kUnrecognizedClient, "The security token included in the request is invalid.");
  if (!auth->starts_with(kAlg)) return invalid_token;
  std::string_view rest = std::string_view(*auth).substr(kAlg.size());
  std::string credential = Trim(Part(rest, "Credential"));
  std::string signed_headers = Trim(Part(rest, "SignedHeaders"));
  std::string signature = Trim(Part(rest, "Signature"));
  // Credential = <key>/<date>/<region>/<service>/aws4_request
  std::vector<std::string> scope_parts;
  std::stringstream cs(credential);
  for (std::string p; std::getline(cs, p, '/');) scope_parts.push_back(p);
  if (scope_parts.size() != 5) return invalid_token;
  if (scope_parts[0] != access_key) return invalid_token;
  auto amz_date = r.header("x-amz-date");
  if (!amz_date) return invalid_token;

  std::string canonical_headers;
  std::stringstream hs(signed_headers);
  for (std::string h; std::getline(hs, h, ';');) {
    auto v = r.header(h);
    canonical_headers += h + ":" + Trim(v.value_or("")) + "\n";
  }
  std::string canonical_request = r.method + "\n" + r.path + "\n" + r.query + "\n" + canonical_headers +
                                  "\n" + signed_headers + "\n" + Sha256Hex(r.body);
  std::string scope = scope_parts[1] + "/" + scope_parts[2] + "/" + scope_parts[3] + "/aws4_request";
  std::string to_sign = "AWS4-HMAC-SHA256\n" + *amz_date + "\n" + scope + "\n" + Sha256Hex(canonical_request);
  std::string key = Hmac("AWS4" + std::string(secret), scope_parts[1]);
  key = Hmac(key, scope_parts[2]);
  key = Hmac(key, scope_parts[3]);
  key = Hmac(key, "aws4_request");
  std::string mac = Hmac(key, to_sign);
  if (HexEncode(mac) != signature)
    return Code(ErrorCode::kInvalidSignature,
                "The request signature we calculated does not match the signature you provided. Check "
                "your AWS Secret Access Key and signing method. Consult the service documentation for "
                "details.");
  return OkStatus();
}

}  // namespace localdynamo::server
