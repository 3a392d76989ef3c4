#include "engine/item_collection.h"

#include <cmath>

#include "engine/keys.h"
#include "storage/item_codec.h"
#include "storage/layout.h"

namespace localdynamo::engine {

Result<std::optional<ItemCollectionMetrics>> CollectionMetrics(
    const storage::Txn& txn, const TableMeta& table, const Item& item,
    std::optional<ReturnItemCollectionMetrics> mode) {
  if (mode != ReturnItemCollectionMetrics::kSize) return std::optional<ItemCollectionMetrics>();
  bool has_lsi = false;
  for (const auto& i : table.indexes) has_lsi = has_lsi || !i.global;
  if (!has_lsi) return std::optional<ItemCollectionMetrics>();
  const AttributeValue& hash = item.at(table.key.hash.name);
  // The collection's bytes: the partition's items, plus their entries in each LSI.
  uint64_t bytes = 0;
  std::vector<uint8_t> keyspaces{0};
  for (const auto& i : table.indexes)
    if (!i.global) keyspaces.push_back(i.number);
  for (uint8_t ks : keyspaces) {
    std::string prefix = PartitionPrefix(table, ks, hash);
    LD_ASSIGN_OR_RETURN(auto cursor, storage::Cursor::Open(txn, txn.dbis().data));
    storage::RangeScanner scan(std::move(cursor), {prefix, storage::Bound::Kind::kInclusive},
                               {prefix, storage::Bound::Kind::kPrefix}, true);
    while (true) {
      LD_ASSIGN_OR_RETURN(auto e, scan.Next());
      if (!e) break;
      Item it;
      if (!storage::DecodeItem(e->payload, &it)) return InternalError("corrupt item");
      bytes += ItemSize(it);
    }
  }
  // DynamoDB reports a range in GB that contains the collection's size.
  const double gb = static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0);
  ItemCollectionMetrics m;
  m.item_collection_key = Item{{table.key.hash.name, hash}};
  m.size_estimate_range_gb = {std::floor(gb), std::floor(gb) + 1.0};
  return std::optional<ItemCollectionMetrics>(std::move(m));
}

}  // namespace localdynamo::engine
