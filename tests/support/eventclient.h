#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QWebSocket>

namespace Outpost::Test {

// One WebSocket client of GET /v1/events that records every message it receives (JSON
// objects, in order), for suites that watch the live events.
class EventClient
{
public:
    EventClient();
    ~EventClient();
    EventClient(const EventClient &) = delete;
    EventClient &operator=(const EventClient &) = delete;

    // ws://127.0.0.1:PORT/v1/events, signed in by ?access_token= unless `token` is empty.
    static QUrl url(quint16 port, const QByteArray &token = {});
    // {"type":"subscribed"}, the first message of a signed-in stream.
    static QJsonObject subscribed();

    void open(const QUrl &url);
    // Opens url(port, token) and waits for subscribed() as the first message; false (with
    // describe() in a warning) if something else came first or nothing came.
    bool subscribe(quint16 port, const QByteArray &token, int timeoutMs = 5'000);
    void send(const QString &text);

    bool waitForConnected(int timeoutMs = 5'000);
    bool waitForMessages(qsizetype count, int timeoutMs = 5'000);
    bool waitForDisconnected(int timeoutMs = 5'000);
    // Waits for a message of this type about this post, run or pipeline (or user, for a
    // user.* type).
    bool waitForEvent(const QString &type, qint64 id, int timeoutMs = 5'000);

    const QList<QJsonObject> &messages() const { return m_messages; }
    // The types of the messages about `id`, in order, user.* ones left out (user ids may be the
    // same numbers as other ids).
    QStringList typesFor(qint64 id) const { return typesAbout(id, false); }
    // Only those whose type starts with `prefix` ("run.", "pipeline."): runs, pipelines and
    // posts have ids of their own.
    QStringList typesFor(qint64 id, const QString &prefix) const;
    // The types of the user.* messages about user `id`, in order; any user's with id 0.
    QStringList userTypesFor(qint64 id) const { return typesAbout(id, true); }
    QList<QJsonObject> messagesFor(qint64 id) const;

    bool isConnected() const { return m_connected && !m_disconnected; }
    bool failed() const { return m_failed; }
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QString closeReason() const { return m_socket.closeReason(); }
    // The connection's state and every message, for failure messages.
    QString describe() const;

private:
    QStringList typesAbout(qint64 id, bool users) const;

    QWebSocket m_socket;
    QList<QJsonObject> m_messages;
    bool m_connected = false;
    bool m_disconnected = false;
    bool m_failed = false;
};

} // namespace Outpost::Test
