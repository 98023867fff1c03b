#include "postservice.h"

#include "auth/crypto.h"
#include "core/jsonwriter.h"
#include "db/database.h"
#include "db/postrepository.h"
#include "db/searchrepository.h"
#include "db/transaction.h"
#include "db/voterepository.h"
#include "eventbus.h"
#include "keyphrases.h"

#include <QJsonDocument>

namespace Outpost::Server {

namespace {

Error postNotFound(qint64 id)
{
    return Error::notFound(QStringLiteral("post %1 does not exist").arg(id));
}

// Does an If-Match header ("*", or a comma-separated list of quoted ETags) accept `etag`?
bool ifMatchAccepts(const QByteArray &ifMatch, const QByteArray &etag)
{
    for (const QByteArray &candidate : ifMatch.split(',')) {
        const QByteArray trimmed = candidate.trimmed();
        if (trimmed == "*" || trimmed == etag)
            return true;
    }
    return false;
}

// The post exists, the principal may see it, and may change it (its owner or an admin).
Status ensureMayChange(
    const Database &database, qint64 id, const Principal &principal, PostRepository::Access *access)
{
    auto found = PostRepository(database).access(id);
    if (!found)
        return fail(found.error());
    const bool visible = *found
        && ((*found)->published || (*found)->ownerId == principal.userId || principal.isAdmin());
    if (!visible)
        return fail(postNotFound(id));
    if ((*found)->ownerId != principal.userId && !principal.isAdmin())
        return fail(Error::forbidden(
            QStringLiteral("only the owner or an admin may change post %1").arg(id)));
    if (access)
        *access = **found;
    return {};
}

} // namespace

PostService::PostService(const Database &database, EventBus &events)
    : m_database(database)
    , m_events(events)
{ }

PostView PostService::view(const Post &post)
{
    PostView result;
    result.post = post;
    JsonWriter writer(result.json);
    post.writeJson(writer);
    result.etag = '"' + Crypto::sha256Hex(result.json).left(32) + '"';
    return result;
}

Result<Page<Post>> PostService::list(const PostQuery &query, const Viewer &viewer) const
{
    auto page = PostRepository(m_database).list(query, viewer);
    if (page) {
        for (Post &post : page->items)
            hideOwnerEmail(post, viewer);
    }
    return page;
}

Result<PostView> PostService::get(qint64 id, const Viewer &viewer) const
{
    auto found = PostRepository(m_database).find(id, viewer);
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(postNotFound(id));
    hideOwnerEmail(**found, viewer);
    return view(**found);
}

void PostService::create(
    const PostWrite &write, const Principal &principal, std::function<void(Result<Post>)> done)
{
    auto created = std::make_shared<Result<Post>>(Post {});
    m_database.submitWrite(
        [this, created, write, ownerId = principal.userId] {
            *created = PostRepository(m_database).insert(ownerId, write);
            return *created ? Status() : fail(created->error());
        },
        [this, created, done = std::move(done), viewer = viewerOf(principal)](
            const Status &outcome) {
            if (!outcome) {
                done(fail(outcome.error()));
                return;
            }
            Post &post = **created;
            hideOwnerEmail(post, viewer);
            m_events.publish(
                {QStringLiteral("post.created"), post.id, {}, post.published ? 0 : post.owner.id});
            done(std::move(*created));
        });
}

Result<PostView> PostService::update(
    qint64 id, const PostWrite &write, const Principal &principal, const QByteArray &ifMatch)
{
    PostRepository posts(m_database);
    {
        const auto lock = m_database.lockForWrite();
        Transaction transaction(m_database);
        if (auto begun = transaction.begin(); !begun)
            return fail(begun.error());
        PostRepository::Access access;
        if (auto allowed = ensureMayChange(m_database, id, principal, &access); !allowed)
            return fail(allowed.error());
        if (!ifMatch.isEmpty()) {
            auto current = get(id, viewerOf(principal));
            if (!current)
                return fail(current.error());
            if (!ifMatchAccepts(ifMatch, current->etag))
                return fail(Error {ErrorCode::PreconditionFailed,
                    QStringLiteral("post %1 has changed since you read it (ETag %2)")
                        .arg(id)
                        .arg(QString::fromLatin1(current->etag)),
                    {}});
        }
        auto updated = posts.update(id, write);
        if (!updated)
            return fail(updated.error());
        if (!*updated)
            return fail(postNotFound(id));
        if (auto committed = transaction.commit(); !committed)
            return fail(committed.error());
    }
    auto result = get(id, viewerOf(principal));
    if (result) {
        m_events.publish(
            {QStringLiteral("post.updated"), id, {}, write.published ? 0 : result->post.owner.id});
    }
    return result;
}

Status PostService::remove(qint64 id, const Principal &principal)
{
    PostRepository::Access access;
    {
        const auto lock = m_database.lockForWrite();
        Transaction transaction(m_database);
        if (auto begun = transaction.begin(); !begun)
            return begun;
        if (auto allowed = ensureMayChange(m_database, id, principal, &access); !allowed)
            return allowed;
        auto removed = PostRepository(m_database).remove(id);
        if (!removed)
            return fail(removed.error());
        if (!*removed)
            return fail(postNotFound(id));
        if (auto committed = transaction.commit(); !committed)
            return committed;
    }
    m_events.publish(
        {QStringLiteral("post.deleted"), id, {}, access.published ? 0 : access.ownerId});
    return {};
}

void PostService::vote(
    const VoteRequest &vote, const Principal &principal, std::function<void(Result<QString>)> done)
{
    const Viewer viewer = viewerOf(principal);
    auto access = PostRepository(m_database).access(vote.postId);
    if (!access) {
        done(fail(access.error()));
        return;
    }
    if (!*access
        || (!(*access)->published && (*access)->ownerId != viewer.userId && !viewer.isAdmin)) {
        done(fail(postNotFound(vote.postId)));
        return;
    }
    auto changed = std::make_shared<Result<bool>>(false);
    m_database.submitWrite(
        [this, changed, vote, userId = principal.userId] {
            VoteRepository votes(m_database);
            *changed = vote.dir == 1 ? votes.insert(userId, vote.postId)
                                     : votes.remove(userId, vote.postId);
            return *changed ? Status() : fail(changed->error());
        },
        [this, changed, vote, userId = principal.userId,
            audience = (*access)->published ? 0 : (*access)->ownerId,
            done = std::move(done)](const Status &outcome) {
            if (!outcome) {
                done(fail(outcome.error()));
                return;
            }
            if (!**changed) {
                done(fail(vote.dir == 1
                        ? Error::conflict(QStringLiteral("user %1 has already voted on post %2")
                                              .arg(userId)
                                              .arg(vote.postId))
                        : Error::notFound(QStringLiteral("user %1 has no vote on post %2")
                                              .arg(userId)
                                              .arg(vote.postId))));
                return;
            }
            m_events.publish(
                {vote.dir == 1 ? QStringLiteral("vote.created") : QStringLiteral("vote.deleted"),
                    vote.postId, {}, audience});
            done(vote.dir == 1 ? QStringLiteral("vote added") : QStringLiteral("vote removed"));
        });
}

Result<QStringList> PostService::phrases(qint64 id, const Viewer &viewer) const
{
    auto found = PostRepository(m_database).find(id, viewer);
    if (!found)
        return fail(found.error());
    if (!*found)
        return fail(postNotFound(id));
    return KeyPhrases::extract((*found)->title, (*found)->content);
}

Result<Page<SearchHit>> PostService::search(
    const QString &text, const PageRequest &page, const Viewer &viewer) const
{
    return SearchRepository(m_database).search(text, page, viewer);
}

} // namespace Outpost::Server
