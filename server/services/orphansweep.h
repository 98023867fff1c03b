#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QStringList>

#include <chrono>
#include <optional>

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

// When the server's housekeeping (hourly) sweeps: never at start (listing a large bucket would
// hold it up), first `firstAfter` after the start, then `every` after the previous sweep; each
// sweep takes only objects older than `grace`. The clock is the caller's (the housekeeping job
// passes the wall clock; tests move it). A timer may fire a little early (Qt's coarse timers by
// up to 5 % of the hour) and the wall clock may step: a run within `slack` of the time a sweep
// is due sweeps, so the daily sweep never slips to the next hour.
class OrphanSweepSchedule final
{
public:
    // The defaults are the server's. No request writes an object an hour before recording it.
    struct Settings
    {
        std::chrono::seconds firstAfter {3600};
        std::chrono::seconds every {24 * 3600};
        std::chrono::seconds grace {3600};
        std::chrono::seconds slack {300};
    };

    OrphanSweepSchedule(OrphanSweep &sweep, const QDateTime &start, Settings settings);

    // Sweeps (objects modified before `now` - grace) when one is due at `now`, and counts from
    // `now` to the next; nullopt when none is due yet.
    std::optional<Result<OrphanSweep::Report>> runIfDue(const QDateTime &now);
    // When the next sweep is due.
    QDateTime nextAt() const { return m_next; }

private:
    OrphanSweep *m_sweep;
    Settings m_settings;
    QDateTime m_next;
};

} // namespace Outpost::Server
