#include "authresource.h"

#include "apiclient.h"

namespace Outpost::Client {

Reply<TokenPair> AuthResource::login(const QString &email, const QString &password) const
{
    return {m_client->login(email, password), &Decode::json<TokenPair>};
}

Reply<void> AuthResource::logout() const
{
    return {m_client->logout(), &Decode::nothing};
}

} // namespace Outpost::Client
