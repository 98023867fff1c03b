#include "apikeysmodel.h"

#include "modelformat.h"

#include <QJsonArray>

namespace Outpost::App {

QStringList ApiKeysModel::headers() const
{
    return {tr("Name"), tr("Scopes"), tr("Prefix"), tr("Created"), tr("Last used")};
}

QVariant ApiKeysModel::cell(const QJsonObject &object, int column, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Name:
        return object.value(QStringLiteral("name")).toString();
    case Scopes: {
        QStringList scopes;
        for (const QJsonValue &scope : object.value(QStringLiteral("scopes")).toArray())
            scopes.append(scope.toString());
        return scopes.join(QStringLiteral(", "));
    }
    case Prefix:
        return object.value(QStringLiteral("prefix")).toString();
    case Created:
        return displayTime(object.value(QStringLiteral("created_at")));
    case LastUsed: {
        const QString used = displayTime(object.value(QStringLiteral("last_used_at")));
        return used.isEmpty() ? tr("never") : used;
    }
    default:
        return {};
    }
}

} // namespace Outpost::App
