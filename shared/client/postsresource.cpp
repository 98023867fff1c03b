#include "postsresource.h"

#include "apiclient.h"

#include <QJsonArray>

namespace Outpost::Client {

namespace {

QString postPath(qint64 id)
{
    return QStringLiteral("/v1/posts/%1").arg(id);
}

ApiResult<QStringList> decodePhrases(const ApiResponse &response)
{
    if (!response.ok())
        return Decode::failure(response);
    const QJsonValue phrases = response.object().value(QStringLiteral("phrases"));
    if (!phrases.isArray()) {
        return tl::unexpected<ApiError>(ApiError::unexpectedBody(
            response, Error::badRequest(QStringLiteral("no \"phrases\" array in the answer"))));
    }
    QStringList list;
    for (const QJsonValue &phrase : phrases.toArray())
        list.append(phrase.toString());
    return list;
}

} // namespace

Reply<Page<Post>> PostsResource::list(const PostQuery &query) const
{
    return {m_client->get(QStringLiteral("/v1/posts"), query.toQuery()), &Decode::json<Page<Post>>};
}

Reply<Versioned<Post>> PostsResource::get(qint64 id) const
{
    return {m_client->get(postPath(id)), &Decode::versioned<Post>};
}

Reply<Versioned<Post>> PostsResource::create(const PostWrite &post) const
{
    return {m_client->post(QStringLiteral("/v1/posts"), post.toJson()), &Decode::versioned<Post>};
}

Reply<Versioned<Post>> PostsResource::replace(
    qint64 id, const PostWrite &post, const QByteArray &ifMatch) const
{
    return {m_client->put(postPath(id), post.toJson(), ifMatch), &Decode::versioned<Post>};
}

Reply<void> PostsResource::remove(qint64 id) const
{
    return {m_client->del(postPath(id)), &Decode::nothing};
}

Reply<void> PostsResource::vote(const VoteRequest &vote) const
{
    return {m_client->post(QStringLiteral("/v1/vote"), vote.toJson()), &Decode::nothing};
}

Reply<QStringList> PostsResource::phrases(qint64 id) const
{
    return {m_client->get(postPath(id) + QStringLiteral("/phrases")), &decodePhrases};
}

} // namespace Outpost::Client
