#pragma once

#include "core/result.h"
#include "models/apikey.h"
#include "models/page.h"
#include "userservice.h"

namespace Outpost::Server {

// API keys for machines (CI reporting status). The key is shown once, stored as a hash.
class ApiKeyService
{
public:
    ApiKeyService(const Database &database, const AuditService &audit);

    Result<ApiKey> create(const ApiKeyCreate &create, const Caller &caller);
    Result<Page<ApiKey>> list(const PageRequest &page) const;
    Status revoke(qint64 id, const Caller &caller);

private:
    const Database &m_database;
    const AuditService &m_audit;
};

} // namespace Outpost::Server
