#include "backupservice.h"

#include "core/version.h"
#include "db/database.h"
#include "db/databaseurl.h"
#include "db/migrator.h"
#include "db/sqlitesnapshot.h"
#include "storage/backuparchive.h"
#include "storage/filestore.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <algorithm>

namespace Outpost::Server {

namespace {

Q_LOGGING_CATEGORY(lcBackup, "outpost.backup", QtInfoMsg)

constexpr qint64 kPartBytes = 8 * 1024 * 1024; // S3 wants parts of 5 MiB or more
const QString kTimeFormat = QStringLiteral("yyyyMMdd'T'HHmmsszzz'Z'");

const QRegularExpression &namePattern()
{
    static const QRegularExpression pattern(
        QStringLiteral("^outpost-backup-(\\d{8}T\\d{9}Z)\\.tar\\.gz$"));
    return pattern;
}

QDateTime timeOf(const QString &name)
{
    const auto match = namePattern().match(name);
    if (!match.hasMatch())
        return {};
    QDateTime time = QDateTime::fromString(match.captured(1), kTimeFormat);
    time.setTimeSpec(Qt::UTC);
    return time;
}

} // namespace

BackupService::BackupService(const Database &database, FileStore *store, QString localFiles,
    QString workDir, BackupSettings settings)
    : m_database(database)
    , m_store(store)
    , m_localFiles(std::move(localFiles))
    , m_workDir(std::move(workDir))
    , m_settings(settings)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setObjectName(QStringLiteral("backup"));
}

BackupService::~BackupService()
{
    waitForJobs();
}

QString BackupService::nameAt(const QDateTime &time)
{
    return QStringLiteral("outpost-backup-") + time.toUTC().toString(kTimeFormat)
        + QStringLiteral(".tar.gz");
}

QString BackupService::keyOf(const QString &name)
{
    const auto match = namePattern().match(name);
    if (!match.hasMatch())
        return {};
    // Store keys are lower-case letters and digits only.
    return QLatin1String(kStorePrefix) + QLatin1Char('/') + match.captured(1).toLower();
}

Status BackupService::checkSupported() const
{
    if (m_database.url().driver == DatabaseUrl::Driver::Sqlite)
        return {};
    return fail(Error::validation(QStringLiteral("database"),
        QStringLiteral("is PostgreSQL: back it up with PostgreSQL's own tools (pg_dump, or "
                       "continuous archiving for point-in-time recovery), and the files with "
                       "the file store's; `outpost-server export` writes a portable JSONL copy")));
}

Status BackupService::writeArchive(const QString &path, const QDateTime &now) const
{
    if (Status supported = checkSupported(); !supported)
        return supported;
    QTemporaryDir work(QDir(m_workDir.isEmpty() ? QDir::tempPath() : m_workDir)
                           .filePath(QStringLiteral(".backup-XXXXXX")));
    if (!work.isValid())
        return fail(Error::unavailable(
            QStringLiteral("cannot make a working directory in %1").arg(m_workDir)));
    const QString snapshot = work.filePath(QString::fromLatin1(BackupManifest::kDatabaseMember));
    // The database first: every file a row of the copy names exists by then (files are
    // written before their rows), so it is in the archive unless it was deleted meanwhile.
    if (Status copied = writeSqliteSnapshot(m_database, snapshot); !copied)
        return copied;
    BackupManifest manifest;
    manifest.appVersion = QString::fromLatin1(kVersion);
    manifest.createdAt = now.toUTC();
    {
        // The schema version of the copy, read from the copy.
        Database copy(DatabaseUrl::sqliteFile(snapshot));
        auto version = Migrator(copy).currentVersion();
        copy.closeThreadConnection();
        if (!version)
            return fail(version.error());
        manifest.schemaVersion = *version;
    }
    BackupWriter writer(path);
    if (Status opened = writer.open(); !opened)
        return opened;
    if (Status added =
            writer.addFile(QString::fromLatin1(BackupManifest::kDatabaseMember), snapshot);
        !added)
        return added;
    if (!m_localFiles.isEmpty()) {
        const QString objects = QDir(m_localFiles).filePath(QStringLiteral("objects"));
        if (QFileInfo(objects).isDir()) {
            // Not the backups kept in the store, nor uploads still in progress.
            if (Status added =
                    writer.addDirectory(QString::fromLatin1(BackupManifest::kFilesPrefix), objects,
                        {QString::fromLatin1(kStorePrefix)});
                !added)
                return added;
        }
    }
    return writer.finish(manifest);
}

Result<BackupInfo> BackupService::backUpAs(const QString &name, const QDateTime &now)
{
    if (!m_store)
        return fail(Error::unavailable(QStringLiteral("no file store for backups")));
    QTemporaryDir work(QDir(m_workDir.isEmpty() ? QDir::tempPath() : m_workDir)
                           .filePath(QStringLiteral(".backup-XXXXXX")));
    if (!work.isValid())
        return fail(Error::unavailable(QStringLiteral("cannot make a working directory")));
    const QString archive = work.filePath(name);
    if (Status written = writeArchive(archive, now); !written)
        return fail(written.error());
    QFile file(archive);
    if (!file.open(QIODevice::ReadOnly))
        return fail(Error::unavailable(QStringLiteral("cannot read the new backup")));
    const QString key = keyOf(name);
    auto handle = m_store->beginMultipart(key, QStringLiteral("application/gzip"));
    if (!handle)
        return fail(handle.error());
    QList<StoredPart> parts;
    for (int number = 1; !file.atEnd(); ++number) {
        auto part = m_store->putPart(key, *handle, number, file.read(kPartBytes));
        if (!part) {
            m_store->abortMultipart(key, *handle);
            return fail(part.error());
        }
        parts.append(*part);
    }
    auto stored = m_store->completeMultipart(key, *handle, parts);
    if (!stored) {
        m_store->abortMultipart(key, *handle);
        return fail(stored.error());
    }
    m_store->releaseMultipart(key, *handle);
    qCInfo(lcBackup).noquote() << "made backup" << name << "(" << stored->size << "bytes )";
    return BackupInfo {name, stored->size, timeOf(name)};
}

Result<BackupInfo> BackupService::backUpToStore(const QDateTime &now)
{
    return backUpAs(nameAt(now), now);
}

Result<QList<BackupInfo>> BackupService::list() const
{
    if (Status supported = checkSupported(); !supported)
        return fail(supported.error());
    if (!m_store)
        return QList<BackupInfo> {};
    auto objects = m_store->list(QString::fromLatin1(kStorePrefix));
    if (!objects)
        return fail(objects.error());
    QList<BackupInfo> backups;
    for (const ListedObject &object : *objects) {
        // Keys hold the lower-cased time; give it its name back.
        const QString stamp = object.key.mid(int(qstrlen(kStorePrefix)) + 1).toUpper();
        const QString name = QStringLiteral("outpost-backup-") + stamp + QStringLiteral(".tar.gz");
        if (keyOf(name) == object.key)
            backups.append({name, object.size, timeOf(name)});
    }
    std::sort(backups.begin(), backups.end(),
        [](const BackupInfo &a, const BackupInfo &b) { return a.createdAt > b.createdAt; });
    return backups;
}

Result<int> BackupService::prune(int keep)
{
    auto backups = list();
    if (!backups)
        return fail(backups.error());
    int removed = 0;
    for (qsizetype i = qMax(0, keep); i < backups->size(); ++i) {
        const Status gone = m_store->remove(keyOf(backups->at(i).name));
        if (!gone && gone.error().code != ErrorCode::NotFound)
            return fail(gone.error());
        ++removed;
    }
    return removed;
}

Result<bool> BackupService::runScheduled(const QDateTime &now)
{
    if (m_settings.interval.count() <= 0 || !checkSupported())
        return false;
    {
        QMutexLocker lock(&m_mutex);
        if (m_running)
            return false; // one through the API is under way
        m_running = true;
    }
    const auto done = qScopeGuard([this] {
        QMutexLocker lock(&m_mutex);
        m_running = false;
    });
    auto backups = list();
    if (!backups)
        return fail(backups.error());
    const qint64 interval = qint64(m_settings.interval.count());
    if (!backups->isEmpty() && backups->first().createdAt.secsTo(now) < interval)
        return false;
    auto made = backUpToStore(now);
    if (!made)
        return fail(made.error());
    auto pruned = prune(m_settings.keep);
    if (!pruned)
        return fail(pruned.error());
    return true;
}

Result<BackupJob> BackupService::start(const QDateTime &now)
{
    if (Status supported = checkSupported(); !supported)
        return fail(supported.error());
    BackupJob job;
    job.name = nameAt(now);
    job.startedAt = now.toUTC();
    {
        QMutexLocker lock(&m_mutex);
        if (m_running)
            return fail(Error::conflict(QStringLiteral("a backup is already being made")));
        m_running = true;
        m_jobs.insert(job.name, job);
    }
    m_pool.start([this, name = job.name, now] {
        auto made = backUpAs(name, now);
        m_database.closeThreadConnection();
        QMutexLocker lock(&m_mutex);
        m_running = false;
        BackupJob &finished = m_jobs[name];
        finished.finishedAt = QDateTime::currentDateTimeUtc();
        if (made) {
            finished.state = BackupJob::State::Done;
            finished.size = made->size;
            if (m_settings.keep > 0) {
                lock.unlock();
                if (auto pruned = prune(m_settings.keep); !pruned)
                    qCWarning(lcBackup).noquote() << "pruning backups:" << pruned.error().detail;
            }
        } else {
            finished.state = BackupJob::State::Failed;
            finished.detail = made.error().detail;
            qCWarning(lcBackup).noquote() << "backup" << name << "failed:" << made.error().detail;
        }
    });
    return job;
}

Result<BackupJob> BackupService::job(const QString &name) const
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_jobs.constFind(name);
    if (found == m_jobs.constEnd())
        return fail(Error::notFound(QStringLiteral("no backup job named %1").arg(name)));
    return *found;
}

void BackupService::waitForJobs()
{
    m_pool.waitForDone();
}

} // namespace Outpost::Server
