#pragma once
// ReturnItemCollectionMetrics=SIZE: for tables with local secondary indexes, the item
// collection (every item sharing the partition key, with its LSI entries) and its size range.

#include <optional>

#include "engine/database_impl.h"
#include "localdynamo/requests.h"

namespace localdynamo::engine {

// nullopt unless `mode` is SIZE and the table has an LSI. `item` holds the partition key.
Result<std::optional<ItemCollectionMetrics>> CollectionMetrics(
    const storage::Txn& txn, const TableMeta& table, const Item& item,
    std::optional<ReturnItemCollectionMetrics> mode);

}  // namespace localdynamo::engine
