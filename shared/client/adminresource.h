#pragma once

#include "models/audit.h"
#include "models/page.h"
#include "models/serverinfo.h"
#include "prometheustext.h"
#include "reply.h"

namespace Outpost::Client {

class ApiClient;

// What the dashboard reads: /v1/admin/info and /v1/admin/audit (admins only), and the
// public operational endpoints /healthz and /metrics.
class AdminResource
{
public:
    explicit AdminResource(ApiClient *client)
        : m_client(client)
    { }

    Reply<ServerInfo> info() const;
    Reply<Page<AuditEntry>> audit(const PageRequest &page) const;
    Reply<Health> health() const;
    // The samples of the Prometheus text.
    Reply<QList<MetricSample>> metrics() const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
