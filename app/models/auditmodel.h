#pragma once

#include "pagedtablemodel.h"

namespace Outpost::App {

// Recent audit entries (admin): when, who, what, which object.
class AuditModel final : public PagedTableModel
{
    Q_OBJECT

public:
    using PagedTableModel::PagedTableModel;
    enum Column { At, Actor, Action, Target };

protected:
    QString path() const override { return QStringLiteral("/v1/admin/audit"); }
    QStringList headers() const override;
    QVariant cell(const QJsonObject &object, int column, int role) const override;
};

} // namespace Outpost::App
