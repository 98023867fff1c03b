#include "apikeyservice.h"

#include "auditservice.h"
#include "auth/crypto.h"
#include "db/apikeyrepository.h"

#include <QJsonArray>
#include <QJsonObject>

namespace Outpost::Server {

ApiKeyService::ApiKeyService(const Database &database, const AuditService &audit)
    : m_database(database)
    , m_audit(audit)
{ }

Result<ApiKey> ApiKeyService::create(const ApiKeyCreate &create, const Caller &caller)
{
    const QByteArray key = Crypto::newApiKey();
    const QString prefix = QString::fromLatin1(key.left(8));
    ApiKeyRepository keys(m_database);
    auto id = keys.insert(create.name, Crypto::sha256Hex(key), prefix, create.scopes,
        caller.principal ? caller.principal->userId : 0);
    if (!id)
        return fail(id.error());
    m_audit.record(caller.principal, QStringLiteral("api_key.created"), QStringLiteral("api_key"),
        QString::number(*id), caller.clientAddress,
        {{QStringLiteral("name"), create.name},
            {QStringLiteral("scopes"), QJsonArray::fromStringList(create.scopes)}});
    ApiKey apiKey;
    apiKey.id = *id;
    apiKey.name = create.name;
    apiKey.scopes = create.scopes;
    apiKey.prefix = prefix;
    apiKey.createdAt = QDateTime::currentDateTimeUtc();
    apiKey.createdBy = caller.principal ? caller.principal->userId : 0;
    apiKey.key = QString::fromLatin1(key);
    return apiKey;
}

Result<Page<ApiKey>> ApiKeyService::list(const PageRequest &page) const
{
    // An installation has a handful of keys: page in memory.
    auto keys = ApiKeyRepository(m_database).list();
    if (!keys)
        return fail(keys.error());
    Page<ApiKey> result;
    result.total = keys->size();
    result.limit = page.limit;
    result.skip = page.skip;
    result.items = keys->mid(qMin<qint64>(page.skip, keys->size()), page.limit);
    return result;
}

Status ApiKeyService::revoke(qint64 id, const Caller &caller)
{
    auto revoked = ApiKeyRepository(m_database).revoke(id);
    if (!revoked)
        return fail(revoked.error());
    if (!*revoked)
        return fail(Error::notFound(QStringLiteral("API key %1 does not exist").arg(id)));
    m_audit.record(caller.principal, QStringLiteral("api_key.revoked"), QStringLiteral("api_key"),
        QString::number(id), caller.clientAddress);
    return {};
}

} // namespace Outpost::Server
