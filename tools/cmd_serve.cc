// `localdynamo serve`: the endpoint for boto3 / the AWS CLI / other SDKs.

#include <signal.h>

#include <charconv>
#include <cstdio>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.h"
#include "localdynamo/localdynamo.h"
#include "localdynamo/server.h"

namespace localdynamo::cli {
namespace {

// --ids: "random", "sequential" or "sequential:SEED" (SEED decimal); null when malformed.
std::shared_ptr<IdSource> IdsFromFlag(std::string_view flag) {
  if (flag == "random") return RandomIds();
  if (flag == "sequential") return SequentialIds(0);
  constexpr std::string_view kSeeded = "sequential:";
  if (!flag.starts_with(kSeeded) || flag.size() == kSeeded.size()) return nullptr;
  const std::string_view digits = flag.substr(kSeeded.size());
  uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seed);
  if (ec != std::errc() || end != digits.data() + digits.size()) return nullptr;
  return SequentialIds(seed);
}

}  // namespace

void AddServeCommand(CLI::App& app, int* exit_code) {
  struct Args {
    int port = 8000;
    std::string host = "127.0.0.1";
    std::string data;
    bool in_memory = false;
    std::string auth;
    bool log = false;
    std::string durability = "sync";
    int threads = 0;
    int ttl_sweep = 5;
    std::optional<int64_t> clock_millis;
    std::string ids = "random";
    std::string account_id = "000000000000";
    bool control = false;
    bool no_control = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd =
      app.add_subcommand("serve", "Serve DynamoDB's HTTP API (and DynamoDB Streams) on a database");
  cmd->add_option("--port", args->port, "TCP port (0: any free port)")->capture_default_str();
  cmd->add_option("--host", args->host, "address to bind")->capture_default_str();
  auto* data = cmd->add_option("--data", args->data, "database directory");
  auto* mem = cmd->add_flag("--in-memory", args->in_memory,
                            "a temporary database, removed on exit (--durability none)");
  data->excludes(mem);
  cmd->add_option("--auth", args->auth,
                  "KEY:SECRET: verify SigV4 signatures by this key (default: accept any)");
  cmd->add_flag("--log", args->log, "one access-log line per request on stderr");
  cmd->add_option("--threads", args->threads,
                  "event-loop threads (0: one per hardware thread, at least 2)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--ttl-sweep", args->ttl_sweep,
                  "seconds between deletions of expired items (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--durability", args->durability,
                  "sync: each write on disk before its answer (a crash or power loss loses none); "
                  "nosync: in the system's cache (a process crash loses none, a power loss the "
                  "last seconds' and may corrupt); none: a temporary database (--in-memory)")
      ->check(CLI::IsMember({"sync", "nosync", "none"}))
      ->capture_default_str();
  cmd->add_option("--clock", args->clock_millis,
                  "start the clock at EPOCH_MS; it then moves only when told (the control API)");
  cmd->add_option("--ids", args->ids,
                  "random, or sequential[:SEED]: request ids, stream event ids and every other "
                  "generated id the same run to run");
  cmd->add_option("--account-id", args->account_id, "the account id in ARNs (12 digits)")
      ->capture_default_str();
  auto* control =
      cmd->add_flag("--control", args->control,
                    "the control API for tests under /_localdynamo/ (clock, reset, "
                    "sweep, wait); on by default with --in-memory on a loopback address");
  cmd->add_flag("--no-control", args->no_control, "no control API, even with --in-memory")
      ->excludes(control);
  cmd->callback([args, exit_code] {
    // Signals are taken by sigwait below, not by the server's threads.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // A write past the file size limit (ulimit -f) is SIGXFSZ, which ends the process unless
    // ignored; ignored, the write fails with EFBIG and the request gets a 500 saying the
    // database file can't grow, as a full disk's ENOSPC does.
    signal(SIGXFSZ, SIG_IGN);

    Options options;
    if (args->durability == "nosync") options.durability = Durability::kNoSync;
    if (args->clock_millis) options.clock = FixedClock(*args->clock_millis);
    options.ids = IdsFromFlag(args->ids);
    if (!options.ids) {
      std::cerr << "localdynamo: --ids wants random, sequential or sequential:SEED (a number)\n";
      *exit_code = 2;
      return;
    }
    if (args->account_id.size() != 12 ||
        args->account_id.find_first_not_of("0123456789") != std::string::npos) {
      std::cerr << "localdynamo: --account-id wants 12 digits\n";
      *exit_code = 2;
      return;
    }
    options.account_id = args->account_id;
    if (args->durability == "none" && !args->data.empty()) {
      std::cerr << "localdynamo: --durability none keeps nothing: it takes no --data\n";
      *exit_code = 2;
      return;
    }
    std::string where;
    Result<std::unique_ptr<Database>> db = InternalError("no database");
    if (args->in_memory || args->data.empty()) {
      db = Database::OpenInMemory(options);
      where = "in-memory";
    } else {
      db = Database::Open(args->data, options);
      where = args->data;
    }
    if (!db.ok()) {
      std::cerr << "localdynamo: " << db.error().ToString() << "\n";
      *exit_code = 1;
      return;
    }
    ServerOptions so;
    so.host = args->host;
    so.port = args->port;
    so.access_log = args->log;
    so.threads = args->threads;
    so.time_to_live_sweep_seconds = args->ttl_sweep;
    const bool loopback = args->host == "127.0.0.1" || args->host == "::1" ||
                          args->host == "localhost" || args->host.rfind("127.", 0) == 0;
    so.control = args->control || (!args->no_control && where == "in-memory" && loopback);
    if (!args->auth.empty()) {
      auto colon = args->auth.find(':');
      if (colon == std::string::npos) {
        std::cerr << "localdynamo: --auth wants KEY:SECRET\n";
        *exit_code = 2;
        return;
      }
      so.access_key_id = args->auth.substr(0, colon);
      so.secret_access_key = args->auth.substr(colon + 1);
    }
    auto server = Server::Start(**db, so);
    if (!server.ok()) {
      std::cerr << "localdynamo: " << server.error().ToString() << "\n";
      *exit_code = 1;
      return;
    }
    std::printf("localdynamo listening on http://%s:%d (data: %s)\n", args->host.c_str(),
                (*server)->port(), where.c_str());
    std::fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    (*server)->Stop();
    (*server)->Wait();
    server->reset();
    db->reset();  // closes the environment cleanly
    *exit_code = 0;
  });
}

}  // namespace localdynamo::cli
