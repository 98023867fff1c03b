#include "adminresource.h"

#include "apiclient.h"

namespace Outpost::Client {

namespace {

ApiResult<QList<MetricSample>> decodeMetrics(const ApiResponse &response)
{
    if (!response.ok())
        return Decode::failure(response);
    return PrometheusText::parse(response.body);
}

} // namespace

Reply<ServerInfo> AdminResource::info() const
{
    return {m_client->get(QStringLiteral("/v1/admin/info")), &Decode::json<ServerInfo>};
}

Reply<Page<AuditEntry>> AdminResource::audit(const PageRequest &page) const
{
    return {m_client->get(QStringLiteral("/v1/admin/audit"), page.toQuery()),
        &Decode::json<Page<AuditEntry>>};
}

Reply<Health> AdminResource::health() const
{
    return {m_client->get(QStringLiteral("/healthz")), &Decode::json<Health>};
}

Reply<QList<MetricSample>> AdminResource::metrics() const
{
    return {m_client->get(QStringLiteral("/metrics")), &decodeMetrics};
}

} // namespace Outpost::Client
