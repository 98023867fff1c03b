#pragma once

#include "config/config.h"
#include "core/result.h"
#include "datadirlock.h"

#include <memory>

namespace Outpost::Server {

class Database;

// What openDatabase() does with the schema.
enum class SchemaStep {
    Migrate,         // apply every pending migration
    CheckCompatible, // change nothing; fail when the database is newer than this binary
    None,            // leave it to the caller (`outpost-server migrate`)
};

// When openDatabase() makes the data directory.
enum class DataDirectory {
    ForSqlite, // only when the database is SQLite (commands on PostgreSQL need no directory)
    Always,    // the server keeps its JWT secret, files and workspaces there too
};

// Whether openDatabase() locks a SQLite data directory (DataDirLock) before it opens the
// database: the server and every command that writes do; commands that only read (export,
// backup, `migrate status`, `user list`) do not, so they work beside a running server.
enum class DataDirAccess {
    Shared,
    Exclusive,
};

struct OpenedDatabase
{
    std::unique_ptr<DataDirLock> lock; // Exclusive on SQLite; released after the database closes
    std::unique_ptr<Database> database;
    int appliedMigrations = 0; // by SchemaStep::Migrate
};

// The configured database, as the server, every command and the desktop app's offline mode
// open it: the data directory made (owner-only), the URL parsed (with
// OUTPOST_DATABASE_PASSWORD), the data directory locked (`access`), then the schema `step`. A
// bad URL is a Validation error; a data directory another process holds is a Conflict; a
// directory that cannot be made, an unreachable database or a failed migration is neither.
Result<OpenedDatabase> openDatabase(const Config &config, SchemaStep step,
    DataDirectory directory = DataDirectory::ForSqlite,
    DataDirAccess access = DataDirAccess::Shared);

} // namespace Outpost::Server
