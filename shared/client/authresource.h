#pragma once

#include "models/user.h"
#include "reply.h"

namespace Outpost::Client {

class ApiClient;

// Signing in and out (POST /v1/login, /v1/logout). The client keeps the tokens itself.
class AuthResource
{
public:
    explicit AuthResource(ApiClient *client)
        : m_client(client)
    { }

    // On success the client holds the token pair (and emits tokensChanged()).
    Reply<TokenPair> login(const QString &email, const QString &password) const;
    // Revokes the refresh token; the client forgets both tokens whatever the answer.
    Reply<void> logout() const;

private:
    ApiClient *m_client;
};

} // namespace Outpost::Client
