#include "usersmodel.h"

#include "modelformat.h"

namespace Outpost::App {

QStringList UsersModel::headers() const
{
    return {tr("Email"), tr("Username"), tr("Role"), tr("State"), tr("Created")};
}

QVariant UsersModel::cell(const QJsonObject &object, int column, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Email:
        return object.value(QStringLiteral("email")).toString();
    case Username:
        return object.value(QStringLiteral("username")).toString();
    case Role:
        return object.value(QStringLiteral("role")).toString() == QLatin1String("admin")
            ? tr("Administrator")
            : tr("User");
    case State:
        return object.value(QStringLiteral("disabled")).toBool() ? tr("Disabled") : tr("Active");
    case Created:
        return displayTime(object.value(QStringLiteral("created_at")));
    default:
        return {};
    }
}

} // namespace Outpost::App
