#pragma once

#include "models/post.h"
#include "pagedtablemodel.h"

namespace Outpost::App {

// Posts: title, owner, votes, published, created; sorted by the server (newest, oldest, most
// votes).
class PostsModel final : public TypedTableModel<Post>
{
    Q_OBJECT

public:
    using TypedTableModel::TypedTableModel;
    enum Column { Title, Owner, Votes, Published, Created };

    void sort(int column, Qt::SortOrder order) override;

protected:
    QStringList headers() const override;
    Client::Reply<Page<Post>> fetchPage(const PageRequest &page) override;
    void loadItem(qint64 id) override;
    QVariant cell(const Post &post, int column, int role) const override;

private:
    PostSort m_sort = PostSort::NewestFirst;
};

} // namespace Outpost::App
