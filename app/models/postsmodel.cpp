#include "postsmodel.h"

#include "modelformat.h"

namespace Outpost::App {

QStringList PostsModel::headers() const
{
    return {tr("Title"), tr("Owner"), tr("Votes"), tr("Published"), tr("Created")};
}

Client::Reply<Page<Post>> PostsModel::fetchPage(const PageRequest &page)
{
    PostQuery query;
    query.limit = page.limit;
    query.skip = page.skip;
    query.search = search();
    query.sort = m_sort;
    return client()->posts().list(query);
}

void PostsModel::loadItem(qint64 id)
{
    client()->posts().get(id).then(
        this, [this, id](const Client::ApiResult<Client::Versioned<Post>> &result) {
            itemLoaded(
                id, result.map([](const Client::Versioned<Post> &post) { return post.value; }));
        });
}

QVariant PostsModel::cell(const Post &post, int column, int role) const
{
    if (role == Qt::TextAlignmentRole && column == Votes)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (column) {
    case Title:
        return post.title;
    case Owner:
        if (!post.owner.username.isEmpty())
            return post.owner.username;
        return post.owner.email.isEmpty() ? QStringLiteral("#%1").arg(post.owner.id)
                                          : post.owner.email;
    case Votes:
        return post.votes;
    case Published:
        return post.published ? tr("Yes") : tr("No");
    case Created:
        return displayTime(post.createdAt);
    default:
        return {};
    }
}

// Only what the server can sort by: votes (most first) and creation time (either way); any
// other column shows its default order, newest first.
void PostsModel::sort(int column, Qt::SortOrder order)
{
    const PostSort sort = column == Votes                  ? PostSort::MostVotes
        : column == Created && order == Qt::AscendingOrder ? PostSort::OldestFirst
                                                           : PostSort::NewestFirst;
    if (sort == m_sort)
        return;
    m_sort = sort;
    refresh();
}

} // namespace Outpost::App
