#include "voterepository.h"

#include "database.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

VoteRepository::VoteRepository(const Database &database)
    : m_database(database)
{ }

Result<bool> VoteRepository::insert(qint64 userId, qint64 postId)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("INSERT INTO votes (user_id, post_id, created_at) "
                       "VALUES (:user, :post, :now) ON CONFLICT (user_id, post_id) DO NOTHING"),
        {{":user", userId}, {":post", postId}, {":now", seconds(QDateTime::currentDateTimeUtc())}},
        "insert vote");
    if (!query)
        return fail(query.error());
    return (*query)->numRowsAffected() > 0;
}

Result<bool> VoteRepository::remove(qint64 userId, qint64 postId)
{
    Result<CachedQuery> query = execCached(m_database,
        QStringLiteral("DELETE FROM votes WHERE user_id = :user AND post_id = :post"),
        {{":user", userId}, {":post", postId}}, "delete vote");
    if (!query)
        return fail(query.error());
    return (*query)->numRowsAffected() > 0;
}

} // namespace Outpost::Server
