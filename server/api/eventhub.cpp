#include "eventhub.h"

#include "http/problem.h"
#include "http/router.h"
#include "services/authservice.h"
#include "services/eventbus.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <limits>

namespace Outpost::Server {

namespace {

constexpr int kSignInTimeoutMs = 10'000;

void refuse(QWebSocket *socket, const QString &reason)
{
    socket->close(QWebSocketProtocol::CloseCodePolicyViolated, reason);
}

} // namespace

EventHub::EventHub(EventBus &bus, const AuthService &auth, QObject *parent)
    : QObject(parent)
    , m_bus(bus)
    , m_auth(auth)
{
    connect(&bus, &EventBus::published, this, &EventHub::deliver);
}

void EventHub::registerRoute(Router &router)
{
    router.addTag(QStringLiteral("Events"), QStringLiteral("Live change events over a WebSocket."));
    router.add({
        .method = "GET",
        .path = QString::fromLatin1(kPath),
        .access = Access::Public,
        .tag = QStringLiteral("Events"),
        .summary = QStringLiteral("Live change events (WebSocket)"),
        .openapi = R"json({"operationId": "streamEvents",
            "description": "Upgrade to a WebSocket. Sign in with the access_token query parameter, or send the access token (or {\"access_token\": \"...\"}) as the first text message within 10 s. The server then sends {\"type\":\"subscribed\"}, and one JSON text message per change you may see: {\"type\": \"post.created\" | \"post.updated\" | \"post.deleted\" | \"vote.created\" | \"vote.deleted\" | \"user.created\" | \"user.updated\" | \"user.deleted\" | ..., \"id\", \"at\"}; user.* events reach admins and the user concerned. Bad credentials close the socket with code 1008, and so does the end of the sign-in: the token expiring, or the user being disabled, deleted or changing password. Sign in again with a fresh token. A plain GET is 426.",
            "parameters": [{"name": "access_token", "in": "query", "schema": {"type": "string"}}],
            "responses": {"101": {"description": "Switching to the WebSocket protocol"},
                          "426": {"description": "Not a WebSocket upgrade"}}})json",
        .handler =
            [](Request &request) {
                return Problem::make(426,
                    QStringLiteral("GET /v1/events is a WebSocket: send Upgrade: websocket"),
                    request.path())
                    .withHeader(QByteArrayLiteral("Upgrade"), QByteArrayLiteral("websocket"));
            },
    });
}

void EventHub::accept(QWebSocket *socket)
{
    s_openSockets.fetch_add(1, std::memory_order_relaxed);
    connect(
        socket, &QObject::destroyed, [] { s_openSockets.fetch_sub(1, std::memory_order_relaxed); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        m_subscribers.remove(socket);
        socket->deleteLater();
    });
    const QString token = QUrlQuery(socket->requestUrl())
                              .queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded);
    if (!token.isEmpty()) {
        signIn(socket, token.toLatin1());
        return;
    }
    // No token in the URL: the first message must carry it.
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, socket, [socket] {
        socket->close(
            QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("sign-in timed out"));
    });
    deadline->start(kSignInTimeoutMs);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(socket, &QWebSocket::textMessageReceived, this,
        [this, socket, deadline, connection](const QString &message) {
            disconnect(*connection);
            deadline->stop();
            const QJsonObject object = QJsonDocument::fromJson(message.toUtf8()).object();
            const QString sent = object.isEmpty()
                ? message.trimmed()
                : object.value(QStringLiteral("access_token")).toString();
            signIn(socket, sent.toLatin1());
        });
}

void EventHub::signIn(QWebSocket *socket, const QByteArray &token)
{
    auto principal = m_auth.authenticate(token);
    if (!principal || principal->isApiKey()) {
        refuse(socket,
            principal ? QStringLiteral("API keys cannot subscribe to events")
                      : principal.error().detail);
        return;
    }
    // The stream lasts as long as the token: the client signs in again with a fresh one.
    const qint64 left = (principal->validUntil + 1) * 1000 - QDateTime::currentMSecsSinceEpoch();
    auto *expiry = new QTimer(socket);
    expiry->setSingleShot(true);
    // A coarse timer may fire up to 5% early: inside the token's last valid second, the
    // stream would end while the same token still signs requests in.
    expiry->setTimerType(Qt::PreciseTimer);
    connect(expiry, &QTimer::timeout, this, [this, socket] {
        m_subscribers.remove(socket);
        refuse(socket, QStringLiteral("the access token expired"));
    });
    expiry->start(int(std::clamp<qint64>(left, 0, std::numeric_limits<int>::max())));
    m_subscribers.insert(socket, {*principal, token, m_bus.lastSequence()});
    socket->sendTextMessage(QStringLiteral("{\"type\":\"subscribed\"}"));
}

void EventHub::recheck(qint64 userId)
{
    for (auto it = m_subscribers.begin(); it != m_subscribers.end();) {
        if (it->principal.userId != userId) {
            ++it;
            continue;
        }
        auto principal = m_auth.authenticate(it->token);
        if (principal) {
            it->principal = *principal; // a new role counts from now on
            ++it;
            continue;
        }
        QWebSocket *socket = it.key();
        it = m_subscribers.erase(it);
        refuse(socket, principal.error().detail);
    }
}

void EventHub::deliver(const Event &event)
{
    if (m_subscribers.isEmpty())
        return;
    if (event.type.startsWith(QLatin1String("user.")))
        recheck(event.id);
    const QString message =
        QString::fromUtf8(QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact));
    for (auto it = m_subscribers.cbegin(); it != m_subscribers.cend(); ++it) {
        const Principal &who = it->principal;
        if (event.sequence > it->since
            && (event.audienceUserId == 0 || event.audienceUserId == who.userId || who.isAdmin()))
            it.key()->sendTextMessage(message);
    }
}

} // namespace Outpost::Server
