#include "audit.h"

#include "core/timeformat.h"

#include <QJsonValue>

namespace Outpost {

QJsonObject AuditEntry::toJson() const
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("at"), toJsonTime(at)},
        {QStringLiteral("actor_id"), actorId != 0 ? QJsonValue(actorId) : QJsonValue()},
        {QStringLiteral("actor"), actorLabel}, {QStringLiteral("action"), action},
        {QStringLiteral("target_type"), targetType}, {QStringLiteral("target_id"), targetId},
        {QStringLiteral("client_address"), clientAddress}, {QStringLiteral("detail"), detail}};
}

} // namespace Outpost
