#pragma once
// DynamoDB's checks of a table's capacity and encryption settings, shared by CreateTable,
// UpdateTable and the restores' overrides. Texts as DynamoDB answers them (recorded from live
// responses: dynalite's validations, AWS's own scaling-activity and health messages, and
// probes of the service quoted in public notes; see each function).

#include <string>
#include <string_view>
#include <vector>

#include "engine/database_impl.h"

namespace localdynamo::engine {

// The account's default per-table (and per-index) capacity maximum: 40,000 units each way.
inline constexpr int64_t kMaxCapacityUnits = 40000;

// ProvisionedThroughput: each member at least 1 (constraint errors, write before read), at
// most 10^12, then at most the per-table maximum (LimitExceededException, read before
// write). `index`: the GSI whose throughput it is, or "" for the table's.
Status CheckThroughput(const ProvisionedThroughput& t, std::string_view region,
                       std::string_view index = "");
// The constraint failures alone, added to a request's others (a member below 1 is a shape
// error, found before any rule about billing modes).
void ThroughputConstraints(const ProvisionedThroughput& t, std::vector<std::string>* failures);

// Which request carries the setting: CreateTable and UpdateTable word some rules differently.
enum class SettingsCall { kCreate, kUpdate };

// OnDemandThroughput's caps on a table whose billing mode (after the request) is `mode`: only
// on-demand tables take them; each cap from 1 to the per-table maximum, and on UpdateTable -1,
// which removes the cap. `index`: the GSI whose caps they are, or "" for the table's (the
// index forms of the texts are recorded in part: "for index : <name>" with its space).
Status CheckOnDemandThroughput(const OnDemandThroughput& o, BillingMode mode, SettingsCall call,
                               std::string_view region, std::string_view index = "");

// A restore's OnDemandThroughputOverride on a table restored with billing mode `mode`: the same
// rules in the restores' "Invalid Request: ..." texts.
Status CheckOnDemandOverride(const OnDemandThroughput& o, BillingMode mode);

// Applies UpdateTable's caps to the table's: each one given replaces the old, -1 removes it.
void MergeOnDemandThroughput(const OnDemandThroughput& o, std::optional<OnDemandThroughput>* table);

// WarmThroughput asked of a table (`index` "") or index billed by `mode` with capacity
// `throughput`, warm at `current` now: CreateTable refuses less than an on-demand start
// (12,000 / 4,000) or a provisioned capacity, UpdateTable less than now; above the per-table
// maximum is LimitExceededException.
Status CheckWarmThroughput(const WarmThroughput& w, BillingMode mode,
                           const std::optional<ProvisionedThroughput>& throughput,
                           const WarmUnits& current, SettingsCall call, std::string_view region,
                           std::string_view index = "");

// SSESpecification's rules: SSEType and KMSMasterKeyId only with encryption on, KMS the only
// type, a key only with SSEType KMS.
Status CheckSse(const SSESpecification& sse);

// Encryption per `sse` (checked) on `t`: off (the AWS-owned key, described as nothing), or an
// AWS managed key unless one is named (kept when it is already on); a key id or alias becomes
// the key's ARN.
void ApplySse(Database::Impl& db, const SSESpecification& sse, TableMeta& t);

}  // namespace localdynamo::engine
