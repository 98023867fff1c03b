#include "refreshtokenrepository.h"

#include "database.h"
#include "rowformat.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

const auto kTokenRow = rowFormat<StoredRefreshToken>([](auto &c, StoredRefreshToken &token) {
    c.column("id", token.id);
    c.column("user_id", token.userId);
    c.column("family_id", token.familyId);
    c.column("parent_id", token.parentId); // NULL: 0
    c.column("expires_at", token.expiresAt);
    c.column("revoked_at", token.revokedAt);
    c.column("replaced_by", token.replacedBy);
});

} // namespace

RefreshTokenRepository::RefreshTokenRepository(const Database &database)
    : m_database(database)
{ }

Result<qint64> RefreshTokenRepository::insert(qint64 userId, const QByteArray &tokenHash,
    const QByteArray &familyId, qint64 parentId, const QDateTime &expiresAt)
{
    Result<QVariant> id = scalar(m_database,
        QStringLiteral("INSERT INTO refresh_tokens (user_id, token_hash, family_id, "
                       "parent_id, created_at, expires_at) VALUES (:user, :hash, :family, "
                       ":parent, :now, :expires) RETURNING id"),
        {{":user", userId}, {":hash", hexText(tokenHash)}, {":family", hexText(familyId)},
            {":parent", idOrNull(parentId)}, {":now", seconds(QDateTime::currentDateTimeUtc())},
            {":expires", seconds(expiresAt)}},
        "insert refresh token");
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Result<std::optional<StoredRefreshToken>> RefreshTokenRepository::findByHash(
    const QByteArray &tokenHash) const
{
    static const QString sql = QStringLiteral("SELECT ") + kTokenRow.columns()
        + QStringLiteral(" FROM refresh_tokens WHERE token_hash = :hash");
    Result<QSqlQuery> query =
        exec(m_database, sql, {{":hash", hexText(tokenHash)}}, "find refresh token");
    if (!query)
        return fail(query.error());
    if (!query->next())
        return std::optional<StoredRefreshToken>();
    return std::optional<StoredRefreshToken>(kTokenRow.read(QtRow {*query}));
}

Result<bool> RefreshTokenRepository::markReplaced(qint64 id, qint64 replacedBy)
{
    // One conditional UPDATE: of two concurrent rotations only one can change the row.
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE refresh_tokens SET replaced_by = :new "
                       "WHERE id = :id AND replaced_by IS NULL "
                       "AND revoked_at IS NULL"),
        {{":new", replacedBy}, {":id", id}}, "rotate refresh token");
    if (!query)
        return fail(query.error());
    return query->numRowsAffected() == 1;
}

Status RefreshTokenRepository::revoke(qint64 id)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE refresh_tokens SET revoked_at = :now "
                       "WHERE id = :id AND revoked_at IS NULL"),
        {{":now", seconds(QDateTime::currentDateTimeUtc())}, {":id", id}}, "revoke refresh token");
    if (!query)
        return fail(query.error());
    return {};
}

Status RefreshTokenRepository::revokeFamily(const QByteArray &familyId)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE refresh_tokens SET revoked_at = :now "
                       "WHERE family_id = :family AND revoked_at IS NULL"),
        {{":now", seconds(QDateTime::currentDateTimeUtc())}, {":family", hexText(familyId)}},
        "revoke refresh token family");
    if (!query)
        return fail(query.error());
    return {};
}

Status RefreshTokenRepository::revokeAllForUser(qint64 userId)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE refresh_tokens SET revoked_at = :now "
                       "WHERE user_id = :user AND revoked_at IS NULL"),
        {{":now", seconds(QDateTime::currentDateTimeUtc())}, {":user", userId}},
        "revoke refresh tokens of user");
    if (!query)
        return fail(query.error());
    return {};
}

Result<qint64> RefreshTokenRepository::deleteExpired(const QDateTime &now)
{
    // Rotated tokens stay until they expire: a replayed one must still be recognised.
    return deleteInBatches(m_database, QStringLiteral("refresh_tokens"),
        QStringLiteral("expires_at < :now"), {{QStringLiteral(":now"), seconds(now)}},
        "delete expired refresh tokens");
}

Result<qint64> RefreshTokenRepository::deleteRevokedBefore(const QDateTime &cutoff)
{
    return deleteInBatches(m_database, QStringLiteral("refresh_tokens"),
        QStringLiteral("revoked_at < :cutoff"), {{QStringLiteral(":cutoff"), seconds(cutoff)}},
        "delete revoked refresh tokens");
}

} // namespace Outpost::Server
