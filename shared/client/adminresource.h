#pragma once

#include "models/audit.h"
#include "models/backup.h"
#include "models/page.h"
#include "models/serverinfo.h"
#include "prometheustext.h"
#include "reply.h"

class QIODevice;

namespace Outpost::Client {

class ApiClient;

// What the dashboard reads: /v1/admin/info and /v1/admin/audit (admins only), and the
// public operational endpoints /healthz and /metrics; and the backups of /v1/admin/backups.
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

    // The backups in the server's file store, newest first. On PostgreSQL the server refuses
    // (422) with advice in the problem's detail.
    Reply<BackupList> backups() const;
    // Starts a backup; poll backupStatus(job.name) until the job isFinished().
    Reply<BackupJob> startBackup() const;
    Reply<BackupJob> backupStatus(const QString &name) const;
    // The archive streamed into `sink` (which must outlive the call); nothing is written to it
    // unless the answer is a success.
    Reply<void> downloadBackup(const QString &name, QIODevice *sink) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
