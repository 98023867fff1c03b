#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <QThreadPool>

#include <chrono>

namespace Outpost::Server {

class Database;
class FileStore;

// When scheduled backups run (OUTPOST_BACKUP_INTERVAL, 0 = off) and how many stay in the store
// (OUTPOST_BACKUP_KEEP).
struct BackupSettings
{
    std::chrono::seconds interval {0};
    int keep = 7;
};

// One backup in the file store, under the "backups/" prefix the files API never reaches
// (its keys are content hashes the file service chooses, never a name a client sends).
struct BackupInfo
{
    QString name; // outpost-backup-20261207T120000123Z.tar.gz
    qint64 size = 0;
    QDateTime createdAt;
};

// A backup started through the admin API, for its status resource.
struct BackupJob
{
    enum class State { Running, Done, Failed };
    QString name;
    State state = State::Running;
    QString detail; // why it failed
    qint64 size = 0;
    QDateTime startedAt;
    QDateTime finishedAt;
};

// Backups of a SQLite server: the database copied online (VACUUM INTO) plus the local file
// store's objects, in one archive with a manifest (storage/backuparchive.h). On PostgreSQL
// every call refuses with advice (pg_dump or point-in-time recovery; `outpost-server export`).
class BackupService final
{
public:
    static constexpr const char *kStorePrefix = "backups";

    // `localFiles` is the local file store's root (empty when files are on S3: they are not
    // in the archive then); `store` keeps the scheduled and on-demand backups (may be null for
    // the command line); `workDir` is where archives are assembled (the data directory).
    BackupService(const Database &database, FileStore *store, QString localFiles, QString workDir,
        BackupSettings settings);
    ~BackupService();
    BackupService(const BackupService &) = delete;
    BackupService &operator=(const BackupService &) = delete;

    // Validation error with the advice when the database is PostgreSQL.
    Status checkSupported() const;
    // Writes an archive of the database and the local files to `path`.
    Status writeArchive(const QString &path, const QDateTime &now) const;

    // Makes a backup in the store and returns it.
    Result<BackupInfo> backUpToStore(const QDateTime &now);
    // The store's backups, newest first.
    Result<QList<BackupInfo>> list() const;
    // Deletes all but the newest `keep`; returns how many went.
    Result<int> prune(int keep);
    // Scheduled backups: when on and the newest backup is at least an interval old (or there is
    // none), makes one and prunes to the kept count. True when it made one.
    Result<bool> runScheduled(const QDateTime &now);
    const BackupSettings &settings() const { return m_settings; }

    // The admin API: starts a backup into the store on a thread of its own and returns its
    // job (state Running); Conflict while another is running.
    Result<BackupJob> start(const QDateTime &now);
    Result<BackupJob> job(const QString &name) const;
    // Waits for a started backup to end (for shutdown).
    void waitForJobs();

    // The file store key of a backup name, or empty when `name` is not one.
    static QString keyOf(const QString &name);
    static QString nameAt(const QDateTime &time);

private:
    Result<BackupInfo> backUpAs(const QString &name, const QDateTime &now);

    const Database &m_database;
    FileStore *m_store;
    QString m_localFiles;
    QString m_workDir;
    BackupSettings m_settings;
    mutable QMutex m_mutex; // guards m_jobs and serialises backups
    QHash<QString, BackupJob> m_jobs;
    bool m_running = false;
    QThreadPool m_pool;
};

} // namespace Outpost::Server
