#include "httpengine.h"

#include "core/tsanhandoff.h"
#include "httplog.h"
#include "listener.h"
#include "observability/logging.h"
#include "observability/metrics.h"
#include "problem.h"
#include "requestid.h"

#include <QMetaMethod>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

Q_LOGGING_CATEGORY(lcHttp, "outpost.http", QtInfoMsg)

namespace Outpost::Server {

namespace {

qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// "12.345": milliseconds with microsecond precision, without floating-point formatting.
void appendMilliseconds(QByteArray &out, double seconds)
{
    const qint64 micros = std::llround(seconds * 1e6);
    out.append(QByteArray::number(micros / 1000)).append('.');
    const int fraction = int(micros % 1000);
    out.append(char('0' + fraction / 100)).append(char('0' + fraction / 10 % 10));
    out.append(char('0' + fraction % 10));
}

} // namespace

// --- Request / DeferredReply -------------------------------------------------------------

Request::Request(
    FramedRequest &framed, std::shared_ptr<ResponseContext> context, QString path, QByteArray query)
    : m_headers(std::move(framed.headers))
    , m_body(std::move(framed.body))
    , m_spooled(std::move(framed.spooled))
    , m_context(std::move(context))
    , m_path(std::move(path))
    , m_query(std::move(query))
{ }

bool Request::hasQueryItem(const QString &name) const
{
    if (!m_parsedQuery)
        m_parsedQuery.emplace(QString::fromUtf8(m_query));
    return m_parsedQuery->hasQueryItem(name);
}

QString Request::queryItem(const QString &name) const
{
    if (!m_parsedQuery)
        m_parsedQuery.emplace(QString::fromUtf8(m_query));
    // '+' means space in form-style query strings; QUrlQuery leaves it alone.
    return m_parsedQuery->queryItemValue(name, QUrl::FullyDecoded)
        .replace(QLatin1Char('+'), QLatin1Char(' '));
}

QByteArray Request::header(QByteArrayView name) const
{
    QByteArray value;
    bool found = false;
    for (const HeaderField &field : m_headers) {
        if (field.name.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (found) {
            value.append(", ").append(field.value);
        } else {
            value = field.value; // shared, not copied: most fields come once
            found = true;
        }
    }
    return value;
}

DeferredReply Request::defer()
{
    m_deferred = true;
    m_context->engine->deferredStarted();
    return DeferredReply(m_context);
}

void DeferredReply::send(HttpResponse response) const &
{
    if (m_context)
        post(m_context, std::move(response));
}

void DeferredReply::send(HttpResponse response) &&
{
    if (m_context)
        post(std::move(m_context), std::move(response));
}

void DeferredReply::post(std::shared_ptr<ResponseContext> context, HttpResponse response)
{
    // The engine outlives every deferred reply: shutdown waits for pendingReplies() == 0.
    HttpEngine *engine = context->engine;
    QMetaObject::invokeMethod(engine,
        TsanHandOff::handOver(
            [context = std::move(context), response = std::move(response)]() mutable {
                context->engine->deferredFinished();
                context->engine->finish(*context, std::move(response));
            }),
        Qt::QueuedConnection);
}

void DeferredReply::sendMade(std::function<HttpResponse()> make) const
{
    if (!m_context)
        return;
    std::shared_ptr<ResponseContext> context = m_context;
    QMetaObject::invokeMethod(context->engine,
        TsanHandOff::handOver([context, make = std::move(make)] {
            HttpResponse response = make();
            context->engine->deferredFinished();
            context->engine->finish(*context, std::move(response));
        }),
        Qt::QueuedConnection);
}

// --- HttpEngine ------------------------------------------------------------------------

HttpEngine::HttpEngine(const Router &router, Metrics &metrics, HttpSettings settings,
    Authenticator authenticator, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_router(router)
    , m_metrics(std::make_unique<MetricsShard>(metrics))
    , m_settings(std::move(settings))
    , m_edge(
          m_settings.edge ? m_settings.edge : std::make_shared<const EdgePolicy>(EdgeSettings {}))
    , m_authenticator(std::move(authenticator))
{
    connect(this, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
        while (hasPendingWebSocketConnections()) {
            std::unique_ptr<QWebSocket> socket = nextPendingWebSocketConnection();
            if (!socket)
                continue;
            QWebSocket *raw = socket.release();
            raw->setParent(this);
            if (isSignalConnected(QMetaMethod::fromSignal(&HttpEngine::webSocketAccepted))) {
                Q_EMIT webSocketAccepted(raw);
            } else {
                raw->close(QWebSocketProtocol::CloseCodeGoingAway);
            }
        }
    });
    m_flushTimer.setInterval(200);
    connect(&m_flushTimer, &QTimer::timeout, this, [] { Logging::AccessLogBuffer::flush(); });
    m_flushTimer.start();
}

HttpEngine::~HttpEngine()
{
    Logging::AccessLogBuffer::flush();
}

Result<quint16> HttpEngine::listenShared(
    const QHostAddress &address, quint16 port, qintptr sharedDescriptor)
{
    m_listener = new Listener(m_settings.limits, this, m_settings.maxConnections,
        m_settings.tls.get(), m_settings.acceptGroup, this);
    auto bound = sharedDescriptor >= 0 ? m_listener->listenOn(sharedDescriptor)
                                       : m_listener->listenShared(address, port);
    if (!bound)
        return bound;
    bind(m_listener);
    return bound;
}

qintptr HttpEngine::listenerDescriptor() const
{
    return m_listener ? m_listener->socketDescriptor() : -1;
}

void HttpEngine::beginDrain()
{
    if (m_listener)
        m_listener->close();
    const QSet<GuardedSocket *> sockets = m_sockets;
    for (GuardedSocket *socket : sockets)
        socket->drain();
}

int HttpEngine::openConnections() const
{
    return int(m_sockets.size());
}

void HttpEngine::requestReady(GuardedSocket &socket)
{
    FramedRequest &framed = socket.current();
    auto context = std::make_shared<ResponseContext>();
    context->socket = &socket;
    context->engine = this;
    context->sequence = framed.sequence;
    context->requestId = framed.requestId.isEmpty() ? newRequestId() : framed.requestId;
    context->method = framed.method;
    context->target = framed.target;
    context->peer = socket.peerAddress();
    context->peerText = socket.peerText();
    context->startedNs = framed.startedNs;

    const qsizetype queryAt = framed.target.indexOf('?');
    const QByteArray rawPath = queryAt < 0 ? framed.target : framed.target.left(queryAt);
    const QByteArray query = queryAt < 0 ? QByteArray() : framed.target.mid(queryAt + 1);

    const Router::Match match = m_router.match(framed.method, QString::fromUtf8(rawPath));
    context->route = match.route ? match.route->path.toUtf8() : QByteArrayLiteral("unmatched");
    Request request(
        framed, context, QString::fromUtf8(QByteArray::fromPercentEncoding(rawPath)), query);
    request.m_params = match.params;
    if (m_edge->hasTrustedProxies()) {
        const EdgePolicy::Client client = m_edge->resolveClient(context->peer, request.m_headers);
        if (client.forwarded) {
            context->peer = client.address;
            context->peerText = client.address.toString().toLatin1();
        }
        context->forwardedProto = client.proto;
    }
    if (m_edge->corsEnabled())
        context->origin = m_edge->allowedOrigin(request.header("origin"));
    // With export off, an absent traceparent costs this lookup and nothing more.
    const QByteArray traceparent = request.header("traceparent");
    if (!traceparent.isEmpty() || Tracing::recording())
        startTrace(*context, request, traceparent);
    const Tracing::Scope traceScope(context->traced ? &context->trace : nullptr);

    HttpResponse response;
    try {
        response = dispatch(request, match);
    } catch (const std::exception &e) {
        qCCritical(lcHttp).noquote() << "request" << context->requestId << "failed:" << e.what();
        response = Problem::make(500,
            QStringLiteral("an internal error occurred; request id %1")
                .arg(QString::fromLatin1(context->requestId)));
    } catch (...) {
        qCCritical(lcHttp).noquote() << "request" << context->requestId << "failed";
        response = Problem::make(500,
            QStringLiteral("an internal error occurred; request id %1")
                .arg(QString::fromLatin1(context->requestId)));
    }
    if (request.principal())
        context->userId = request.principal()->userId;
    if (response.isDeferred) {
        if (!request.m_deferred) {
            qFatal("route %s returned deferred() without taking a DeferredReply",
                context->route.constData());
        }
        return;
    }
    finish(*context, std::move(response));
}

BodySpool HttpEngine::bodySpool(const FramedRequest &request)
{
    // Only a method with a spooling route pays for a route lookup before the body.
    if (!m_router.spoolsBodies(request.method))
        return {};
    const qsizetype queryAt = request.target.indexOf('?');
    const Router::Match match = m_router.match(request.method,
        QString::fromUtf8(queryAt < 0 ? request.target : request.target.left(queryAt)));
    if (!match.route || !match.route->spoolBody)
        return {};
    return match.route->spoolBody(request);
}

void HttpEngine::startTrace(
    ResponseContext &context, const Request &request, const QByteArray &traceparent)
{
    // An invalid traceparent is ignored and a new trace started (W3C Trace Context 4.3); its
    // tracestate goes with it.
    if (const std::optional<Tracing::SpanContext> parent = Tracing::parseTraceparent(traceparent)) {
        context.trace = Tracing::childOf(*parent);
        context.parentSpanId = parent->spanId;
        const QByteArray state = request.header("tracestate");
        if (state.size() <= 512 && Tracing::isValidTraceState(state))
            context.trace.traceState = state;
    } else {
        context.trace = Tracing::newRoot();
    }
    context.traced = true;
    context.startUnixNs = Tracing::unixNowNs() - (monotonicNs() - context.startedNs);
}

void HttpEngine::recordSpan(const ResponseContext &context, int status)
{
    Tracing::SpanRecord span;
    span.context = context.trace;
    span.parentSpanId = context.parentSpanId;
    span.kind = Tracing::SpanKind::Server;
    span.name = context.method + ' ' + context.route;
    span.startUnixNs = context.startUnixNs;
    span.endUnixNs = Tracing::unixNowNs();
    span.error = status >= 500;
    span.stringAttributes = {{"http.request.method", context.method}, {"http.route", context.route},
        {"url.path", context.target.left(context.target.indexOf('?'))},
        {"client.address", context.peerText}, {"http.request_id", context.requestId}};
    span.intAttributes = {{"http.response.status_code", status}};
    Tracing::record(std::move(span));
}

HttpResponse HttpEngine::dispatch(Request &request, const Router::Match &match)
{
    const QString &instance = request.path();
    if (!match.pathExists)
        return Problem::make(404, QStringLiteral("no resource at %1").arg(instance), instance);
    if (!match.route) {
        const QByteArray allow = match.allowed.join(", ");
        if (request.method() == "OPTIONS") {
            HttpResponse response = HttpResponse::noContent();
            response.withHeader(QByteArrayLiteral("Allow"), allow);
            // A CORS preflight: answered for an allowed origin only; others get no CORS headers.
            if (!request.m_context->origin.isEmpty()
                && !request.header(QByteArrayLiteral("access-control-request-method")).isEmpty())
                EdgePolicy::addPreflightHeaders(response, allow);
            return response;
        }
        HttpResponse response = Problem::make(405,
            QStringLiteral("%1 is not allowed here; allowed: %2")
                .arg(QString::fromLatin1(request.method()), QString::fromLatin1(allow)),
            instance);
        response.withHeader(QByteArrayLiteral("Allow"), allow);
        return response;
    }
    const Route &route = *match.route;
    std::optional<HttpResponse> denied = authorize(request, route);
    // Counted against the principal when one was established, else the client's address; a
    // refused request counts too (guessing credentials is rate limited like anything else).
    if (m_edge->rateLimiter()) {
        if (std::optional<HttpResponse> limited = limit(request, route))
            return std::move(*limited);
    }
    if (denied)
        return std::move(*denied);
    return route.handler(request);
}

std::optional<HttpResponse> HttpEngine::authorize(Request &request, const Route &route)
{
    const QString &instance = request.path();
    const bool sentCredentials = !request.header(QByteArrayLiteral("authorization")).isEmpty();
    if (route.access == Access::Public || (route.access == Access::Optional && !sentCredentials))
        return std::nullopt;
    if (!m_authenticator)
        return Problem::make(401, QStringLiteral("sign-in is required"), instance);
    Result<Principal> principal = m_authenticator(request);
    if (!principal)
        return Problem::fromError(principal.error(), instance);
    request.m_principal = *principal;
    if (principal->isApiKey()) {
        if (route.apiKeyScope.isEmpty())
            return Problem::make(403, QStringLiteral("API keys cannot be used here"), instance);
        if (!principal->hasScope(route.apiKeyScope)) {
            return Problem::make(403,
                QStringLiteral("this API key lacks the %1 scope").arg(route.apiKeyScope), instance);
        }
    } else if (route.access == Access::Admin && !principal->isAdmin()) {
        return Problem::make(403, QStringLiteral("this needs the admin role"), instance);
    }
    return std::nullopt;
}

std::optional<HttpResponse> HttpEngine::limit(Request &request, const Route &route)
{
    ResponseContext &context = *request.m_context;
    // Loopback clients (the desktop app's embedded server, benchmarks, a local proxy's own
    // checks) are exempt unless asked otherwise; a proxied client has its own address by now.
    if (!m_edge->limitsLoopback() && context.peer.isLoopback())
        return std::nullopt;
    const std::optional<Principal> &principal = request.m_principal;
    const RateLimiter::Key key = !principal
        ? RateLimiter::Key::address(context.peer, route.expensive)
        : principal->isApiKey() ? RateLimiter::Key::apiKey(principal->apiKeyId, route.expensive)
                                : RateLimiter::Key::user(principal->userId, route.expensive);
    context.rate = m_edge->rateLimiter()->take(key, context.startedNs);
    if (context.rate.allowed)
        return std::nullopt;
    HttpResponse response = Problem::make(429,
        QStringLiteral("too many requests: at most %1 every %2 s; retry in %3 s")
            .arg(context.rate.policy->quota)
            .arg(context.rate.policy->windowSeconds)
            .arg(context.rate.retryAfter),
        request.path());
    response.withHeader(
        QByteArrayLiteral("Retry-After"), QByteArray::number(context.rate.retryAfter));
    return response;
}

void HttpEngine::finish(const ResponseContext &context, HttpResponse response)
{
    if (!context.origin.isEmpty())
        EdgePolicy::addCorsHeaders(response, context.origin);
    if (m_edge->variesByOrigin())
        response.withHeader(QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin"));
    if (context.rate.policy)
        EdgePolicy::addRateLimitHeaders(response, context.rate);
    m_edge->absoluteLocation(response);
    if (context.traced && (context.trace.flags & 1) != 0 && Tracing::recording())
        recordSpan(context, response.status);
    const double seconds = double(monotonicNs() - context.startedNs) / 1e9;
    m_metrics->observe(context.method, context.route, response.status, seconds);
    log(context, response.status, response.stream ? response.streamLength : response.body.size(),
        seconds);
    if (GuardedSocket *socket = context.socket.data())
        socket->respond(context.sequence, response, context.requestId);
}

void HttpEngine::log(const ResponseContext &context, int status, qint64 bytes, double seconds)
{
    QByteArray line;
    line.reserve(320);
    if (Logging::format() == LogFormat::Json) {
        line.append(R"({"time":")").append(Logging::nowRfc3339());
        line.append(R"(","level":"info","msg":"request","request_id":")");
        line.append(context.requestId).append(R"(","method":")").append(context.method);
        line.append(R"(","path":)");
        Logging::appendJsonString(line, context.target);
        line.append(",\"route\":");
        Logging::appendJsonString(line, context.route);
        line.append(",\"status\":").append(QByteArray::number(status));
        line.append(",\"duration_ms\":");
        appendMilliseconds(line, seconds);
        line.append(",\"bytes\":").append(QByteArray::number(bytes));
        line.append(R"(,"remote":")").append(context.peerText).append('"');
        if (!context.forwardedProto.isEmpty()) // what the client used to reach the proxy
            line.append(R"(,"proto":")").append(context.forwardedProto).append('"');
        line.append(",\"user_id\":");
        line.append(
            context.userId ? QByteArray::number(context.userId) : QByteArrayLiteral("null"));
        if (context.traced)
            Logging::appendTraceIds(line, context.trace);
        line.append("}\n");
    } else {
        line.append(Logging::nowRfc3339()).append(" INFO request ").append(context.method);
        line.append(' ').append(context.target).append(' ').append(QByteArray::number(status));
        line.append(' ');
        appendMilliseconds(line, seconds);
        line.append("ms id=");
        line.append(context.requestId).append(" remote=").append(context.peerText);
        line.append('\n');
    }
    Logging::AccessLogBuffer::append(line);
}

bool HttpEngine::handleRequest(const QHttpServerRequest & /*request*/, QTcpSocket *socket)
{
    // QtHttpServer only ever sees WebSocket upgrades (every other request goes to
    // requestReady()), and only to a path the guard checked against websocketPaths. Qt 6.4
    // performs the handshake only when this returns true, and it must write nothing.
    auto *guarded = qobject_cast<GuardedSocket *>(socket);
    return guarded && guarded->isUpgrading();
}

void HttpEngine::missingHandler(const QHttpServerRequest & /*request*/, QTcpSocket * /*socket*/)
{
    // Nothing to say: the guard answers for a connection QtHttpServer gives up (see
    // GuardedSocket::disconnectFromHost()).
}

void HttpEngine::requestRejected(const GuardedSocket &socket, int status, const QByteArray &method,
    const QByteArray &target, const QByteArray &requestId)
{
    ResponseContext context;
    context.requestId = requestId;
    context.method = method.isEmpty() ? QByteArrayLiteral("-") : method;
    context.route = QByteArrayLiteral("rejected");
    context.target = target.left(256);
    context.peer = socket.peerAddress();
    context.peerText = socket.peerText();
    context.startedNs = monotonicNs();
    m_metrics->observe(context.method, context.route, status, 0);
    log(context, status, 0, 0);
}

void HttpEngine::connectionOpened(GuardedSocket &socket)
{
    m_sockets.insert(&socket);
    m_metrics->connectionOpened();
}

void HttpEngine::connectionClosed(GuardedSocket &socket)
{
    if (m_sockets.remove(&socket))
        m_metrics->connectionClosed();
    if (m_listener)
        m_listener->connectionClosed();
}

} // namespace Outpost::Server
