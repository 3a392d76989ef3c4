// Data subcommands on a database directory (--data) or a running endpoint (--endpoint), with
// DynamoDB JSON in and out: create-table, update-table, list-tables, describe-table, delete-table,
// scan, query, get-item, put-item, import, export, stream tail.

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "backend.h"
#include "commands.h"

namespace localdynamo::cli {
namespace {

struct Common {
  Target target;
  std::string output = "json";
};

void AddTarget(CLI::App* cmd, Common* c) {
  cmd->add_option("--data", c->target.data_dir, "database directory");
  cmd->add_option("--endpoint", c->target.endpoint,
                  "a running endpoint, e.g. http://127.0.0.1:8000");
  cmd->add_option("--output", c->output, "json or table")->check(CLI::IsMember({"json", "table"}));
}

json ParseJsonArg(const std::string& text, const char* what) {
  json j = ParseJson(text);
  if (j.is_discarded())
    throw CommandError(
        fmt::format("{} is not valid JSON (or nested deeper than 256 levels)", what));
  return j;
}

// A request file named as the AWS CLI's --cli-input-json takes it (F or file://F), read as a
// JSON object.
json ReadRequestFile(std::string path, const char* what) {
  if (path.starts_with("file://")) path.erase(0, 7);
  std::ifstream in(path);
  if (!in) throw CommandError(fmt::format("{}: cannot read {}", what, path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  json j = ParseJsonArg(text, what);
  if (!j.is_object()) throw CommandError(fmt::format("{}: not a JSON object", what));
  return j;
}

// A value of DynamoDB JSON as plain text for the table view.
std::string Plain(const json& v) {
  if (!v.is_object() || v.size() != 1) return v.dump();
  auto member = v.begin();
  const std::string& type = member.key();
  const json& x = member.value();
  if (type == "S" || type == "N" || type == "B") return x.get<std::string>();
  if (type == "BOOL") return x.get<bool>() ? "true" : "false";
  if (type == "NULL") return "null";
  return x.dump();
}

void PrintItems(const std::vector<json>& items, const std::string& output) {
  if (output == "json") {
    for (const auto& i : items) std::cout << i.dump() << "\n";
    return;
  }
  std::vector<std::string> columns;
  for (const auto& i : items)
    for (const auto& [k, _] : i.items())
      if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
  std::vector<std::size_t> width;
  for (const auto& c : columns) {
    std::size_t w = c.size();
    for (const auto& i : items)
      if (i.contains(c)) w = std::max(w, std::min<std::size_t>(Plain(i[c]).size(), 40));
    width.push_back(w);
  }
  auto cell = [](std::string s, std::size_t w) {
    if (s.size() > w) s = s.substr(0, w - 1) + "~";
    return s + std::string(w - s.size(), ' ');
  };
  for (std::size_t k = 0; k < columns.size(); ++k)
    std::cout << cell(columns[k], width[k]) << (k + 1 < columns.size() ? "  " : "\n");
  for (const auto& i : items)
    for (std::size_t k = 0; k < columns.size(); ++k)
      std::cout << cell(i.contains(columns[k]) ? Plain(i[columns[k]]) : "", width[k])
                << (k + 1 < columns.size() ? "  " : "\n");
  std::cout << "(" << items.size() << " item" << (items.size() == 1 ? "" : "s") << ")\n";
}

// A response that is one object (DescribeTable's): indented JSON, or for `--output table` one
// line per leaf, its path and its value ("Table.KeySchema[0].AttributeName  pk").
void PrintObject(const json& response, const std::string& output) {
  if (output == "json") {
    std::cout << response.dump(2) << "\n";
    return;
  }
  std::vector<std::pair<std::string, std::string>> rows;
  auto walk = [&](auto& self, const json& v, const std::string& path) -> void {
    if (v.is_object() && !v.empty()) {
      for (const auto& [k, x] : v.items()) self(self, x, path.empty() ? k : path + "." + k);
    } else if (v.is_array() && !v.empty()) {
      for (std::size_t i = 0; i < v.size(); ++i) self(self, v[i], fmt::format("{}[{}]", path, i));
    } else {
      rows.emplace_back(path, v.is_string() ? v.get<std::string>() : v.dump());
    }
  };
  walk(walk, response, "");
  std::size_t width = 0;
  for (const auto& [path, _] : rows) width = std::max(width, path.size());
  for (const auto& [path, value] : rows)
    std::cout << path << std::string(width - path.size() + 2, ' ') << value << "\n";
}

void Progress(std::size_t done, std::size_t total, const char* verb) {
  if (!isatty(STDERR_FILENO)) return;
  if (total) {
    int filled = static_cast<int>(30.0 * static_cast<double>(done) / static_cast<double>(total));
    std::cerr << fmt::format("\r{} [{}{}] {}/{}", verb, std::string(filled, '#'),
                             std::string(30 - filled, ' '), done, total)
              << std::flush;
  } else {
    std::cerr << fmt::format("\r{} {} items", verb, done) << std::flush;
  }
}

// Runs `body`, printing a CommandError to stderr with exit status 1.
template <class F>
void Guard(int* exit_code, F body) {
  try {
    body();
    *exit_code = 0;
  } catch (const CommandError& e) {
    std::cerr << "localdynamo: " << e.what() << "\n";
    *exit_code = 1;
  } catch (const std::exception& e) {
    std::cerr << "localdynamo: " << e.what() << "\n";
    *exit_code = 1;
  }
}

}  // namespace

void AddDataCommands(CLI::App& app, int* exit_code) {
  {
    auto c = std::make_shared<Common>();
    auto schema = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand(
        "create-table",
        "Create a table from a file holding a CreateTable request as JSON (what `aws dynamodb "
        "create-table --cli-input-json file://F` takes)");
    AddTarget(cmd, c.get());
    cmd->add_option("--schema,--cli-input-json", *schema,
                    "the CreateTable request's JSON file (F or file://F)")
        ->required();
    cmd->callback([=] {
      Guard(exit_code, [&] {
        PrintObject(
            OpenBackend(c->target)->Call("CreateTable", ReadRequestFile(*schema, "--schema")),
            c->output);
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto* cmd = app.add_subcommand("list-tables", "List the tables");
    AddTarget(cmd, c.get());
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto backend = OpenBackend(c->target);
        json req = json::object();
        while (true) {
          auto r = backend->Call("ListTables", req);
          for (const auto& n : r["TableNames"]) std::cout << n.get<std::string>() << "\n";
          if (!r.contains("LastEvaluatedTableName")) break;
          req["ExclusiveStartTableName"] = r["LastEvaluatedTableName"];
        }
      });
    });
  }
  // Backups: a snapshot of a table to come back to (on a directory as on an endpoint).
  {
    auto c = std::make_shared<Common>();
    auto table = std::make_shared<std::string>();
    auto name = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("create-backup",
                                   "Back up a table (items and indexes); prints the backup's ARN");
    AddTarget(cmd, c.get());
    cmd->add_option("table", *table, "table name")->required();
    cmd->add_option("name", *name, "backup name")->required();
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto r = OpenBackend(c->target)->Call("CreateBackup",
                                              {{"TableName", *table}, {"BackupName", *name}});
        std::cout << r["BackupDetails"]["BackupArn"].get<std::string>() << "\n";
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto table = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand(
        "list-backups", "List backups (ARN, name, table, items' bytes), oldest first per table");
    AddTarget(cmd, c.get());
    cmd->add_option("--table", *table, "only this table's");
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto backend = OpenBackend(c->target);
        json req = json::object();
        if (!table->empty()) req["TableName"] = *table;
        while (true) {
          auto r = backend->Call("ListBackups", req);
          for (const auto& b : r["BackupSummaries"])
            std::cout << b["BackupArn"].get<std::string>() << "\t"
                      << b["BackupName"].get<std::string>() << "\t"
                      << b["TableName"].get<std::string>() << "\t"
                      << b["BackupSizeBytes"].get<int64_t>() << "\n";
          if (!r.contains("LastEvaluatedBackupArn")) break;
          req["ExclusiveStartBackupArn"] = r["LastEvaluatedBackupArn"];
        }
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto target_table = std::make_shared<std::string>();
    auto arn = std::make_shared<std::string>();
    auto* cmd =
        app.add_subcommand("restore-table-from-backup", "Restore a backup into a new table");
    AddTarget(cmd, c.get());
    cmd->add_option("table", *target_table, "the new table's name")->required();
    cmd->add_option("--backup-arn", *arn, "the backup (see list-backups)")->required();
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto r = OpenBackend(c->target)->Call(
            "RestoreTableFromBackup", {{"TargetTableName", *target_table}, {"BackupArn", *arn}});
        std::cout << r.dump(2) << "\n";
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto arn = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("delete-backup", "Delete a backup");
    AddTarget(cmd, c.get());
    cmd->add_option("backup-arn", *arn, "the backup's ARN")->required();
    cmd->callback([=] {
      Guard(exit_code, [&] {
        OpenBackend(c->target)->Call("DeleteBackup", {{"BackupArn", *arn}});
      });
    });
  }
  {
    struct U {
      std::string table, stream, billing, add_gsi, attributes, delete_gsi, ttl, request;
      int64_t read = 0, write = 0;
      bool no_ttl = false;
    };
    auto c = std::make_shared<Common>();
    auto u = std::make_shared<U>();
    auto* cmd = app.add_subcommand(
        "update-table",
        "Change a table: its stream, billing mode and capacity, global secondary indexes, "
        "time to live");
    AddTarget(cmd, c.get());
    cmd->add_option("table", u->table, "table name")->required();
    cmd->add_option("--stream", u->stream,
                    "turn the stream on with this view (NEW_AND_OLD_IMAGES, NEW_IMAGE, OLD_IMAGE, "
                    "KEYS_ONLY), or off")
        ->check(
            CLI::IsMember({"NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY", "off"}));
    cmd->add_option("--billing-mode", u->billing, "PAY_PER_REQUEST or PROVISIONED")
        ->check(CLI::IsMember({"PAY_PER_REQUEST", "PROVISIONED"}));
    cmd->add_option("--read", u->read, "ReadCapacityUnits (with --write)");
    cmd->add_option("--write", u->write, "WriteCapacityUnits (with --read)");
    cmd->add_option("--add-gsi", u->add_gsi,
                    "a global secondary index to create: its JSON (IndexName, KeySchema, "
                    "Projection[, ProvisionedThroughput])");
    cmd->add_option("--attribute-definitions", u->attributes,
                    "AttributeDefinitions (JSON list) for --add-gsi's keys");
    cmd->add_option("--delete-gsi", u->delete_gsi,
                    "the name of a global secondary index to delete");
    cmd->add_option("--ttl", u->ttl, "turn time to live on, on this attribute");
    cmd->add_flag("--no-ttl", u->no_ttl, "turn time to live off");
    cmd->add_option("--request", u->request,
                    "a file holding an UpdateTable request as JSON (F or file://F), as `aws "
                    "dynamodb update-table --cli-input-json` takes");
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto backend = OpenBackend(c->target);
        json req = {{"TableName", u->table}};
        if (!u->request.empty()) {
          req = ReadRequestFile(u->request, "--request");
          if (!req.contains("TableName")) req["TableName"] = u->table;
        }
        if (u->stream == "off") {
          req["StreamSpecification"] = {{"StreamEnabled", false}};
        } else if (!u->stream.empty()) {
          req["StreamSpecification"] = {{"StreamEnabled", true}, {"StreamViewType", u->stream}};
        }
        if (!u->billing.empty()) req["BillingMode"] = u->billing;
        if (u->read || u->write)
          req["ProvisionedThroughput"] = {{"ReadCapacityUnits", u->read},
                                          {"WriteCapacityUnits", u->write}};
        if (!u->attributes.empty())
          req["AttributeDefinitions"] = ParseJsonArg(u->attributes, "--attribute-definitions");
        if (!u->add_gsi.empty())
          req["GlobalSecondaryIndexUpdates"].push_back(
              {{"Create", ParseJsonArg(u->add_gsi, "--add-gsi")}});
        if (!u->delete_gsi.empty())
          req["GlobalSecondaryIndexUpdates"].push_back(
              {{"Delete", {{"IndexName", u->delete_gsi}}}});
        const bool ttl = !u->ttl.empty() || u->no_ttl;
        if (req.size() == 1 && !ttl)
          throw CommandError("nothing to change: see `localdynamo update-table --help`");
        if (req.size() > 1) PrintObject(backend->Call("UpdateTable", req), c->output);
        if (ttl) {
          json spec = {{"Enabled", !u->no_ttl}};
          if (!u->ttl.empty()) {
            spec["AttributeName"] = u->ttl;
          } else {  // turning it off names the attribute it is on
            auto d = backend->Call("DescribeTimeToLive", {{"TableName", u->table}});
            spec["AttributeName"] = d["TimeToLiveDescription"].value("AttributeName", "");
          }
          PrintObject(backend->Call("UpdateTimeToLive",
                                    {{"TableName", u->table}, {"TimeToLiveSpecification", spec}}),
                      c->output);
        }
      });
    });
  }
  for (const char* op : {"describe-table", "delete-table"}) {
    auto c = std::make_shared<Common>();
    auto table = std::make_shared<std::string>();
    std::string operation = std::string(op) == "describe-table" ? "DescribeTable" : "DeleteTable";
    auto* cmd = app.add_subcommand(
        op, operation == "DescribeTable" ? "Describe a table" : "Delete a table and its data");
    AddTarget(cmd, c.get());
    cmd->add_option("table", *table, "table name")->required();
    cmd->callback([=] {
      Guard(exit_code, [&] {
        PrintObject(OpenBackend(c->target)->Call(operation, {{"TableName", *table}}), c->output);
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto table = std::make_shared<std::string>();
    auto filter = std::make_shared<std::string>();
    auto values = std::make_shared<std::string>();
    auto names = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("scan", "Scan a table (every page)");
    AddTarget(cmd, c.get());
    cmd->add_option("table", *table, "table name")->required();
    cmd->add_option("--filter", *filter, "FilterExpression");
    cmd->add_option("--values", *values, "ExpressionAttributeValues (DynamoDB JSON)");
    cmd->add_option("--names", *names, "ExpressionAttributeNames (JSON)");
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto backend = OpenBackend(c->target);
        json req = {{"TableName", *table}};
        if (!filter->empty()) req["FilterExpression"] = *filter;
        if (!values->empty()) req["ExpressionAttributeValues"] = ParseJsonArg(*values, "--values");
        if (!names->empty()) req["ExpressionAttributeNames"] = ParseJsonArg(*names, "--names");
        std::vector<json> items;
        while (true) {
          auto r = backend->Call("Scan", req);
          for (auto& i : r["Items"]) items.push_back(i);
          if (!r.contains("LastEvaluatedKey")) break;
          req["ExclusiveStartKey"] = r["LastEvaluatedKey"];
        }
        PrintItems(items, c->output);
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    struct Q {
      std::string table, kce, values, names, index, filter;
      int64_t limit = 0;
      bool descending = false;
    };
    auto q = std::make_shared<Q>();
    auto* cmd = app.add_subcommand("query", "Query a table or index");
    AddTarget(cmd, c.get());
    cmd->add_option("table", q->table, "table name")->required();
    cmd->add_option("--key-condition", q->kce, "KeyConditionExpression")->required();
    cmd->add_option("--values", q->values, "ExpressionAttributeValues (DynamoDB JSON)");
    cmd->add_option("--names", q->names, "ExpressionAttributeNames (JSON)");
    cmd->add_option("--index", q->index, "IndexName");
    cmd->add_option("--filter", q->filter, "FilterExpression");
    cmd->add_option("--limit", q->limit, "Limit (one page)");
    cmd->add_flag("--descending", q->descending, "ScanIndexForward=false");
    cmd->callback([=] {
      Guard(exit_code, [&] {
        json req = {{"TableName", q->table}, {"KeyConditionExpression", q->kce}};
        if (!q->values.empty())
          req["ExpressionAttributeValues"] = ParseJsonArg(q->values, "--values");
        if (!q->names.empty()) req["ExpressionAttributeNames"] = ParseJsonArg(q->names, "--names");
        if (!q->index.empty()) req["IndexName"] = q->index;
        if (!q->filter.empty()) req["FilterExpression"] = q->filter;
        if (q->limit > 0) req["Limit"] = q->limit;
        if (q->descending) req["ScanIndexForward"] = false;
        auto r = OpenBackend(c->target)->Call("Query", req);
        std::vector<json> items(r["Items"].begin(), r["Items"].end());
        PrintItems(items, c->output);
        if (r.contains("LastEvaluatedKey"))
          std::cerr << "LastEvaluatedKey: " << r["LastEvaluatedKey"].dump() << "\n";
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto statement = std::make_shared<std::string>();
    auto parameters = std::make_shared<std::string>();
    auto* cmd =
        app.add_subcommand("execute-statement", "Run a PartiQL statement (a SELECT's every page)");
    AddTarget(cmd, c.get());
    cmd->add_option("statement", *statement,
                    "e.g. \"SELECT * FROM \\\"cruddur-messages\\\" WHERE pk = ?\"")
        ->required();
    cmd->add_option("--parameters", *parameters,
                    "the statement's ? values (a JSON list of DynamoDB JSON values)");
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto backend = OpenBackend(c->target);
        json req = {{"Statement", *statement}};
        if (!parameters->empty()) req["Parameters"] = ParseJsonArg(*parameters, "--parameters");
        std::vector<json> items;
        while (true) {
          auto r = backend->Call("ExecuteStatement", req);
          for (auto& i : r["Items"]) items.push_back(i);
          if (!r.contains("NextToken")) break;
          req["NextToken"] = r["NextToken"];
        }
        PrintItems(items, c->output);
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto table = std::make_shared<std::string>();
    auto key = std::make_shared<std::string>();
    auto fail_if_missing = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand(
        "get-item", "Read one item by key (nothing printed, exit 0, if there is none)");
    AddTarget(cmd, c.get());
    cmd->add_option("table", *table, "table name")->required();
    cmd->add_option("--key", *key, "Key (DynamoDB JSON)")->required();
    cmd->add_flag("--fail-if-missing", *fail_if_missing,
                  "exit 1 (\"no such item\" on stderr) when there is no item");
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto r = OpenBackend(c->target)->Call(
            "GetItem", {{"TableName", *table}, {"Key", ParseJsonArg(*key, "--key")}});
        // As the AWS CLI: a missing item is an empty answer, not an error.
        if (!r.contains("Item")) {
          if (*fail_if_missing) throw CommandError("no such item");
          return;
        }
        PrintItems({r["Item"]}, c->output);
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto table = std::make_shared<std::string>();
    auto item = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("put-item", "Write one item");
    AddTarget(cmd, c.get());
    cmd->add_option("table", *table, "table name")->required();
    cmd->add_option("--item", *item, "Item (DynamoDB JSON)")->required();
    cmd->callback([=] {
      Guard(exit_code, [&] {
        OpenBackend(c->target)->Call(
            "PutItem", {{"TableName", *table}, {"Item", ParseJsonArg(*item, "--item")}});
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto table = std::make_shared<std::string>();
    auto file = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand(
        "import",
        "Load DynamoDB-JSON lines ({\"Item\": {...}} per line, as DynamoDB's S3 export writes)");
    AddTarget(cmd, c.get());
    cmd->add_option("table", *table, "table name")->required();
    cmd->add_option("file", *file, "input file")->required()->check(CLI::ExistingFile);
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto backend = OpenBackend(c->target);
        std::ifstream in(*file);
        std::size_t total = 0;
        for (std::string line; std::getline(in, line);) total += !line.empty();
        in.clear();
        in.seekg(0);
        std::size_t done = 0, n = 0;
        json batch = json::array();
        auto flush = [&] {
          if (batch.empty()) return;
          backend->Call("BatchWriteItem", {{"RequestItems", {{*table, batch}}}});
          done += batch.size();
          batch = json::array();
          Progress(done, total, "import");
        };
        for (std::string line; std::getline(in, line);) {
          ++n;
          if (line.empty()) continue;
          json j = ParseJson(line);
          if (j.is_discarded() || !j.contains("Item"))
            throw CommandError(fmt::format("line {}: not {{\"Item\": ...}}", n));
          batch.push_back({{"PutRequest", {{"Item", j["Item"]}}}});
          if (batch.size() == 25) flush();
        }
        flush();
        if (isatty(STDERR_FILENO)) std::cerr << "\n";
        std::cout << "imported " << done << " items into " << *table << "\n";
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto table = std::make_shared<std::string>();
    auto file = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand(
        "export", "Write every item as DynamoDB-JSON lines ({\"Item\": {...}} per line)");
    AddTarget(cmd, c.get());
    cmd->add_option("table", *table, "table name")->required();
    cmd->add_option("file", *file, "output file")->required();
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto backend = OpenBackend(c->target);
        std::size_t total =
            backend->Call("DescribeTable", {{"TableName", *table}})["Table"]["ItemCount"]
                .get<std::size_t>();
        std::ofstream out(*file);
        json req = {{"TableName", *table}};
        std::size_t done = 0;
        while (true) {
          auto r = backend->Call("Scan", req);
          for (const auto& i : r["Items"]) out << json{{"Item", i}}.dump() << "\n";
          done += r["Items"].size();
          Progress(done, total, "export");
          if (!r.contains("LastEvaluatedKey")) break;
          req["ExclusiveStartKey"] = r["LastEvaluatedKey"];
        }
        if (isatty(STDERR_FILENO)) std::cerr << "\n";
        std::cout << "exported " << done << " items from " << *table << "\n";
      });
    });
  }
  {
    auto c = std::make_shared<Common>();
    auto table = std::make_shared<std::string>();
    auto from_start = std::make_shared<bool>(false);
    auto follow = std::make_shared<bool>(true);
    auto* stream = app.add_subcommand("stream", "The change stream");
    auto* cmd = stream->add_subcommand(
        "tail", "Print a table's stream records, one JSON line each, as they arrive");
    stream->require_subcommand(1);
    AddTarget(cmd, c.get());
    cmd->add_option("table", *table, "table name")->required();
    cmd->add_flag("--from-start", *from_start,
                  "start at the oldest record (TRIM_HORIZON) instead of now");
    cmd->add_flag("!--no-follow", *follow, "stop when caught up");
    cmd->callback([=] {
      Guard(exit_code, [&] {
        auto backend = OpenBackend(c->target);
        auto d = backend->Call("DescribeTable", {{"TableName", *table}});
        if (!d["Table"].contains("StreamSpecification") ||
            !d["Table"]["StreamSpecification"].value("StreamEnabled", false))
          throw CommandError(fmt::format(
              "table {} has no stream; turn one on with `localdynamo update-table {} --stream "
              "NEW_AND_OLD_IMAGES` (or NEW_IMAGE, OLD_IMAGE, KEYS_ONLY)",
              *table, *table));
        std::string arn = d["Table"]["LatestStreamArn"];
        auto s = backend->Call("DynamoDBStreams_20120810.DescribeStream", {{"StreamArn", arn}});
        std::string shard = s["StreamDescription"]["Shards"][0]["ShardId"];
        auto it = backend->Call("DynamoDBStreams_20120810.GetShardIterator",
                                {{"StreamArn", arn},
                                 {"ShardId", shard},
                                 {"ShardIteratorType", *from_start ? "TRIM_HORIZON" : "LATEST"}});
        json iterator = it["ShardIterator"];
        while (!iterator.is_null()) {
          auto r =
              backend->Call("DynamoDBStreams_20120810.GetRecords", {{"ShardIterator", iterator}});
          for (const auto& rec : r["Records"]) {
            if (c->output == "json") {
              std::cout << rec.dump() << std::endl;
              continue;
            }
            // One line a record: its sequence number, event, keys and new image.
            const json& ddb = rec["dynamodb"];
            auto brief = [](const json& item) {
              std::string out;
              for (const auto& [k, v] : item.items())
                out += (out.empty() ? "" : " ") + k + "=" + Plain(v);
              return out;
            };
            std::cout << ddb.value("SequenceNumber", "") << "  " << std::setw(6) << std::left
                      << rec.value("eventName", "") << "  "
                      << brief(ddb.value("Keys", json::object()));
            if (ddb.contains("NewImage")) std::cout << "  -> " << brief(ddb["NewImage"]);
            std::cout << std::endl;
          }
          iterator = r.contains("NextShardIterator") ? r["NextShardIterator"] : json();
          if (r["Records"].empty()) {
            if (!*follow) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
          }
        }
      });
    });
  }
}

}  // namespace localdynamo::cli
