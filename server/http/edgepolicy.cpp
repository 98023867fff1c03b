#include "edgepolicy.h"

#include <algorithm>

namespace Outpost::Server {

namespace {

QByteArray headerValue(const QList<HeaderField> &headers, QByteArrayView name)
{
    QByteArray value;
    for (const HeaderField &field : headers) {
        if (field.name != name)
            continue;
        if (value.isEmpty())
            value = field.value;
        else
            value.append(", ").append(field.value);
    }
    return value;
}

// A node of a Forwarded "for=" or an X-Forwarded-For entry: "192.0.2.1", "192.0.2.1:443",
// "[2001:db8::1]:80", "2001:db8::1", quoted or not. Null for "unknown", "_hidden" and junk.
QHostAddress parseNode(QByteArray node)
{
    node = node.trimmed();
    if (node.size() >= 2 && node.startsWith('"') && node.endsWith('"'))
        node = node.mid(1, node.size() - 2);
    if (node.startsWith('[')) {
        const qsizetype close = node.indexOf(']');
        if (close < 0)
            return {};
        node = node.mid(1, close - 1);
    } else if (node.count(':') == 1) {
        node.truncate(node.indexOf(':')); // IPv4 with a port
    }
    QHostAddress address;
    if (!address.setAddress(QString::fromLatin1(node)))
        return {};
    return address;
}

// The value of `key` ("for", "proto") in one Forwarded element ("for=1.2.3.4;proto=https").
QByteArray forwardedParameter(const QByteArray &element, QByteArrayView key)
{
    for (const QByteArray &pair : element.split(';')) {
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0)
            continue;
        if (pair.left(eq).trimmed().compare(key, Qt::CaseInsensitive) == 0)
            return pair.mid(eq + 1).trimmed();
    }
    return {};
}

} // namespace

EdgePolicy::EdgePolicy(EdgeSettings settings)
    : m_settings(std::move(settings))
{
    for (const QString &origin : std::as_const(m_settings.corsOrigins)) {
        if (origin == QLatin1String("*"))
            m_wildcard = true;
        else
            m_origins.append(origin.toLatin1());
    }
    m_variesByOrigin = !m_origins.isEmpty();
    if (m_settings.rateLimit.quota > 0 || m_settings.expensiveRateLimit.quota > 0) {
        m_limiter =
            std::make_unique<RateLimiter>(m_settings.rateLimit, m_settings.expensiveRateLimit);
    }
}

bool EdgePolicy::isTrusted(const QHostAddress &address) const
{
    // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    const QHostAddress plain = isV4 ? QHostAddress(v4) : address;
    return std::ranges::any_of(m_settings.trustedProxies,
        [&plain](const QPair<QHostAddress, int> &subnet) { return plain.isInSubnet(subnet); });
}

EdgePolicy::Client EdgePolicy::resolveClient(
    const QHostAddress &peer, const QList<HeaderField> &headers) const
{
    Client client {peer, false, {}};
    if (!isTrusted(peer))
        return client;

    // The hops, nearest last; each proxy appends the address it received the request from.
    QList<QHostAddress> hops;
    bool unreadable = false; // an "unknown" or obfuscated node stops the walk there
    const QByteArray forwarded = headerValue(headers, "forwarded");
    QList<QByteArray> protos;
    if (!forwarded.isEmpty()) {
        for (const QByteArray &element : forwarded.split(',')) {
            hops.append(parseNode(forwardedParameter(element, "for")));
            protos.append(forwardedParameter(element, "proto").toLower());
        }
    } else {
        const QByteArray xff = headerValue(headers, "x-forwarded-for");
        if (!xff.isEmpty()) {
            for (const QByteArray &node : xff.split(','))
                hops.append(parseNode(node));
        }
        const QByteArray proto = headerValue(headers, "x-forwarded-proto");
        if (!proto.isEmpty()) {
            const qsizetype comma = proto.lastIndexOf(',');
            protos.append(proto.mid(comma + 1).trimmed().toLower());
        }
    }
    qsizetype chosen = -1;
    for (qsizetype i = hops.size() - 1; i >= 0 && !unreadable; --i) {
        if (hops[i].isNull()) {
            unreadable = true;
            break;
        }
        client.address = hops[i];
        client.forwarded = true;
        chosen = i;
        if (!isTrusted(hops[i]))
            break;
    }
    // Forwarded: the proto of the element that names the client (added by the proxy the
    // client reached). X-Forwarded-Proto: the nearest proxy's (rightmost) value.
    QByteArray proto;
    if (!forwarded.isEmpty())
        proto = chosen >= 0 ? protos.value(chosen) : QByteArray();
    else if (!protos.isEmpty())
        proto = protos.constLast();
    if (proto == "https" || proto == "http")
        client.proto = proto;
    return client;
}

QByteArray EdgePolicy::allowedOrigin(const QByteArray &origin) const
{
    if (origin.isEmpty())
        return {};
    if (m_origins.contains(origin))
        return origin;
    // Any origin, but then never with credentials: "*" itself, not the caller's origin echoed.
    return m_wildcard ? QByteArrayLiteral("*") : QByteArray();
}

void EdgePolicy::addCorsHeaders(HttpResponse &response, const QByteArray &allowed)
{
    response.withHeader(QByteArrayLiteral("Access-Control-Allow-Origin"), allowed);
    response.withHeader(QByteArrayLiteral("Access-Control-Expose-Headers"),
        QByteArrayLiteral("ETag, Location, X-Request-Id, Retry-After, RateLimit, "
                          "RateLimit-Policy, Traceparent"));
}

void EdgePolicy::addPreflightHeaders(HttpResponse &response, const QByteArray &allowMethods)
{
    response.withHeader(QByteArrayLiteral("Access-Control-Allow-Methods"), allowMethods);
    response.withHeader(QByteArrayLiteral("Access-Control-Allow-Headers"),
        QByteArrayLiteral("Authorization, Content-Type, If-Match, If-None-Match, X-Request-Id, "
                          "Range, Traceparent, Tracestate"));
    response.withHeader(QByteArrayLiteral("Access-Control-Max-Age"), QByteArrayLiteral("600"));
}

void EdgePolicy::absoluteLocation(HttpResponse &response) const
{
    if (m_settings.publicUrl.isEmpty())
        return;
    for (auto &[name, value] : response.headers) {
        if (name.compare("Location", Qt::CaseInsensitive) == 0 && value.startsWith('/')
            && !value.startsWith("//"))
            value.prepend(m_settings.publicUrl);
    }
}

void EdgePolicy::addRateLimitHeaders(HttpResponse &response, const RateLimiter::Decision &decision)
{
    const RateLimitPolicy &policy = *decision.policy;
    QByteArray state;
    state.reserve(40);
    state.append('"').append(policy.name).append("\";r=");
    state.append(QByteArray::number(decision.remaining)).append(";t=");
    state.append(QByteArray::number(decision.resetSeconds));
    response.headers.reserve(response.headers.size() + 2);
    response.withHeader(QByteArrayLiteral("RateLimit-Policy"), policy.fieldValue);
    response.withHeader(QByteArrayLiteral("RateLimit"), state);
}

} // namespace Outpost::Server
