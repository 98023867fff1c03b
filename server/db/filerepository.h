#pragma once

#include "core/result.h"
#include "models/file.h"

#include <optional>

namespace Outpost::Server {

class Database;

// All SQL about files' metadata (the bytes are in the FileStore).
class FileRepository
{
public:
    explicit FileRepository(const Database &database);

    Result<std::optional<FileInfo>> find(const QString &path) const;
    // pageSize + 1 rows at most, so the caller knows whether another page follows.
    Result<QList<FileInfo>> list(const FileListQuery &request) const;
    // Bytes the user's files take.
    Result<qint64> usage(qint64 ownerId) const;
    Result<qint64> insert(const FileInfo &file);
    // Replaces size, type, digest and storage key of the file at file.path.
    Result<bool> update(const FileInfo &file);
    Result<bool> remove(const QString &path);

private:
    const Database &m_database;
};

// Chunked uploads in progress and their parts.
class UploadRepository
{
public:
    explicit UploadRepository(const Database &database);

    Status insert(const Upload &upload);
    // With receivedParts filled in; nullopt when there is no such upload.
    Result<std::optional<Upload>> find(const QString &id) const;
    // A retried part replaces the earlier one.
    Status putPart(const QString &id, int number, qint64 size, const QByteArray &etag);
    Result<QList<UploadPart>> parts(const QString &id) const;
    Result<bool> remove(const QString &id);
    // Uploads whose expires_at is before `now`.
    Result<QList<Upload>> expired(const QDateTime &now) const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
