#pragma once

#include "core/result.h"
#include "models/audit.h"
#include "models/auditquery.h"
#include "models/page.h"

namespace Outpost::Server {

class Database;

class AuditRepository
{
public:
    explicit AuditRepository(const Database &database);

    Status append(const AuditEntry &entry);
    Result<Page<AuditEntry>> list(const PageRequest &page) const; // newest first
    // With query.userId: entries whose actor is that user or whose target is that user.
    Result<Page<AuditEntry>> list(const AuditQuery &query) const;
    // Entries older than `before`, in batches (OUTPOST_AUDIT_RETENTION); returns how many went.
    Result<qint64> deleteBefore(const QDateTime &before);

private:
    const Database &m_database;
};

} // namespace Outpost::Server
