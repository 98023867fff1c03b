#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace Outpost::Server {

class Database;

struct StoredRefreshToken
{
    qint64 id = 0;
    qint64 userId = 0;
    QByteArray familyId;
    qint64 parentId = 0;
    QDateTime expiresAt;
    QDateTime revokedAt;   // invalid: not revoked
    qint64 replacedBy = 0; // 0: not rotated yet
};

// Refresh tokens, stored only as SHA-256 hex of the token.
class RefreshTokenRepository
{
public:
    explicit RefreshTokenRepository(const Database &database);

    Result<qint64> insert(qint64 userId, const QByteArray &tokenHash, const QByteArray &familyId,
        qint64 parentId, const QDateTime &expiresAt);
    Result<std::optional<StoredRefreshToken>> findByHash(const QByteArray &tokenHash) const;
    // Atomic: succeeds (true) only if the token is neither rotated nor revoked yet, so two
    // concurrent refreshes with one token cannot both win.
    Result<bool> markReplaced(qint64 id, qint64 replacedBy);
    Status revoke(qint64 id);
    Status revokeFamily(const QByteArray &familyId);
    Status revokeAllForUser(qint64 userId);
    // Both return how many rows they deleted.
    Result<qint64> deleteExpired(const QDateTime &now);
    Result<qint64> deleteRevokedBefore(const QDateTime &cutoff);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
