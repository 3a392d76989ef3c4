#pragma once
// An offline consistency check of a database directory (`localdynamo check DIR`): what the
// write path promises about the stored bytes, verified from the bytes alone.

#include <cstdint>
#include <string>
#include <vector>

#include "localdynamo/status.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

struct CheckReport {
  // One line per problem found, in the order found (catalog and records, items and index
  // entries, statistics, streams and recovery logs), each starting with where it is ("table T
  // index I: ..."); empty when the directory is consistent. At most kMaxProblems lines: past
  // that, one last line says how many more were found.
  std::vector<std::string> problems;
  static constexpr std::size_t kMaxProblems = 10000;

  // What was read (of live tables; backups' copies are counted apart).
  int64_t tables = 0;
  int64_t items = 0;
  int64_t index_entries = 0;
  int64_t stream_records = 0;    // of every stream still stored, dropped tables' too
  int64_t recovery_records = 0;  // point-in-time recovery's logs
  int64_t backups = 0;
  int64_t backup_items = 0;

  bool ok() const { return problems.empty(); }
};

// Reads the database in `directory` in one read snapshot, writing nothing, and checks:
//  - the catalog: each table's entry parses and is stored under its name; table, index,
//    stream and backup numbers are distinct and below the counters that issue them;
//  - every item of every table (and of every backup's copy) decodes and is stored under the
//    key its key attributes encode to;
//  - every index (global and local): an item whose index key attributes are present with the
//    index's types has exactly one entry, holding the item's projection (KEYS_ONLY, INCLUDE,
//    ALL); no entry lacks its item or disagrees with it; nothing is stored under an index or
//    table number the catalog and backups don't know;
//  - the statistics (item count and size in bytes, of each table and each index, as
//    DescribeTable reports them; a backup's as its record keeps them) equal what is stored;
//  - each stream's records: numbered in strictly increasing order after the last trimmed one
//    and no later than the table's last issued sequence, no number in two streams of a table;
//    each decodes with its stream's view type and the images its event has; per item, the
//    events follow each other (INSERT only first or after REMOVE) and each old image is the
//    previous new image; the current stream's last record of an item agrees with the table;
//  - point-in-time recovery's logs: each record decodes, belongs to a table with recovery on,
//    holds a key of the table, and agrees with the stream record of the same number (the same
//    item; INSERT exactly when there was no item before; the old image is the logged item);
//  - backups: each record parses, its copy is checked as a table is (above).
// Problems found are the report's lines (see CheckReport), not an error.
//
// The directory is opened as Database::Open opens it (its lock taken), so a directory another
// process has open (a running `localdynamo serve`) is refused with Open's error: stop that
// process first. In a process that has the directory open itself, the check reads a snapshot of
// the open database. A database opened with OpenInMemory has no files to check.
// Errors: InternalServerError when `directory` holds no database (no data.mdb), can't be
// opened or read, or was written by a newer localdynamo.
Result<CheckReport> CheckDatabase(const std::string& directory);

}  // namespace localdynamo

#pragma GCC visibility pop
