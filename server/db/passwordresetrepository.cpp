#include "passwordresetrepository.h"

#include "database.h"
#include "rowformat.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

const auto kResetRow = rowFormat<StoredPasswordReset>([](auto &c, StoredPasswordReset &reset) {
    c.column("id", reset.id);
    c.column("user_id", reset.userId);
    c.column("expires_at", reset.expiresAt);
    c.column("used_at", reset.usedAt);
});

} // namespace

PasswordResetRepository::PasswordResetRepository(const Database &database)
    : m_database(database)
{ }

Result<qint64> PasswordResetRepository::insert(qint64 userId, const QByteArray &tokenHash,
    const QDateTime &createdAt, const QDateTime &expiresAt)
{
    Result<QVariant> id = scalar(m_database,
        QStringLiteral("INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) "
                       "VALUES (:user, :hash, :now, :expires) RETURNING id"),
        {{":user", userId}, {":hash", hexText(tokenHash)}, {":now", seconds(createdAt)},
            {":expires", seconds(expiresAt)}},
        "insert password reset");
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Result<std::optional<StoredPasswordReset>> PasswordResetRepository::findByHash(
    const QByteArray &tokenHash) const
{
    static const QString sql = QStringLiteral("SELECT ") + kResetRow.columns()
        + QStringLiteral(" FROM password_resets WHERE token_hash = :hash");
    Result<QSqlQuery> query =
        exec(m_database, sql, {{":hash", hexText(tokenHash)}}, "find password reset");
    if (!query)
        return fail(query.error());
    if (!query->next())
        return std::optional<StoredPasswordReset>();
    return std::optional<StoredPasswordReset>(kResetRow.read(QtRow {*query}));
}

Result<bool> PasswordResetRepository::markUsed(qint64 id, const QDateTime &at)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral(
            "UPDATE password_resets SET used_at = :at WHERE id = :id AND used_at IS NULL"),
        {{":at", seconds(at)}, {":id", id}}, "use password reset");
    if (!query)
        return fail(query.error());
    return query->numRowsAffected() == 1;
}

Status PasswordResetRepository::markAllUsedForUser(qint64 userId, const QDateTime &at)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral(
            "UPDATE password_resets SET used_at = :at WHERE user_id = :user AND used_at IS NULL"),
        {{":at", seconds(at)}, {":user", userId}}, "end password resets of user");
    if (!query)
        return fail(query.error());
    return {};
}

Result<qint64> PasswordResetRepository::deleteExpiredBefore(const QDateTime &cutoff)
{
    return deleteInBatches(m_database, QStringLiteral("password_resets"),
        QStringLiteral("expires_at < :cutoff"), {{QStringLiteral(":cutoff"), seconds(cutoff)}},
        "delete expired password resets");
}

} // namespace Outpost::Server
