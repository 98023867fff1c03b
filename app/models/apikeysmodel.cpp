#include "apikeysmodel.h"

#include "modelformat.h"

namespace Outpost::App {

QStringList ApiKeysModel::headers() const
{
    return {tr("Name"), tr("Scopes"), tr("Prefix"), tr("Created"), tr("Last used")};
}

Client::Reply<Page<ApiKey>> ApiKeysModel::fetchPage(const PageRequest &page)
{
    return client()->apiKeys().list(page);
}

QVariant ApiKeysModel::cell(const ApiKey &key, int column, int role) const
{
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Name:
        return key.name;
    case Scopes:
        return key.scopes.join(QStringLiteral(", "));
    case Prefix:
        return key.prefix;
    case Created:
        return displayTime(key.createdAt);
    case LastUsed:
        return key.lastUsedAt.isValid() ? displayTime(key.lastUsedAt) : tr("never");
    default:
        return {};
    }
}

} // namespace Outpost::App
