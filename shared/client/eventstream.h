#pragma once

#include <QObject>
#include <QPointer>
#include <QSslSocket>
#include <QTimer>
#include <QWebSocket>

namespace Outpost::Client {

class ApiClient;

// The live change feed, GET /v1/events over a WebSocket, signed in with the client's access
// token. When the connection drops it reconnects with exponential back-off (1 s doubling up
// to 30 s, reset once subscribed); a refusal of the token (close code 1008) first lets the
// client refresh it. Over TLS it trusts exactly what the client's REST calls trust: with a
// pinned public key (ApiClient::setPinnedPublicKey()) only a server certificate with that key,
// verified or not; another key is refused before the token is sent, and reported through the
// client's pinMismatch().
class EventStream final : public QObject
{
    Q_OBJECT

public:
    explicit EventStream(ApiClient *client, QObject *parent = nullptr);
    ~EventStream() override;

    void start();
    void stop();
    bool isOnline() const { return m_online; }

    static constexpr int kFirstDelayMs = 1'000;
    static constexpr int kMaxDelayMs = 30'000;

Q_SIGNALS:
    // {"type": "post.created", "id": 7, ...}
    void eventReceived(const QString &type, qint64 id);
    void onlineChanged(bool online);
    // The connection dropped or was refused: the next attempt follows in `delayMs`.
    void retryScheduled(int delayMs);

private:
    void open();
    void onSslErrors(const QList<QSslError> &errors);
    void onEncrypted();
    void onText(const QString &message);
    void onDisconnected();
    void setOnline(bool online);

    ApiClient *m_client;
    QWebSocket m_socket;
    QPointer<QSslSocket> m_tls; // the TLS socket under m_socket for the current attempt
    QTimer m_retry;
    int m_delayMs = kFirstDelayMs;
    bool m_running = false;
    bool m_online = false;
};

} // namespace Outpost::Client
