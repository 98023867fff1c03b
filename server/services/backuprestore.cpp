#include "backuprestore.h"

#include "core/version.h"
#include "db/database.h"
#include "db/databaseurl.h"
#include "db/datadirlock.h"
#include "db/datatransfer.h"
#include "db/migrator.h"
#include "db/sqlitesnapshot.h"
#include "storage/backuparchive.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>

namespace Outpost::Server {

namespace {

// The newest schema version this binary's migrations reach.
Result<int> newestKnownVersion()
{
    // Migrator reads its steps from resources and needs no open connection for that.
    Database none(DatabaseUrl::sqliteFile(DatabaseUrl::memoryPath()));
    auto steps = Migrator(none).available();
    if (!steps)
        return fail(steps.error());
    int newest = 0;
    for (const auto &step : *steps)
        newest = qMax(newest, step.version);
    return newest;
}

// Rows in the portable tables of the database at `path` (0 when there is no database).
Result<qint64> rowsIn(const QString &path)
{
    if (!QFileInfo::exists(path))
        return qint64(0);
    Database database(DatabaseUrl::sqliteFile(path));
    auto rows = DataTransfer(database).existingRows();
    database.closeThreadConnection();
    if (!rows) // a file that is not an Outpost database (yet): treat as data, to be safe
        return qint64(1);
    return rows;
}

Status moveInto(const QString &from, const QString &to)
{
    if (!QFileInfo::exists(from))
        return {};
    QDir().mkpath(QFileInfo(to).path());
    if (!QFile::rename(from, to))
        return fail(Error::unavailable(QStringLiteral("cannot move %1 to %2").arg(from, to)));
    return {};
}

} // namespace

Result<RestoreReport> restoreBackup(
    const QString &archivePath, const RestoreTarget &target, bool force, const QDateTime &now)
{
    if (!QFileInfo(archivePath).isFile())
        return fail(Error::validation(
            QStringLiteral("input"), QStringLiteral("no such file: ") + archivePath));
    if (!QDir().mkpath(target.dataDir))
        return fail(Error::unavailable(
            QStringLiteral("cannot create the data directory %1").arg(target.dataDir)));
    auto lock = DataDirLock::acquire(
        target.dataDir, QStringLiteral("stop the server before restoring into its data directory"));
    if (!lock)
        return fail(lock.error());

    auto rows = rowsIn(target.databasePath);
    if (!rows)
        return fail(rows.error());
    if (*rows > 0 && !force) {
        return fail(Error::conflict(
            QStringLiteral("the database %1 already has data (%2 row(s)); restore refuses to "
                           "replace it without --force (which keeps the old one in "
                           "replaced-<time>/ in the data directory)")
                .arg(target.databasePath)
                .arg(*rows)));
    }

    QTemporaryDir staging(QDir(target.dataDir).filePath(QStringLiteral(".restore-XXXXXX")));
    if (!staging.isValid())
        return fail(Error::unavailable(QStringLiteral("cannot make a staging directory")));
    auto manifest = extractBackup(archivePath, staging.path());
    if (!manifest)
        return fail(manifest.error());
    if (manifest->database != QLatin1String("sqlite"))
        return fail(Error::validation(QStringLiteral("input"),
            QStringLiteral("holds a %1 database; restore takes SQLite backups")
                .arg(manifest->database)));
    auto newest = newestKnownVersion();
    if (!newest)
        return fail(newest.error());
    if (manifest->schemaVersion > *newest) {
        return fail(Error::validation(QStringLiteral("input"),
            QStringLiteral("has schema version %1, newer than this outpost-server (%2) knows "
                           "(%3): restore it with outpost-server %4 or newer")
                .arg(manifest->schemaVersion)
                .arg(QString::fromLatin1(kVersion))
                .arg(*newest)
                .arg(manifest->appVersion)));
    }
    const QString stagedDatabase =
        QDir(staging.path()).filePath(QString::fromLatin1(BackupManifest::kDatabaseMember));
    auto verdict = sqliteIntegrityCheck(stagedDatabase);
    if (!verdict)
        return fail(verdict.error());
    if (*verdict != QLatin1String("ok")) {
        return fail(Error::validation(QStringLiteral("input"),
            QStringLiteral("holds a database that fails its integrity check: ") + *verdict));
    }

    RestoreReport report;
    report.schemaVersion = manifest->schemaVersion;
    report.appVersion = manifest->appVersion;
    report.createdAt = manifest->createdAt;
    const QString stagedFiles = QDir(staging.path()).filePath(QStringLiteral("files"));
    const QString objects = target.filesRoot.isEmpty()
        ? QString()
        : QDir(target.filesRoot).filePath(QStringLiteral("objects"));

    // Everything checked: move the old database and files aside, the restored ones in.
    const QString replaced =
        QDir(target.dataDir)
            .filePath(QStringLiteral("replaced-")
                + now.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
    const bool hadDatabase = QFileInfo::exists(target.databasePath);
    if (hadDatabase) {
        const QString name = QFileInfo(target.databasePath).fileName();
        for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            if (Status moved =
                    moveInto(target.databasePath + suffix, QDir(replaced).filePath(name + suffix));
                !moved)
                return fail(moved.error());
        }
        report.replacedDir = replaced;
    }
    if (!objects.isEmpty() && QFileInfo(stagedFiles).isDir()) {
        if (QFileInfo(objects).isDir() && !QDir(objects).isEmpty()) {
            if (Status moved =
                    moveInto(objects, QDir(replaced).filePath(QStringLiteral("objects")));
                !moved)
                return fail(moved.error());
            report.replacedDir = replaced;
        } else {
            QDir(objects).removeRecursively();
        }
        QDir().mkpath(target.filesRoot);
        if (Status moved = moveInto(stagedFiles, objects); !moved)
            return fail(moved.error());
        QDirIterator it(objects, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            ++report.files;
        }
    }
    QDir().mkpath(QFileInfo(target.databasePath).path());
    if (Status moved = moveInto(stagedDatabase, target.databasePath); !moved)
        return fail(moved.error());
    return report;
}

} // namespace Outpost::Server
