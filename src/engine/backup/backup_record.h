#pragma once
// A backup as the meta DBI keeps it, under "backup/<backup ARN>" (JSON): backups.cc writes and
// reads it, the consistency check (check.cc) verifies it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/database_impl.h"

namespace localdynamo::engine {

inline constexpr std::string_view kBackupRecordPrefix = "backup/";

struct BackupRecord {
  std::string arn;
  std::string name;
  int64_t created_millis = 0;
  uint32_t number = 0;                                // the keyspace holding the copy
  TableMeta table;                                    // the table as it was
  std::vector<std::pair<uint8_t, TableStats>> stats;  // index number (0: the table) -> stats
  BackupType type = BackupType::kUser;
  int64_t expiry_millis = 0;  // system backups expire; user backups don't (0)

  TableStats TableTotals() const {
    for (const auto& [index, s] : stats)
      if (index == 0) return s;
    return {};
  }
};

// The record's stored text parsed, or nullopt when it is malformed.
std::optional<BackupRecord> ParseBackupRecord(std::string_view text);

}  // namespace localdynamo::engine
