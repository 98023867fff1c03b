#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace Outpost::Server {

// What a backup archive holds, written into it last as manifest.json: the versions it was made
// with and a SHA-256 per member, so that a restore can refuse a damaged or too new archive
// before it touches anything.
struct BackupManifest
{
    static constexpr const char *kFormat = "outpost-backup";
    static constexpr int kFormatVersion = 1;
    static constexpr const char *kFileName = "manifest.json";
    static constexpr const char *kDatabaseMember = "outpost.db";
    static constexpr const char *kFilesPrefix = "files/"; // the local file store's objects

    struct Member
    {
        QString name;
        qint64 size = 0;
        QByteArray sha256Hex;
    };

    QString appVersion;
    int schemaVersion = 0;
    QString database = QStringLiteral("sqlite");
    QDateTime createdAt;
    QList<Member> members;

    QJsonObject toJson() const;
    // Validation error naming what is wrong when `json` is not an outpost backup manifest.
    static Result<BackupManifest> fromJson(const QJsonObject &json);
};

// Writes a backup archive: a gzip-compressed POSIX tar (libarchive), members first, the
// manifest last. Written to `path` + ".partial" and renamed by finish(), so a failed or
// interrupted backup never leaves a file that looks whole.
class BackupWriter final
{
public:
    explicit BackupWriter(QString path);
    ~BackupWriter(); // abandons an unfinished archive
    BackupWriter(const BackupWriter &) = delete;
    BackupWriter &operator=(const BackupWriter &) = delete;

    Status open();
    // Adds the file at `sourcePath` as `member`; NotFound when the file has gone meanwhile.
    Status addFile(const QString &member, const QString &sourcePath);
    // Adds every file below `directory` as `prefix` + its relative path; subdirectories named
    // in `skip` (relative paths) are left out. Files that vanish while it runs are skipped.
    Status addDirectory(
        const QString &prefix, const QString &directory, const QStringList &skip = {});
    // Writes the manifest (`manifest.members` is filled in here) and completes the archive.
    Status finish(BackupManifest manifest);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// Unpacks an archive into `directory` (which must exist and be empty) and checks it: every
// member's name is one a backup holds, every member is in the manifest with the right size and
// SHA-256, and none is missing. Returns the manifest. Validation errors say what is wrong.
Result<BackupManifest> extractBackup(const QString &archivePath, const QString &directory);

} // namespace Outpost::Server
