#pragma once

#include "models/apikey.h"
#include "pagedtablemodel.h"

namespace Outpost::App {

// API keys (admin): name, scopes, prefix, created, last used.
class ApiKeysModel final : public TypedTableModel<ApiKey>
{
    Q_OBJECT

public:
    using TypedTableModel::TypedTableModel;
    enum Column { Name, Scopes, Prefix, Created, LastUsed };

protected:
    QStringList headers() const override;
    Client::Reply<Page<ApiKey>> fetchPage(const PageRequest &page) override;
    QVariant cell(const ApiKey &key, int column, int role) const override;
};

} // namespace Outpost::App
