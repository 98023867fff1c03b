#include "auditresource.h"

#include "apiclient.h"

namespace Outpost::Client {

Reply<Page<AuditEntry>> AuditResource::list(const AuditQuery &query) const
{
    return {m_client->get(QStringLiteral("/v1/admin/audit"), query.toQuery()),
        &Decode::json<Page<AuditEntry>>};
}

} // namespace Outpost::Client
