#include "cmd_cruddur.h"

#include <unistd.h>

#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "messaging.h"
#include "seed.h"

namespace {

using namespace localdynamo;

struct Session {
  std::unique_ptr<Database> db;
  std::unique_ptr<cruddur::App> app;
};

struct Common {
  std::string data = ".cruddur-data";
  int64_t clock_millis = 0;  // 0: the system clock
};

Result<Session> OpenSession(const Common& c) {
  Options o;
  if (c.clock_millis) {
    o.clock = FixedClock(c.clock_millis, 1000);
    o.ids = SequentialIds(static_cast<uint64_t>(c.clock_millis));  // same ids every run
  }
  LD_ASSIGN_OR_RETURN(auto db, Database::Open(c.data, o));
  Session s{std::move(db), nullptr};
  s.app = std::make_unique<cruddur::App>(*s.db);
  LD_RETURN_IF_ERROR(s.app->SchemaLoad());
  LD_RETURN_IF_ERROR(s.app->StartStreamUpdater());
  return s;
}

void AddCommon(CLI::App* cmd, Common* c) {
  cmd->add_option("--data", c->data, "database directory")->capture_default_str();
  cmd->add_option("--clock", c->clock_millis,
                  "fixed start time in epoch milliseconds (deterministic runs)");
}

std::string Short(const std::string& ts) { return ts.substr(0, 16); }  // 2023-03-20T10:00

template <class F>
void Run(int* exit_code, const Common& c, F body) {
  auto s = OpenSession(c);
  if (!s.ok()) {
    std::cerr << "cruddur: " << s.error().message << "\n";
    *exit_code = 1;
    return;
  }
  Status st = body(*s);
  if (!st.ok()) {
    std::cerr << "cruddur: " << st.error().message << "\n";
    *exit_code = 1;
    return;
  }
  *exit_code = 0;
}

void PrintGroups(const cruddur::GroupPage& page) {
  for (const auto& g : page.groups)
    std::cout << fmt::format("  {}  {:<16} {:<22} {}\n    {}\n", Short(g.last_message_at),
                             "@" + g.other_handle, g.other_display_name, g.uuid, g.last_message);
  if (page.groups.empty()) std::cout << "  (no conversations)\n";
  if (page.next_page) std::cout << "  more: --page " << *page.next_page << "\n";
}

}  // namespace

void AddCruddurCommands(CLI::App& root, int* exit_code) {
  CLI::App* app = root.add_subcommand(
      "cruddur", "The Cruddur messaging app (the seed's DynamoDB week), embedded");
  app->require_subcommand(1);
  {
    auto c = std::make_shared<Common>();
    auto* cmd = app->add_subcommand(
        "schema-load", "Create cruddur-messages (with its GSI and stream) and cruddur-users");
    AddCommon(cmd, c.get());
    cmd->callback([=] {
      Run(exit_code, *c, [](Session&) -> Status {
        std::cout << "tables cruddur-messages and cruddur-users are ready\n";
        return OkStatus();
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto size = std::make_shared<cruddur::SyntheticSize>();
    auto* cmd = app->add_subcommand(
        "seed",
        "The seed's two-person conversation, or synthetic data with --users/--groups/--messages");
    AddCommon(cmd, c.get());
    cmd->add_option("--users", size->users, "synthetic users");
    cmd->add_option("--groups", size->groups, "synthetic conversations");
    cmd->add_option("--messages", size->messages, "synthetic messages");
    cmd->callback([=] {
      Run(exit_code, *c, [&](Session& s) -> Status {
        if (size->users || size->groups || size->messages) {
          const bool tty = isatty(STDERR_FILENO);
          LD_RETURN_IF_ERROR(
              cruddur::SeedSynthetic(*s.app, *s.db, *size, [&](int64_t done, int64_t total) {
                if (!tty) return;
                int filled = static_cast<int>(30 * done / std::max<int64_t>(total, 1));
                std::cerr << fmt::format("\rseed [{}{}] {}/{}", std::string(filled, '#'),
                                         std::string(30 - filled, ' '), done, total)
                          << std::flush;
              }));
          if (tty) std::cerr << "\n";
          std::cout << fmt::format("seeded {} users, {} conversations, {} messages\n", size->users,
                                   size->groups, size->messages);
          return OkStatus();
        }
        LD_RETURN_IF_ERROR(cruddur::SeedConversation(*s.app, *s.db));
        std::cout << "seeded @andrewbrown and @bayko's conversation " << cruddur::kSeedGroupUuid
                  << " (25 messages)\n";
        return OkStatus();
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto handle = std::make_shared<std::string>();
    auto page = std::make_shared<std::string>();
    auto* cmd = app->add_subcommand("list-conversations",
                                    "A user's conversations, newest first (pattern B)");
    AddCommon(cmd, c.get());
    cmd->add_option("handle", *handle, "user handle")->required();
    cmd->add_option("--page", *page, "the 'more' token of the previous page");
    cmd->callback([=] {
      Run(exit_code, *c, [&](Session& s) -> Status {
        LD_ASSIGN_OR_RETURN(auto user, s.app->FindUser(*handle));
        LD_ASSIGN_OR_RETURN(
            auto groups,
            s.app->ListMessageGroups(user, page->empty() ? std::nullopt : std::optional(*page)));
        std::cout << "Conversations of @" << user.handle << ":\n";
        PrintGroups(groups);
        return OkStatus();
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    struct A {
      std::string group, as, year;
      std::vector<std::string> between;
    };
    auto a = std::make_shared<A>();
    auto* cmd = app->add_subcommand(
        "get-conversation", "The newest 20 messages of a conversation, oldest first (pattern A)");
    AddCommon(cmd, c.get());
    cmd->add_option("group", a->group, "message group uuid")->required();
    cmd->add_option("--as", a->as, "the reading user's handle (must be in the conversation)")
        ->required();
    auto* year = cmd->add_option("--year", a->year, "only this year (begins_with(sk, year))");
    cmd->add_option("--between", a->between, "only between two timestamps (sk BETWEEN a AND b)")
        ->expected(2)
        ->excludes(year);
    cmd->callback([=] {
      Run(exit_code, *c, [&](Session& s) -> Status {
        LD_ASSIGN_OR_RETURN(auto user, s.app->FindUser(a->as));
        cruddur::MessageRange range;
        if (!a->year.empty()) range.year = a->year;
        if (a->between.size() == 2) range.between = std::make_pair(a->between[0], a->between[1]);
        LD_ASSIGN_OR_RETURN(auto messages, s.app->ListMessages(user, a->group, range));
        for (const auto& m : messages)
          std::cout << fmt::format("  {}  {:<14} {}\n", Short(m.created_at), "@" + m.user_handle,
                                   m.text);
        if (messages.empty()) std::cout << "  (no messages)\n";
        return OkStatus();
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    struct A {
      std::string from, group, to, text;
    };
    auto a = std::make_shared<A>();
    auto* cmd = app->add_subcommand(
        "send", "Send a message to a conversation (pattern C), or start one with --to (pattern D)");
    AddCommon(cmd, c.get());
    cmd->add_option("--from", a->from, "sender handle")->required();
    auto* group = cmd->add_option("--group", a->group, "message group uuid");
    auto* to = cmd->add_option("--to", a->to, "start a new conversation with this handle");
    group->excludes(to);
    cmd->add_option("--text", a->text, "the message")->required();
    cmd->callback([=] {
      Run(exit_code, *c, [&](Session& s) -> Status {
        LD_ASSIGN_OR_RETURN(auto sender, s.app->FindUser(a->from));
        if (!a->to.empty()) {
          LD_ASSIGN_OR_RETURN(auto receiver, s.app->FindUser(a->to));
          LD_ASSIGN_OR_RETURN(auto group_uuid,
                              s.app->CreateMessageGroup(sender, receiver, a->text));
          std::cout << "new conversation " << group_uuid << " with @" << receiver.handle << "\n";
          return OkStatus();
        }
        if (a->group.empty()) return cruddur::AppError("give --group G or --to HANDLE");
        LD_ASSIGN_OR_RETURN(auto m, s.app->CreateMessage(sender, a->group, a->text));
        std::cout << fmt::format("sent at {}: {}\n", m.created_at, m.text);
        return OkStatus();
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    struct A {
      std::string handle, name;
    };
    auto a = std::make_shared<A>();
    auto* cmd = app->add_subcommand("new-user", "Add a user");
    AddCommon(cmd, c.get());
    cmd->add_option("handle", a->handle, "handle")->required();
    cmd->add_option("--name", a->name, "display name")->required();
    cmd->callback([=] {
      Run(exit_code, *c, [&](Session& s) -> Status {
        LD_ASSIGN_OR_RETURN(auto u, s.app->CreateUser(a->handle, a->name));
        std::cout << "user @" << u.handle << " " << u.uuid << "\n";
        return OkStatus();
      });
    });
  }
}
