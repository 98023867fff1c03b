#pragma once

#include <atomic>

#include "auth/principal.h"

#include <QHash>
#include <QObject>
#include <QWebSocket>

namespace Outpost::Server {

class AuthService;
class EventBus;
class Router;
struct Event;

// GET /v1/events (WebSocket), one hub per HTTP thread. A socket signs in with the
// `access_token` query parameter or, failing that, its first text message (the token, or
// {"access_token": "..."}) within 10 s; then it receives every bus event it may see as one
// JSON text message {"type","id","at"}. Bad credentials close it with code 1008, and so does
// the end of its sign-in: when the token expires, and when its user is disabled, deleted or
// changes password (the hub checks again on every user.* event about them). A role change
// takes effect on the same check.
class EventHub final : public QObject
{
    Q_OBJECT

public:
    EventHub(EventBus &bus, const AuthService &auth, QObject *parent = nullptr);
    static constexpr const char *kPath = "/v1/events";
    // The HTTP side of the endpoint: its OpenAPI description, and 426 for a plain GET.
    static void registerRoute(Router &router);
    void accept(QWebSocket *socket);
    int subscribers() const { return int(m_subscribers.size()); }
    // Event sockets open in this process, signed in or not (all threads' hubs).
    static int openSockets() { return s_openSockets.load(std::memory_order_relaxed); }

private:
    struct Subscriber
    {
        Principal principal;
        QByteArray token; // to check it again when its user changes
        // The bus's last event when it signed in: it hears only later ones. (An event published
        // before the sign-in may still be queued to this thread when the sign-in is read.)
        quint64 since = 0;
    };

    void signIn(QWebSocket *socket, const QByteArray &token);
    void deliver(const Event &event);
    // Signs the user's subscribers in again; those who no longer may are closed with 1008.
    void recheck(qint64 userId);

    const EventBus &m_bus;
    const AuthService &m_auth;
    QHash<QWebSocket *, Subscriber> m_subscribers;
    static inline std::atomic<int> s_openSockets {0};
};

} // namespace Outpost::Server
