#pragma once

#include "core/result.h"

#include <QDateTime>

#include <chrono>

namespace Outpost::Server {

class Database;
class UploadService;

// What the database keeps no longer than it must, pruned by the server's Housekeeping (at start,
// then hourly): refresh tokens no one can use any more, failed sign-ins past the throttle's
// window, upload sessions past their expiry (with their stored parts) and, when
// OUTPOST_AUDIT_RETENTION is set, older audit entries. Every delete runs in batches, each its
// own short transaction, so pruning a large backlog never holds the write lock for long.
class Retention final
{
public:
    struct Report
    {
        qint64 refreshTokens = 0;
        qint64 loginAttempts = 0;
        qint64 uploads = 0;
        qint64 auditEntries = 0;
        qint64 total() const { return refreshTokens + loginAttempts + uploads + auditEntries; }
    };

    // `auditRetention` 0: audit entries are kept forever. Without `uploads` upload sessions
    // are left alone.
    Retention(
        const Database &database, UploadService *uploads, std::chrono::seconds auditRetention);

    // Prunes as of `now` (the clock is the caller's, so tests can move it).
    Result<Report> prune(const QDateTime &now);

private:
    const Database &m_database;
    UploadService *m_uploads;
    std::chrono::seconds m_auditRetention;
};

} // namespace Outpost::Server
