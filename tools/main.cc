// `localdynamo`: the endpoint (serve), data commands, the offline check, and the Cruddur demo app.

#include <CLI/CLI.hpp>
#include <string>

#include "localdynamo/database.h"

#include "cmd_cruddur.h"
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"localdynamo: an offline Amazon DynamoDB (embedded on LMDB, or served over HTTP)"};
  app.set_version_flag("--version", "localdynamo " + std::string(localdynamo::Database::Version()));
  app.require_subcommand(1);
  int exit_code = 0;
  localdynamo::cli::AddServeCommand(app, &exit_code);
  localdynamo::cli::AddDataCommands(app, &exit_code);
  localdynamo::cli::AddCheckCommand(app, &exit_code);
  AddCruddurCommands(app, &exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
