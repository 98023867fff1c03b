#include "adminresource.h"

#include "apiclient.h"

#include <QUrl>

namespace Outpost::Client {

namespace {

ApiResult<QList<MetricSample>> decodeMetrics(const ApiResponse &response)
{
    if (!response.ok())
        return Decode::failure(response);
    return PrometheusText::parse(response.body);
}

QString backupPath(const QString &name)
{
    return QStringLiteral("/v1/admin/backups/")
        + QString::fromLatin1(QUrl::toPercentEncoding(name));
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

Reply<BackupList> AdminResource::backups() const
{
    return {m_client->get(QStringLiteral("/v1/admin/backups")), &Decode::json<BackupList>};
}

Reply<BackupJob> AdminResource::startBackup() const
{
    return {m_client->post(QStringLiteral("/v1/admin/backups"), {}), &Decode::json<BackupJob>};
}

Reply<BackupJob> AdminResource::backupStatus(const QString &name) const
{
    return {m_client->get(backupPath(name) + QStringLiteral("/status")), &Decode::json<BackupJob>};
}

Reply<void> AdminResource::downloadBackup(const QString &name, QIODevice *sink) const
{
    return {m_client->download(backupPath(name), sink), &Decode::nothing};
}

} // namespace Outpost::Client
