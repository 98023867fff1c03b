#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace Outpost::Server {

class Database;

struct StoredPasswordReset
{
    qint64 id = 0;
    qint64 userId = 0;
    QDateTime expiresAt;
    QDateTime usedAt; // invalid: not used yet
};

// Password recovery tokens, stored only as SHA-256 hex of the token.
class PasswordResetRepository
{
public:
    explicit PasswordResetRepository(const Database &database);

    Result<qint64> insert(qint64 userId, const QByteArray &tokenHash, const QDateTime &createdAt,
        const QDateTime &expiresAt);
    Result<std::optional<StoredPasswordReset>> findByHash(const QByteArray &tokenHash) const;
    // Atomic: true only for the one caller that marks a token not used before, so a token
    // presented twice at once still works once.
    Result<bool> markUsed(qint64 id, const QDateTime &at);
    // Every token of the user not used yet stops working (after a reset).
    Status markAllUsedForUser(qint64 userId, const QDateTime &at);
    // Deletes tokens that expired before `cutoff`; returns how many.
    Result<qint64> deleteExpiredBefore(const QDateTime &cutoff);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
