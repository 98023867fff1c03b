#pragma once

#include "config/config.h"

namespace Outpost::Server::Cli {

// `outpost-server sweep-orphans [--dry-run] [--older-than DURATION]`: lists, and unless
// --dry-run removes, the objects in the configured file store that no file and no upload in
// progress refers to (services/orphansweep.h) and that are older than DURATION (default 1h;
// 0 takes every orphan, for a store no server writes to now). The database is only read, so
// it may run beside the server. Returns the process exit code.
int runSweepOrphansCommand(const Config &config, bool dryRun, const QString &olderThan);

} // namespace Outpost::Server::Cli
