#include "server/control.h"

#include <nlohmann/json.hpp>

#include "wire/dispatch.h"

namespace localdynamo::server {
namespace {

using json = nlohmann::json;

ControlAnswer Fail(const Error& e) { return {ErrorHttpStatus(e.code), wire::ErrorBody(e)}; }

ControlAnswer Now(Clock& clock) { return {200, json{{"now", clock.NowMillis()}}.dump()}; }

ControlAnswer SetClock(Database& db, std::string_view body) {
  auto* clock = dynamic_cast<ManualClock*>(db.options().clock.get());
  if (!clock)
    return Fail(ValidationError(
        "The server runs on the system clock: start it with --clock EPOCH_MS to set or advance "
        "its clock"));
  const json request = json::parse(body, nullptr, /*allow_exceptions=*/false);
  auto whole = [&](const char* name) {
    return request.is_object() && request.contains(name) && request[name].is_number_integer();
  };
  if (!request.is_object() || request.size() != 1 || !(whole("set") || whole("advance")))
    return Fail(ValidationError(
        "The clock takes {\"set\": EPOCH_MILLISECONDS} or {\"advance\": MILLISECONDS}"));
  if (whole("set")) {
    clock->Set(request["set"].get<int64_t>());
  } else {
    clock->Advance(request["advance"].get<int64_t>());
  }
  return Now(*clock);
}

}  // namespace

ControlAnswer HandleControl(Database& db, std::string_view method, std::string_view path,
                            std::string_view body) {
  const std::string_view name = path.substr(kControlPrefix.size());
  if (name == "clock" && method == "GET") return Now(*db.options().clock);
  if (method == "POST") {
    if (name == "clock") return SetClock(db, body);
    if (name == "reset") {
      if (auto st = db.Reset(); !st.ok()) return Fail(st.error());
      // The server as it started: with --clock and --ids sequential, the same requests after
      // each reset answer the same bytes, whatever ran before.
      if (auto* clock = dynamic_cast<ManualClock*>(db.options().clock.get())) clock->Restart();
      if (auto* ids = dynamic_cast<SeededIds*>(db.options().ids.get())) ids->Restart();
      return {200, "{}"};
    }
    if (name == "sweep") {
      int64_t deleted = 0;
      while (true) {  // each pass deletes at most 1,000 a table: until one finds none
        auto n = db.DeleteExpiredItems();
        if (!n.ok()) return Fail(n.error());
        if (*n == 0) break;
        deleted += *n;
      }
      return {200, json{{"deleted", deleted}}.dump()};
    }
    if (name.starts_with("snapshots/")) {
      std::string_view snapshot = name.substr(std::string_view("snapshots/").size());
      const bool restore = snapshot.ends_with("/restore");
      if (restore) snapshot.remove_suffix(std::string_view("/restore").size());
      if (!snapshot.empty() && snapshot.find('/') == std::string_view::npos) {
        const std::string n(snapshot);
        auto st = restore ? db.RestoreSnapshot(n) : db.SaveSnapshot(n);
        if (!st.ok()) return Fail(st.error());
        return {200, "{}"};
      }
    }
    // A write is answered after its commit, and its stream records are written in that same
    // transaction: what was answered is already readable through the Streams API.
    if (name == "wait") return {200, "{}"};
  }
  return {404, wire::ErrorBody(Error{ErrorCode::kUnknownOperation,
                                     "No control " + std::string(method) + " " + std::string(path),
                                     nullptr,
                                     {}})};
}

}  // namespace localdynamo::server
