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
    return m_user.value(QStringLiteral("role")).toString() == QLatin1String("admin");
}

void Session::start()
{
    auto *call = m_client->get(QStringLiteral("/v1/users/me"));
    connect(call, &Client::ApiCall::finished, this, [this](const Client::ApiResponse &response) {
        if (response.ok()) {
            m_user = response.object();
            Q_EMIT userLoaded(m_user);
        }
    });
    m_events->start();
}

} // namespace Outpost::App
