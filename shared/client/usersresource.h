#pragma once

#include "models/page.h"
#include "models/user.h"
#include "reply.h"

namespace Outpost::Client {

class ApiClient;

// /v1/users: the signed-in user, and the accounts (admins only).
class UsersResource
{
public:
    explicit UsersResource(ApiClient *client)
        : m_client(client)
    { }

    Reply<User> me() const;
    // `search`: part of an email or username; empty for all.
    Reply<Page<User>> list(const PageRequest &page, const QString &search = {}) const;
    Reply<User> get(qint64 id) const;
    Reply<User> create(const UserCreate &user) const;
    Reply<User> update(qint64 id, const UserUpdate &update) const;
    // Deletes the account and everything it owns.
    Reply<void> remove(qint64 id) const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
