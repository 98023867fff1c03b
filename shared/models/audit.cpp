#include "audit.h"

#include "core/timeformat.h"
#include "jsonfields.h"

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

Result<AuditEntry> AuditEntry::fromJson(const QJsonObject &json)
{
    using namespace JsonFields;
    AuditEntry entry;
    QList<FieldError> errors;
    readIntegerField(json, QStringLiteral("id"), true, entry.id, errors);
    readTimeField(json, QStringLiteral("at"), true, entry.at, errors);
    readIntegerOrNull(json, QStringLiteral("actor_id"), entry.actorId, errors);
    readString(json, QStringLiteral("actor"), false, entry.actorLabel, errors);
    readString(json, QStringLiteral("action"), true, entry.action, errors);
    readString(json, QStringLiteral("target_type"), false, entry.targetType, errors);
    readString(json, QStringLiteral("target_id"), false, entry.targetId, errors);
    readString(json, QStringLiteral("client_address"), false, entry.clientAddress, errors);
    const QJsonValue detail = json.value(QStringLiteral("detail"));
    if (detail.isObject()) {
        entry.detail = detail.toObject();
    } else if (!detail.isUndefined() && !detail.isNull()) {
        errors.append({QStringLiteral("detail"), QStringLiteral("must be an object")});
    }
    if (!errors.isEmpty())
        return fail(Error::validation(errors));
    return entry;
}

} // namespace Outpost
