#pragma once

#include "models/user.h"

#include <QObject>
#include <QUrl>

#include <optional>

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
    // Empty until start() has loaded it.
    std::optional<User> user() const { return m_user; }
    bool isAdmin() const;

    // Loads the signed-in user and opens the event stream.
    void start();

Q_SIGNALS:
    void userLoaded(const Outpost::User &user);

private:
    Mode m_mode;
    Client::ApiClient *m_client;
    Client::EventStream *m_events;
    std::optional<User> m_user;
};

} // namespace Outpost::App
