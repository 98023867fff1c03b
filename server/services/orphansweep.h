#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QStringList>

namespace Outpost::Server {

class Database;
class FileStore;

// Finds and drops the objects in the file store that nothing refers to: what a crash (or a
// failed delete) left between writing an object and recording it, or between recording a new
// version and dropping the old one. An object is the database's while a file's storage key or
// an upload in progress names it; backups (under "backups/") are the backup service's. Objects
// written after `cutoff` are left alone, so a write in flight, whose record is yet to come, is
// never taken. Run by the server's housekeeping (daily) and by `outpost-server sweep-orphans`.
// Blocking: call off the event loop.
class OrphanSweep final
{
public:
    struct Report
    {
        QStringList orphans; // keys, sorted
        qint64 bytes = 0;
        int removed = 0;
        int failed = 0; // orphans the store would not drop (kept for the next sweep)
    };

    OrphanSweep(const Database &database, FileStore &store);

    // Drops the orphans modified before `cutoff` (only lists them when `dryRun`).
    Result<Report> sweep(const QDateTime &cutoff, bool dryRun = false);

private:
    const Database &m_database;
    FileStore &m_store;
};

} // namespace Outpost::Server
