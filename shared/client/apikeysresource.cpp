#include "apikeysresource.h"

#include "apiclient.h"

namespace Outpost::Client {

Reply<Page<ApiKey>> ApiKeysResource::list(const PageRequest &page) const
{
    return {
        m_client->get(QStringLiteral("/v1/api-keys"), page.toQuery()), &Decode::json<Page<ApiKey>>};
}

Reply<ApiKey> ApiKeysResource::create(const ApiKeyCreate &key) const
{
    return {m_client->post(QStringLiteral("/v1/api-keys"), key.toJson()), &Decode::json<ApiKey>};
}

Reply<void> ApiKeysResource::revoke(qint64 id) const
{
    return {m_client->del(QStringLiteral("/v1/api-keys/%1").arg(id)), &Decode::nothing};
}

} // namespace Outpost::Client
