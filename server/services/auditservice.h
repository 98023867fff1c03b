#pragma once

#include "core/result.h"
#include "models/audit.h"
#include "models/auditquery.h"
#include "models/page.h"

#include <QJsonObject>

#include <optional>

namespace Outpost::Server {

class Database;
struct Principal;

// The audit trail: every admin action and every sign-in, success or failure.
class AuditService
{
public:
    explicit AuditService(const Database &database);

    // Never fails the caller's action: a write error is logged, not returned.
    void record(const std::optional<Principal> &actor, const QString &action,
        const QString &targetType, const QString &targetId, const QString &clientAddress,
        const QJsonObject &detail = {}) const;
    void recordAs(qint64 actorId, const QString &actorLabel, const QString &action,
        const QString &targetType, const QString &targetId, const QString &clientAddress,
        const QJsonObject &detail = {}) const;
    Result<Page<AuditEntry>> list(const PageRequest &page) const;
    // Newest first; with a user id, only that user's entries (by them or about them).
    Result<Page<AuditEntry>> list(const AuditQuery &query) const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
