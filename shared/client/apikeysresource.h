#pragma once

#include "models/apikey.h"
#include "models/page.h"
#include "reply.h"

namespace Outpost::Client {

class ApiClient;

// /v1/api-keys (admins only).
class ApiKeysResource
{
public:
    explicit ApiKeysResource(ApiClient *client)
        : m_client(client)
    { }

    Reply<Page<ApiKey>> list(const PageRequest &page) const;
    // The answer's `key` is the only time the key itself is ever shown.
    Reply<ApiKey> create(const ApiKeyCreate &key) const;
    Reply<void> revoke(qint64 id) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
