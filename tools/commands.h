#pragma once
// The `localdynamo` CLI's subcommand groups, each registered on the app by its own file.

namespace CLI {
class App;
}

namespace localdynamo::cli {

void AddServeCommand(CLI::App& app, int* exit_code);
void AddDataCommands(CLI::App& app, int* exit_code);
void AddCheckCommand(CLI::App& app, int* exit_code);

}  // namespace localdynamo::cli
