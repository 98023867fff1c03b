#pragma once

#include "models/audit.h"
#include "models/auditquery.h"
#include "models/page.h"
#include "reply.h"

namespace Outpost::Client {

class ApiClient;

// The audit trail with its filters (GET /v1/admin/audit, admins only): everyone's, or one
// user's (what they did and what was done to their account).
class AuditResource
{
public:
    explicit AuditResource(ApiClient *client)
        : m_client(client)
    { }

    Reply<Page<AuditEntry>> list(const AuditQuery &query) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
