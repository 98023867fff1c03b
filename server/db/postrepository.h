#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/post.h"
#include "viewer.h"
#include "writebatcher.h"

#include <optional>
#include <vector>

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
    // The post as stored, with its owner (the id, e-mail and username at the insert), so that
    // the caller can answer without reading it back. Inside a batched write (WriteBatcher) on
    // SQLite its search index row is written at the batch's end, with the others'.
    Result<Post> insert(qint64 ownerId, const PostWrite &post);
    // The index rows of posts a batch inserted (WriteBatcher::Deferred), and the end of the
    // deferral that kept the trigger from writing them: once, after the batch's writes.
    Status indexDeferred(const std::vector<WriteBatcher::Deferred::PostIndexRow> &rows);
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
