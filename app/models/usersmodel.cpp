#include "usersmodel.h"

#include "modelformat.h"

namespace Outpost::App {

QStringList UsersModel::headers() const
{
    return {tr("Email"), tr("Username"), tr("Role"), tr("State"), tr("Created")};
}

Client::Reply<Page<User>> UsersModel::fetchPage(const PageRequest &page)
{
    return client()->users().list(page, search());
}

void UsersModel::loadItem(qint64 id)
{
    client()->users().get(id).then(
        this, [this, id](const Client::ApiResult<User> &result) { itemLoaded(id, result); });
}

QVariant UsersModel::cell(const User &user, int column, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Email:
        return user.email;
    case Username:
        return user.username;
    case Role:
        return user.isAdmin() ? tr("Administrator") : tr("User");
    case State:
        return user.disabled ? tr("Disabled") : tr("Active");
    case Created:
        return displayTime(user.createdAt);
    default:
        return {};
    }
}

} // namespace Outpost::App
