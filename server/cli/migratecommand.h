#pragma once

#include "config/config.h"

#include <QStringList>

namespace Outpost::Server::Cli {

// `outpost-server migrate up [N] | down [N] | status`, straight on the database (the arguments
// from "migrate" on). Returns the process exit code.
int runMigrateCommand(const Config &config, const QStringList &arguments);

} // namespace Outpost::Server::Cli
