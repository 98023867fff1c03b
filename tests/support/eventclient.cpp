#include "eventclient.h"

#include <QJsonDocument>
#include <QTest>
#include <QUrlQuery>
#include <QtDebug>

namespace Outpost::Test {

namespace {

bool isUserEvent(const QJsonObject &message)
{
    return message.value(QStringLiteral("type")).toString().startsWith(QLatin1String("user."));
}

qint64 idOf(const QJsonObject &message)
{
    return message.value(QStringLiteral("id")).toInteger();
}

} // namespace

EventClient::EventClient()
{
    QObject::connect(
        &m_socket, &QWebSocket::textMessageReceived, &m_socket, [this](const QString &message) {
            m_messages.append(QJsonDocument::fromJson(message.toUtf8()).object());
        });
    QObject::connect(&m_socket, &QWebSocket::connected, &m_socket, [this] { m_connected = true; });
    QObject::connect(
        &m_socket, &QWebSocket::disconnected, &m_socket, [this] { m_disconnected = true; });
    QObject::connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error),
        &m_socket, [this](QAbstractSocket::SocketError) { m_failed = true; });
}

EventClient::~EventClient()
{
    m_socket.abort();
}

QUrl EventClient::url(quint16 port, const QByteArray &token)
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    url.setPath(QStringLiteral("/v1/events"));
    if (!token.isEmpty())
        url.setQuery(QUrlQuery {{QStringLiteral("access_token"), QString::fromLatin1(token)}});
    return url;
}

QJsonObject EventClient::subscribed()
{
    return {{QStringLiteral("type"), QStringLiteral("subscribed")}};
}

void EventClient::open(const QUrl &url)
{
    m_socket.open(url);
}

bool EventClient::subscribe(quint16 port, const QByteArray &token, int timeoutMs)
{
    open(url(port, token));
    if (!waitForMessages(1, timeoutMs) || m_messages.first() != subscribed()) {
        qWarning().noquote() << "subscription failed:" << describe();
        return false;
    }
    return true;
}

void EventClient::send(const QString &text)
{
    m_socket.sendTextMessage(text);
}

bool EventClient::waitForConnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_connected || m_disconnected || m_failed; }, timeoutMs)
        && m_connected;
}

bool EventClient::waitForMessages(qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor([this, count] { return m_messages.size() >= count; }, timeoutMs);
}

bool EventClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_disconnected; }, timeoutMs);
}

bool EventClient::waitForEvent(const QString &type, qint64 id, int timeoutMs)
{
    const bool user = type.startsWith(QLatin1String("user."));
    return QTest::qWaitFor(
        [this, &type, id, user] { return typesAbout(id, user).contains(type); }, timeoutMs);
}

QStringList EventClient::typesFor(qint64 id, const QString &prefix) const
{
    QStringList types;
    for (const QString &type : typesFor(id)) {
        if (type.startsWith(prefix))
            types.append(type);
    }
    return types;
}

QList<QJsonObject> EventClient::messagesFor(qint64 id) const
{
    QList<QJsonObject> found;
    for (const QJsonObject &message : m_messages) {
        if (idOf(message) == id && !isUserEvent(message))
            found.append(message);
    }
    return found;
}

QString EventClient::describe() const
{
    QString text = QStringLiteral("connected=%1 disconnected=%2 failed=%3 close=%4 (%5) messages:")
                       .arg(m_connected)
                       .arg(m_disconnected)
                       .arg(m_failed)
                       .arg(int(m_socket.closeCode()))
                       .arg(m_socket.closeReason());
    for (const QJsonObject &message : m_messages)
        text += u' ' + QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
    return text;
}

QStringList EventClient::typesAbout(qint64 id, bool users) const
{
    QStringList types;
    for (const QJsonObject &message : m_messages) {
        if (isUserEvent(message) == users && (idOf(message) == id || (users && id == 0)))
            types.append(message.value(QStringLiteral("type")).toString());
    }
    return types;
}

} // namespace Outpost::Test
