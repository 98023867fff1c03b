#pragma once

#include "config/config.h"

#include <QStringList>

namespace Outpost::Server::Cli {

// `outpost-server backup --output FILE`: an online backup of the configured SQLite database and
// local file store (the server may keep running). On PostgreSQL it refuses with advice.
int runBackupCommand(const Config &config, const QString &output);

// `outpost-server restore --input FILE [--force]`: into the configured data directory, which no
// server may hold (see services/backuprestore.h for the checks).
int runRestoreCommand(const Config &config, const QString &input, bool force);

} // namespace Outpost::Server::Cli
