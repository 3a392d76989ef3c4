// Query and Scan: one page of entries in key order, Limit counting items read, the 1 MB page
// limit, filters applied after reading, LastEvaluatedKey, and read capacity from every item
// read (before filtering).

#include <fmt/format.h>

#include "engine/capacity.h"
#include "engine/database_impl.h"
#include "engine/errors.h"
#include "engine/expression_params.h"
#include "engine/encoded_reads.h"
#include "engine/keys.h"
#include "storage/encoded_page.h"
#include "storage/item_codec.h"
#include "storage/item_walk.h"
#include "storage/key_codec.h"
#include "storage/layout.h"

namespace localdynamo {

using engine::IndexMeta;
using storage::Bound;

namespace {

constexpr std::size_t kPageBytes = 1024 * 1024;

struct PageSpec {
  const TableMeta* table = nullptr;
  const IndexMeta* index = nullptr;
  Bound lower, upper;
  bool forward = true;
  std::optional<int64_t> limit;
  const expr::ConditionExpr* filter = nullptr;
  const expr::ProjectionExpr* projection = nullptr;
  bool count_only = false;
  bool fetch_from_table = false;  // LSI + ALL_ATTRIBUTES: read the table's item
  bool consistent = false;
  // Parallel scan: keep only partitions hashing to this segment.
  std::optional<std::pair<int64_t, int64_t>> segment;
  // Where the page's items go as they are read (QueryEncoded / ScanEncoded), if not into
  // the response.
  const engine::EncodedItemSink* sink = nullptr;
};

// `spec` is taken whole: its bounds move into the scanner.
Result<QueryResponse> ReadPage(Database::Impl& db, const storage::Txn& txn, PageSpec spec,
                               std::optional<ReturnConsumedCapacity> rcc) {
  LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().data));
  storage::RangeScanner scanner(std::move(cursor), std::move(spec.lower), std::move(spec.upper),
                                spec.forward);
  QueryResponse out;
  if (!spec.count_only) {
    out.items.emplace();
  }
  const bool needs_item =
      spec.fetch_from_table || spec.filter || (spec.projection && !spec.count_only);
  // Item sizes (DynamoDB's rules) drive the 1 MB page limit and the read capacity. When no
  // capacity is reported and every item is kept as stored, a bound is enough until it nears
  // 1 MB: an item's size is at most twice its encoding (names and values are stored with
  // their own bytes; maps and lists cost DynamoDB at most one byte per element more). Then
  // the exact sizes of the page so far are taken, and each item's from there on.
  bool exact = engine::Reported(rcc) || spec.count_only || needs_item;
  std::size_t bound = 0;
  std::size_t bytes_read = 0;
  auto exact_size = [](std::string_view payload) -> Result<std::size_t> {
    std::size_t size;
    if (!storage::EncodedItemSize(payload, &size)) return InternalError("corrupt item");
    return size;
  };
  // The items handed to the sink so far, while only a bound is kept: views into the snapshot,
  // which stays open until the page is done.
  std::vector<std::string_view> sent;
  while (true) {
    if (spec.limit && out.scanned_count >= *spec.limit) break;
    if (bytes_read >= kPageBytes) break;
    LD_ASSIGN_OR_RETURN(auto entry, scanner.Next());
    if (!entry) break;
    if (spec.segment) {
      std::string_view key = entry->full_key.substr(storage::kKeyspacePrefixSize);
      AttributeValue hv;
      std::string_view rest = key;
      const auto& hash_attr = spec.index ? spec.index->key.hash : spec.table->key.hash;
      if (!storage::DecodeKeyValue(&rest, hash_attr.type, &hv)) return InternalError("corrupt key");
      std::string_view encoded_hash = key.substr(0, key.size() - rest.size());
      if (static_cast<int64_t>(storage::Hash64(encoded_hash) %
                               static_cast<uint64_t>(spec.segment->second)) != spec.segment->first)
        continue;
    }
    if (!exact) {
      bound += 2 * entry->payload.size();
      if (bound >= kPageBytes) {
        exact = true;
        for (std::size_t i = 0; i < (spec.sink ? sent.size() : out.items->size()); ++i) {
          LD_ASSIGN_OR_RETURN(
              std::size_t size,
              exact_size(spec.sink ? sent[i] : storage::EncodedPage::Item(*out.items, i)));
          bytes_read += size;
        }
      }
    }
    if (exact) {
      LD_ASSIGN_OR_RETURN(std::size_t size, exact_size(entry->payload));
      bytes_read += size;
    }
    ++out.scanned_count;
    const bool last = (spec.limit && out.scanned_count >= *spec.limit) || bytes_read >= kPageBytes;
    // Only a page cut by Limit or the 1 MB size limit has a LastEvaluatedKey (even when
    // nothing follows, as DynamoDB does); it is the key of the last item read.
    if (last) {
      out.last_evaluated_key = engine::KeyFromEntry(*spec.table, spec.index, entry->full_key);
      if (!out.last_evaluated_key) return InternalError("corrupt key");
    }
    if (!needs_item) {  // the item goes out as it is stored: no Item is built
      ++out.count;
      if (spec.count_only) continue;
      if (spec.sink) {
        (*spec.sink)(entry->payload);
        if (!exact) sent.push_back(entry->payload);
        continue;
      }
      if (out.items->empty()) {  // room for a page of items like the first one
        const std::size_t n =
            static_cast<std::size_t>(std::min<int64_t>(spec.limit.value_or(64), 1024));
        storage::EncodedPage::Reserve(
            *out.items, n, std::min(n * entry->payload.size() + n * 16, kPageBytes + 1024));
      }
      storage::EncodedPage::Append(*out.items, entry->payload);
      continue;
    }
    Item item;
    std::string_view stored = entry->payload;  // the item's bytes as stored, while unchanged
    if (!storage::DecodeItem(stored, &item)) return InternalError("corrupt item");
    if (spec.fetch_from_table) {
      LD_ASSIGN_OR_RETURN(auto payload, storage::GetEntry(txn, txn.dbis().data,
                                                          engine::TableKey(*spec.table, item)));
      if (payload) {
        if (!storage::DecodeItem(*payload, &item)) return InternalError("corrupt item");
        stored = *payload;
      }
      bytes_read += ItemSize(item);
    }
    if (spec.filter && !expr::Evaluate(*spec.filter, item)) continue;
    ++out.count;
    if (spec.count_only) continue;
    if (spec.sink) {
      if (spec.projection) {
        (*spec.sink)(storage::EncodeItem(expr::Project(*spec.projection, item)));
      } else {
        (*spec.sink)(stored);
      }
      continue;
    }
    if (spec.projection) {
      out.items->push_back(expr::Project(*spec.projection, item));
    } else {
      out.items->push_back(std::move(item));
    }
  }
  if (engine::Reported(rcc)) {
    engine::CapacityTally tally;
    tally.table_name = spec.table->name;
    double units = engine::ReadUnits(bytes_read, spec.consistent);
    if (spec.index) {
      (spec.index->global ? tally.gsi : tally.lsi)[spec.index->name] = units;
    } else {
      tally.table = units;
    }
    out.consumed_capacity = engine::Report(tally, rcc);
  }
  (void)db;
  return out;
}

// The table or index a Query/Scan reads; GSIs can't be read consistently.
Result<PageSpec> SpecFor(const TableMeta& table, const std::optional<std::string>& index_name,
                         const std::optional<bool>& consistent_read) {
  PageSpec spec;
  spec.table = &table;
  if (!index_name) return spec;
  spec.index = table.FindIndex(*index_name);
  if (!spec.index)
    return ValidationError(
        fmt::format("The table does not have the specified index: {}", *index_name));
  if (spec.index->global && consistent_read.value_or(false))
    return ValidationError("Consistent reads are not supported on global secondary indexes");
  return spec;
}

// Select / projection rules shared by Query and Scan. Sets count_only / projection /
// fetch_from_table on the spec.
Status ApplySelect(PageSpec* spec, std::optional<Select> select, bool has_projection,
                   const std::optional<std::vector<std::string>>& attributes_to_get) {
  Select s = select.value_or(
      has_projection ? Select::kSpecificAttributes
                     : (spec->index ? Select::kAllProjectedAttributes : Select::kAllAttributes));
  if (has_projection && s != Select::kSpecificAttributes)
    return ValidationError(fmt::format(
        "One or more parameter values were invalid: Cannot specify the {} when choosing to get {}",
        attributes_to_get ? "AttributesToGet" : "ProjectionExpression", ToString(s)));
  if (s == Select::kSpecificAttributes && !has_projection)
    return ValidationError(
        "One or more parameter values were invalid: Must specify the AttributesToGet or "
        "ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  if (s == Select::kAllProjectedAttributes && !spec->index)
    return ValidationError(
        "One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is "
        "supported only for Query on an index");
  if (s == Select::kAllAttributes && spec->index &&
      spec->index->projection.projection_type.value_or(ProjectionType::kAll) !=
          ProjectionType::kAll) {
    if (spec->index->global)
      return ValidationError(fmt::format(
          "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported "
          "for global secondary index {} because its projection type is not ALL",
          spec->index->name));
    spec->fetch_from_table = true;
  }
  spec->count_only = s == Select::kCount;
  return OkStatus();
}

Status CheckLimit(const std::optional<int64_t>& limit) {
  if (limit && *limit < 1)
    return ValidationError(
        fmt::format("1 validation error detected: Value '{}' at 'limit' failed to satisfy "
                    "constraint: Member must have value greater than or equal to 1",
                    *limit));
  return OkStatus();
}

// ExclusiveStartKey -> the full key to resume after.
Result<std::string> StartKey(const TableMeta& table, const IndexMeta* index, const Item& esk) {
  auto invalid = [] {
    return ValidationError(
        "The provided starting key is invalid: The provided key element does not match the schema");
  };
  Item table_key;
  for (const auto& [name, v] : esk) {
    bool is_table_key =
        name == table.key.hash.name || (table.key.range && name == table.key.range->name);
    bool is_index_key = index && (name == index->key.hash.name ||
                                  (index->key.range && name == index->key.range->name));
    if (!is_table_key && !is_index_key) return invalid();
    if (is_table_key) table_key.insert({name, v});
  }
  if (!engine::ValidateKey(table, table_key).ok()) return invalid();
  if (!index) return engine::TableKey(table, esk);
  auto k = engine::IndexKey(table, *index, esk);
  if (!k) return invalid();
  return *k;
}

// Query, its page's items to `sink` when given.
Result<QueryResponse> RunQuery(Database::Impl& db, const QueryRequest& r,
                               const engine::EncodedItemSink* sink) {
  engine::ParamUse use;
  if (r.key_conditions) use.legacy.push_back("KeyConditions");
  if (r.query_filter) use.legacy.push_back("QueryFilter");
  if (r.attributes_to_get) use.legacy.push_back("AttributesToGet");
  if (r.conditional_operator) use.legacy.push_back("ConditionalOperator");
  if (r.key_condition_expression) use.expressions.push_back("KeyConditionExpression");
  if (r.filter_expression) use.expressions.push_back("FilterExpression");
  if (r.projection_expression) use.expressions.push_back("ProjectionExpression");
  use.has_names = r.expression_attribute_names.has_value();
  use.has_values = r.expression_attribute_values.has_value();
  LD_RETURN_IF_ERROR(engine::CheckParamMix(use));
  LD_RETURN_IF_ERROR(CheckLimit(r.limit));
  if (!r.key_condition_expression && !r.key_conditions)
    return ValidationError(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto table, db.catalog.Require(txn, r.table_name));
  LD_ASSIGN_OR_RETURN(PageSpec spec, SpecFor(*table, r.index_name, r.consistent_read));
  const engine::KeyShape& shape = spec.index ? spec.index->key : table->key;
  expr::KeySchemaView view{
      shape.hash.name, shape.hash.type,
      shape.range ? std::optional<std::string>(shape.range->name) : std::nullopt,
      shape.range ? shape.range->type : ScalarAttributeType::kS};

  expr::Context ctx(r.expression_attribute_names ? &*r.expression_attribute_names : nullptr,
                    r.expression_attribute_values ? &*r.expression_attribute_values : nullptr);
  std::optional<expr::KeyCondition> kc;
  if (r.key_condition_expression) {
    LD_ASSIGN_OR_RETURN(auto k, expr::ParseKeyCondition(*r.key_condition_expression, ctx, view));
    kc = std::move(k);
  } else {
    LD_ASSIGN_OR_RETURN(auto k, expr::FromKeyConditions(*r.key_conditions, view));
    kc = std::move(k);
  }
  LD_ASSIGN_OR_RETURN(auto filter, engine::PrepareFilter(ctx, r.filter_expression, r.query_filter,
                                                         r.conditional_operator));
  LD_ASSIGN_OR_RETURN(auto projection,
                      engine::PrepareProjection(ctx, r.projection_expression, r.attributes_to_get));
  LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
  if (filter) {
    for (const auto& name : expr::TopLevelAttributeNames(*filter)) {
      bool is_key = name == shape.hash.name || (shape.range && name == shape.range->name);
      if (is_key)
        return ValidationError(
            fmt::format("Filter Expression can only contain non-primary key attributes: Primary "
                        "key attribute: {}",
                        name));
    }
  }
  LD_RETURN_IF_ERROR(ApplySelect(&spec, r.select, projection.has_value(), r.attributes_to_get));

  // The key range.
  std::string part =
      engine::PartitionPrefix(*table, spec.index ? spec.index->number : 0, kc->hash_value);
  spec.lower = {part, Bound::Kind::kInclusive};
  spec.upper = {part, Bound::Kind::kPrefix};
  auto with = [&](const AttributeValue& v) {
    std::string k = part;
    storage::AppendKeyValue(&k, v);
    return k;
  };
  using Op = expr::KeyCondition::RangeOp;
  switch (kc->range_op) {
    case Op::kNone:
      break;
    case Op::kEq:
      spec.lower = {with(kc->range_value), Bound::Kind::kInclusive};
      spec.upper = {with(kc->range_value), Bound::Kind::kPrefix};
      break;
    case Op::kLt:
      spec.upper = {with(kc->range_value), Bound::Kind::kExclusive};
      break;
    case Op::kLe:
      spec.upper = {with(kc->range_value), Bound::Kind::kPrefix};
      break;
    case Op::kGt:
      spec.lower = {with(kc->range_value), Bound::Kind::kAfterPrefix};
      break;
    case Op::kGe:
      spec.lower = {with(kc->range_value), Bound::Kind::kInclusive};
      break;
    case Op::kBetween:
      spec.lower = {with(kc->range_value), Bound::Kind::kInclusive};
      spec.upper = {with(kc->range_value2), Bound::Kind::kPrefix};
      break;
    case Op::kBeginsWith: {
      std::string k = part;
      storage::AppendKeyPrefix(&k, kc->range_value);
      spec.lower = {k, Bound::Kind::kInclusive};
      spec.upper = {k, Bound::Kind::kPrefix};
      break;
    }
  }
  spec.forward = r.scan_index_forward.value_or(true);
  if (r.exclusive_start_key) {
    LD_ASSIGN_OR_RETURN(std::string start, StartKey(*table, spec.index, *r.exclusive_start_key));
    if (spec.forward) {
      spec.lower = {start, Bound::Kind::kExclusive};
    } else {
      spec.upper = {start, Bound::Kind::kExclusive};
    }
  }
  spec.limit = r.limit;
  spec.filter = filter ? &*filter : nullptr;
  spec.projection = projection ? &*projection : nullptr;
  spec.consistent = r.consistent_read.value_or(false);
  spec.sink = sink;
  return ReadPage(db, txn, std::move(spec), r.return_consumed_capacity);
}

// Scan, its page's items to `sink` when given.
Result<ScanResponse> RunScan(Database::Impl& db, const ScanRequest& r,
                             const engine::EncodedItemSink* sink) {
  engine::ParamUse use;
  if (r.scan_filter) use.legacy.push_back("ScanFilter");
  if (r.attributes_to_get) use.legacy.push_back("AttributesToGet");
  if (r.conditional_operator) use.legacy.push_back("ConditionalOperator");
  if (r.filter_expression) use.expressions.push_back("FilterExpression");
  if (r.projection_expression) use.expressions.push_back("ProjectionExpression");
  use.has_names = r.expression_attribute_names.has_value();
  use.has_values = r.expression_attribute_values.has_value();
  LD_RETURN_IF_ERROR(engine::CheckParamMix(use));
  LD_RETURN_IF_ERROR(CheckLimit(r.limit));
  if (r.total_segments && !r.segment)
    return ValidationError(
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present");
  if (r.segment && !r.total_segments)
    return ValidationError(
        "The TotalSegments parameter is required but was not present in the request when Segment "
        "parameter is present");
  if (r.total_segments && (*r.total_segments < 1 || *r.total_segments > 1000000))
    return ValidationError(fmt::format(
        "1 validation error detected: Value '{}' at 'totalSegments' failed to satisfy constraint: "
        "Member must have value {}",
        *r.total_segments,
        *r.total_segments < 1 ? "greater than or equal to 1" : "less than or equal to 1000000"));
  if (r.segment && (*r.segment < 0))
    return ValidationError(
        fmt::format("1 validation error detected: Value '{}' at 'segment' failed to satisfy "
                    "constraint: Member must have value greater than or equal to 0",
                    *r.segment));
  if (r.segment && *r.segment >= *r.total_segments)
    return ValidationError(
        fmt::format("The Segment parameter is zero-based and must be less than parameter "
                    "TotalSegments: Segment: {} is not less than TotalSegments: {}",
                    *r.segment, *r.total_segments));

  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto table, db.catalog.Require(txn, r.table_name));
  LD_ASSIGN_OR_RETURN(PageSpec spec, SpecFor(*table, r.index_name, r.consistent_read));
  expr::Context ctx(r.expression_attribute_names ? &*r.expression_attribute_names : nullptr,
                    r.expression_attribute_values ? &*r.expression_attribute_values : nullptr);
  LD_ASSIGN_OR_RETURN(auto filter, engine::PrepareFilter(ctx, r.filter_expression, r.scan_filter,
                                                         r.conditional_operator));
  LD_ASSIGN_OR_RETURN(auto projection,
                      engine::PrepareProjection(ctx, r.projection_expression, r.attributes_to_get));
  LD_RETURN_IF_ERROR(ctx.CheckAllUsed());
  LD_RETURN_IF_ERROR(ApplySelect(&spec, r.select, projection.has_value(), r.attributes_to_get));

  std::string prefix = storage::KeyspacePrefix(table->number, spec.index ? spec.index->number : 0);
  spec.lower = {prefix, Bound::Kind::kInclusive};
  spec.upper = {prefix, Bound::Kind::kPrefix};
  if (r.exclusive_start_key) {
    LD_ASSIGN_OR_RETURN(std::string start, StartKey(*table, spec.index, *r.exclusive_start_key));
    spec.lower = {start, Bound::Kind::kExclusive};
  }
  if (r.total_segments) spec.segment = std::make_pair(*r.segment, *r.total_segments);
  spec.limit = r.limit;
  spec.filter = filter ? &*filter : nullptr;
  spec.projection = projection ? &*projection : nullptr;
  spec.consistent = r.consistent_read.value_or(false);
  spec.sink = sink;
  return ReadPage(db, txn, std::move(spec), r.return_consumed_capacity);
}

}  // namespace

Result<QueryResponse> Database::Query(const QueryRequest& r) {
  return RunQuery(*impl_, r, nullptr);
}
Result<ScanResponse> Database::Scan(const ScanRequest& r) { return RunScan(*impl_, r, nullptr); }

namespace engine {
Result<QueryResponse> QueryEncoded(Database& db, const QueryRequest& r,
                                   const EncodedItemSink& take) {
  return RunQuery(DatabaseInternals::Of(db), r, &take);
}
Result<ScanResponse> ScanEncoded(Database& db, const ScanRequest& r, const EncodedItemSink& take) {
  return RunScan(DatabaseInternals::Of(db), r, &take);
}
}  // namespace engine

}  // namespace localdynamo
