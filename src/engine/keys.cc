#include "engine/keys.h"

#include "engine/errors.h"
#include "storage/key_codec.h"
#include "storage/layout.h"

namespace localdynamo::engine {
namespace {

constexpr std::size_t kMaxHashKeyBytes = 2048;
constexpr std::size_t kMaxRangeKeyBytes = 1024;

std::size_t ScalarBytes(const AttributeValue& v) {
  if (v.is(Type::kS)) return v.s().size();
  if (v.is(Type::kB)) return v.b().size();
  return 0;  // numbers are always within limits
}

bool IsEmptyScalar(const AttributeValue& v) {
  return (v.is(Type::kS) && v.s().empty()) || (v.is(Type::kB) && v.b().empty());
}

Status CheckKeyAttr(const KeyAttr& attr, const AttributeValue& v, bool is_hash, bool as_item) {
  if (v.type() != ToValueType(attr.type)) {
    if (!as_item) return errors::KeyMismatch();
    return errors::KeyTypeMismatch(attr.name, ToString(attr.type), TypeName(v.type()));
  }
  if (IsEmptyScalar(v)) return errors::EmptyKeyString(attr.name, v.is(Type::kB));
  if (is_hash && ScalarBytes(v) > kMaxHashKeyBytes) return errors::HashKeyTooLong();
  if (!is_hash && ScalarBytes(v) > kMaxRangeKeyBytes) return errors::RangeKeyTooLong();
  return OkStatus();
}

}  // namespace

Status ValidateKey(const TableMeta& table, const Item& key) {
  std::size_t want = table.key.range ? 2 : 1;
  if (key.size() != want) return errors::KeyMismatch();
  auto h = key.find(table.key.hash.name);
  if (h == key.end()) return errors::KeyMismatch();
  LD_RETURN_IF_ERROR(CheckKeyAttr(table.key.hash, h->second, true, false));
  if (table.key.range) {
    auto r = key.find(table.key.range->name);
    if (r == key.end()) return errors::KeyMismatch();
    LD_RETURN_IF_ERROR(CheckKeyAttr(*table.key.range, r->second, false, false));
  }
  return OkStatus();
}

Status ValidateItemKeys(const TableMeta& table, const Item& item) {
  auto h = item.find(table.key.hash.name);
  if (h == item.end()) return errors::MissingKey(table.key.hash.name);
  LD_RETURN_IF_ERROR(CheckKeyAttr(table.key.hash, h->second, true, true));
  if (table.key.range) {
    auto r = item.find(table.key.range->name);
    if (r == item.end()) return errors::MissingKey(table.key.range->name);
    LD_RETURN_IF_ERROR(CheckKeyAttr(*table.key.range, r->second, false, true));
  }
  // DynamoDB checks the indexes last-to-first; the first mismatch found is reported.
  for (auto it = table.indexes.rbegin(); it != table.indexes.rend(); ++it) {
    const IndexMeta& index = *it;
    for (const KeyAttr* attr : {&index.key.hash, index.key.range ? &*index.key.range : nullptr}) {
      if (!attr) continue;
      auto v = item.find(attr->name);
      if (v == item.end()) continue;
      if (v->second.type() != ToValueType(attr->type))
        return errors::IndexKeyTypeMismatch(attr->name, ToString(attr->type),
                                            TypeName(v->second.type()), index.name);
      if (IsEmptyScalar(v->second))
        return errors::EmptyIndexKeyString(attr->name, index.name, v->second.is(Type::kB));
    }
  }
  return OkStatus();
}

std::string PartitionPrefix(const TableMeta& table, uint8_t index_number,
                            const AttributeValue& hash) {
  std::string k = storage::KeyspacePrefix(table.number, index_number);
  storage::AppendKeyValue(&k, hash);
  return k;
}

std::string TableKey(const TableMeta& table, const Item& item) {
  std::string k;
  k.reserve(128);  // most keys: one allocation, not one per key attribute
  storage::AppendKeyspacePrefix(&k, table.number, 0);
  storage::AppendKeyValue(&k, item.find(table.key.hash.name)->second);
  if (table.key.range) storage::AppendKeyValue(&k, item.find(table.key.range->name)->second);
  return k;
}

std::optional<std::string> IndexKey(const TableMeta& table, const IndexMeta& index,
                                    const Item& item) {
  // An attribute of another type than the index's is found only in items written before the
  // index was created (writes refuse it); backfill leaves those out, so every write must too,
  // or deleting one would count an entry it never had.
  auto h = item.find(index.key.hash.name);
  if (h == item.end() || h->second.type() != ToValueType(index.key.hash.type)) return std::nullopt;
  std::string k = storage::KeyspacePrefix(table.number, index.number);
  storage::AppendKeyValue(&k, h->second);
  if (index.key.range) {
    auto r = item.find(index.key.range->name);
    if (r == item.end() || r->second.type() != ToValueType(index.key.range->type))
      return std::nullopt;
    storage::AppendKeyValue(&k, r->second);
  }
  // The table key makes index entries unique.
  storage::AppendKeyValue(&k, item.find(table.key.hash.name)->second);
  if (table.key.range) storage::AppendKeyValue(&k, item.find(table.key.range->name)->second);
  return k;
}

std::optional<Item> KeyFromEntry(const TableMeta& table, const IndexMeta* index,
                                 std::string_view full_key) {
  std::string_view rest = full_key.substr(std::min(full_key.size(), storage::kKeyspacePrefixSize));
  Item key;
  auto take = [&](const KeyAttr& attr) {
    AttributeValue v;
    if (!storage::DecodeKeyValue(&rest, attr.type, &v)) return false;
    key.try_emplace(attr.name, std::move(v));  // an index may share the table's sort key
    return true;
  };
  if (index && (!take(index->key.hash) || (index->key.range && !take(*index->key.range))))
    return std::nullopt;
  if (!take(table.key.hash) || (table.key.range && !take(*table.key.range)) || !rest.empty())
    return std::nullopt;
  return key;
}

Item ExtractKey(const TableMeta& table, const IndexMeta* index, const Item& item) {
  Item key;
  auto copy = [&](const std::string& name) {
    auto it = item.find(name);
    if (it != item.end()) key.insert(*it);
  };
  copy(table.key.hash.name);
  if (table.key.range) copy(table.key.range->name);
  if (index) {
    copy(index->key.hash.name);
    if (index->key.range) copy(index->key.range->name);
  }
  return key;
}

Item ProjectForIndex(const TableMeta& table, const IndexMeta& index, const Item& item) {
  ProjectionType type = index.projection.projection_type.value_or(ProjectionType::kAll);
  if (type == ProjectionType::kAll) return item;
  Item out = ExtractKey(table, &index, item);
  if (type == ProjectionType::kInclude) {
    for (const auto& name : index.projection.non_key_attributes) {
      auto it = item.find(name);
      if (it != item.end()) out.insert(*it);
    }
  }
  return out;
}

}  // namespace localdynamo::engine
