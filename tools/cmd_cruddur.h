#pragma once
// `localdynamo cruddur ...`: the Cruddur messaging app of the seed, on a database directory.

namespace CLI {
class App;
}

void AddCruddurCommands(CLI::App& app, int* exit_code);
