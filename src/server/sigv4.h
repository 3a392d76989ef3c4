#pragma once
// AWS Signature Version 4 verification for DynamoDB requests
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "localdynamo/status.h"

namespace localdynamo::server {

struct SignedRequest {
  std::string method;
  std::string path;   // "/"
  std::string query;  // raw query string, usually empty
  std::function<std::optional<std::string>(std::string_view)> header;  // by lower-case name
  std::string_view body;
};

// OK when `r` is signed by access_key/secret for the service `dynamodb` (the signing name of
// the Streams API too), with host among its SignedHeaders, a credential scope dated as its
// X-Amz-Date, and an X-Amz-Date within 15 minutes either side of `now_millis` (the server's
// clock, Options.clock: milliseconds since the Unix epoch). Errors, with DynamoDB's texts:
// MissingAuthenticationTokenException (no Authorization), UnrecognizedClientException (another
// key; an Authorization, Credential or X-Amz-Date that can't be read), InvalidSignatureException
// (expired or not yet current, host not signed, wrong scope, wrong signature).
Status VerifySigV4(const SignedRequest& r, std::string_view access_key, std::string_view secret,
                   int64_t now_millis);

}  // namespace localdynamo::server
