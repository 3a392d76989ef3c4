#include "engine/table_meta.h"

#include <nlohmann/json.hpp>

namespace localdynamo::engine {

using json = nlohmann::json;

const IndexMeta* TableMeta::FindIndex(std::string_view index_name) const {
  for (const auto& i : indexes)
    if (i.name == index_name) return &i;
  return nullptr;
}

const StreamMeta* TableMeta::CurrentStream() const {
  if (streams.empty() || !streams.back().enabled) return nullptr;
  return &streams.back();
}

const StreamMeta* TableMeta::FindStream(std::string_view stream_arn) const {
  for (const auto& s : streams)
    if (s.arn == stream_arn) return &s;
  return nullptr;
}

bool TableMeta::IsKeyAttribute(std::string_view attribute) const {
  for (const auto& d : attribute_definitions)
    if (d.attribute_name == attribute) return true;
  return false;
}

ScalarAttributeType TypeOf(const std::vector<AttributeDefinition>& defs, const std::string& name) {
  for (const auto& d : defs)
    if (d.attribute_name == name) return d.attribute_type;
  return ScalarAttributeType::kS;
}

KeyShape ShapeOf(const std::vector<KeySchemaElement>& schema,
                 const std::vector<AttributeDefinition>& defs) {
  KeyShape shape;
  for (const auto& e : schema) {
    KeyAttr a{e.attribute_name, TypeOf(defs, e.attribute_name)};
    if (e.key_type == KeyType::kHash) {
      shape.hash = a;
    } else {
      shape.range = a;
    }
  }
  return shape;
}

namespace {

IndexMeta& AddIndex(TableMeta& t, const std::string& name, bool global,
                    const std::vector<KeySchemaElement>& ks, const Projection& p) {
  IndexMeta& i = t.indexes.emplace_back();
  i.name = name;
  i.global = global;
  i.number = t.next_index_number++;
  i.key_schema = ks;
  i.key = ShapeOf(ks, t.attribute_definitions);
  i.projection = p;
  i.arn = t.arn + "/index/" + i.name;
  return i;
}

}  // namespace

IndexMeta& AddGlobalIndex(TableMeta& t, const GlobalSecondaryIndex& g) {
  IndexMeta& i = AddIndex(t, g.index_name, true, g.key_schema, g.projection);
  i.throughput = g.provisioned_throughput;
  i.on_demand_throughput = g.on_demand_throughput;
  i.warm = DefaultWarm(t.billing_mode, g.provisioned_throughput);
  if (g.warm_throughput) i.warm = WarmAfter(i.warm, *g.warm_throughput);
  return i;
}

IndexMeta& AddLocalIndex(TableMeta& t, const LocalSecondaryIndex& l) {
  return AddIndex(t, l.index_name, false, l.key_schema, l.projection);
}

namespace {

json KeySchemaJson(const std::vector<KeySchemaElement>& ks) {
  json a = json::array();
  for (const auto& e : ks)
    a.push_back({{"n", e.attribute_name}, {"h", e.key_type == KeyType::kHash}});
  return a;
}

std::vector<KeySchemaElement> KeySchemaFrom(const json& a) {
  std::vector<KeySchemaElement> ks;
  for (const auto& e : a)
    ks.push_back(
        {e.at("n").get<std::string>(), e.at("h").get<bool>() ? KeyType::kHash : KeyType::kRange});
  return ks;
}

json ThroughputJson(const ProvisionedThroughput& t) {
  return {t.read_capacity_units, t.write_capacity_units};
}
ProvisionedThroughput ThroughputFrom(const json& j) {
  return {j.at(0).get<int64_t>(), j.at(1).get<int64_t>()};
}

// On-demand caps as [read, write], -2 standing for a member that wasn't given (DynamoDB's own
// "no limit" is -1).
json OnDemandJson(const OnDemandThroughput& od) {
  return {od.max_read_request_units.value_or(-2), od.max_write_request_units.value_or(-2)};
}
WarmUnits WarmFrom(const json& j) { return {j.at(0).get<int64_t>(), j.at(1).get<int64_t>()}; }

OnDemandThroughput OnDemandFrom(const json& j) {
  auto member = [&](int i) {
    const int64_t v = j.at(i);
    return v == -2 ? std::nullopt : std::optional(v);
  };
  return {member(0), member(1)};
}

json TagsJson(const std::vector<Tag>& tags) {
  json a = json::array();
  for (const Tag& t : tags) a.push_back({t.key, t.value});
  return a;
}
std::vector<Tag> TagsFrom(const json& a) {
  std::vector<Tag> tags;
  for (const auto& t : a) tags.push_back({t.at(0).get<std::string>(), t.at(1).get<std::string>()});
  return tags;
}

}  // namespace

std::string SerializeTableMeta(const TableMeta& t) {
  json j;
  j["name"] = t.name;
  j["id"] = t.id;
  j["arn"] = t.arn;
  j["number"] = t.number;
  j["created"] = t.creation_time;
  json defs = json::array();
  for (const auto& d : t.attribute_definitions)
    defs.push_back({d.attribute_name, static_cast<int>(d.attribute_type)});
  j["defs"] = defs;
  j["keys"] = KeySchemaJson(t.key_schema);
  j["billing"] = static_cast<int>(t.billing_mode);
  j["throughput"] = ThroughputJson(t.throughput);
  j["ppr_time"] = t.last_pay_per_request_time;
  json idx = json::array();
  for (const auto& i : t.indexes) {
    json ij;
    ij["name"] = i.name;
    ij["global"] = i.global;
    ij["number"] = i.number;
    ij["keys"] = KeySchemaJson(i.key_schema);
    ij["ptype"] = static_cast<int>(i.projection.projection_type.value_or(ProjectionType::kAll));
    ij["nonkey"] = i.projection.non_key_attributes;
    if (i.throughput) ij["throughput"] = ThroughputJson(*i.throughput);
    if (i.on_demand_throughput) ij["on_demand"] = OnDemandJson(*i.on_demand_throughput);
    ij["warm"] = {i.warm.read, i.warm.write};
    ij["status"] = static_cast<int>(i.status);
    ij["backfilling"] = i.backfilling;
    ij["arn"] = i.arn;
    idx.push_back(ij);
  }
  j["indexes"] = idx;
  j["next_index"] = t.next_index_number;
  json streams = json::array();
  for (const auto& s : t.streams) {
    streams.push_back({{"number", s.number},
                       {"label", s.label},
                       {"arn", s.arn},
                       {"view", static_cast<int>(s.view_type)},
                       {"created", s.created},
                       {"enabled", s.enabled}});
    if (!s.tags.empty()) streams.back()["tags"] = TagsJson(s.tags);
  }
  j["streams"] = streams;
  j["deletion_protection"] = t.deletion_protection;
  if (t.ttl_changed_millis) {
    j["ttl"] = t.ttl_attribute;
    j["ttl_changed"] = t.ttl_changed_millis;
  }
  // Optional members (absent in catalogs written before they existed, and when unset).
  if (!t.tags.empty()) j["tags"] = TagsJson(t.tags);
  if (!t.insights.empty()) {
    json insights = json::object();
    for (const auto& [index, i] : t.insights)
      insights[index] = {i.enabled, static_cast<int>(i.mode), i.changed_millis, i.rules_millis};
    j["insights"] = insights;
  }
  if (t.recovery_since_millis)
    j["recovery"] = {t.recovery_since_millis, t.recovery_period_days, t.recovery_log};
  if (!t.sse_kms_key_arn.empty()) j["sse_kms"] = t.sse_kms_key_arn;
  if (t.table_class) j["class"] = static_cast<int>(*t.table_class);
  if (const auto& od = t.on_demand_throughput) j["on_demand"] = OnDemandJson(*od);
  j["warm"] = {t.warm.read, t.warm.write};
  return j.dump();
}

std::optional<TableMeta> ParseTableMeta(std::string_view text) {
  try {
    json j = json::parse(text);
    TableMeta t;
    t.name = j.at("name");
    t.id = j.at("id");
    t.arn = j.at("arn");
    t.number = j.at("number");
    t.creation_time = j.at("created");
    for (const auto& d : j.at("defs"))
      t.attribute_definitions.push_back(
          {d.at(0).get<std::string>(), static_cast<ScalarAttributeType>(d.at(1).get<int>())});
    t.key_schema = KeySchemaFrom(j.at("keys"));
    t.key = ShapeOf(t.key_schema, t.attribute_definitions);
    t.billing_mode = static_cast<BillingMode>(j.at("billing").get<int>());
    t.throughput = ThroughputFrom(j.at("throughput"));
    t.last_pay_per_request_time = j.at("ppr_time");
    for (const auto& ij : j.at("indexes")) {
      IndexMeta i;
      i.name = ij.at("name");
      i.global = ij.at("global");
      i.number = ij.at("number");
      i.key_schema = KeySchemaFrom(ij.at("keys"));
      i.key = ShapeOf(i.key_schema, t.attribute_definitions);
      i.projection.projection_type = static_cast<ProjectionType>(ij.at("ptype").get<int>());
      i.projection.non_key_attributes = ij.at("nonkey").get<std::vector<std::string>>();
      if (ij.contains("throughput")) i.throughput = ThroughputFrom(ij.at("throughput"));
      if (ij.contains("on_demand")) i.on_demand_throughput = OnDemandFrom(ij.at("on_demand"));
      // Stores from before warm throughput was kept: what DynamoDB describes for them.
      i.warm =
          ij.contains("warm") ? WarmFrom(ij.at("warm")) : DefaultWarm(t.billing_mode, i.throughput);
      i.status = static_cast<IndexStatus>(ij.at("status").get<int>());
      i.backfilling = ij.at("backfilling");
      i.arn = ij.at("arn");
      t.indexes.push_back(std::move(i));
    }
    t.next_index_number = j.at("next_index");
    for (const auto& sj : j.at("streams")) {
      StreamMeta s;
      s.number = sj.at("number");
      s.label = sj.at("label");
      s.arn = sj.at("arn");
      s.view_type = static_cast<StreamViewType>(sj.at("view").get<int>());
      s.created = sj.at("created");
      s.enabled = sj.at("enabled");
      if (sj.contains("tags")) s.tags = TagsFrom(sj.at("tags"));
      t.streams.push_back(std::move(s));
    }
    t.deletion_protection = j.at("deletion_protection");
    t.ttl_attribute = j.value("ttl", "");  // absent in tables whose time to live never changed
    t.ttl_changed_millis = j.value("ttl_changed", int64_t{0});
    if (j.contains("tags")) t.tags = TagsFrom(j.at("tags"));
    t.sse_kms_key_arn = j.value("sse_kms", "");
    if (j.contains("class")) t.table_class = static_cast<TableClass>(j.at("class").get<int>());
    if (j.contains("on_demand")) t.on_demand_throughput = OnDemandFrom(j.at("on_demand"));
    t.warm =
        j.contains("warm") ? WarmFrom(j.at("warm")) : DefaultWarm(t.billing_mode, t.throughput);
    if (j.contains("insights"))
      for (const auto& [index, i] : j.at("insights").items())
        t.insights[index] = InsightsMeta{i.at(0).get<bool>(),
                                         static_cast<ContributorInsightsMode>(i.at(1).get<int>()),
                                         i.at(2).get<int64_t>(), i.at(3).get<int64_t>()};
    if (j.contains("recovery")) {
      t.recovery_since_millis = j.at("recovery").at(0);
      t.recovery_period_days = j.at("recovery").at(1);
      if (j.at("recovery").size() > 2)
        t.recovery_log = j.at("recovery").at(2);  // absent before the log existed
    }
    return t;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace localdynamo::engine
