#pragma once

#include "core/result.h"
#include "models/file.h"

#include <QSet>

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
    // The storage key of every file (for the orphan sweep).
    Result<QSet<QString>> storageKeys() const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
