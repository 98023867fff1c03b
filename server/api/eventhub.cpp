#include "eventhub.h"

#include "http/problem.h"
#include "http/router.h"
#include "services/authservice.h"
#include "services/eventbus.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUrlQuery>

namespace Outpost::Server {

namespace {
constexpr int kSignInTimeoutMs = 10'000;
}

EventHub::EventHub(EventBus &bus, const AuthService &auth, QObject *parent)
    : QObject(parent)
    , m_auth(auth)
{
    connect(&bus, &EventBus::published, this, &EventHub::deliver);
}

void EventHub::registerRoute(Router &router)
{
    router.add({
        .method = "GET",
        .path = QString::fromLatin1(kPath),
        .access = Access::Public,
        .tag = QStringLiteral("Events"),
        .summary = QStringLiteral("Live change events (WebSocket)"),
        .openapi = R"json({
            "description": "Upgrade to a WebSocket. Sign in with the access_token query parameter, or send the access token (or {\"access_token\": \"...\"}) as the first text message within 10 s. The server then sends {\"type\":\"subscribed\"}, and one JSON text message per change you may see: {\"type\": \"post.created\" | \"post.updated\" | \"post.deleted\" | \"vote.created\" | \"vote.deleted\" | ..., \"id\", \"at\"}. Bad credentials close the socket with code 1008. A plain GET is 426.",
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
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
            principal ? QStringLiteral("API keys cannot subscribe to events")
                      : principal.error().detail);
        return;
    }
    m_subscribers.insert(socket, *principal);
    socket->sendTextMessage(QStringLiteral("{\"type\":\"subscribed\"}"));
}

void EventHub::deliver(const Event &event)
{
    if (m_subscribers.isEmpty())
        return;
    const QString message =
        QString::fromUtf8(QJsonDocument(event.toJson()).toJson(QJsonDocument::Compact));
    for (auto it = m_subscribers.cbegin(); it != m_subscribers.cend(); ++it) {
        const Principal &who = it.value();
        if (event.audienceUserId == 0 || event.audienceUserId == who.userId || who.isAdmin())
            it.key()->sendTextMessage(message);
    }
}

} // namespace Outpost::Server
