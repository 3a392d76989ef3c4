// `localdynamo check DIR`: the offline consistency check of a database directory
// (localdynamo/check.h). Exit 0 and one "ok: ..." line when consistent; 1 and one line per
// problem on stdout otherwise; 2 when the directory can't be checked (no database, or another
// process, such as a running `localdynamo serve`, has it open).

#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.h"
#include "localdynamo/check.h"

namespace localdynamo::cli {

void AddCheckCommand(CLI::App& app, int* exit_code) {
  auto dir = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("check",
                                     "Verify a database directory offline: items, indexes, "
                                     "statistics, streams, recovery logs, backups");
  cmd->add_option("DIR", *dir, "database directory (stop any server using it first)")->required();
  cmd->callback([dir, exit_code] {
    auto report = CheckDatabase(*dir);
    if (!report.ok()) {
      std::cerr << "localdynamo: " << report.error().ToString() << "\n";
      *exit_code = 2;
      return;
    }
    for (const std::string& line : report->problems) std::cout << line << "\n";
    if (!report->ok()) {
      *exit_code = 1;
      return;
    }
    auto plural = [](int64_t n, const char* one, const char* many) {
      return fmt::format("{} {}", n, n == 1 ? one : many);
    };
    std::cout << fmt::format(
        "ok: {}, {}, {}, {}, {}, {} ({})\n", plural(report->tables, "table", "tables"),
        plural(report->items, "item", "items"),
        plural(report->index_entries, "index entry", "index entries"),
        plural(report->stream_records, "stream record", "stream records"),
        plural(report->recovery_records, "recovery-log record", "recovery-log records"),
        plural(report->backups, "backup", "backups"),
        plural(report->backup_items, "item", "items"));
    *exit_code = 0;
  });
}

}  // namespace localdynamo::cli
