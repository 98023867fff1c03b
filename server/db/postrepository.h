#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/post.h"
#include "viewer.h"

#include <optional>

namespace Outpost::Server {

class Database;

// All SQL about posts. Every read joins the owner in the same query and takes the vote count
// from posts.votes_count (kept by triggers), so a page of posts is one query, not one per row.
class PostRepository
{
public:
    explicit PostRepository(const Database &database);

    Result<Page<Post>> list(const PostQuery &query, const Viewer &viewer) const;
    // nullopt when missing or not visible to the viewer (callers answer 404 for both).
    Result<std::optional<Post>> find(qint64 id, const Viewer &viewer) const;
    Result<qint64> insert(qint64 ownerId, const PostWrite &post);
    // false when no such post.
    Result<bool> update(qint64 id, const PostWrite &post);
    Result<bool> remove(qint64 id);
    // The owner and visibility of a post regardless of the viewer (for permission checks).
    struct Access
    {
        qint64 ownerId = 0;
        bool published = true;
    };
    Result<std::optional<Access>> access(qint64 id) const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
