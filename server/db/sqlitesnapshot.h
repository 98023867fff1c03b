#pragma once

#include "core/result.h"

#include <QString>

namespace Outpost::Server {

class Database;

// Writes a consistent copy of a live SQLite database to `path` with VACUUM INTO: one read
// transaction on the calling thread's connection, so the server keeps reading and writing
// meanwhile (WAL), and the copy holds exactly what was committed when it began. Never a file
// copy, which could catch the database between a write and its WAL checkpoint.
Status writeSqliteSnapshot(const Database &database, const QString &path);

// PRAGMA integrity_check of the SQLite database in `path` (opened on a connection of its own,
// closed again): "ok", or the first problems it lists.
Result<QString> sqliteIntegrityCheck(const QString &path);

} // namespace Outpost::Server
