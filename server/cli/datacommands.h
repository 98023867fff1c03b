#pragma once

#include "config/config.h"

#include <QStringList>

namespace Outpost::Server::Cli {

// outpost-server export --output FILE.jsonl
// outpost-server import --input FILE.jsonl
// outpost-server import-fastapi --from postgresql://...
//
// Moves users (with their bcrypt hashes), posts, votes, file metadata and pipelines (with
// their runs and stages) between databases of either dialect, through JSON Lines: a header
// line {"format": "outpost-export", "version": 1, "schema_version": N}, then one
// {"table": "...", "row": {column: value}} per row, parents first. The configured database
// (OUTPOST_DATABASE_URL or --database) is the source of export and the target of the imports,
// which migrate it first, refuse it unless its portable tables are empty, and write everything
// in one transaction: a bad line changes nothing. File bytes stay in the file store.
// Returns the process exit code (0, 1 failure, 2 usage).
int runDataCommand(const Config &config, const QString &command, const QString &path);

} // namespace Outpost::Server::Cli
