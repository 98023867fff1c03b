#pragma once

#include "auth/principal.h"
#include "core/tracing.h"
#include "guardedsocket.h"
#include "httpresponse.h"
#include "ratelimiter.h"

#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QString>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>

namespace Outpost::Server {

class HttpEngine;

// Everything needed to finish a response after the handler returned (log, metrics, headers).
struct ResponseContext
{
    QPointer<GuardedSocket> socket;
    HttpEngine *engine = nullptr;
    quint64 sequence = 0;
    QByteArray requestId;
    QByteArray method;
    QByteArray route; // the matched template, "-" when none
    QByteArray target;
    QByteArray origin;          // CORS origin to echo, empty if none allowed
    QHostAddress peer;          // the client: the socket's peer, or what a trusted proxy says
    QByteArray peerText;        // for log lines, formatted once per connection (or proxied request)
    QByteArray forwardedProto;  // "https"/"http" from a trusted proxy, else empty
    RateLimiter::Decision rate; // policy null: not rate limited
    // W3C trace context of this request's server span (traced: a traceparent came, or spans
    // are exported); parentSpanId is the caller's span, zero for a new trace.
    bool traced = false;
    Tracing::SpanContext trace;
    std::array<quint8, 8> parentSpanId {};
    qint64 startUnixNs = 0;
    qint64 startedNs = 0;
    qint64 userId = 0;
};

// A reply that a handler completes later, from any thread. The response is handed to the
// connection's own thread; if the client has gone by then, it is dropped.
class DeferredReply
{
public:
    DeferredReply() = default;
    explicit DeferredReply(std::shared_ptr<ResponseContext> context)
        : m_context(std::move(context))
    { }
    void send(HttpResponse response) const &;
    // The same, handing this reply's share of the request over with the response: what the
    // request leaves behind (the guard on its socket among it) is then always released on the
    // connection's own thread, never on the thread that answered.
    void send(HttpResponse response) &&;
    // Runs `make` on the connection's own thread and sends what it returns: for an answer that
    // needs that thread's database connection, or should not load the thread that calls this.
    void sendMade(std::function<HttpResponse()> make) const;
    bool isValid() const { return m_context != nullptr; }

private:
    static void post(std::shared_ptr<ResponseContext> context, HttpResponse response);

    std::shared_ptr<ResponseContext> m_context;
};

class Request
{
public:
    // Takes the headers and the body out of `framed`.
    Request(FramedRequest &framed, std::shared_ptr<ResponseContext> context, QString path,
        QByteArray query);

    const QByteArray &method() const { return m_context->method; }
    const QString &path() const { return m_path; } // percent-decoded
    // The request-target exactly as sent ("/v1/files/a%2Fb?x=1"), for routes that must see
    // what decoding hides (an encoded '/' in a file path).
    const QByteArray &target() const { return m_context->target; }
    QString pathParam(const QString &name) const { return m_params.value(name); }
    bool hasQueryItem(const QString &name) const;
    // Decoded. Null if absent (or sent bare, "?limit"), empty but not null if sent empty
    // ("?limit="): models tell an absent item (its default) from an empty one (invalid).
    QString queryItem(const QString &name) const;
    // Case-insensitive; repeated fields joined with ", " (RFC 9110 5.3); empty if absent.
    QByteArray header(QByteArrayView name) const;
    const QByteArray &body() const { return m_body; }
    // The body in a file, when the route spooled it (Route::spoolBody); body() is empty then.
    // The file goes when the last reference does, unless the store kept it.
    const std::shared_ptr<SpooledFile> &spooled() const { return m_spooled; }
    // The client's address: the connection's peer, or the address a trusted proxy forwarded.
    // What sign-in throttling, rate limits, the audit trail and the access log use.
    QHostAddress peer() const { return m_context->peer; }
    // The address the connection itself comes from (a proxy's, when proxied).
    QHostAddress socketPeer() const
    {
        return m_context->socket ? m_context->socket->peerAddress() : m_context->peer;
    }
    const QByteArray &requestId() const { return m_context->requestId; }
    const std::optional<Principal> &principal() const { return m_principal; }
    // The request's server span when it is traced, else null (see Tracing::current()).
    const Tracing::SpanContext *trace() const
    {
        return m_context->traced ? &m_context->trace : nullptr;
    }

    // Take this, return HttpResponse::deferred(), and send() when the slow work is done. Copy
    // what the work needs from the request first: the request dies when the handler returns.
    DeferredReply defer();

private:
    friend class HttpEngine;
    QList<HeaderField> m_headers;
    QByteArray m_body;
    std::shared_ptr<SpooledFile> m_spooled;
    std::shared_ptr<ResponseContext> m_context;
    QString m_path;
    QByteArray m_query;
    mutable std::optional<QUrlQuery> m_parsedQuery;
    QHash<QString, QString> m_params;
    std::optional<Principal> m_principal;
    bool m_deferred = false;
};

} // namespace Outpost::Server
