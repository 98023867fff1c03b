#pragma once

#include "core/result.h"
#include "edgepolicy.h"
#include "guardedsocket.h"
#include "request.h"
#include "router.h"

#include <QAbstractHttpServer>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <optional>

namespace Outpost::Server {

class Listener;
struct AcceptGroup;
class Metrics;
class MetricsShard;
class TlsContext;

struct HttpSettings
{
    GuardLimits limits;
    int maxConnections = 10000; // for this thread
    // Trusted proxies, CORS, public URL, rate limits: shared by every thread. Null: none.
    std::shared_ptr<const EdgePolicy> edge;
    std::shared_ptr<const TlsContext> tls;    // set: the listener speaks TLS only
    std::shared_ptr<AcceptGroup> acceptGroup; // shared by the threads of one server
};

// Decides who is calling from a request's credentials (set by the users issue).
using Authenticator = std::function<Result<Principal>(const Request &)>;

// One HTTP thread: requests arrive framed by GuardedSockets and are dispatched by our Router.
// It is a QAbstractHttpServer only for the WebSocket handshake, which QtHttpServer performs.
// Lives in, and must only be used from, its own thread.
class HttpEngine final : public QAbstractHttpServer, public ConnectionObserver
{
    Q_OBJECT

public:
    HttpEngine(const Router &router, Metrics &metrics, HttpSettings settings,
        Authenticator authenticator, QObject *parent = nullptr);
    ~HttpEngine() override;

    // Binds address:port, or with a `sharedDescriptor` (another engine's listenerDescriptor())
    // listens on that same socket instead.
    Result<quint16> listenShared(
        const QHostAddress &address, quint16 port, qintptr sharedDescriptor = -1);
    qintptr listenerDescriptor() const;

    // Stops accepting, lets requests in progress finish, closes idle connections.
    void beginDrain();
    int openConnections() const;
    int pendingReplies() const { return m_pendingReplies; }

    // Completes a response: CORS, metrics, access log, then the connection writes it.
    void finish(const ResponseContext &context, HttpResponse response);
    void deferredStarted() { ++m_pendingReplies; }
    void deferredFinished() { --m_pendingReplies; }

    void connectionOpened(GuardedSocket &socket) override;
    void requestReady(GuardedSocket &socket) override;
    BodySpool bodySpool(const FramedRequest &request) override;
    void requestRejected(const GuardedSocket &socket, int status, const QByteArray &method,
        const QByteArray &target, const QByteArray &requestId) override;
    void connectionClosed(GuardedSocket &socket) override;

Q_SIGNALS:
    // A WebSocket that completed its handshake on a path in HttpSettings::limits.websocketPaths;
    // the receiver (in this thread) owns it.
    void webSocketAccepted(QWebSocket *socket);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    HttpResponse dispatch(Request &request, const Router::Match &match);
    // Sets up the request's server span from its traceparent, or a new trace.
    static void startTrace(
        ResponseContext &context, const Request &request, const QByteArray &traceparent);
    static void recordSpan(const ResponseContext &context, int status);
    // The route's access rule: nullopt when the request may proceed, else the problem.
    std::optional<HttpResponse> authorize(Request &request, const Route &route);
    // 429 when the caller is over its rate limit; records the decision for the headers.
    std::optional<HttpResponse> limit(Request &request, const Route &route);
    void log(const ResponseContext &context, int status, qint64 bytes, double seconds);

    const Router &m_router;
    std::unique_ptr<MetricsShard> m_metrics;
    HttpSettings m_settings;
    std::shared_ptr<const EdgePolicy> m_edge;
    Authenticator m_authenticator;
    Listener *m_listener = nullptr;
    QSet<GuardedSocket *> m_sockets;
    QTimer m_flushTimer;
    int m_pendingReplies = 0;
};

} // namespace Outpost::Server
