#pragma once

#include "core/result.h"
#include "models/file.h"

#include <QDateTime>
#include <QSet>

#include <optional>

namespace Outpost::Server {

class Database;

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
    // The store handles of every upload in progress.
    Result<QSet<QString>> storeHandles() const;
    // The ids of every upload in progress.
    Result<QSet<QString>> ids() const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
