#pragma once
// Key attributes of items: validation against the table / index schema, and encoding into the
// full keys of the data DBI (storage/layout.h).

#include <optional>
#include <string>

#include "engine/table_meta.h"
#include "localdynamo/status.h"
#include "localdynamo/value.h"

namespace localdynamo::engine {

// A Key parameter (GetItem, DeleteItem, UpdateItem, ...): exactly the table's key attributes,
// of the right types, non-empty and within size limits.
Status ValidateKey(const TableMeta& table, const Item& key);
// An item to store: its key attributes, and every index key attribute it has.
Status ValidateItemKeys(const TableMeta& table, const Item& item);

// Full keys (keyspace prefix + encoded key attributes). The item must have passed validation.
std::string TableKey(const TableMeta& table, const Item& item);
// The index entry key for `item`, or nullopt when the item lacks an index key attribute
// (indexes are sparse) or has one of another type than the index's (such an item is not in
// the index).
std::optional<std::string> IndexKey(const TableMeta& table, const IndexMeta& index,
                                    const Item& item);
// The keyspace prefix of a table partition: prefix + enc(partition key value).
std::string PartitionPrefix(const TableMeta& table, uint8_t index_number,
                            const AttributeValue& hash);

// The key attributes of `item`: the table's, plus the index's when `index` is given (the shape
// of LastEvaluatedKey).
Item ExtractKey(const TableMeta& table, const IndexMeta* index, const Item& item);
// The same key read back from a stored entry's full key (table entry, or index entry: index
// key then table key), without decoding the item. Nullopt if the key is malformed.
std::optional<Item> KeyFromEntry(const TableMeta& table, const IndexMeta* index,
                                 std::string_view full_key);

// The index's view of an item: all attributes, or keys (table + index) plus included ones.
Item ProjectForIndex(const TableMeta& table, const IndexMeta& index, const Item& item);

}  // namespace localdynamo::engine
