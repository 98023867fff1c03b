#pragma once

#include "core/result.h"
#include "models/page.h"
#include "models/post.h"

#include <optional>

namespace Outpost::Server {

class Database;

// Who is looking: unpublished posts are visible to their owner and to admins only.
struct Viewer
{
    qint64 userId = 0;
    bool isAdmin = false;
};

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

// Votes. Inserting or deleting a row is all: triggers keep posts.votes_count.
class VoteRepository
{
public:
    explicit VoteRepository(const Database &database);
    Result<bool> insert(qint64 userId, qint64 postId); // false: already voted
    Result<bool> remove(qint64 userId, qint64 postId); // false: no such vote

private:
    const Database &m_database;
};

// Full-text search over posts (title, content) and file paths: SQLite FTS5 here, kept in sync
// by triggers; PostgreSQL's tsvector in its own migration later. The query is user text,
// never query syntax.
class SearchRepository
{
public:
    explicit SearchRepository(const Database &database);
    Result<Page<SearchHit>> search(
        const QString &text, const PageRequest &page, const Viewer &viewer) const;

private:
    const Database &m_database;
};

} // namespace Outpost::Server
