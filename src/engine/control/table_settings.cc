#include "engine/control/table_settings.h"

#include <array>

#include <fmt/format.h>

#include "engine/errors.h"

namespace localdynamo::engine {

namespace {

constexpr std::string_view kLimitsAdvice =
    "Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher "
    "limits.";

// The caps by kind, for messages: "Read" then "Write".
std::array<std::pair<const char*, const std::optional<int64_t>*>, 2> Caps(
    const OnDemandThroughput& o) {
  return {{{"Read", &o.max_read_request_units}, {"Write", &o.max_write_request_units}}};
}

}  // namespace

void ThroughputConstraints(const ProvisionedThroughput& t, std::vector<std::string>* failures) {
  if (t.write_capacity_units < 1)
    failures->push_back(
        fmt::format("Value '{}' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy "
                    "constraint: Member must have value greater than or equal to 1",
                    t.write_capacity_units));
  if (t.read_capacity_units < 1)
    failures->push_back(
        fmt::format("Value '{}' at 'provisionedThroughput.readCapacityUnits' failed to satisfy "
                    "constraint: Member must have value greater than or equal to 1",
                    t.read_capacity_units));
}

Status CheckThroughput(const ProvisionedThroughput& t, std::string_view region,
                       std::string_view index) {
  std::vector<std::string> failures;
  ThroughputConstraints(t, &failures);
  if (!failures.empty()) return errors::ConstraintError(failures);
  if (t.read_capacity_units > 1000000000000)
    return ValidationError(fmt::format("Given value {} for ReadCapacityUnits is out of bounds",
                                       t.read_capacity_units));
  if (t.write_capacity_units > 1000000000000)
    return ValidationError(fmt::format("Given value {} for WriteCapacityUnits is out of bounds",
                                       t.write_capacity_units));
  // "The requested ReadCapacityUnits, 50000, is above the per table maximum for the account in
  // us-west-2. Per table maximum: 40000. Refer to ..." (DynamoDB's answer, quoted by
  // Application Auto Scaling's failed activities). The index form is recorded only in part
  // ("... for index gsi1, N, is above the per index maximum ...") and completed alike.
  for (const auto& [name, units] : {std::pair{"ReadCapacityUnits", t.read_capacity_units},
                                    std::pair{"WriteCapacityUnits", t.write_capacity_units}})
    if (units > kMaxCapacityUnits)
      return errors::LimitExceeded(
          index.empty()
              ? fmt::format("The requested {}, {}, is above the per table maximum for the account "
                            "in {}. Per table maximum: {}. {}",
                            name, units, region, kMaxCapacityUnits, kLimitsAdvice)
              : fmt::format("The requested {} for index {}, {}, is above the per index maximum for "
                            "the account in {}. Per index maximum: {}. {}",
                            name, index, units, region, kMaxCapacityUnits, kLimitsAdvice));
  return OkStatus();
}

Status CheckOnDemandThroughput(const OnDemandThroughput& o, BillingMode mode, SettingsCall call,
                               std::string_view region, std::string_view index) {
  const auto members = Caps(o);
  if (mode == BillingMode::kProvisioned) {
    const std::string of = index.empty() ? "" : fmt::format(" for index: {}", index);
    for (const auto& [kind, value] : members)
      if (value->has_value())
        return errors::Invalid(
            call == SettingsCall::kCreate
                ? fmt::format("Max{}RequestUnits for OnDemandThroughput{} cannot be specified when "
                              "table BillingMode is PROVISIONED.",
                              kind, of)
                : fmt::format("Max{}RequestUnits for OnDemandThroughput{} cannot be specified when "
                              "the table BillingMode is PROVISIONED",
                              kind, of));
    return OkStatus();
  }
  const std::string of = index.empty() ? "table" : fmt::format("index : {}", index);
  for (const auto& [kind, value] : members) {
    if (!value->has_value()) continue;
    const int64_t units = **value;
    if (units == -1 && call == SettingsCall::kUpdate) continue;  // removes the cap
    if (units < 1)
      return errors::Invalid(fmt::format(
          "Requested Max{}RequestUnits for OnDemandThroughput for {} is outside of valid range",
          kind, of));
    if (units > kMaxCapacityUnits)
      return errors::LimitExceeded(fmt::format(
          "Subscriber limit exceeded: Requested Max{}RequestUnits for OnDemandThroughput for {} "
          "exceeds TableMax{}CapacityUnits of the account in region {}",
          kind, of, kind, region));
  }
  return OkStatus();
}

Status CheckOnDemandOverride(const OnDemandThroughput& o, BillingMode mode) {
  for (const auto& [kind, value] : Caps(o)) {
    if (!value->has_value()) continue;
    if (mode == BillingMode::kProvisioned)
      return ValidationError(
          fmt::format("Invalid Request: Cannot override Max{}RequestUnits for OnDemandThroughput "
                      "unless BillingModeOverride is PAY_PER_REQUEST",
                      kind));
    if (**value < 1 || **value > kMaxCapacityUnits)
      return ValidationError(
          fmt::format("Invalid Request: Requested Max{}RequestUnits for OnDemandThroughput is "
                      "outside of valid range",
                      kind));
  }
  return OkStatus();
}

void MergeOnDemandThroughput(const OnDemandThroughput& o,
                             std::optional<OnDemandThroughput>* table) {
  OnDemandThroughput merged = table->value_or(OnDemandThroughput{});
  for (auto [given, kept] :
       {std::pair{&o.max_read_request_units, &merged.max_read_request_units},
        std::pair{&o.max_write_request_units, &merged.max_write_request_units}}) {
    if (!given->has_value()) continue;
    if (**given == -1) {
      kept->reset();
    } else {
      *kept = *given;
    }
  }
  if (merged.max_read_request_units || merged.max_write_request_units) {
    *table = merged;
  } else {
    table->reset();
  }
}

Status CheckWarmThroughput(const WarmThroughput& w, BillingMode mode,
                           const std::optional<ProvisionedThroughput>& throughput,
                           const WarmUnits& current, SettingsCall call, std::string_view region,
                           std::string_view index) {
  const std::string of = index.empty() ? "table" : fmt::format("index {}", index);
  const std::optional<int64_t>* asked[] = {&w.read_units_per_second, &w.write_units_per_second};
  for (int k = 0; k < 2; ++k) {
    if (!asked[k]->has_value()) continue;
    const int64_t units = **asked[k];
    const char* kind = k == 0 ? "Read" : "Write";
    if (call == SettingsCall::kUpdate) {
      if (units < (k == 0 ? current.read : current.write))
        return errors::Invalid(
            fmt::format("Requested {}UnitsPerSecond for WarmThroughput for {} is lower than "
                        "current WarmThroughput, decreasing WarmThroughput is not supported",
                        kind, of));
    } else if (mode == BillingMode::kPayPerRequest || !throughput) {
      if (units < (k == 0 ? kOnDemandWarm.read : kOnDemandWarm.write))
        return errors::Invalid(
            fmt::format("Requested {}UnitsPerSecond for WarmThroughput for {} is lower than "
                        "initial throughput for OnDemand. See: "
                        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/"
                        "on-demand-capacity-mode.html#on-demand-capacity-mode-initial",
                        kind, of));
    } else if (units <
               (k == 0 ? throughput->read_capacity_units : throughput->write_capacity_units)) {
      return errors::Invalid(
          fmt::format("Requested {}UnitsPerSecond for WarmThroughput for {} is lower than "
                      "{}CapacityUnits of ProvisionedThroughput",
                      kind, of, kind));
    }
    if (units > kMaxCapacityUnits)
      return errors::LimitExceeded(
          fmt::format("Subscriber limit exceeded: Requested {}UnitsPerSecond for WarmThroughput "
                      "for {} exceeds TableMax{}CapacityUnits of the account in region {}",
                      kind, of, kind, region));
  }
  return OkStatus();
}

Status CheckSse(const SSESpecification& sse) {
  if (sse.enabled == false) {
    if (sse.sse_type) return errors::Invalid("SSEType can not be specified if Enabled is false");
    if (sse.kms_master_key_id)
      return errors::Invalid("KMSMasterKeyId can not be specified if Enabled is false");
    return OkStatus();
  }
  if (sse.sse_type == "AES256") return errors::Invalid("SSEType AES256 is not supported");
  if (sse.kms_master_key_id && !sse.sse_type)
    return errors::Invalid("SSEType KMS is required if KMSMasterKeyId is specified");
  return OkStatus();
}

void ApplySse(Database::Impl& db, const SSESpecification& sse, TableMeta& t) {
  // Enabled may be left out when SSEType says KMS.
  if (!sse.enabled.value_or(sse.sse_type.has_value())) {
    t.sse_kms_key_arn.clear();
    return;
  }
  if (!sse.kms_master_key_id && !t.sse_kms_key_arn.empty()) return;
  const std::string key = sse.kms_master_key_id.value_or(db.options.ids->NewUuid());
  t.sse_kms_key_arn =
      key.starts_with("arn:")
          ? key
          : fmt::format("arn:aws:kms:{}:{}:{}", db.options.region, db.options.account_id,
                        key.starts_with("alias/") ? key : "key/" + key);
}

}  // namespace localdynamo::engine
