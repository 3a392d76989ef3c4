#include "messaging.h"

#include <ctime>

#include <fmt/format.h>

namespace cruddur {

using namespace localdynamo;

namespace {

AttributeValue S(std::string s) { return AttributeValue::S(std::move(s)); }

std::string Get(const Item& item, const char* name) {
  auto it = item.find(name);
  return it != item.end() && it->second.is(Type::kS) ? it->second.s() : "";
}

}  // namespace

Item GroupRowItem(const User& owner, const User& other, const std::string& group,
                  const std::string& message, const std::string& at) {
  return Item{{"pk", S("GRP#" + owner.uuid)},   {"sk", S(at)},
              {"message_group_uuid", S(group)}, {"message", S(message)},
              {"user_uuid", S(other.uuid)},     {"user_display_name", S(other.display_name)},
              {"user_handle", S(other.handle)}};
}

Item MessageRowItem(const std::string& group, const User& sender, const std::string& text,
                    const std::string& at, const std::string& uuid) {
  return Item{{"pk", S("MSG#" + group)},
              {"sk", S(at)},
              {"message", S(text)},
              {"message_uuid", S(uuid)},
              {"user_uuid", S(sender.uuid)},
              {"user_display_name", S(sender.display_name)},
              {"user_handle", S(sender.handle)}};
}

namespace {

Message ToMessage(const std::string& group, const Item& row) {
  return Message{Get(row, "message_uuid"),
                 group,
                 Get(row, "user_uuid"),
                 Get(row, "user_handle"),
                 Get(row, "user_display_name"),
                 Get(row, "message"),
                 Get(row, "sk")};
}

}  // namespace

Error AppError(std::string message) {
  return Error{ErrorCode::kValidation, std::move(message), nullptr, {}};
}

App::~App() {
  if (subscription_) db_.Unsubscribe(*subscription_);
}

std::string App::Timestamp(int64_t millis) {
  std::time_t secs = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     (millis % 1000) * 1000);
}

Status App::SchemaLoad() {
  auto exists = [&](const char* name) { return db_.DescribeTable({name}).ok(); };
  if (!exists(kMessagesTable)) {
    CreateTableRequest r;
    r.table_name = kMessagesTable;
    r.attribute_definitions = {{"message_group_uuid", ScalarAttributeType::kS},
                               {"pk", ScalarAttributeType::kS},
                               {"sk", ScalarAttributeType::kS}};
    r.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
    r.billing_mode = BillingMode::kProvisioned;
    r.provisioned_throughput = ProvisionedThroughput{5, 5};
    r.stream_specification = StreamSpecification{true, StreamViewType::kNewImage};
    GlobalSecondaryIndex g;
    g.index_name = kGroupIndex;
    g.key_schema = {{"message_group_uuid", KeyType::kHash}, {"sk", KeyType::kRange}};
    g.projection.projection_type = ProjectionType::kAll;
    g.provisioned_throughput = ProvisionedThroughput{5, 5};
    r.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{g};
    LD_RETURN_IF_ERROR(db_.CreateTable(r));
  }
  if (!exists(kUsersTable)) {
    CreateTableRequest r;
    r.table_name = kUsersTable;
    r.attribute_definitions = {{"uuid", ScalarAttributeType::kS},
                               {"handle", ScalarAttributeType::kS}};
    r.key_schema = {{"uuid", KeyType::kHash}};
    r.billing_mode = BillingMode::kPayPerRequest;
    GlobalSecondaryIndex g;
    g.index_name = "handle-index";
    g.key_schema = {{"handle", KeyType::kHash}};
    g.projection.projection_type = ProjectionType::kAll;
    r.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{g};
    LD_RETURN_IF_ERROR(db_.CreateTable(r));
  }
  return localdynamo::OkStatus();
}

Status App::StartStreamUpdater() {
  if (subscription_) return localdynamo::OkStatus();
  LD_ASSIGN_OR_RETURN(auto id, db_.Subscribe(kMessagesTable, [this](const StreamRecord& r) {
    auto s = OnStreamRecord(r);
    if (!s.ok()) throw std::runtime_error(s.error().ToString());
  }));
  subscription_ = id;
  return localdynamo::OkStatus();
}

Result<User> App::CreateUser(const std::string& handle, const std::string& display_name,
                             std::optional<std::string> uuid) {
  if (FindUser(handle).ok()) return AppError("handle already taken: " + handle);
  User u{uuid.value_or(db_.options().ids->NewUuid()), handle, display_name};
  PutItemRequest p;
  p.table_name = kUsersTable;
  p.item = {{"uuid", S(u.uuid)}, {"handle", S(u.handle)}, {"display_name", S(u.display_name)}};
  LD_RETURN_IF_ERROR(db_.PutItem(p));
  return u;
}

Result<User> App::FindUser(const std::string& handle) {
  QueryRequest q;
  q.table_name = kUsersTable;
  q.index_name = "handle-index";
  q.key_condition_expression = "handle = :h";
  q.expression_attribute_values = ValueMap{{":h", S(handle)}};
  LD_ASSIGN_OR_RETURN(auto r, db_.Query(q));
  if (r.items->empty()) return AppError("no such user: " + handle);
  const Item& row = r.items->front();
  return User{Get(row, "uuid"), Get(row, "handle"), Get(row, "display_name")};
}

Result<std::vector<Item>> App::GroupRows(const std::string& group_uuid) {
  QueryRequest q;
  q.table_name = kMessagesTable;
  q.index_name = kGroupIndex;
  q.key_condition_expression = "message_group_uuid = :g";
  q.expression_attribute_values = ValueMap{{":g", S(group_uuid)}};
  LD_ASSIGN_OR_RETURN(auto r, db_.Query(q));
  return std::vector<Item>(std::move(*r.items));
}

Result<GroupPage> App::ListMessageGroups(const User& user, std::optional<std::string> page) {
  QueryRequest q;
  q.table_name = kMessagesTable;
  q.key_condition_expression = "pk = :pkey";
  q.expression_attribute_values = ValueMap{{":pkey", S("GRP#" + user.uuid)}};
  q.scan_index_forward = false;
  q.limit = 20;
  if (page) q.exclusive_start_key = Item{{"pk", S("GRP#" + user.uuid)}, {"sk", S(*page)}};
  LD_ASSIGN_OR_RETURN(auto r, db_.Query(q));
  GroupPage out;
  for (const auto& row : *r.items)
    out.groups.push_back(MessageGroup{Get(row, "message_group_uuid"), Get(row, "user_uuid"),
                                      Get(row, "user_handle"), Get(row, "user_display_name"),
                                      Get(row, "message"), Get(row, "sk")});
  if (r.last_evaluated_key) out.next_page = Get(*r.last_evaluated_key, "sk");
  return out;
}

Result<std::vector<Message>> App::ListMessages(const User& user, const std::string& group_uuid,
                                               const MessageRange& range) {
  LD_ASSIGN_OR_RETURN(auto rows, GroupRows(group_uuid));
  if (rows.empty()) return AppError("no such conversation: " + group_uuid);
  bool member = std::any_of(rows.begin(), rows.end(),
                            [&](const Item& r) { return Get(r, "pk") == "GRP#" + user.uuid; });
  if (!member) return AppError(user.handle + " is not in conversation " + group_uuid);
  QueryRequest q;
  q.table_name = kMessagesTable;
  ValueMap values{{":pk", S("MSG#" + group_uuid)}};
  if (range.year) {
    q.key_condition_expression = "pk = :pk AND begins_with(sk, :year)";
    values[":year"] = S(*range.year);
  } else if (range.between) {
    q.key_condition_expression = "pk = :pk AND sk BETWEEN :start_date AND :end_date";
    values[":start_date"] = S(range.between->first);
    values[":end_date"] = S(range.between->second);
  } else {
    q.key_condition_expression = "pk = :pk";
  }
  q.expression_attribute_values = std::move(values);
  q.scan_index_forward = false;
  q.limit = 20;
  LD_ASSIGN_OR_RETURN(auto r, db_.Query(q));
  std::vector<Message> out;
  for (auto it = r.items->rbegin(); it != r.items->rend(); ++it)
    out.push_back(ToMessage(group_uuid, *it));
  return out;  // oldest first, as the app shows them
}

Result<Message> App::CreateMessage(const User& sender, const std::string& group_uuid,
                                   const std::string& text) {
  if (text.empty()) return AppError("a message can't be empty");
  LD_ASSIGN_OR_RETURN(auto rows, GroupRows(group_uuid));
  if (rows.empty()) return AppError("no such conversation: " + group_uuid);
  bool member = std::any_of(rows.begin(), rows.end(),
                            [&](const Item& r) { return Get(r, "pk") == "GRP#" + sender.uuid; });
  if (!member) return AppError(sender.handle + " is not in conversation " + group_uuid);
  std::string at = Timestamp(db_.options().clock->NowMillis());
  std::string uuid = db_.options().ids->NewUuid();
  PutItemRequest p;
  p.table_name = kMessagesTable;
  p.item = MessageRowItem(group_uuid, sender, text, at, uuid);
  // Two messages in the same microsecond would share a key: never overwrite one.
  p.condition_expression = "attribute_not_exists(pk)";
  LD_RETURN_IF_ERROR(db_.PutItem(p));
  return ToMessage(group_uuid, p.item);
}

Result<std::string> App::CreateMessageGroup(const User& sender, const User& receiver,
                                            const std::string& text,
                                            std::optional<std::string> group_uuid) {
  if (sender.uuid == receiver.uuid) return AppError("a conversation needs two people");
  if (text.empty()) return AppError("a message can't be empty");
  std::string group = group_uuid.value_or(db_.options().ids->NewUuid());
  std::string at = Timestamp(db_.options().clock->NowMillis());
  TransactWriteItemsRequest t;
  for (Item item : {GroupRowItem(sender, receiver, group, text, at),
                    GroupRowItem(receiver, sender, group, text, at),
                    MessageRowItem(group, sender, text, at, db_.options().ids->NewUuid())}) {
    TransactPut put;
    put.table_name = kMessagesTable;
    put.item = std::move(item);
    put.condition_expression = "attribute_not_exists(pk)";
    t.transact_items.push_back(std::move(put));
  }
  LD_RETURN_IF_ERROR(db_.TransactWriteItems(t));
  return group;
}

// Pattern E (the seed's Lambda): on a new message, find the group's rows through the GSI and
// move each to the message's time, with the message as the last one (sk is a key: delete + put).
Status App::OnStreamRecord(const StreamRecord& r) {
  if (r.event_name != "INSERT" || !r.new_image) return localdynamo::OkStatus();
  std::string pk = Get(r.keys, "pk");
  if (!pk.starts_with("MSG#")) return localdynamo::OkStatus();
  std::string group = pk.substr(4);
  std::string at = Get(r.keys, "sk");
  std::string message = Get(*r.new_image, "message");
  LD_ASSIGN_OR_RETURN(auto rows, GroupRows(group));
  for (Item row : rows) {
    if (Get(row, "sk") == at && Get(row, "message") == message) continue;  // already current
    DeleteItemRequest d;
    d.table_name = kMessagesTable;
    d.key = {{"pk", row.at("pk")}, {"sk", row.at("sk")}};
    LD_RETURN_IF_ERROR(db_.DeleteItem(d));
    row["sk"] = S(at);
    row["message"] = S(message);
    PutItemRequest p;
    p.table_name = kMessagesTable;
    p.item = std::move(row);
    LD_RETURN_IF_ERROR(db_.PutItem(p));
  }
  return localdynamo::OkStatus();
}

}  // namespace cruddur
