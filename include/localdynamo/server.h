#pragma once
// The local endpoint: DynamoDB's JSON 1.0 protocol (and the DynamoDB Streams API) over HTTP,
// for boto3, the AWS CLI and the other SDKs, on a Database.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "localdynamo/database.h"
#include "localdynamo/status.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8000;                 // 0: pick a free port (see Server::port())
  // When set, requests must carry a valid SigV4 signature by this key; otherwise any
  // credentials are accepted, as DynamoDB Local does.
  std::optional<std::string> access_key_id;
  std::string secret_access_key;
  bool access_log = false;  // one line per request on stderr
  int threads = 0;          // event-loop threads (0: one per hardware thread, at least 2)
  // How often expired items are deleted (Database::DeleteExpiredItems), in seconds; 0: never.
  int time_to_live_sweep_seconds = 5;
  // The control API for tests, under /_localdynamo/ (clock, reset, sweep, wait; see
  // src/server/control.h and README), signed like any request when access_key_id is set.
  // Off: its requests are refused (403 AccessDeniedException).
  bool control = false;
};

class Server {
 public:
  // Binds and starts serving on background threads. Errors: InternalServerError when the
  // address can't be bound.
  static Result<std::unique_ptr<Server>> Start(Database& db, ServerOptions options);
  ~Server();  // Stop() + Wait()

  int port() const;
  // Stops accepting; requests in flight finish. Thread-safe; idempotent.
  void Stop();
  // Blocks until the server has stopped.
  void Wait();

  struct __attribute__((visibility("hidden"))) Impl;  // not exported from the shared library

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// One DynamoDB JSON request handled in-process, exactly as the endpoint would (the CLI uses it
// on database directories). `target` is an X-Amz-Target value ("DynamoDB_20120810.Query").
struct JsonResponse {
  int http_status = 200;
  std::string body;
};
JsonResponse InvokeJson(Database& db, std::string_view target, std::string_view body);

}  // namespace localdynamo

#pragma GCC visibility pop
