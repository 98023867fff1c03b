#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace Outpost {

// Who did what to which object, when, from where.
// {"id","at","actor_id","actor","action","target_type","target_id","client_address","detail"}
struct AuditEntry
{
    qint64 id = 0;
    QDateTime at;       // UTC
    qint64 actorId = 0; // 0: anonymous or deleted
    QString actorLabel; // email at the time, or "cli", or the API key's name
    QString action;     // "user.created", "login.succeeded", "login.failed", ...
    QString targetType; // "user", "api_key", ...
    QString targetId;
    QString clientAddress;
    QJsonObject detail;

    QJsonObject toJson() const;
    // For clients; lenient about members it does not know.
    static Result<AuditEntry> fromJson(const QJsonObject &json);
};

} // namespace Outpost
