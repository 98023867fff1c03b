#pragma once

#include "pagedtablemodel.h"

namespace Outpost::App {

// Posts: title, owner, votes, published, created; sorted by the server (newest, oldest, most
// votes).
class PostsModel final : public PagedTableModel
{
    Q_OBJECT

public:
    using PagedTableModel::PagedTableModel;
    enum Column { Title, Owner, Votes, Published, Created };

protected:
    QString path() const override { return QStringLiteral("/v1/posts"); }
    QStringList headers() const override;
    QVariant cell(const QJsonObject &object, int column, int role) const override;
    QString sortValue(int column, Qt::SortOrder order) const override;
};

} // namespace Outpost::App
