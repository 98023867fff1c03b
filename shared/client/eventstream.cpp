#include "eventstream.h"

#include "apiclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

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
    connect(&m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        bool allTrusted = !m_client->trustedCertificates().isEmpty();
        for (const QSslError &error : errors) {
            allTrusted =
                allTrusted && m_client->trustedCertificates().contains(error.certificate());
        }
        if (allTrusted)
            m_socket.ignoreSslErrors(errors);
    });
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
