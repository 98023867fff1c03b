#pragma once

#include "models/page.h"
#include "models/post.h"
#include "reply.h"

namespace Outpost::Client {

class ApiClient;

// /v1/posts and /v1/vote. Single posts come with their ETag, for a later If-Match.
class PostsResource
{
public:
    explicit PostsResource(ApiClient *client)
        : m_client(client)
    { }

    Reply<Page<Post>> list(const PostQuery &query) const;
    Reply<Versioned<Post>> get(qint64 id) const;
    Reply<Versioned<Post>> create(const PostWrite &post) const;
    // PUT: `ifMatch` (an ETag from get()) makes a stale edit fail with PreconditionFailed;
    // empty overwrites whatever is there.
    Reply<Versioned<Post>> replace(
        qint64 id, const PostWrite &post, const QByteArray &ifMatch = {}) const;
    Reply<void> remove(qint64 id) const;
    // A second vote for the same post fails with Conflict.
    Reply<void> vote(const VoteRequest &vote) const;
    // GET /v1/posts/{id}/phrases: up to 10 key phrases, best first.
    Reply<QStringList> phrases(qint64 id) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
