#pragma once
// The Cruddur messaging app (the seed's DynamoDB week) on the public localdynamo API:
// conversations (message groups), messages, and the stream updater that keeps each user's
// conversation list sorted by the newest message.

#include <optional>
#include <string>
#include <vector>

#include "localdynamo/localdynamo.h"

namespace cruddur {

using localdynamo::Result;
using localdynamo::Status;

inline constexpr const char* kMessagesTable = "cruddur-messages";
inline constexpr const char* kUsersTable = "cruddur-users";
inline constexpr const char* kGroupIndex = "message-group-sk-index";

struct User {
  std::string uuid;
  std::string handle;
  std::string display_name;
};

// One row of a user's conversation list: the other person and the last message.
struct MessageGroup {
  std::string uuid;
  std::string other_uuid;
  std::string other_handle;
  std::string other_display_name;
  std::string last_message;
  std::string last_message_at;
};

struct Message {
  std::string uuid;
  std::string group_uuid;
  std::string user_uuid;
  std::string user_handle;
  std::string user_display_name;
  std::string text;
  std::string created_at;
};

struct GroupPage {
  std::vector<MessageGroup> groups;      // newest first
  std::optional<std::string> next_page;  // pass back to get the next 20
};

// Which messages of a conversation to read (pattern A).
struct MessageRange {
  std::optional<std::string> year;                             // begins_with(sk, year)
  std::optional<std::pair<std::string, std::string>> between;  // sk BETWEEN a AND b
};

class App {
 public:
  // `db` must outlive the App. Time and ids come from the database's Options.
  explicit App(localdynamo::Database& db) : db_(db) {}
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Creates cruddur-messages (pk/sk, GSI message-group-sk-index, NEW_IMAGE stream) and
  // cruddur-users if they don't exist.
  Status SchemaLoad();
  // Subscribes the stream updater (pattern E) to cruddur-messages' change stream.
  Status StartStreamUpdater();

  Result<User> CreateUser(const std::string& handle, const std::string& display_name,
                          std::optional<std::string> uuid = std::nullopt);
  Result<User> FindUser(const std::string& handle);

  // Pattern B: `pk = GRP#<user>`, newest first, 20 per page.
  Result<GroupPage> ListMessageGroups(const User& user,
                                      std::optional<std::string> page = std::nullopt);
  // Pattern A: `pk = MSG#<group>` (with begins_with or BETWEEN), the newest 20, returned
  // oldest first as the app shows them. The user must belong to the group.
  Result<std::vector<Message>> ListMessages(const User& user, const std::string& group_uuid,
                                            const MessageRange& range = {});
  // Pattern C: a message in an existing group the sender belongs to.
  Result<Message> CreateMessage(const User& sender, const std::string& group_uuid,
                                const std::string& text);
  // Pattern D: both users' group rows and the first message, in one transaction.
  Result<std::string> CreateMessageGroup(const User& sender, const User& receiver,
                                         const std::string& text,
                                         std::optional<std::string> group_uuid = std::nullopt);

  // The seed's time format: "2023-03-20T10:00:00.000000+00:00".
  static std::string Timestamp(int64_t millis);

 private:
  Status OnStreamRecord(const localdynamo::StreamRecord& r);
  Result<std::vector<localdynamo::Item>> GroupRows(const std::string& group_uuid);

  localdynamo::Database& db_;
  std::optional<localdynamo::Database::SubscriptionId> subscription_;
};

// The seed's item shapes: a user's row for a conversation, and a message.
localdynamo::Item GroupRowItem(const User& owner, const User& other, const std::string& group_uuid,
                               const std::string& message, const std::string& at);
localdynamo::Item MessageRowItem(const std::string& group_uuid, const User& sender,
                                 const std::string& text, const std::string& at,
                                 const std::string& message_uuid);

// Errors of the app itself (ValidationException-coded values with the app's text), which the
// CLI prints.
localdynamo::Error AppError(std::string message);

}  // namespace cruddur
