#pragma once

#include "pagedtablemodel.h"

namespace Outpost::App {

// API keys (admin): name, scopes, prefix, created, last used.
class ApiKeysModel final : public PagedTableModel
{
    Q_OBJECT

public:
    using PagedTableModel::PagedTableModel;
    enum Column { Name, Scopes, Prefix, Created, LastUsed };

protected:
    QString path() const override { return QStringLiteral("/v1/api-keys"); }
    QStringList headers() const override;
    QVariant cell(const QJsonObject &object, int column, int role) const override;
};

} // namespace Outpost::App
