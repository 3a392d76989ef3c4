// Contributor insights' setting per table and global secondary index: DynamoDB's answers (as
// live probes of the service recorded them), its rule names, the listing and its pages.

#include <doctest/doctest.h>

#include "support/fixtures.h"

using namespace ld_test;

namespace {

constexpr const char* kTable = "cruddur-messages";
constexpr const char* kIndex = "message-group-sk-index";

struct Insights {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(kStartMillis);
  std::unique_ptr<Database> db;
  Insights() {
    Options o;
    o.clock = clock;
    db = Must(Database::OpenInMemory(o));
    Must(db->CreateTable(CruddurMessagesSchema()));
  }
  Result<UpdateContributorInsightsResponse> Update(
      ContributorInsightsAction action, std::optional<std::string> index = std::nullopt,
      std::optional<ContributorInsightsMode> mode = std::nullopt) {
    return db->UpdateContributorInsights({kTable, std::move(index), action, mode});
  }
  DescribeContributorInsightsResponse Describe(std::optional<std::string> index = std::nullopt) {
    return Must(db->DescribeContributorInsights({kTable, std::move(index)}));
  }
};

constexpr auto kEnable = ContributorInsightsAction::kEnable;
constexpr auto kDisable = ContributorInsightsAction::kDisable;

}  // namespace

TEST_CASE(
    "never turned on: DISABLED and nothing more; ENABLE answers ENABLING, then it is ENABLED with "
    "its rules") {
  Insights s;
  auto never = s.Describe();
  CHECK(never.status == ContributorInsightsStatus::kDisabled);
  CHECK(!never.rule_list);
  CHECK(!never.last_update_date_time);
  CHECK(!never.mode);

  const int64_t on = s.clock->NowMillis();
  auto enabled = Must(s.Update(kEnable));
  CHECK(enabled.status == ContributorInsightsStatus::kEnabling);
  CHECK(enabled.mode == ContributorInsightsMode::kAccessedAndThrottledKeys);
  auto d = s.Describe();
  CHECK(d.status == ContributorInsightsStatus::kEnabled);
  CHECK(d.last_update_date_time == static_cast<double>(on) / 1000.0);
  const std::string suffix = "-cruddur-messages-" + std::to_string(on);
  CHECK(d.rule_list == std::vector<std::string>{"DynamoDBContributorInsights-PKC" + suffix,
                                                "DynamoDBContributorInsights-PKT" + suffix,
                                                "DynamoDBContributorInsights-SKC" + suffix,
                                                "DynamoDBContributorInsights-SKT" + suffix});

  // Again, the same: no change. Another mode: ENABLING again, the rules' names kept.
  s.clock->Advance(1000);
  CHECK(Must(s.Update(kEnable)).status == ContributorInsightsStatus::kEnabled);
  CHECK(s.Describe().last_update_date_time == static_cast<double>(on) / 1000.0);
  CHECK(Must(s.Update(kEnable, std::nullopt, ContributorInsightsMode::kThrottledKeys)).status ==
        ContributorInsightsStatus::kEnabling);
  CHECK(s.Describe().rule_list ==
        std::vector<std::string>{"DynamoDBContributorInsights-PKT" + suffix,
                                 "DynamoDBContributorInsights-SKT" + suffix});

  auto disabled = Must(s.Update(kDisable));
  CHECK(disabled.status == ContributorInsightsStatus::kDisabling);
  CHECK(disabled.mode == ContributorInsightsMode::kThrottledKeys);  // the mode it had
  auto after = s.Describe();
  CHECK(after.status == ContributorInsightsStatus::kDisabled);
  CHECK(!after.rule_list);
  CHECK(after.last_update_date_time);
  CHECK(Must(s.Update(kDisable)).status ==
        ContributorInsightsStatus::kDisabled);  // already off: no error
}

TEST_CASE(
    "a global secondary index has its own setting; a local one or a missing one gets DynamoDB's "
    "not-found text") {
  Insights s;
  Must(s.Update(kEnable, kIndex));
  CHECK(s.Describe(kIndex).status == ContributorInsightsStatus::kEnabled);
  CHECK(s.Describe().status == ContributorInsightsStatus::kDisabled);
  CHECK(s.Describe(kIndex).rule_list->front().starts_with(
      "DynamoDBContributorInsights-PKC-cruddur-messages-message-group-sk-index-"));

  auto missing = MustFail(s.Update(kEnable, "nope-index"));
  CHECK(missing.code == ErrorCode::kResourceNotFound);
  CHECK(missing.message ==
        "Requested resource not found: Index: nope-index not found for table: cruddur-messages");
  CHECK(MustFail(s.db->DescribeContributorInsights({"nope", std::nullopt})).message ==
        "Requested resource not found: Table: nope not found");
  CHECK(MustFail(s.Update(kEnable, "")).message ==
        "IndexName must be at least 3 characters long and at most 255 characters long");

  // Deleting the index takes its setting with it.
  UpdateTableRequest drop;
  drop.table_name = kTable;
  GlobalSecondaryIndexUpdate u;
  u.delete_index_name = kIndex;
  drop.global_secondary_index_updates = std::vector<GlobalSecondaryIndexUpdate>{u};
  Must(s.db->UpdateTable(drop));
  CHECK(Must(s.db->ListContributorInsights({})).summaries.empty());
}

TEST_CASE("ListContributorInsights: what is not DISABLED, the table before its indexes, in pages") {
  Insights s;
  CreateTableRequest other = CruddurMessagesSchema(false);
  other.table_name = "another";
  Must(s.db->CreateTable(other));
  Must(s.Update(kEnable, kIndex));
  Must(s.Update(kEnable));
  Must(s.db->UpdateContributorInsights(
      {"another", std::nullopt, kEnable, ContributorInsightsMode::kThrottledKeys}));
  Must(s.db->UpdateContributorInsights({"another", kIndex, kEnable, std::nullopt}));
  Must(s.db->UpdateContributorInsights({"another", kIndex, kDisable, std::nullopt}));

  auto all = Must(s.db->ListContributorInsights({})).summaries;
  REQUIRE(all.size() == 3);
  CHECK(all[0].table_name == "another");
  CHECK(all[0].mode == ContributorInsightsMode::kThrottledKeys);
  CHECK(all[1].table_name == kTable);
  CHECK(!all[1].index_name);
  CHECK(all[2].index_name == kIndex);

  ListContributorInsightsRequest page;
  page.max_results = 2;
  auto first = Must(s.db->ListContributorInsights(page));
  CHECK(first.summaries.size() == 2);
  REQUIRE(first.next_token);
  page.next_token = first.next_token;
  auto second = Must(s.db->ListContributorInsights(page));
  REQUIRE(second.summaries.size() == 1);
  CHECK(second.summaries[0].index_name == kIndex);
  CHECK(!second.next_token);

  ListContributorInsightsRequest one_table;
  one_table.table_name = kTable;
  CHECK(Must(s.db->ListContributorInsights(one_table)).summaries.size() == 2);
  ListContributorInsightsRequest bad_token;
  bad_token.next_token = "zz";
  CHECK(MustFail(s.db->ListContributorInsights(bad_token)).code == ErrorCode::kValidation);
  ListContributorInsightsRequest too_many;
  too_many.max_results = 101;
  CHECK(MustFail(s.db->ListContributorInsights(too_many)).message ==
        "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 100");
}
