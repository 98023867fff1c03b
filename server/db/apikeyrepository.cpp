#include "apikeyrepository.h"

#include "database.h"
#include "rowformat.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

const auto kKeyRow = rowFormat<ApiKey>([](auto &c, ApiKey &key) {
    c.column("id", key.id);
    c.column("name", key.name);
    c.column("scopes", key.scopes, // space-separated
        [](const QString &text) { return text.split(u' ', Qt::SkipEmptyParts); });
    c.column("prefix", key.prefix);
    c.column("created_at", key.createdAt);
    c.column("last_used_at", key.lastUsedAt);
    c.column("created_by", key.createdBy); // NULL: 0
});
const QString kSelectKeys =
    QStringLiteral("SELECT ") + kKeyRow.columns() + QStringLiteral(" FROM api_keys ");

} // namespace

ApiKeyRepository::ApiKeyRepository(const Database &database)
    : m_database(database)
{ }

Result<qint64> ApiKeyRepository::insert(const QString &name, const QByteArray &keyHash,
    const QString &prefix, const QStringList &scopes, qint64 createdBy)
{
    Result<QVariant> id = scalar(m_database,
        QStringLiteral("INSERT INTO api_keys (name, key_hash, prefix, scopes, created_by, "
                       "created_at) VALUES (:name, :hash, :prefix, :scopes, :by, :now) "
                       "RETURNING id"),
        {{":name", name}, {":hash", hexText(keyHash)}, {":prefix", prefix},
            {":scopes", scopes.join(u' ')}, {":by", idOrNull(createdBy)},
            {":now", seconds(QDateTime::currentDateTimeUtc())}},
        "insert API key");
    if (!id)
        return fail(id.error());
    return id->toLongLong();
}

Result<QList<ApiKey>> ApiKeyRepository::list() const
{
    Result<QSqlQuery> query = exec(m_database,
        kSelectKeys + QStringLiteral("WHERE revoked_at IS NULL ORDER BY created_at DESC, id DESC"),
        {}, "list API keys");
    if (!query)
        return fail(query.error());
    QList<ApiKey> keys;
    while (query->next())
        keys.append(kKeyRow.read(QtRow {*query}));
    return keys;
}

Result<std::optional<ApiKey>> ApiKeyRepository::findActiveByHash(const QByteArray &keyHash) const
{
    Result<QSqlQuery> query = exec(m_database,
        kSelectKeys + QStringLiteral("WHERE key_hash = :hash AND revoked_at IS NULL"),
        {{":hash", hexText(keyHash)}}, "find API key");
    if (!query)
        return fail(query.error());
    if (!query->next())
        return std::optional<ApiKey>();
    return std::optional<ApiKey>(kKeyRow.read(QtRow {*query}));
}

Result<bool> ApiKeyRepository::revoke(qint64 id)
{
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("UPDATE api_keys SET revoked_at = :now "
                       "WHERE id = :id AND revoked_at IS NULL"),
        {{":now", seconds(QDateTime::currentDateTimeUtc())}, {":id", id}}, "revoke API key");
    if (!query)
        return fail(query.error());
    return query->numRowsAffected() == 1;
}

Status ApiKeyRepository::touchLastUsed(qint64 id, const QDateTime &at)
{
    Result<QSqlQuery> query =
        exec(m_database, QStringLiteral("UPDATE api_keys SET last_used_at = :at WHERE id = :id"),
            {{":at", seconds(at)}, {":id", id}}, "record API key use");
    if (!query)
        return fail(query.error());
    return {};
}

} // namespace Outpost::Server
