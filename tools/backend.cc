#include "backend.h"

#include <httplib.h>

#include <fmt/format.h>

#include "localdynamo/server.h"

namespace localdynamo::cli {
namespace {

std::string FullTarget(const std::string& operation) {
  return operation.find('.') == std::string::npos ? "DynamoDB_20120810." + operation : operation;
}

json Check(int status, const std::string& body) {
  json j = json::parse(body, nullptr, false);
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

class EndpointBackend : public Backend {
 public:
  explicit EndpointBackend(const std::string& url) : client_(url) {
    client_.set_keep_alive(true);
    client_.set_read_timeout(60, 0);
  }
  json Call(const std::string& operation, const json& request) override {
    httplib::Headers headers = {
        {"X-Amz-Target", FullTarget(operation)},
        {"Authorization", "AWS4-HMAC-SHA256 Credential=local/20230320/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0"}};
    auto res = client_.Post("/", headers, request.dump(), "application/x-amz-json-1.0");
    if (!res) throw CommandError(fmt::format("cannot reach the endpoint: {}", httplib::to_string(res.error())));
    return Check(res->status, res->body);
  }

 private:
  httplib::Client client_;
};

}  // namespace

std::unique_ptr<Backend> OpenBackend(const Target& t) {
  if (!t.endpoint.empty()) return std::make_unique<EndpointBackend>(t.endpoint);
  if (t.data_dir.empty()) throw CommandError("give --data DIR (a database directory) or --endpoint URL");
  return std::make_unique<DirectoryBackend>(t.data_dir);
}

}  // namespace localdynamo::cli
