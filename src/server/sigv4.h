#pragma once
// AWS Signature Version 4 verification for DynamoDB requests
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).

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

// OK when `r` is signed by access_key/secret. Errors: MissingAuthenticationTokenException,
// UnrecognizedClientException, InvalidSignatureException, with DynamoDB's texts.
Status VerifySigV4(const SignedRequest& r, std::string_view access_key, std::string_view secret);

}  // namespace localdynamo::server
