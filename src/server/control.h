#pragma once
// The control API for tests (ServerOptions::control), on the endpoint's port under a path no
// AWS SDK uses, JSON in and out:
//   GET  /_localdynamo/clock            {"now": EPOCH_MS}
//   POST /_localdynamo/clock            {"set": EPOCH_MS} or {"advance": MS}: {"now": EPOCH_MS}
//                                       (a ManualClock's only: `serve --clock`)
//   POST /_localdynamo/reset            the store emptied (Database::Reset), and a ManualClock
//                                       and SeededIds started again: the server as it started: {}
//   POST /_localdynamo/snapshots/NAME   the whole store saved as NAME (Database::SaveSnapshot): {}
//   POST /_localdynamo/snapshots/NAME/restore   and restored (Database::RestoreSnapshot): {}
//   POST /_localdynamo/sweep            time to live's deletions, now, until none is left:
//                                       {"deleted": N}
//   POST /_localdynamo/wait             returns once every change answered so far is readable
//                                       by stream readers: {}
// Answers carry no x-amzn-RequestId: control calls take no id from the database's IdSource.
// Errors in DynamoDB's shape: 400 ValidationException (a bad body), 404 UnknownOperationException
// (no such control), 500 InternalServerError (the store's).

#include <string>
#include <string_view>

#include "localdynamo/database.h"

namespace localdynamo::server {

inline constexpr std::string_view kControlPrefix = "/_localdynamo/";

struct ControlAnswer {
  int http_status = 200;
  std::string body;
};

// `path` starts with kControlPrefix.
ControlAnswer HandleControl(Database& db, std::string_view method, std::string_view path,
                            std::string_view body);

}  // namespace localdynamo::server
