#include "usersresource.h"

#include "apiclient.h"

namespace Outpost::Client {

namespace {

QString userPath(qint64 id)
{
    return QStringLiteral("/v1/users/%1").arg(id);
}

} // namespace

Reply<User> UsersResource::me() const
{
    return {m_client->get(QStringLiteral("/v1/users/me")), &Decode::json<User>};
}

Reply<Page<User>> UsersResource::list(const PageRequest &page, const QString &search) const
{
    QUrlQuery query = page.toQuery();
    if (!search.isEmpty())
        query.addQueryItem(QStringLiteral("search"), search);
    return {m_client->get(QStringLiteral("/v1/users"), query), &Decode::json<Page<User>>};
}

Reply<User> UsersResource::get(qint64 id) const
{
    return {m_client->get(userPath(id)), &Decode::json<User>};
}

Reply<User> UsersResource::create(const UserCreate &user) const
{
    return {m_client->post(QStringLiteral("/v1/users"), user.toJson()), &Decode::json<User>};
}

Reply<User> UsersResource::update(qint64 id, const UserUpdate &update) const
{
    return {m_client->patch(userPath(id), update.toJson()), &Decode::json<User>};
}

Reply<void> UsersResource::remove(qint64 id) const
{
    return {m_client->del(userPath(id)), &Decode::nothing};
}

} // namespace Outpost::Client
