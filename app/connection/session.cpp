#include "session.h"

#include "client/apiclient.h"
#include "client/eventstream.h"

namespace Outpost::App {

Session::Session(Mode mode, Client::ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_mode(mode)
    , m_client(client)
    , m_events(new Client::EventStream(client, this))
{
    client->setParent(this);
}

Session::~Session()
{
    m_events->stop();
}

QUrl Session::url() const
{
    return m_client->baseUrl();
}

bool Session::isAdmin() const
{
    return m_user && m_user->isAdmin();
}

void Session::start()
{
    m_client->users().me().then(this, [this](const Client::ApiResult<User> &user) {
        if (user) {
            m_user = *user;
            Q_EMIT userLoaded(*user);
        }
    });
    m_events->start();
}

} // namespace Outpost::App
