// UpdateContributorInsights, DescribeContributorInsights, ListContributorInsights: the setting
// per table and per global secondary index, as DynamoDB keeps and reports it (live probes of
// the service recorded by the aws-controllers-k8s quirks lab, Oct 2026). Nothing is counted:
// there is no CloudWatch here. DynamoDB takes a few seconds to move from ENABLING to ENABLED;
// here the change is made by the call, which answers ENABLING / DISABLING as DynamoDB does.

#include <fmt/format.h>

#include "engine/database_impl.h"
#include "engine/errors.h"
#include "types/ascii.h"

namespace localdynamo {
namespace {

using engine::InsightsMeta;

constexpr std::size_t kMaxResults = 100;

// The table whose setting (or whose named global secondary index's: a local index has none) a
// request is about.
Result<TablePtr> FindTarget(Database::Impl& db, const storage::Txn& txn,
                            const std::string& table_name,
                            const std::optional<std::string>& index_name) {
  LD_RETURN_IF_ERROR(errors::CheckTableName(table_name));
  if (index_name && (index_name->size() < 3 || index_name->size() > 255))
    return ValidationError(
        "IndexName must be at least 3 characters long and at most 255 characters long");
  LD_ASSIGN_OR_RETURN(auto t, db.catalog.Find(txn, table_name));
  if (!t) return errors::TableNotFoundNamed(table_name);
  if (!index_name) return t;
  const engine::IndexMeta* i = t->FindIndex(*index_name);
  if (!i || !i->global)
    return ResourceNotFound(fmt::format(
        "Requested resource not found: Index: {} not found for table: {}", *index_name, t->name));
  return t;
}

// DynamoDBContributorInsights-{PKC|PKT|SKC|SKT}-<table>[-<index>]-<millis>: counted and
// throttled keys of the partition key (and of the sort key, when there is one).
std::vector<std::string> Rules(const TableMeta& t, const std::string& index,
                               const InsightsMeta& i) {
  const engine::KeyShape& key = index.empty() ? t.key : t.FindIndex(index)->key;
  const std::string resource = index.empty() ? t.name : t.name + "-" + index;
  std::vector<std::string> kinds;
  const bool counted = i.mode == ContributorInsightsMode::kAccessedAndThrottledKeys;
  if (counted) kinds.push_back("PKC");
  kinds.push_back("PKT");
  if (key.range) {
    if (counted) kinds.push_back("SKC");
    kinds.push_back("SKT");
  }
  std::vector<std::string> out;
  for (const auto& k : kinds)
    out.push_back(fmt::format("DynamoDBContributorInsights-{}-{}-{}", k, resource, i.rules_millis));
  return out;
}

std::optional<std::string> AsOptional(const std::string& index) {
  return index.empty() ? std::nullopt : std::optional(index);
}

// A position in the listing: the table's name and the index's ("" for the table), as hex.
std::string Token(const std::string& table, const std::string& index) {
  return HexEncode(table + '\0' + index);
}
std::optional<std::pair<std::string, std::string>> FromToken(std::string_view token) {
  const std::optional<std::string> bytes = HexDecode(token);
  const std::size_t nul = bytes ? bytes->find('\0') : std::string::npos;
  if (nul == std::string::npos) return std::nullopt;
  return std::pair{bytes->substr(0, nul), bytes->substr(nul + 1)};
}

}  // namespace

Result<UpdateContributorInsightsResponse> Database::UpdateContributorInsights(
    const UpdateContributorInsightsRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto current, FindTarget(db, txn, r.table_name, r.index_name));
  TableMeta t = *current;
  const std::string key = r.index_name.value_or("");
  const auto found = t.insights.find(key);
  const InsightsMeta* before = found == t.insights.end() ? nullptr : &found->second;
  UpdateContributorInsightsResponse out{t.name, r.index_name, ContributorInsightsStatus::kDisabled,
                                        std::nullopt};
  const int64_t now = db.options.clock->NowMillis();
  if (r.action == ContributorInsightsAction::kEnable) {
    const ContributorInsightsMode mode =
        r.mode.value_or(ContributorInsightsMode::kAccessedAndThrottledKeys);
    out.mode = mode;
    if (before && before->enabled && before->mode == mode) {
      out.status = ContributorInsightsStatus::kEnabled;  // already so: nothing changes
      return out;
    }
    InsightsMeta i = before ? *before : InsightsMeta{};
    if (!i.enabled) i.rules_millis = now;  // a change of mode keeps the rules' names
    i.enabled = true;
    i.mode = mode;
    i.changed_millis = now;
    t.insights[key] = i;
    out.status = ContributorInsightsStatus::kEnabling;
  } else {
    if (before) out.mode = before->mode;          // DISABLE echoes the mode it had
    if (!before || !before->enabled) return out;  // DISABLED already
    t.insights[key].enabled = false;
    t.insights[key].changed_millis = now;
    out.status = ContributorInsightsStatus::kDisabling;
  }
  LD_RETURN_IF_ERROR(engine::Catalog::Save(txn, t));
  LD_RETURN_IF_ERROR(txn.Commit());
  return out;
}

Result<DescribeContributorInsightsResponse> Database::DescribeContributorInsights(
    const DescribeContributorInsightsRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto t, FindTarget(db, txn, r.table_name, r.index_name));
  DescribeContributorInsightsResponse out;
  out.table_name = t->name;
  out.index_name = r.index_name;
  const auto found = t->insights.find(r.index_name.value_or(""));
  if (found == t->insights.end()) return out;  // never changed: DISABLED, and nothing more
  const InsightsMeta& i = found->second;
  out.status =
      i.enabled ? ContributorInsightsStatus::kEnabled : ContributorInsightsStatus::kDisabled;
  out.last_update_date_time = static_cast<double>(i.changed_millis) / 1000.0;
  out.mode = i.mode;
  if (i.enabled) out.rule_list = Rules(*t, found->first, i);
  return out;
}

Result<ListContributorInsightsResponse> Database::ListContributorInsights(
    const ListContributorInsightsRequest& r) {
  Impl& db = *impl_;
  std::vector<std::string> failures;
  if (r.table_name) errors::CheckTableNameOrArn(*r.table_name, "tableName", &failures);
  if (r.max_results && *r.max_results > static_cast<int64_t>(kMaxResults))
    failures.push_back(
        fmt::format("Value '{}' at 'maxResults' failed to satisfy constraint: Member must have "
                    "value less than or equal to {}",
                    *r.max_results, kMaxResults));
  if (!failures.empty()) return errors::ConstraintError(std::move(failures));
  std::optional<std::pair<std::string, std::string>> after;
  if (r.next_token) {
    after = FromToken(*r.next_token);
    if (!after) return ValidationError(fmt::format("Invalid NextToken: {}", *r.next_token));
  }
  const std::size_t limit =
      r.max_results && *r.max_results > 0 ? static_cast<std::size_t>(*r.max_results) : kMaxResults;

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  std::vector<TablePtr> tables;
  if (r.table_name) {
    LD_ASSIGN_OR_RETURN(auto t, db.catalog.Find(txn, *r.table_name));
    if (!t) return errors::TableNotFoundNamed(*r.table_name);
    tables.push_back(t);
  } else {
    LD_ASSIGN_OR_RETURN(tables, db.catalog.All(txn));
  }
  ListContributorInsightsResponse out;
  for (const TablePtr& t : tables) {  // in name order
    if (after && t->name < after->first) continue;
    // The table first, then its global secondary indexes in their order.
    std::vector<std::string> order{""};
    for (const auto& i : t->indexes)
      if (i.global) order.push_back(i.name);
    bool skipping = after && t->name == after->first;  // up to the token's entry, included
    for (const std::string& index : order) {
      if (skipping) {
        skipping = index != after->second;
        continue;
      }
      const auto found = t->insights.find(index);
      if (found == t->insights.end() || !found->second.enabled) continue;
      if (out.summaries.size() == limit) {
        const auto& last = out.summaries.back();
        out.next_token = Token(last.table_name, last.index_name.value_or(""));
        return out;
      }
      out.summaries.push_back(
          {t->name, AsOptional(index), ContributorInsightsStatus::kEnabled, found->second.mode});
    }
  }
  return out;
}

}  // namespace localdynamo
