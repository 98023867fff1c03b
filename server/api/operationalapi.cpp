#include "operationalapi.h"

#include "http/problem.h"
#include "http/router.h"
#include "observability/metrics.h"
#include "services/healthservice.h"
#include "services/servercontext.h"

namespace Outpost::Server {

void OperationalApi::registerRoutes(Router &router, const ServerContext &context)
{
    router.add({
        .method = "GET",
        .path = QStringLiteral("/healthz"),
        .access = Access::Public,
        .tag = QStringLiteral("Operations"),
        .summary = QStringLiteral("The process is alive"),
        .openapi = R"json({
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
        .openapi = R"json({
            "description": "For load balancers: 200 when this replica can serve, 503 (a problem document with the same checks) when it cannot.",
            "responses": {
                "200": {"description": "Ready", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["status", "checks"],
                    "properties": {"status": {"const": "ready"},
                                   "checks": {"type": "object", "properties": {
                                       "database": {"type": "string"},
                                       "file_store": {"type": "string"}}}}}}}},
                "503": {"description": "Not ready", "content": {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}}}}}})json",
        .handler =
            [&context](Request &request) {
                const Readiness r = HealthService(context).readiness();
                const QJsonObject checks {{QStringLiteral("database"), r.databaseDetail},
                    {QStringLiteral("file_store"), r.fileStoreDetail}};
                if (r.ready()) {
                    return HttpResponse::json(200,
                        QJsonObject {{QStringLiteral("status"), QStringLiteral("ready")},
                            {QStringLiteral("checks"), checks}});
                }
                return Problem::make(503, QStringLiteral("a dependency is not reachable"),
                    request.path(), QJsonObject {{QStringLiteral("checks"), checks}});
            },
    });

    router.add({
        .method = "GET",
        .path = QStringLiteral("/metrics"),
        .access = Access::Public,
        .tag = QStringLiteral("Operations"),
        .summary = QStringLiteral("Prometheus metrics"),
        .openapi = R"json({
            "description": "Request counts by method, route template and status; latency histograms by route; open connections; build and process facts. Keep it off the public internet (see packaging/nginx/outpost.conf).",
            "responses": {"200": {"description": "Prometheus text exposition format 0.0.4",
                "content": {"text/plain": {"schema": {"type": "string"}}}}}})json",
        .handler =
            [&context](Request &) {
                return HttpResponse::text(200, context.metrics->render(),
                    QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
            },
    });
}

} // namespace Outpost::Server
