#pragma once

#include "core/result.h"
#include "models/page.h"

#include <QString>
#include <QUrlQuery>

namespace Outpost {

// GET /v1/admin/audit query: limit 1..100, skip >= 0 and user_id > 0 (only the entries that
// user made, or that were made about them: target "user" with that id). Null strings mean
// absent; anything else must be valid (Validation, never clamped).
struct AuditQuery
{
    PageRequest page;
    qint64 userId = 0; // 0: everyone

    static Result<AuditQuery> fromQuery(
        const QString &limit, const QString &skip, const QString &userId);
    // The same as query items, for clients (user_id only when set).
    QUrlQuery toQuery() const;
};

} // namespace Outpost
