#pragma once

#include "client/authresource.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <QUrl>

#include <functional>

class QTcpServer;
class QTcpSocket;
class QWidget;

namespace Outpost::Client {
class ApiClient;
}

namespace Outpost::App {

struct RecentConnection;

// Opens a URL in the system's web browser (QDesktopServices::openUrl by default); tests give
// their own, which follows the URL with HTTP requests.
using BrowserOpener = std::function<bool(const QUrl &)>;
BrowserOpener systemBrowser();

// "Sign in with {provider}" for a desktop app (RFC 8252): listens on 127.0.0.1 and a free port,
// opens the server's login URL in the browser with redirect_uri=http://127.0.0.1:PORT/callback,
// receives the provider's redirect there, answers the browser with a short page and hands the
// code and state to the server's callback route, which answers Outpost's own token pair (the
// client keeps it). One attempt per object.
class SsoSignIn final : public QObject
{
    Q_OBJECT

public:
    SsoSignIn(Client::ApiClient *client, Client::AuthProvider provider, BrowserOpener browser,
        QObject *parent = nullptr);
    ~SsoSignIn() override;

    // Starts listening and opens the browser; emits failed() if either is impossible.
    void start(std::chrono::milliseconds timeout = std::chrono::minutes(5));
    // Stops waiting; emits failed() with "cancelled".
    void cancel();
    // Where the browser is sent back to (valid after start()).
    QUrl redirectUri() const { return m_redirect; }

    // The provider's own sign-out page for the last single sign-on to `connection`, if it has
    // one (remembered in the settings; a password sign-in forgets it).
    static void rememberProvider(
        const RecentConnection &connection, const Client::AuthProvider *provider);
    // After Outpost's sign-out: asks "Also sign out of {provider}?" and opens its page.
    static void offerProviderSignOut(
        QWidget *parent, const RecentConnection &connection, const BrowserOpener &browser);

Q_SIGNALS:
    void signedIn();
    void failed(const QString &message);

private:
    void onConnection();
    void onRequest(QTcpSocket *socket);
    void answerBrowser(
        QTcpSocket *socket, int status, const QString &heading, const QString &message);
    void finish(const QString &error);

    Client::ApiClient *m_client;
    Client::AuthProvider m_provider;
    BrowserOpener m_browser;
    QTcpServer *m_listener;
    QTimer m_timeout;
    QUrl m_redirect;
    bool m_done = false;
    bool m_exchanging = false;
};

} // namespace Outpost::App
