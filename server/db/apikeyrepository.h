#pragma once

#include "core/result.h"
#include "models/apikey.h"

#include <optional>

namespace Outpost::Server {

class Database;

// API keys, stored only as SHA-256 hex of the key. Deleting revokes (the row stays for audit).
class ApiKeyRepository
{
public:
    explicit ApiKeyRepository(const Database &database);

    Result<qint64> insert(const QString &name, const QByteArray &keyHash, const QString &prefix,
        const QStringList &scopes, qint64 createdBy);
    Result<QList<ApiKey>> list() const; // not revoked, newest first
    Result<std::optional<ApiKey>> findActiveByHash(const QByteArray &keyHash) const;
    Result<bool> revoke(qint64 id); // false: no such active key
    Status touchLastUsed(qint64 id, const QDateTime &at);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
