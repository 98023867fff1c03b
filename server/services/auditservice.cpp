#include "auditservice.h"

#include "auth/principal.h"
#include "db/auditrepository.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAudit, "outpost.audit", QtInfoMsg)

namespace Outpost::Server {

AuditService::AuditService(const Database &database)
    : m_database(database)
{ }

void AuditService::record(const std::optional<Principal> &actor, const QString &action,
    const QString &targetType, const QString &targetId, const QString &clientAddress,
    const QJsonObject &detail) const
{
    recordAs(actor ? actor->userId : 0, actor ? actor->label() : QString(), action, targetType,
        targetId, clientAddress, detail);
}

void AuditService::recordAs(qint64 actorId, const QString &actorLabel, const QString &action,
    const QString &targetType, const QString &targetId, const QString &clientAddress,
    const QJsonObject &detail) const
{
    AuditEntry entry;
    entry.at = QDateTime::currentDateTimeUtc();
    entry.actorId = actorId;
    entry.actorLabel = actorLabel;
    entry.action = action;
    entry.targetType = targetType;
    entry.targetId = targetId;
    entry.clientAddress = clientAddress;
    entry.detail = detail;
    if (auto written = AuditRepository(m_database).append(entry); !written)
        qCWarning(lcAudit).noquote()
            << "could not write audit entry" << action << ":" << written.error().detail;
}

Result<Page<AuditEntry>> AuditService::list(const PageRequest &page) const
{
    return AuditRepository(m_database).list(page);
}

Result<Page<AuditEntry>> AuditService::list(const AuditQuery &query) const
{
    return AuditRepository(m_database).list(query);
}

} // namespace Outpost::Server
