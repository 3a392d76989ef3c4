// `localdynamo`: the endpoint (serve), data commands, and the Cruddur demo app.

#include <CLI/CLI.hpp>

#include "commands.h"
#if __has_include("cmd_cruddur.h")
#include "cmd_cruddur.h"
#define LOCALDYNAMO_HAS_CRUDDUR 1
#endif

int main(int argc, char** argv) {
  CLI::App app{"localdynamo: an offline Amazon DynamoDB (embedded on LMDB, or served over HTTP)"};
  app.require_subcommand(1);
  int exit_code = 0;
  localdynamo::cli::AddServeCommand(app, &exit_code);
  localdynamo::cli::AddDataCommands(app, &exit_code);
#ifdef LOCALDYNAMO_HAS_CRUDDUR
  AddCruddurCommands(app, &exit_code);
#endif
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
