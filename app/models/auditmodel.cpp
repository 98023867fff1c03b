#include "auditmodel.h"

#include "modelformat.h"

namespace Outpost::App {

QStringList AuditModel::headers() const
{
    return {tr("When"), tr("Who"), tr("What"), tr("Object")};
}

QVariant AuditModel::cell(const QJsonObject &object, int column, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case At:
        return displayTime(object.value(QStringLiteral("at")));
    case Actor:
        return object.value(QStringLiteral("actor")).toString();
    case Action:
        return object.value(QStringLiteral("action")).toString();
    case Target: {
        const QString type = object.value(QStringLiteral("target_type")).toString();
        const QString id = object.value(QStringLiteral("target_id")).toVariant().toString();
        return type.isEmpty() ? QString() : QString(type % QLatin1Char(' ') % id);
    }
    default:
        return {};
    }
}

} // namespace Outpost::App
