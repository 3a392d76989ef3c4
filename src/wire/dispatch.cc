#include "wire/dispatch.h"

#include <functional>

#include <fmt/format.h>

#include "wire/codec.h"
#include "wire/json_parse.h"
#include "wire/json_writer.h"

namespace localdynamo::wire {
namespace {

constexpr std::string_view kDynamoPrefix = "DynamoDB_20120810.";
constexpr std::string_view kStreamsPrefix = "DynamoDBStreams_20120810.";

std::string TypePrefix(ErrorCode code) {
  switch (code) {
    case ErrorCode::kSerialization:
    case ErrorCode::kUnknownOperation:
      return "com.amazon.coral.service#";
    case ErrorCode::kValidation:
      return "com.amazon.coral.validate#";
    default:
      return "com.amazonaws.dynamodb.v20120810#";
  }
}

WireResponse Fail(const Error& e, std::string table = "") {
  return WireResponse{ErrorHttpStatus(e.code), ErrorBody(e), std::string(ErrorCodeName(e.code)),
                      std::move(table)};
}

// `op` is a Database member, or an engine function taking the Database first.
template <class Req, class Op>
WireResponse Run(JsonRef body, Req (*parse)(JsonRef), Op op, Database& db) {
  Req req = parse(body);
  auto result = std::invoke(op, db, req);
  using Resp = std::decay_t<decltype(*result)>;
  std::string table;  // the request is done with: its table name moves to the access log's
  if constexpr (requires { req.table_name; }) {
    if constexpr (std::is_same_v<decltype(req.table_name), std::string>)
      table = std::move(req.table_name);
  }
  if (!result.ok()) return Fail(result.error(), std::move(table));
  if constexpr (std::is_same_v<Resp, ExecuteStatementResponse>) {
    return WireResponse{200, ExecuteStatementBody(*result), "", std::move(table)};
  } else if constexpr (std::is_same_v<Resp, engine::EncodedGetItemResponse>) {
    return WireResponse{200, GetItemBody(*result), "", std::move(table)};
  } else {
    return WireResponse{200, DumpJson(ToJson(*result)), "", std::move(table)};
  }
}

// Query and Scan, the hot path: the page's items are written into the answer as the engine
// reads them, from the store's bytes (not copied into the response first).
template <class Req, class Op>
WireResponse RunPage(JsonRef body, Req (*parse)(JsonRef), Op op, Database& db) {
  Req req = parse(body);
  PageBodyWriter page(req.limit);
  auto result = op(db, req, [&page](std::string_view item) { page.Add(item); });
  if (!result.ok()) return Fail(result.error(), std::move(req.table_name));
  return WireResponse{200, page.Finish(*result), "", std::move(req.table_name)};
}

using Handler = WireResponse (*)(Database&, JsonRef);

template <auto Parse, auto Op>
WireResponse HandlePage(Database& db, JsonRef body) {
  return RunPage(body, Parse, Op, db);
}

template <auto Parse, auto Op>
WireResponse Handle(Database& db, JsonRef body) {
  return Run(body, Parse, Op, db);
}

WireResponse DescribeEndpoints(Database&, JsonRef) {
  json o = {
      {"Endpoints", json::array({{{"Address", "localhost"}, {"CachePeriodInMinutes", 1440}}})}};
  return WireResponse{200, DumpJson(o), "", ""};
}

// DynamoDB's default quotas (DynamoDB Local answers the same): nothing here enforces them.
WireResponse DescribeLimits(Database&, JsonRef) {
  json o = {{"AccountMaxReadCapacityUnits", 80000},
            {"AccountMaxWriteCapacityUnits", 80000},
            {"TableMaxReadCapacityUnits", 40000},
            {"TableMaxWriteCapacityUnits", 40000}};
  return WireResponse{200, DumpJson(o), "", ""};
}

struct Route {
  std::string_view name;
  Handler handler;
  bool writes_items = false;  // see WritesItems
};

constexpr Route kDynamoRoutes[] = {
    {"CreateTable", Handle<ParseCreateTable, &Database::CreateTable>},
    {"DescribeTable", Handle<ParseDescribeTable, &Database::DescribeTable>},
    {"DeleteTable", Handle<ParseDeleteTable, &Database::DeleteTable>},
    {"ListTables", Handle<ParseListTables, &Database::ListTables>},
    {"UpdateTable", Handle<ParseUpdateTable, &Database::UpdateTable>},
    {"PutItem", Handle<ParsePutItem, &Database::PutItem>, true},
    {"GetItem", Handle<ParseGetItem, &engine::GetItemEncoded>},
    {"DeleteItem", Handle<ParseDeleteItem, &Database::DeleteItem>, true},
    {"UpdateItem", Handle<ParseUpdateItem, &Database::UpdateItem>, true},
    {"Query", HandlePage<ParseQuery, &engine::QueryEncoded>},
    {"Scan", HandlePage<ParseScan, &engine::ScanEncoded>},
    {"BatchGetItem", Handle<ParseBatchGetItem, &Database::BatchGetItem>},
    {"BatchWriteItem", Handle<ParseBatchWriteItem, &Database::BatchWriteItem>, true},
    {"TransactWriteItems", Handle<ParseTransactWriteItems, &Database::TransactWriteItems>, true},
    {"TransactGetItems", Handle<ParseTransactGetItems, &Database::TransactGetItems>},
    {"DescribeEndpoints", DescribeEndpoints},
    {"UpdateTimeToLive", Handle<ParseUpdateTimeToLive, &Database::UpdateTimeToLive>},
    {"DescribeTimeToLive", Handle<ParseDescribeTimeToLive, &Database::DescribeTimeToLive>},
    {"TagResource", Handle<ParseTagResource, &Database::TagResource>},
    {"UntagResource", Handle<ParseUntagResource, &Database::UntagResource>},
    {"ListTagsOfResource", Handle<ParseListTagsOfResource, &Database::ListTagsOfResource>},
    {"UpdateContinuousBackups",
     Handle<ParseUpdateContinuousBackups, &Database::UpdateContinuousBackups>},
    {"DescribeContinuousBackups",
     Handle<ParseDescribeContinuousBackups, &Database::DescribeContinuousBackups>},
    {"CreateBackup", Handle<ParseCreateBackup, &Database::CreateBackup>},
    {"DescribeBackup", Handle<ParseDescribeBackup, &Database::DescribeBackup>},
    {"DeleteBackup", Handle<ParseDeleteBackup, &Database::DeleteBackup>},
    {"ListBackups", Handle<ParseListBackups, &Database::ListBackups>},
    {"RestoreTableFromBackup",
     Handle<ParseRestoreTableFromBackup, &Database::RestoreTableFromBackup>},
    {"RestoreTableToPointInTime",
     Handle<ParseRestoreTableToPointInTime, &Database::RestoreTableToPointInTime>},
    {"UpdateContributorInsights",
     Handle<ParseUpdateContributorInsights, &Database::UpdateContributorInsights>},
    {"DescribeContributorInsights",
     Handle<ParseDescribeContributorInsights, &Database::DescribeContributorInsights>},
    {"ListContributorInsights",
     Handle<ParseListContributorInsights, &Database::ListContributorInsights>},
    {"DescribeLimits", DescribeLimits},
    {"ExecuteStatement", Handle<ParseExecuteStatement, &Database::ExecuteStatement>, true},
    {"BatchExecuteStatement", Handle<ParseBatchExecuteStatement, &Database::BatchExecuteStatement>,
     true},
    {"ExecuteTransaction", Handle<ParseExecuteTransaction, &Database::ExecuteTransaction>, true},
};

constexpr Route kStreamsRoutes[] = {
    {"ListStreams", Handle<ParseListStreams, &Database::ListStreams>},
    {"DescribeStream", Handle<ParseDescribeStream, &Database::DescribeStream>},
    {"GetShardIterator", Handle<ParseGetShardIterator, &Database::GetShardIterator>},
    {"GetRecords", Handle<ParseGetRecords, &Database::GetRecords>},
};

const Route* FindRoute(std::string_view target) {
  auto lookup = [](std::string_view op, const auto& routes) -> const Route* {
    for (const auto& r : routes)
      if (r.name == op) return &r;
    return nullptr;
  };
  if (target.starts_with(kDynamoPrefix))
    return lookup(target.substr(kDynamoPrefix.size()), kDynamoRoutes);
  if (target.starts_with(kStreamsPrefix))
    return lookup(target.substr(kStreamsPrefix.size()), kStreamsRoutes);
  return nullptr;
}

Handler Find(std::string_view target) {
  const Route* r = FindRoute(target);
  return r ? r->handler : nullptr;
}

}  // namespace

bool WritesItems(std::string_view target) {
  const Route* r = FindRoute(target);
  return r && r->writes_items;
}

std::string ErrorBody(const Error& e) {
  json o = {{"__type", TypePrefix(e.code) + std::string(ErrorCodeName(e.code))},
            {"message", e.message}};
  if (e.item) o["Item"] = ItemJson(*e.item);
  if (!e.cancellation_reasons.empty()) {
    json a = json::array();
    for (const auto& r : e.cancellation_reasons) {
      json x = {{"Code", CancellationCodeName(r.code)}};
      if (!r.message.empty()) x["Message"] = r.message;
      if (r.item) x["Item"] = ItemJson(*r.item);
      a.push_back(x);
    }
    o["CancellationReasons"] = a;
  }
  return DumpJson(o);
}

WireResponse Dispatch(Database& db, std::string_view target, std::string_view body) {
  Handler h = Find(target);
  if (!h) return Fail(Error{ErrorCode::kUnknownOperation, "", nullptr, {}});
  // Each thread reads its requests into one document, whose storage the next request reuses
  // (a request read while another is being answered, if any ever is, gets its own).
  thread_local RequestDoc thread_doc;
  thread_local bool thread_doc_busy = false;
  RequestDoc own_doc;
  RequestDoc& doc = thread_doc_busy ? own_doc : thread_doc;
  struct Done {
    RequestDoc& doc;
    bool& busy;
    bool was_busy;
    ~Done() {
      doc.ShrinkIfLarge();
      busy = was_busy;
    }
  } done{doc, thread_doc_busy, thread_doc_busy};
  thread_doc_busy = true;
  if (!doc.Parse(body) || !doc.root().IsObject())
    return Fail(Error{ErrorCode::kSerialization,
                      body.empty() ? "" : "Start of structure or map found where not expected",
                      nullptr,
                      {}});
  const JsonRef request = doc.root();
  try {
    return h(db, request);
  } catch (const WireError& e) {
    std::string table;
    if (const JsonRef name = request.Find("TableName"); name && name.IsString())
      table = std::string(name.Str());
    return Fail(e.error(), table);
  } catch (const std::exception& e) {
    return Fail(InternalError(e.what()));
  }
}

}  // namespace localdynamo::wire
