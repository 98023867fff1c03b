#pragma once

#include "models/user.h"
#include "pagedtablemodel.h"

namespace Outpost::App {

// Users (admin): email, username, role, state, created.
class UsersModel final : public TypedTableModel<User>
{
    Q_OBJECT

public:
    using TypedTableModel::TypedTableModel;
    enum Column { Email, Username, Role, State, Created };

protected:
    QStringList headers() const override;
    Client::Reply<Page<User>> fetchPage(const PageRequest &page) override;
    void loadItem(qint64 id) override;
    QVariant cell(const User &user, int column, int role) const override;
};

} // namespace Outpost::App
