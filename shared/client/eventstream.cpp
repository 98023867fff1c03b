#include "eventstream.h"

#include "apiclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSslSocket>

Q_LOGGING_CATEGORY(lcEvents, "outpost.client.events", QtInfoMsg)

namespace Outpost::Client {

EventStream::EventStream(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, &EventStream::open);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &EventStream::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, &EventStream::onDisconnected);
    // A refused connection reports an error without ever having been connected.
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this] {
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            onDisconnected();
    });
    connect(&m_socket, &QWebSocket::sslErrors, this, &EventStream::onSslErrors);
}

void EventStream::onSslErrors(const QList<QSslError> &errors)
{
    if (!m_client->pinnedPublicKey().isEmpty()) {
        // A pinned server, as for the REST calls: its known key is trusted, any other refused.
        // The certificate the server presented itself decides, not whichever an error names.
        const QSslCertificate presented = m_tls ? m_tls->peerCertificate() : QSslCertificate();
        if (m_tls && m_client->matchesPin(presented)) {
            m_tls->ignoreSslErrors(errors);
            return;
        }
        m_socket.abort();
        return;
    }
    bool allTrusted = !m_client->trustedCertificates().isEmpty();
    for (const QSslError &error : errors)
        allTrusted = allTrusted && m_client->trustedCertificates().contains(error.certificate());
    if (!allTrusted)
        return; // the handshake fails
    if (m_tls)
        m_tls->ignoreSslErrors(errors);
    else
        m_socket.ignoreSslErrors(errors);
}

void EventStream::onEncrypted()
{
    // A certificate that verifies must still carry the pinned key. This runs before the
    // WebSocket handshake's answer, so before the token is sent (on connected()).
    if (m_tls && !m_client->pinnedPublicKey().isEmpty()
        && !m_client->matchesPin(m_tls->peerCertificate()))
        m_socket.abort();
}

EventStream::~EventStream()
{
    m_running = false;
    m_socket.disconnect(this);
    m_socket.abort();
}

void EventStream::start()
{
    m_running = true;
    m_delayMs = kFirstDelayMs;
    open();
}

void EventStream::stop()
{
    m_running = false;
    m_retry.stop();
    m_socket.close();
    setOnline(false);
}

void EventStream::open()
{
    if (!m_running)
        return;
    QUrl url = m_client->url(QStringLiteral("/v1/events"));
    url.setScheme(
        url.scheme() == QLatin1String("https") ? QStringLiteral("wss") : QStringLiteral("ws"));
    // The token goes as the first message rather than in the URL, which proxies may log.
    m_socket.abort();
    QObject::disconnect(&m_socket, &QWebSocket::connected, this, nullptr);
    connect(&m_socket, &QWebSocket::connected, this,
        [this] { m_socket.sendTextMessage(m_client->accessToken()); });
    m_socket.open(url);
    // QWebSocket shows neither the certificate the server presented nor the end of the TLS
    // handshake; the QSslSocket it has just made for this attempt (its newest child) does.
    m_tls.clear();
    if (url.scheme() == QLatin1String("wss")) {
        const QList<QSslSocket *> sockets =
            m_socket.findChildren<QSslSocket *>(Qt::FindDirectChildrenOnly);
        if (!sockets.isEmpty()) {
            m_tls = sockets.constLast();
            connect(m_tls, &QSslSocket::encrypted, this, &EventStream::onEncrypted);
        }
    }
}

void EventStream::onText(const QString &message)
{
    const QJsonObject json = QJsonDocument::fromJson(message.toUtf8()).object();
    const QString type = json.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("subscribed")) {
        m_delayMs = kFirstDelayMs;
        setOnline(true);
        return;
    }
    if (!type.isEmpty())
        Q_EMIT eventReceived(type, json.value(QStringLiteral("id")).toInteger());
}

void EventStream::onDisconnected()
{
    setOnline(false);
    if (!m_running || m_retry.isActive())
        return;
    if (m_socket.closeCode() == QWebSocketProtocol::CloseCodePolicyViolated) {
        // The access token was refused (expired): any authenticated call refreshes it.
        m_client->users().me();
    }
    qCDebug(lcEvents) << "event stream closed; retrying in" << m_delayMs << "ms";
    m_retry.start(m_delayMs);
    Q_EMIT retryScheduled(m_delayMs);
    m_delayMs = qMin(m_delayMs * 2, kMaxDelayMs);
}

void EventStream::setOnline(bool online)
{
    if (m_online == online)
        return;
    m_online = online;
    Q_EMIT onlineChanged(online);
}

} // namespace Outpost::Client
