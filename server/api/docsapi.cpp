#include "docsapi.h"

#include "http/problem.h"
#include "http/router.h"

#include "docsassets.h"

#include <QFile>
#include <QHash>
#include <QMutex>

namespace Outpost::Server {

namespace {

// Swagger UI runs from its own assets only: scripts, styles and fonts from this server,
// images from here or data: URIs (its CSS icons), requests to this server only (Try it out);
// no inline script, no framing, no plugins. The one inline style the Swagger UI bundle applies
// (swagger-ui-dist 5.35.0, tools/package.json) is allowed by its hash; a new version with
// another one fails tests/docs/docs-browser.mjs (tst_docsbrowser) until the hash is updated.
// With single sign-on for Swagger UI, connect-src also names the providers' origins (its
// discovery document and token endpoint are fetched from the page).
QByteArray docsPolicy(const QStringList &signInOrigins)
{
    QByteArray connect = QByteArrayLiteral("'self'");
    for (const QString &origin : signInOrigins)
        connect += ' ' + origin.toLatin1();
    return QByteArrayLiteral("default-src 'none'; script-src 'self'; "
                             "style-src 'self' "
                             "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='; "
                             "img-src 'self' data:; font-src 'self'; connect-src ")
        + connect
        + QByteArrayLiteral("; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
                            "object-src 'none'");
}

// The Swagger UI assets, read from the resources compiled into the binary once each.
HttpResponse asset(const QString &name, const QString &instance, const QByteArray &policy)
{
    static QMutex mutex;
    static QHash<QString, QByteArray> cache;
    const QString path = DocsAssets::resourcePath(name);
    if (path.isEmpty())
        return Problem::make(404, QStringLiteral("no documentation asset %1").arg(name), instance);
    QByteArray body;
    {
        QMutexLocker lock(&mutex);
        auto it = cache.find(path);
        if (it == cache.end()) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                return Problem::make(
                    404, QStringLiteral("no documentation asset %1").arg(name), instance);
            }
            it = cache.insert(path, file.readAll());
        }
        body = *it;
    }
    HttpResponse response = HttpResponse::text(200, body, DocsAssets::contentType(path));
    response.withHeader(
        QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("public, max-age=3600"));
    if (response.contentType.startsWith("text/html"))
        response.withHeader(QByteArrayLiteral("Content-Security-Policy"), policy);
    return response;
}

} // namespace

void DocsApi::registerRoutes(
    Router &router, const QByteArray &openApiJson, const QStringList &signInOrigins)
{
    const QByteArray policy = docsPolicy(signInOrigins);
    router.add({
        .method = "GET",
        .path = QStringLiteral("/openapi.json"),
        .access = Access::Public,
        .tag = QStringLiteral("Operations"),
        .summary = QStringLiteral("This OpenAPI 3.1 document"),
        .openapi =
            R"json({"operationId": "getOpenApiDocument", "responses": {"200": {"description": "OpenAPI 3.1",
            "content": {"application/json": {"schema": {"type": "object"}}}}}})json",
        .handler = [&openApiJson](Request &) { return HttpResponse::json(200, openApiJson); },
    });
    router.add({
        .method = "GET",
        .path = QStringLiteral("/docs"),
        .access = Access::Public,
        .tag = QStringLiteral("Operations"),
        .summary = QStringLiteral("Swagger UI (bundled, works offline)"),
        .openapi =
            R"json({"operationId": "getApiDocs", "responses": {"200": {"description": "HTML page",
            "content": {"text/html": {"schema": {"type": "string"}}}}}})json",
        .handler = [policy](Request &request) { return asset(QString(), request.path(), policy); },
    });
    router.add({
        .method = "GET",
        .path = QStringLiteral("/docs/{asset}"),
        .access = Access::Public,
        .tag = QStringLiteral("Operations"),
        .summary = QStringLiteral("Swagger UI assets"),
        .openapi =
            R"json({"operationId": "getApiDocsAsset", "responses": {"200": {"description": "A static asset"},
            "404": {"description": "No such asset", "content": {"application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"}}}}}})json",
        .handler =
            [policy](Request &request) {
                return asset(request.pathParam(QStringLiteral("asset")), request.path(), policy);
            },
    });
}

} // namespace Outpost::Server
