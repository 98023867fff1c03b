#pragma once

#include "pagedtablemodel.h"

namespace Outpost::App {

// Users (admin): email, username, role, state, created.
class UsersModel final : public PagedTableModel
{
    Q_OBJECT

public:
    using PagedTableModel::PagedTableModel;
    enum Column { Email, Username, Role, State, Created };

protected:
    QString path() const override { return QStringLiteral("/v1/users"); }
    QStringList headers() const override;
    QVariant cell(const QJsonObject &object, int column, int role) const override;
};

} // namespace Outpost::App
