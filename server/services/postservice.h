#pragma once

#include "auth/principal.h"
#include "core/result.h"
#include "models/page.h"
#include "models/post.h"
#include "models/viewer.h"

#include <QByteArray>
#include <QStringList>

#include <functional>
#include <optional>

namespace Outpost::Server {

class AuditService;
class Database;
class EventBus;

// A post as served: its JSON written once, and the strong ETag of exactly those bytes.
struct PostView
{
    Post post;
    QByteArray json;
    QByteArray etag; // quoted
};

// Posts, votes, search and key phrases. Unpublished posts exist only for their owner and
// admins: everyone else gets NotFound, in lists, gets, votes, search and counts alike.
class PostService
{
public:
    PostService(const Database &database, EventBus &events);

    static Viewer viewerOf(const Principal &principal)
    {
        return {principal.userId, principal.isAdmin()};
    }
    static PostView view(const Post &post);

    Result<Page<Post>> list(const PostQuery &query, const Viewer &viewer) const;
    Result<PostView> get(qint64 id, const Viewer &viewer) const;
    // Queues the insert with other writes (Database::submitWrite: one commit for many
    // requests) and calls `done` with the new post, as a get() by its owner would read it,
    // once it is committed, on the writer thread: build the response (view()) on a request
    // thread, not in `done`.
    void create(
        const PostWrite &write, const Principal &principal, std::function<void(Result<Post>)> done);
    // Owner or admin. `ifMatch` is the If-Match header (a list of ETags or *); a stale one is
    // PreconditionFailed and changes nothing.
    Result<PostView> update(
        qint64 id, const PostWrite &write, const Principal &principal, const QByteArray &ifMatch);
    Status remove(qint64 id, const Principal &principal);
    // dir 1 adds the caller's vote (Conflict if it exists), dir 0 removes it (NotFound if
    // there was none). NotFound for a missing or invisible post, at once on the calling
    // thread; the vote itself is queued as create() is, and `done` gets the message.
    void vote(const VoteRequest &vote, const Principal &principal,
        std::function<void(Result<QString>)> done);
    Result<QStringList> phrases(qint64 id, const Viewer &viewer) const;
    Result<Page<SearchHit>> search(
        const QString &text, const PageRequest &page, const Viewer &viewer) const;

private:
    const Database &m_database;
    EventBus &m_events;
};

} // namespace Outpost::Server
