#include "operationalapi.h"

#include "auth/crypto.h"
#include "http/problem.h"
#include "http/router.h"
#include "observability/metrics.h"
#include "services/authservice.h"
#include "services/healthservice.h"
#include "services/servercontext.h"

#include <optional>

namespace Outpost::Server {

namespace {

// Who may read /metrics on the main listener (see the README's configuration table).
enum class MetricsAccess {
    Anyone,    // plain HTTP and no setting: as before, for a private network or a proxy in front
    Token,     // OUTPOST_METRICS_TOKEN: a matching bearer token, from anywhere
    Elsewhere, // OUTPOST_METRICS_LISTEN without a token: only on that listener
    Loopback,  // TLS without either setting: an internet-facing port, so loopback clients only
};

MetricsAccess metricsAccess(const Config &config)
{
    if (!config.metricsToken.isEmpty())
        return MetricsAccess::Token;
    if (!config.metricsListenAddress.isNull())
        return MetricsAccess::Elsewhere;
    return config.tlsEnabled() ? MetricsAccess::Loopback : MetricsAccess::Anyone;
}

// Whether the request carries an admin's credentials (the desktop app's dashboard charts
// /metrics as a signed-in admin, wherever the server is).
bool fromAdmin(const ServerContext &context, const QByteArray &bearer)
{
    if (bearer.isEmpty() || !context.auth)
        return false;
    const Result<Principal> principal = context.auth->authenticate(bearer);
    return principal && principal->isAdmin();
}

// Null when the request may read the metrics, else the problem to answer.
std::optional<HttpResponse> refuseMetrics(const ServerContext &context, MetricsAccess access,
    const QByteArray &token, const Request &request)
{
    if (access == MetricsAccess::Anyone)
        return std::nullopt;
    const QByteArray header = request.header(QByteArrayLiteral("authorization"));
    const bool isBearer =
        header.size() > 7 && header.left(7).compare("Bearer ", Qt::CaseInsensitive) == 0;
    const QByteArray bearer = isBearer ? header.mid(7).trimmed() : QByteArray();
    switch (access) {
    case MetricsAccess::Anyone:
        return std::nullopt;
    case MetricsAccess::Token:
        if (isBearer && Crypto::constantTimeEquals(bearer, token))
            return std::nullopt;
        if (fromAdmin(context, bearer))
            return std::nullopt;
        // Problem::make() adds WWW-Authenticate: Bearer to a 401.
        return Problem::make(401, QStringLiteral("/metrics needs Authorization: Bearer <token>"));
    case MetricsAccess::Elsewhere:
        if (fromAdmin(context, bearer))
            return std::nullopt;
        return Problem::make(404, QStringLiteral("no route for this path"));
    case MetricsAccess::Loopback:
        if (request.peer().isLoopback() || fromAdmin(context, bearer))
            return std::nullopt;
        return Problem::make(403,
            QStringLiteral("/metrics answers loopback clients and admins only; set "
                           "OUTPOST_METRICS_TOKEN or OUTPOST_METRICS_LISTEN to scrape it from "
                           "elsewhere"));
    }
    return std::nullopt;
}

HttpResponse metricsText(const ServerContext &context)
{
    return HttpResponse::text(200, context.metrics->render(),
        QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
}

constexpr const char *kMetricsOpenApi = R"json({"operationId": "getMetrics",
            "description": "Request counts by method, route template and status; latency histograms by route; open connections; build and process facts. Who may read it is configured: with OUTPOST_METRICS_TOKEN a matching bearer token is required (401 otherwise); with OUTPOST_METRICS_LISTEN it is served on that separate address (404 here); under TLS without either, loopback clients only (403 otherwise); over plain HTTP without either, anyone. A signed-in admin's access token is always accepted (the desktop app's dashboard).",
            "responses": {"200": {"description": "Prometheus text exposition format 0.0.4",
                "content": {"text/plain": {"schema": {"type": "string"}}}},
                "401": {"description": "OUTPOST_METRICS_TOKEN is set and the bearer token is missing or wrong", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "403": {"description": "TLS without a metrics setting, and the client is not on loopback", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "404": {"description": "Served on OUTPOST_METRICS_LISTEN instead", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}})json";

} // namespace

void OperationalApi::registerMetricsListenerRoutes(Router &router, const ServerContext &context)
{
    router.add({
        .method = "GET",
        .path = QStringLiteral("/metrics"),
        .access = Access::Public,
        .tag = QStringLiteral("Operations"),
        .summary = QStringLiteral("Prometheus metrics"),
        .openapi = kMetricsOpenApi,
        .handler = [&context](Request &) { return metricsText(context); },
    });
}

void OperationalApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.addTag(QStringLiteral("Operations"),
        QStringLiteral("Health and readiness probes, Prometheus metrics, and this document with "
                       "its Swagger UI."));
    router.add({
        .method = "GET",
        .path = QStringLiteral("/healthz"),
        .access = Access::Public,
        .tag = QStringLiteral("Operations"),
        .summary = QStringLiteral("The process is alive"),
        .openapi = R"json({"operationId": "getHealth",
            "description": "Answers as long as the process serves HTTP; checks no dependency.",
            "responses": {"200": {"description": "Alive", "content": {"application/json": {
                "schema": {"type": "object", "required": ["status"],
                           "properties": {"status": {"const": "ok"}}}}}}}})json",
        .handler =
            [](Request &) {
                static const QByteArray body = QByteArrayLiteral("{\"status\":\"ok\"}");
                return HttpResponse::json(200, body);
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/readyz"),
        .access = Access::Public,
        .tag = QStringLiteral("Operations"),
        .summary = QStringLiteral("The database and the file store are reachable"),
        .openapi = R"json({"operationId": "getReadiness",
            "description": "For load balancers: 200 when this replica can serve, 503 (a problem document with the same checks) when it cannot.",
            "responses": {
                "200": {"description": "Ready", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["status", "checks"],
                    "properties": {"status": {"const": "ready"},
                                   "checks": {"type": "object", "properties": {
                                       "database": {"type": "string"},
                                       "file_store": {"type": "string"},
                                       "disk": {"type": "string"}}}}}}}},
                "503": {"description": "Not ready", "content": {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}}}}}})json",
        .handler =
            [&context](Request &request) {
                const Readiness r = HealthService(context).readiness();
                const QJsonObject checks {{QStringLiteral("database"), r.databaseDetail},
                    {QStringLiteral("file_store"), r.fileStoreDetail},
                    {QStringLiteral("disk"), r.diskDetail}};
                if (r.ready()) {
                    return HttpResponse::json(200,
                        QJsonObject {{QStringLiteral("status"), QStringLiteral("ready")},
                            {QStringLiteral("checks"), checks}});
                }
                return Problem::make(503,
                    r.databaseOk && r.fileStoreOk ? r.diskDetail
                                                  : QStringLiteral("a dependency is not reachable"),
                    request.path(), QJsonObject {{QStringLiteral("checks"), checks}});
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/metrics"),
        .access = Access::Public,
        .tag = QStringLiteral("Operations"),
        .summary = QStringLiteral("Prometheus metrics"),
        .openapi = kMetricsOpenApi,
        .handler =
            [&context, access = metricsAccess(context.config), token = context.config.metricsToken](
                Request &request) {
                if (auto refused = refuseMetrics(context, access, token, request))
                    return std::move(*refused);
                return metricsText(context);
            },
    });
}

} // namespace Outpost::Server
