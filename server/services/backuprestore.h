#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>

namespace Outpost::Server {

// Where `outpost-server restore` puts a backup: the data directory (locked meanwhile), the
// SQLite database file and the local file store's root (empty when files live on S3).
struct RestoreTarget
{
    QString dataDir;
    QString databasePath;
    QString filesRoot;
};

struct RestoreReport
{
    int schemaVersion = 0;
    QString appVersion;
    QDateTime createdAt;
    int files = 0;
    QString replacedDir; // where the database and files it replaced were moved (with force)
};

// Restores a backup archive (BackupService::writeArchive). Before anything changes it checks
// that no server holds the data directory, that the archive is whole (every member's SHA-256),
// that its schema is not newer than this binary knows and that its database passes
// PRAGMA integrity_check; and it refuses a database that has data unless `force` (the old
// database and files are then moved to replaced-<time>/ in the data directory, not deleted).
Result<RestoreReport> restoreBackup(
    const QString &archivePath, const RestoreTarget &target, bool force, const QDateTime &now);

} // namespace Outpost::Server
