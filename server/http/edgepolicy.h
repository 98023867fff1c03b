#pragma once

#include "framedrequest.h"
#include "httpresponse.h"
#include "ratelimiter.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QStringList>

#include <memory>

namespace Outpost::Server {

// What the server does at the edge, decided once per request by the engine: which address the
// client really has (trusted proxies), CORS, absolute URLs and the rate limits. Immutable after
// start and shared by every HTTP thread.
struct EdgeSettings
{
    // Peers whose X-Forwarded-For / Forwarded / X-Forwarded-Proto are believed.
    QList<QPair<QHostAddress, int>> trustedProxies;
    QStringList corsOrigins; // exact origins, or "*" alone; empty: no CORS headers at all
    QByteArray publicUrl;    // prefix for Location; empty: Location stays relative
    RateLimitPolicy rateLimit {QByteArrayLiteral("default"), 0, 60, {}};
    RateLimitPolicy expensiveRateLimit {QByteArrayLiteral("expensive"), 0, 60, {}};
    bool rateLimitLoopback = false; // false: loopback clients are exempt
};

class EdgePolicy
{
public:
    explicit EdgePolicy(EdgeSettings settings);

    struct Client
    {
        QHostAddress address;
        bool forwarded = false; // the address came from a trusted proxy's header
        QByteArray proto;       // "https"/"http" from a trusted proxy, else empty
    };
    // The client behind `peer`: `peer` itself unless it is a trusted proxy, in which case the
    // forwarding headers are walked from the right, skipping trusted hops (RFC 7239 Forwarded
    // first, else X-Forwarded-For).
    Client resolveClient(const QHostAddress &peer, const QList<HeaderField> &headers) const;
    bool hasTrustedProxies() const { return !m_settings.trustedProxies.isEmpty(); }
    bool isTrusted(const QHostAddress &address) const;

    // CORS: the Access-Control-Allow-Origin value for a request's Origin, empty if none.
    bool corsEnabled() const { return !m_settings.corsOrigins.isEmpty(); }
    QByteArray allowedOrigin(const QByteArray &origin) const;
    // Headers for an answer to a request from an allowed origin (`allowed`, see above).
    static void addCorsHeaders(HttpResponse &response, const QByteArray &allowed);
    // A preflight's answer (OPTIONS with Access-Control-Request-Method) for an allowed origin.
    static void addPreflightHeaders(HttpResponse &response, const QByteArray &allowMethods);
    // Whether responses vary by Origin (an exact-origin list), so caches keep them apart.
    bool variesByOrigin() const { return m_variesByOrigin; }

    // Makes a relative Location absolute under the public URL, when one is set.
    void absoluteLocation(HttpResponse &response) const;

    RateLimiter *rateLimiter() const { return m_limiter.get(); }
    bool limitsLoopback() const { return m_settings.rateLimitLoopback; }
    // The RateLimit-Policy and RateLimit field values for a decision (IETF httpapi draft).
    static void addRateLimitHeaders(HttpResponse &response, const RateLimiter::Decision &decision);

private:
    EdgeSettings m_settings;
    QList<QByteArray> m_origins;
    bool m_wildcard = false;
    bool m_variesByOrigin = false;
    std::unique_ptr<RateLimiter> m_limiter;
};

} // namespace Outpost::Server
