#pragma once

#include "config/config.h"

#include <QStringList>

namespace Outpost::Server::Cli {

// `outpost-server user ...`: user administration for a headless server, straight on the
// database (no HTTP). Returns the process exit code.
int runUserCommand(const Config &config, const QStringList &arguments);

} // namespace Outpost::Server::Cli
