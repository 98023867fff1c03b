#include "backupcommands.h"

#include "cli.h"
#include "db/database.h"
#include "db/databaseurl.h"
#include "db/opendatabase.h"
#include "services/backuprestore.h"
#include "services/backupservice.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QUrl>

#include <cstdio>

namespace Outpost::Server::Cli {

namespace {

// The local file store's root, or empty when files are on S3.
QString localFilesRoot(const Config &config)
{
    const QUrl store(config.effectiveFileStoreUrl());
    return store.isLocalFile() ? store.toLocalFile() : QString();
}

} // namespace

int runBackupCommand(const Config &config, const QString &output)
{
    if (output.isEmpty())
        return failWith(QStringLiteral("backup needs --output FILE"), Usage);
    auto url = DatabaseUrl::parse(config.effectiveDatabaseUrl(), config.databasePassword);
    if (!url)
        return failWith(url.error().detail, Usage);
    if (url->driver != DatabaseUrl::Driver::Sqlite) {
        return failWith(QStringLiteral(
            "backup works on SQLite; this server uses PostgreSQL: back it up with pg_dump (or "
            "continuous archiving for point-in-time recovery) and the files with the file "
            "store's own tools; `outpost-server export --output FILE.jsonl` writes a portable "
            "copy of the data"));
    }
    if (!QFileInfo::exists(url->path))
        return failWith(QStringLiteral("there is no database at %1 to back up").arg(url->path));
    // Read only: no lock, so it runs beside the server that keeps serving.
    auto opened = openDatabase(config, SchemaStep::CheckCompatible);
    if (!opened)
        return failWith(opened.error().detail);
    const QString path = QFileInfo(output).absoluteFilePath();
    int code = Ok;
    {
        const BackupService backups(*opened->database, nullptr, localFilesRoot(config),
            QFileInfo(path).path(), BackupSettings {});
        const Status written = backups.writeArchive(path, QDateTime::currentDateTimeUtc());
        if (!written)
            code = failWith(written.error().detail);
        else
            std::printf("backed up to %s (%lld bytes)\n", qPrintable(path),
                static_cast<long long>(QFileInfo(path).size()));
    }
    opened->database->closeThreadConnection();
    return code;
}

int runRestoreCommand(const Config &config, const QString &input, bool force)
{
    if (input.isEmpty())
        return failWith(QStringLiteral("restore needs --input FILE"), Usage);
    auto url = DatabaseUrl::parse(config.effectiveDatabaseUrl(), config.databasePassword);
    if (!url)
        return failWith(url.error().detail, Usage);
    if (url->driver != DatabaseUrl::Driver::Sqlite) {
        return failWith(QStringLiteral(
            "restore works on SQLite; on PostgreSQL restore with pg_restore (or your "
            "point-in-time recovery), or load an export with `outpost-server import`"));
    }
    const RestoreTarget target {config.dataDir, url->path, localFilesRoot(config)};
    auto restored = restoreBackup(input, target, force, QDateTime::currentDateTimeUtc());
    if (!restored) {
        const Error &error = restored.error();
        const QString message =
            error.fields.isEmpty() ? error.detail : input + u' ' + error.fields.first().message;
        return failWith(message, error.code == ErrorCode::Validation ? Usage : Failure);
    }
    std::printf("restored a backup of %s (outpost-server %s, schema version %d) into %s with %d "
                "file(s)\n",
        qPrintable(restored->createdAt.toString(Qt::ISODate)), qPrintable(restored->appVersion),
        restored->schemaVersion, qPrintable(config.dataDir), restored->files);
    if (!restored->replacedDir.isEmpty())
        std::printf("the data it replaced is in %s\n", qPrintable(restored->replacedDir));
    std::printf("start the server to serve it (it applies any newer migrations)\n");
    return Ok;
}

} // namespace Outpost::Server::Cli
