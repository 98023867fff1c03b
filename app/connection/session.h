#pragma once

#include <QJsonObject>
#include <QObject>
#include <QUrl>

namespace Outpost::Client {
class ApiClient;
class EventStream;
} // namespace Outpost::Client

namespace Outpost::App {

// One signed-in connection: to the embedded server or to a remote deployment. Both are the
// same code from here on — an API client and the live event stream.
class Session final : public QObject
{
    Q_OBJECT

public:
    enum class Mode { Embedded, Remote };

    Session(Mode mode, Client::ApiClient *client, QObject *parent = nullptr);
    ~Session() override;

    Mode mode() const { return m_mode; }
    QUrl url() const;
    Client::ApiClient *client() const { return m_client; }
    Client::EventStream *events() const { return m_events; }
    QJsonObject user() const { return m_user; }
    bool isAdmin() const;

    // Loads the signed-in user and opens the event stream.
    void start();

Q_SIGNALS:
    void userLoaded(const QJsonObject &user);

private:
    Mode m_mode;
    Client::ApiClient *m_client;
    Client::EventStream *m_events;
    QJsonObject m_user;
};

} // namespace Outpost::App
