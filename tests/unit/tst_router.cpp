// Router matching (server/http/router.cpp), the OpenAPI document built from the route table
// (server/http/openapi.cpp) and the one error-to-status mapping (server/http/problem.cpp).
#include "http/openapi.h"
#include "http/problem.h"
#include "http/router.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Outpost;
using namespace Outpost::Server;

namespace {

Route route(const char *method, const QString &path, Access access = Access::Public,
    const char *openapi = nullptr)
{
    return Route {
        .method = method,
        .path = path,
        .access = access,
        .tag = QStringLiteral("Test"),
        .summary = path,
        .openapi = openapi,
        .handler = [](Request &) { return HttpResponse::noContent(); },
    };
}

// The template of the route a request matched, or "-" if none.
QString matched(const Router &router, const QByteArray &method, const QString &path)
{
    const Router::Match match = router.match(method, path);
    return match.route ? QString::fromLatin1(match.route->method) + u' ' + match.route->path
                       : QStringLiteral("-");
}

QJsonObject operation(const QJsonObject &document, const QString &path, const QString &method)
{
    return document.value(QStringLiteral("paths"))
        .toObject()
        .value(path)
        .toObject()
        .value(method)
        .toObject();
}

QJsonObject problemJson(const HttpResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

} // namespace

class TestRouter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Router
    void literalBeatsParameter();
    void parameterTakesAnyNonEmptySegment();
    void backtracksToParameterWhenLiteralDeadEnds();
    void keepsParametersCapturedBeforeLaterSegmentsAreDecoded();
    void backtrackingKeepsOnlyTheWinningParams();
    void backtracksToTailWhenLiteralLacksTheMethod();
    void tailTakesTheRestOfThePath();
    void tailNeedsASegment();
    void literalBeatsTail();
    void percentDecodesEachSegment();
    void emptySegmentDoesNotMatchAParameter();
    void unknownPathDoesNotExist();
    void wrongMethodListsAllowedSorted();
    void allowedHasHeadOnlyWithGet();
    void headFallsBackToGet();
    void explicitHeadRouteWins();
    void optionsIsAnsweredByTheEngine();

    // OpenApi
    void documentListsEveryRoute();
    void documentAddsUndeclaredPathParameters();
    void documentKeepsDeclaredPathParameters();
    void documentAddsSecurityByAccess();
    void documentKeepsDeclaredErrorResponses();
    void documentGivesEveryOperationIdAndDefault();
    void documentOrdersPathThenRequiredThenOptionalParameters();
    void documentHasTheSharedParts();
    void documentKeepsARoutesOperationId();
    void documentGivesEveryErrorResponseAProblemBody();
    void documentDescribesTagsServersAndContact();

    // Problem
    void statusForEveryErrorCode_data();
    void statusForEveryErrorCode();
    void makeBuildsAProblemDocument();
    void makeLeavesOutEmptyDetailAndInstance();
    void fromErrorAddsFieldErrorsForValidation();
    void fromErrorAddsNoErrorsOtherwise();
    void fromErrorAddsRetryAfterWhenRateLimited();
    void unauthorizedCarriesWwwAuthenticate();
};

void TestRouter::literalBeatsParameter()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v1/posts/{id}")));
    router.add(route("GET", QStringLiteral("/v1/posts/search")));
    QCOMPARE(matched(router, "GET", QStringLiteral("/v1/posts/search")),
        QStringLiteral("GET /v1/posts/search"));
    const Router::Match match = router.match("GET", QStringLiteral("/v1/posts/search"));
    QVERIFY(match.params.isEmpty());
}

void TestRouter::parameterTakesAnyNonEmptySegment()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v1/posts/{id}")));
    router.add(route("GET", QStringLiteral("/v1/posts/search")));
    const Router::Match match = router.match("GET", QStringLiteral("/v1/posts/42"));
    QVERIFY(match.route);
    QCOMPARE(match.route->path, QStringLiteral("/v1/posts/{id}"));
    QCOMPARE(
        match.params, (QHash<QString, QString> {{QStringLiteral("id"), QStringLiteral("42")}}));
    QVERIFY(match.pathExists);
}

// A parameter's value was a reference into the list of decoded segments, which decoding the
// segments after it could reallocate: make test-asan reported a heap-use-after-free here.
void TestRouter::keepsParametersCapturedBeforeLaterSegmentsAreDecoded()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/end")));
    router.add(route("GET", QStringLiteral("/v/{rest...}")));
    const Router::Match match =
        router.match("GET", QStringLiteral("/v/first%20one/2/3/4/5/6/7/last%2Fone/end"));
    QVERIFY(match.route);
    QCOMPARE(match.route->path, QStringLiteral("/v/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/end"));
    QCOMPARE(match.params.value(QStringLiteral("a")), QStringLiteral("first one"));
    QCOMPARE(match.params.value(QStringLiteral("d")), QStringLiteral("4"));
    QCOMPARE(match.params.value(QStringLiteral("h")), QStringLiteral("last/one"));
}

void TestRouter::backtracksToParameterWhenLiteralDeadEnds()
{
    Router router;
    router.add(route("GET", QStringLiteral("/a/b/c")));
    router.add(route("GET", QStringLiteral("/a/{x}/d")));
    QCOMPARE(matched(router, "GET", QStringLiteral("/a/b/c")), QStringLiteral("GET /a/b/c"));
    const Router::Match match = router.match("GET", QStringLiteral("/a/b/d"));
    QVERIFY(match.route);
    QCOMPARE(match.route->path, QStringLiteral("/a/{x}/d"));
    QCOMPARE(match.params.value(QStringLiteral("x")), QStringLiteral("b"));
}

void TestRouter::backtrackingKeepsOnlyTheWinningParams()
{
    // /r/lit/{q} exists only as a prefix of /r/lit/{q}/y: "/r/lit/x" walks into {q}, finds no
    // route there, and must come back without q.
    Router router;
    router.add(route("GET", QStringLiteral("/r/{p}/x")));
    router.add(route("GET", QStringLiteral("/r/lit/{q}/y")));
    const Router::Match match = router.match("GET", QStringLiteral("/r/lit/x"));
    QVERIFY(match.route);
    QCOMPARE(match.route->path, QStringLiteral("/r/{p}/x"));
    QCOMPARE(
        match.params, (QHash<QString, QString> {{QStringLiteral("p"), QStringLiteral("lit")}}));

    const Router::Match deeper = router.match("GET", QStringLiteral("/r/lit/v/y"));
    QVERIFY(deeper.route);
    QCOMPARE(deeper.params, (QHash<QString, QString> {{QStringLiteral("q"), QStringLiteral("v")}}));
}

void TestRouter::backtracksToTailWhenLiteralLacksTheMethod()
{
    // API.md: PUT/GET /v1/files/{path} take any relative path, and POST /v1/files/generated is
    // a literal beside it. A file called "generated" must still be reachable: a literal that
    // has no route for the method is a dead end, like one with no route at all.
    Router router;
    router.add(route("PUT", QStringLiteral("/v1/files/{path...}")));
    router.add(route("GET", QStringLiteral("/v1/files/{path...}")));
    router.add(route("POST", QStringLiteral("/v1/files/generated")));
    QCOMPARE(matched(router, "POST", QStringLiteral("/v1/files/generated")),
        QStringLiteral("POST /v1/files/generated"));
    const Router::Match put = router.match("PUT", QStringLiteral("/v1/files/generated"));
    QCOMPARE(put.route ? put.route->path : QString(), QStringLiteral("/v1/files/{path...}"));
    QCOMPARE(put.params.value(QStringLiteral("path")), QStringLiteral("generated"));
    QCOMPARE(matched(router, "GET", QStringLiteral("/v1/files/generated")),
        QStringLiteral("GET /v1/files/{path...}"));
}

void TestRouter::tailTakesTheRestOfThePath()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v1/files/{path...}")));
    const Router::Match one = router.match("GET", QStringLiteral("/v1/files/a.txt"));
    QVERIFY(one.route);
    QCOMPARE(one.params.value(QStringLiteral("path")), QStringLiteral("a.txt"));
    const Router::Match many =
        router.match("GET", QStringLiteral("/v1/files/docs/2026/report.pdf"));
    QVERIFY(many.route);
    QCOMPARE(many.params.value(QStringLiteral("path")), QStringLiteral("docs/2026/report.pdf"));
    const Router::Match encoded =
        router.match("GET", QStringLiteral("/v1/files/my%20docs/a%2Fb.txt"));
    QVERIFY(encoded.route);
    QCOMPARE(encoded.params.value(QStringLiteral("path")), QStringLiteral("my docs/a/b.txt"));
}

void TestRouter::tailNeedsASegment()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v1/files/{path...}")));
    const Router::Match match = router.match("GET", QStringLiteral("/v1/files"));
    QVERIFY(!match.route);
    QVERIFY(!match.pathExists);
}

void TestRouter::literalBeatsTail()
{
    Router router;
    router.add(route("GET", QStringLiteral("/docs/{asset...}")));
    router.add(route("GET", QStringLiteral("/docs/index")));
    router.add(route("GET", QStringLiteral("/docs/{name}/raw")));
    QCOMPARE(
        matched(router, "GET", QStringLiteral("/docs/index")), QStringLiteral("GET /docs/index"));
    QCOMPARE(matched(router, "GET", QStringLiteral("/docs/a/raw")),
        QStringLiteral("GET /docs/{name}/raw"));
    QCOMPARE(matched(router, "GET", QStringLiteral("/docs/a/b")),
        QStringLiteral("GET /docs/{asset...}"));
    QCOMPARE(matched(router, "GET", QStringLiteral("/docs/index/more")),
        QStringLiteral("GET /docs/{asset...}"));
}

void TestRouter::percentDecodesEachSegment()
{
    Router router;
    router.add(route("GET", QStringLiteral("/x/{id}")));
    router.add(route("GET", QStringLiteral("/x/{id}/c")));
    router.add(route("GET", QStringLiteral("/v1/posts/search")));

    // An encoded slash stays inside its segment.
    const Router::Match slash = router.match("GET", QStringLiteral("/x/a%2Fb"));
    QCOMPARE(slash.route ? slash.route->path : QString(), QStringLiteral("/x/{id}"));
    QCOMPARE(slash.params.value(QStringLiteral("id")), QStringLiteral("a/b"));
    const Router::Match inner = router.match("GET", QStringLiteral("/x/a%2Fb/c"));
    QCOMPARE(inner.route ? inner.route->path : QString(), QStringLiteral("/x/{id}/c"));
    QCOMPARE(inner.params.value(QStringLiteral("id")), QStringLiteral("a/b"));

    QCOMPARE(router.match("GET", QStringLiteral("/x/caf%C3%A9")).params.value(QStringLiteral("id")),
        QStringLiteral("caf\u00e9"));
    QCOMPARE(router.match("GET", QStringLiteral("/x/a%20b")).params.value(QStringLiteral("id")),
        QStringLiteral("a b"));
    // Literals compare decoded, too.
    QCOMPARE(matched(router, "GET", QStringLiteral("/v1/posts/%73earch")),
        QStringLiteral("GET /v1/posts/search"));
}

void TestRouter::emptySegmentDoesNotMatchAParameter()
{
    Router router;
    router.add(route("GET", QStringLiteral("/x/{id}")));
    router.add(route("GET", QStringLiteral("/x/{id}/c")));
    QCOMPARE(matched(router, "GET", QStringLiteral("/x/")), QStringLiteral("-"));
    QVERIFY(!router.match("GET", QStringLiteral("/x/")).pathExists);
    QCOMPARE(matched(router, "GET", QStringLiteral("/x//c")), QStringLiteral("-"));
    QVERIFY(!router.match("GET", QStringLiteral("/x//c")).pathExists);
}

void TestRouter::unknownPathDoesNotExist()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v1/posts")));
    for (const QString &path : {QStringLiteral("/nope"), QStringLiteral("/v1"),
             QStringLiteral("/v1/posts/1"), QStringLiteral("/")}) {
        const Router::Match match = router.match("GET", path);
        QVERIFY2(!match.route, qPrintable(path));
        QVERIFY2(!match.pathExists, qPrintable(path));
        QVERIFY2(match.allowed.isEmpty(), qPrintable(path));
    }
}

void TestRouter::wrongMethodListsAllowedSorted()
{
    Router router;
    router.add(route("POST", QStringLiteral("/p")));
    router.add(route("GET", QStringLiteral("/p")));
    router.add(route("DELETE", QStringLiteral("/p")));
    const Router::Match match = router.match("PUT", QStringLiteral("/p"));
    QVERIFY(!match.route);
    QVERIFY(match.pathExists);
    QCOMPARE(match.allowed, (QByteArrayList {"DELETE", "GET", "HEAD", "OPTIONS", "POST"}));
}

void TestRouter::allowedHasHeadOnlyWithGet()
{
    Router router;
    router.add(route("POST", QStringLiteral("/only-post")));
    const Router::Match match = router.match("GET", QStringLiteral("/only-post"));
    QVERIFY(!match.route);
    QVERIFY(match.pathExists);
    QCOMPARE(match.allowed, (QByteArrayList {"OPTIONS", "POST"}));
}

void TestRouter::headFallsBackToGet()
{
    Router router;
    router.add(route("GET", QStringLiteral("/p")));
    QCOMPARE(matched(router, "HEAD", QStringLiteral("/p")), QStringLiteral("GET /p"));

    Router postOnly;
    postOnly.add(route("POST", QStringLiteral("/p")));
    const Router::Match match = postOnly.match("HEAD", QStringLiteral("/p"));
    QVERIFY(!match.route);
    QCOMPARE(match.allowed, (QByteArrayList {"OPTIONS", "POST"}));
}

void TestRouter::explicitHeadRouteWins()
{
    Router router;
    router.add(route("GET", QStringLiteral("/p")));
    router.add(route("HEAD", QStringLiteral("/p")));
    QCOMPARE(matched(router, "HEAD", QStringLiteral("/p")), QStringLiteral("HEAD /p"));
    const Router::Match match = router.match("PUT", QStringLiteral("/p"));
    QCOMPARE(match.allowed, (QByteArrayList {"GET", "HEAD", "OPTIONS"}));
}

void TestRouter::optionsIsAnsweredByTheEngine()
{
    Router router;
    router.add(route("GET", QStringLiteral("/p/{id}")));
    const Router::Match match = router.match("OPTIONS", QStringLiteral("/p/7"));
    QVERIFY(!match.route);
    QVERIFY(match.pathExists);
    QCOMPARE(match.allowed, (QByteArrayList {"GET", "HEAD", "OPTIONS"}));
}

void TestRouter::documentListsEveryRoute()
{
    Router router;
    router.add(route("GET", QStringLiteral("/healthz")));
    router.add(route("GET", QStringLiteral("/v1/posts")));
    router.add(route("POST", QStringLiteral("/v1/posts"), Access::Authenticated));
    router.add(route("GET", QStringLiteral("/v1/posts/{id}"), Access::Authenticated));
    router.add(route("PUT", QStringLiteral("/v1/files/{path...}"), Access::Authenticated));
    router.add(route("GET", QStringLiteral("/v1/admin/info"), Access::Admin));
    const QJsonObject document = OpenApi::document(router, QStringLiteral("9.8.7"));

    QCOMPARE(document.value(QStringLiteral("openapi")).toString(), QStringLiteral("3.1.0"));
    QCOMPARE(document.value(QStringLiteral("info"))
                 .toObject()
                 .value(QStringLiteral("version"))
                 .toString(),
        QStringLiteral("9.8.7"));
    const QJsonObject paths = document.value(QStringLiteral("paths")).toObject();
    QCOMPARE(paths.size(), 5);
    for (const Route &r : router.routes()) {
        QString path = r.path;
        path.replace(QLatin1String("...}"), QLatin1String("}"));
        const QJsonObject op = operation(document, path, QString::fromLatin1(r.method).toLower());
        QVERIFY2(!op.isEmpty(), qPrintable(QString::fromLatin1(r.method) + u' ' + r.path));
        QCOMPARE(op.value(QStringLiteral("summary")).toString(), r.path);
        QCOMPARE(op.value(QStringLiteral("tags")).toArray(), QJsonArray {QStringLiteral("Test")});
    }
    QVERIFY(!paths.contains(QStringLiteral("/v1/files/{path...}")));
    QCOMPARE(document.value(QStringLiteral("tags")).toArray(),
        (QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("Test")}}}));
}

void TestRouter::documentAddsUndeclaredPathParameters()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v1/pipelines/{id}/runs/{run}")));
    router.add(route("PUT", QStringLiteral("/v1/files/{path...}")));
    const QJsonObject document = OpenApi::document(router, QStringLiteral("1.0.0"));

    const auto parameter = [](const QString &name) {
        return QJsonObject {{QStringLiteral("name"), name},
            {QStringLiteral("in"), QStringLiteral("path")}, {QStringLiteral("required"), true},
            {QStringLiteral("schema"),
                QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}}};
    };
    QCOMPARE(
        operation(document, QStringLiteral("/v1/pipelines/{id}/runs/{run}"), QStringLiteral("get"))
            .value(QStringLiteral("parameters"))
            .toArray(),
        (QJsonArray {parameter(QStringLiteral("id")), parameter(QStringLiteral("run"))}));
    QCOMPARE(operation(document, QStringLiteral("/v1/files/{path}"), QStringLiteral("put"))
                 .value(QStringLiteral("parameters"))
                 .toArray(),
        QJsonArray {parameter(QStringLiteral("path"))});
}

void TestRouter::documentKeepsDeclaredPathParameters()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v1/posts/{id}"), Access::Public, R"json({
        "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
            {"name": "fields", "in": "query", "schema": {"type": "string"}}]})json"));
    const QJsonObject document = OpenApi::document(router, QStringLiteral("1.0.0"));
    const QJsonArray parameters =
        operation(document, QStringLiteral("/v1/posts/{id}"), QStringLiteral("get"))
            .value(QStringLiteral("parameters"))
            .toArray();
    QCOMPARE(parameters.size(), 2);
    QCOMPARE(
        parameters.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("id"));
    QCOMPARE(parameters.at(0)
                 .toObject()
                 .value(QStringLiteral("schema"))
                 .toObject()
                 .value(QStringLiteral("type"))
                 .toString(),
        QStringLiteral("integer"));
    QCOMPARE(parameters.at(1).toObject().value(QStringLiteral("in")).toString(),
        QStringLiteral("query"));
}

void TestRouter::documentAddsSecurityByAccess()
{
    Router router;
    router.add(route("GET", QStringLiteral("/public")));
    router.add(route("GET", QStringLiteral("/signed-in"), Access::Authenticated));
    router.add(route("GET", QStringLiteral("/admin"), Access::Admin));
    const QJsonObject document = OpenApi::document(router, QStringLiteral("1.0.0"));

    const QJsonObject open = operation(document, QStringLiteral("/public"), QStringLiteral("get"));
    QCOMPARE(open.value(QStringLiteral("security")), QJsonValue(QJsonArray {}));
    QVERIFY(!open.value(QStringLiteral("responses")).toObject().contains(QStringLiteral("401")));
    QVERIFY(!open.value(QStringLiteral("responses")).toObject().contains(QStringLiteral("403")));

    const QJsonObject user =
        operation(document, QStringLiteral("/signed-in"), QStringLiteral("get"));
    const QJsonArray security = user.value(QStringLiteral("security")).toArray();
    QVERIFY(security.contains(QJsonObject {{QStringLiteral("bearer"), QJsonArray {}}}));
    const QJsonObject userResponses = user.value(QStringLiteral("responses")).toObject();
    QVERIFY(userResponses.contains(QStringLiteral("401")));
    QVERIFY(!userResponses.contains(QStringLiteral("403")));
    QCOMPARE(userResponses.value(QStringLiteral("401"))
                 .toObject()
                 .value(QStringLiteral("content"))
                 .toObject()
                 .value(QStringLiteral("application/problem+json"))
                 .toObject()
                 .value(QStringLiteral("schema"))
                 .toObject()
                 .value(QStringLiteral("$ref"))
                 .toString(),
        QStringLiteral("#/components/schemas/Problem"));

    const QJsonObject admin = operation(document, QStringLiteral("/admin"), QStringLiteral("get"));
    QCOMPARE(admin.value(QStringLiteral("security")).toArray(), security);
    const QJsonObject adminResponses = admin.value(QStringLiteral("responses")).toObject();
    QVERIFY(adminResponses.contains(QStringLiteral("401")));
    QVERIFY(adminResponses.contains(QStringLiteral("403")));

    // The schemes the operations refer to exist.
    const QJsonObject schemes = document.value(QStringLiteral("components"))
                                    .toObject()
                                    .value(QStringLiteral("securitySchemes"))
                                    .toObject();
    for (const QJsonValue &requirement : security) {
        for (const QString &scheme : requirement.toObject().keys())
            QVERIFY2(schemes.contains(scheme), qPrintable(scheme));
    }
}

void TestRouter::documentKeepsDeclaredErrorResponses()
{
    Router router;
    router.add(route("GET", QStringLiteral("/admin"), Access::Admin, R"json({
        "responses": {"200": {"description": "fine"},
                      "401": {"description": "custom 401"},
                      "403": {"description": "custom 403"}}})json"));
    const QJsonObject responses = operation(OpenApi::document(router, QStringLiteral("1.0.0")),
        QStringLiteral("/admin"), QStringLiteral("get"))
                                      .value(QStringLiteral("responses"))
                                      .toObject();
    QCOMPARE(responses.value(QStringLiteral("200"))
                 .toObject()
                 .value(QStringLiteral("description"))
                 .toString(),
        QStringLiteral("fine"));
    QCOMPARE(responses.value(QStringLiteral("401"))
                 .toObject()
                 .value(QStringLiteral("description"))
                 .toString(),
        QStringLiteral("custom 401"));
    QCOMPARE(responses.value(QStringLiteral("403"))
                 .toObject()
                 .value(QStringLiteral("description"))
                 .toString(),
        QStringLiteral("custom 403"));
}

void TestRouter::documentGivesEveryOperationIdAndDefault()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v1/posts")));
    router.add(route("POST", QStringLiteral("/v1/posts")));
    router.add(route("GET", QStringLiteral("/v1/posts/{id}")));
    router.add(route("GET", QStringLiteral("/v1/files/{path...}")));
    const QJsonObject document = OpenApi::document(router, QStringLiteral("1.0.0"));
    QSet<QString> ids;
    for (const Route &r : router.routes()) {
        QString path = r.path;
        path.replace(QLatin1String("...}"), QLatin1String("}"));
        const QJsonObject op = operation(document, path, QString::fromLatin1(r.method).toLower());
        const QString id = op.value(QStringLiteral("operationId")).toString();
        QVERIFY2(!id.isEmpty() && !ids.contains(id), qPrintable(id));
        ids.insert(id);
        const QJsonObject responses = op.value(QStringLiteral("responses")).toObject();
        QVERIFY(responses.contains(QStringLiteral("default")));
        QVERIFY(responses.contains(QStringLiteral("200"))); // none declared: a plain 200
    }
}

void TestRouter::documentOrdersPathThenRequiredThenOptionalParameters()
{
    Router router;
    Route described = route("GET", QStringLiteral("/v1/things/{id}/parts/{n}/{rest...}"),
        Access::Public, R"json({"parameters": [
            {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
            {"name": "n", "in": "path", "required": true, "schema": {"type": "integer"}},
            {"name": "X-Token", "in": "header", "required": true, "schema": {"type": "string"}}]})json");
    described.parameters = QList {OpenApi::idParameter()} + OpenApi::pageParameters();
    router.add(std::move(described));
    const QJsonObject document = OpenApi::document(router, QStringLiteral("1.0.0"));

    const QJsonArray parameters = operation(
        document, QStringLiteral("/v1/things/{id}/parts/{n}/{rest}"), QStringLiteral("get"))
                                      .value(QStringLiteral("parameters"))
                                      .toArray();
    QStringList names;
    for (const auto &parameter : parameters)
        names.append(parameter.toObject().value(QStringLiteral("name")).toString());
    // Path parameters in template order (rest, declared nowhere, as a string), then X-Token
    // (required), then the optional ones: shared before the description's own.
    QCOMPARE(names,
        (QStringList {QStringLiteral("id"), QStringLiteral("n"), QStringLiteral("rest"),
            QStringLiteral("X-Token"), QStringLiteral("limit"), QStringLiteral("skip"),
            QStringLiteral("verbose")}));
    QCOMPARE(parameters.at(0).toObject(), OpenApi::idParameter());
    QCOMPARE(parameters.at(2)
                 .toObject()
                 .value(QStringLiteral("schema"))
                 .toObject()
                 .value(QStringLiteral("type"))
                 .toString(),
        QStringLiteral("string"));
}

void TestRouter::documentHasTheSharedParts()
{
    QCOMPARE(OpenApi::idParameter(),
        QJsonDocument::fromJson(R"json({"name": "id", "in": "path", "required": true,
            "schema": {"type": "integer", "minimum": 1}})json")
            .object());
    const QList<QJsonObject> page = OpenApi::pageParameters();
    QCOMPARE(page.size(), 2);
    QCOMPARE(page.at(0),
        QJsonDocument::fromJson(R"json({"name": "limit", "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}})json")
            .object());
    QCOMPARE(page.at(1),
        QJsonDocument::fromJson(R"json({"name": "skip", "in": "query",
            "schema": {"type": "integer", "minimum": 0, "default": 0}})json")
            .object());

    Router router;
    router.addSchema(QStringLiteral("Thing"), R"json({"type": "object"})json");
    router.addSchema(QStringLiteral("ThingPage"), OpenApi::pageSchema(QStringLiteral("Thing")));
    const QJsonObject schemas = OpenApi::document(router, QStringLiteral("1.0.0"))
                                    .value(QStringLiteral("components"))
                                    .toObject()
                                    .value(QStringLiteral("schemas"))
                                    .toObject();
    QCOMPARE(schemas.value(QStringLiteral("Thing")).toObject(),
        (QJsonObject {{QStringLiteral("type"), QStringLiteral("object")}}));
    QCOMPARE(schemas.value(QStringLiteral("ThingPage")).toObject(),
        QJsonDocument::fromJson(
            R"json({"type": "object", "required": ["items", "total", "limit", "skip"],
            "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
                           "total": {"type": "integer"}, "limit": {"type": "integer"},
                           "skip": {"type": "integer"}}})json")
            .object());
}

void TestRouter::documentKeepsARoutesOperationId()
{
    Router router;
    router.add(route("GET", QStringLiteral("/v1/things"), Access::Public,
        R"json({"operationId": "listThings"})json"));
    router.add(route("POST", QStringLiteral("/v1/things")));
    const QJsonObject document = OpenApi::document(router, QStringLiteral("1.0.0"));
    QCOMPARE(operation(document, QStringLiteral("/v1/things"), QStringLiteral("get"))
                 .value(QStringLiteral("operationId"))
                 .toString(),
        QStringLiteral("listThings"));
    // A route without a name keeps the old generated one, which the validator rejects.
    QCOMPARE(operation(document, QStringLiteral("/v1/things"), QStringLiteral("post"))
                 .value(QStringLiteral("operationId"))
                 .toString(),
        QStringLiteral("post_v1_things"));
}

void TestRouter::documentGivesEveryErrorResponseAProblemBody()
{
    Router router;
    router.add(route("PUT", QStringLiteral("/v1/things/{id}"), Access::Authenticated, R"json({
        "responses": {"200": {"description": "Replaced"}, "304": {"description": "Same"},
                      "404": {"description": "No such thing"}, "422": {"description": "Invalid"},
                      "503": {"description": "Down", "content": {"text/plain": {"schema": {"type": "string"}}}}}})json"));
    const QJsonObject responses = operation(OpenApi::document(router, QStringLiteral("1.0.0")),
        QStringLiteral("/v1/things/{id}"), QStringLiteral("put"))
                                      .value(QStringLiteral("responses"))
                                      .toObject();
    const QJsonObject problem {{QStringLiteral("application/problem+json"),
        QJsonObject {{QStringLiteral("schema"),
            QJsonObject {
                {QStringLiteral("$ref"), QStringLiteral("#/components/schemas/Problem")}}}}}};
    for (const QString &status : {QStringLiteral("401"), QStringLiteral("404"),
             QStringLiteral("422"), QStringLiteral("429"), QStringLiteral("default")}) {
        const QJsonObject response = responses.value(status).toObject();
        QCOMPARE(response.value(QStringLiteral("content")).toObject(), problem);
        QVERIFY2(response.value(QStringLiteral("headers"))
                     .toObject()
                     .contains(QStringLiteral("X-Request-Id")),
            qPrintable(status));
    }
    QCOMPARE(responses.value(QStringLiteral("404"))
                 .toObject()
                 .value(QStringLiteral("description"))
                 .toString(),
        QStringLiteral("No such thing"));
    QVERIFY(responses.value(QStringLiteral("429"))
                .toObject()
                .value(QStringLiteral("headers"))
                .toObject()
                .contains(QStringLiteral("Retry-After")));
    // Success and redirection responses, and an error body a route declares, stay as declared.
    QVERIFY(!responses.value(QStringLiteral("200")).toObject().contains(QStringLiteral("content")));
    QVERIFY(!responses.value(QStringLiteral("304")).toObject().contains(QStringLiteral("content")));
    QVERIFY(responses.value(QStringLiteral("503"))
                .toObject()
                .value(QStringLiteral("content"))
                .toObject()
                .contains(QStringLiteral("text/plain")));
}

void TestRouter::documentDescribesTagsServersAndContact()
{
    Router router;
    router.addTag(QStringLiteral("Test"), QStringLiteral("Things to test with."));
    router.add(route("GET", QStringLiteral("/v1/things")));
    const QJsonObject document = OpenApi::document(router, QStringLiteral("1.0.0"));
    QCOMPARE(document.value(QStringLiteral("tags")).toArray(),
        (QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("Test")},
            {QStringLiteral("description"), QStringLiteral("Things to test with.")}}}));
    QCOMPARE(document.value(QStringLiteral("servers"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("url"))
                 .toString(),
        QStringLiteral("/"));
    const QJsonObject info = document.value(QStringLiteral("info")).toObject();
    QVERIFY(info.value(QStringLiteral("contact")).toObject().contains(QStringLiteral("email")));
    QCOMPARE(info.value(QStringLiteral("license"))
                 .toObject()
                 .value(QStringLiteral("identifier"))
                 .toString(),
        QStringLiteral("MIT"));
}

void TestRouter::statusForEveryErrorCode_data()
{
    QTest::addColumn<int>("code"); // an ErrorCode
    QTest::addColumn<int>("status");
    QTest::newRow("BadRequest") << int(ErrorCode::BadRequest) << 400;
    QTest::newRow("Validation") << int(ErrorCode::Validation) << 422;
    QTest::newRow("Unauthorized") << int(ErrorCode::Unauthorized) << 401;
    QTest::newRow("Forbidden") << int(ErrorCode::Forbidden) << 403;
    QTest::newRow("NotFound") << int(ErrorCode::NotFound) << 404;
    QTest::newRow("Conflict") << int(ErrorCode::Conflict) << 409;
    QTest::newRow("PreconditionFailed") << int(ErrorCode::PreconditionFailed) << 412;
    QTest::newRow("PayloadTooLarge") << int(ErrorCode::PayloadTooLarge) << 413;
    QTest::newRow("RateLimited") << int(ErrorCode::RateLimited) << 429;
    QTest::newRow("InsufficientStorage") << int(ErrorCode::InsufficientStorage) << 507;
    QTest::newRow("Unavailable") << int(ErrorCode::Unavailable) << 503;
    QTest::newRow("BadGateway") << int(ErrorCode::BadGateway) << 502;
    QTest::newRow("GatewayTimeout") << int(ErrorCode::GatewayTimeout) << 504;
    QTest::newRow("Internal") << int(ErrorCode::Internal) << 500;
}

void TestRouter::statusForEveryErrorCode()
{
    QFETCH(int, code);
    QFETCH(int, status);
    const auto errorCode = static_cast<ErrorCode>(code);
    QCOMPARE(Problem::statusFor(errorCode), status);
    const HttpResponse response =
        Problem::fromError(Error {errorCode, QStringLiteral("what happened"), {}});
    QCOMPARE(response.status, status);
    QCOMPARE(response.contentType, QByteArray("application/problem+json"));
    const QJsonObject body = problemJson(response);
    QCOMPARE(body.value(QStringLiteral("status")).toInt(), status);
    QCOMPARE(
        body.value(QStringLiteral("title")).toString(), QString::fromLatin1(reasonPhrase(status)));
    QVERIFY(body.value(QStringLiteral("title")).toString() != QLatin1String("Unknown"));
    QCOMPARE(body.value(QStringLiteral("detail")).toString(), QStringLiteral("what happened"));
}

void TestRouter::makeBuildsAProblemDocument()
{
    const HttpResponse response = Problem::make(
        404, QStringLiteral("post 42 does not exist"), QStringLiteral("/v1/posts/42"));
    QCOMPARE(response.status, 404);
    QCOMPARE(response.contentType, QByteArray("application/problem+json"));
    const QJsonObject expected {{QStringLiteral("type"), QStringLiteral("about:blank")},
        {QStringLiteral("title"), QStringLiteral("Not Found")}, {QStringLiteral("status"), 404},
        {QStringLiteral("detail"), QStringLiteral("post 42 does not exist")},
        {QStringLiteral("instance"), QStringLiteral("/v1/posts/42")}};
    QCOMPARE(problemJson(response), expected);
    QVERIFY(response.header("WWW-Authenticate").isEmpty());
}

void TestRouter::makeLeavesOutEmptyDetailAndInstance()
{
    const QJsonObject body = problemJson(Problem::make(500, {}));
    QCOMPARE(
        body.value(QStringLiteral("title")).toString(), QStringLiteral("Internal Server Error"));
    QVERIFY(!body.contains(QStringLiteral("detail")));
    QVERIFY(!body.contains(QStringLiteral("instance")));
}

void TestRouter::fromErrorAddsFieldErrorsForValidation()
{
    const Error error = Error::validation(
        {{QStringLiteral("email"), QStringLiteral("not a valid email address")},
            {QStringLiteral("password"), QStringLiteral("at least 8 characters")}},
        QStringLiteral("2 fields are invalid"));
    const HttpResponse response = Problem::fromError(error, QStringLiteral("/v1/users"));
    QCOMPARE(response.status, 422);
    const QJsonObject body = problemJson(response);
    QCOMPARE(
        body.value(QStringLiteral("title")).toString(), QStringLiteral("Unprocessable Content"));
    QCOMPARE(body.value(QStringLiteral("instance")).toString(), QStringLiteral("/v1/users"));
    const QJsonArray expected {
        QJsonObject {{QStringLiteral("field"), QStringLiteral("email")},
            {QStringLiteral("message"), QStringLiteral("not a valid email address")}},
        QJsonObject {{QStringLiteral("field"), QStringLiteral("password")},
            {QStringLiteral("message"), QStringLiteral("at least 8 characters")}}};
    QCOMPARE(body.value(QStringLiteral("errors")).toArray(), expected);
}

void TestRouter::fromErrorAddsNoErrorsOtherwise()
{
    const QJsonObject body = problemJson(
        Problem::fromError(Error::conflict(QStringLiteral("email already registered"))));
    QCOMPARE(body.value(QStringLiteral("status")).toInt(), 409);
    QCOMPARE(body.value(QStringLiteral("title")).toString(), QStringLiteral("Conflict"));
    QVERIFY(!body.contains(QStringLiteral("errors")));
}

void TestRouter::fromErrorAddsRetryAfterWhenRateLimited()
{
    Error error {ErrorCode::RateLimited, QStringLiteral("too many login attempts"), {}};
    error.retryAfterSeconds = 30;
    const HttpResponse response = Problem::fromError(error);
    QCOMPARE(response.status, 429);
    QCOMPARE(response.header("Retry-After"), QByteArray("30"));
    QCOMPARE(problemJson(response).value(QStringLiteral("title")).toString(),
        QStringLiteral("Too Many Requests"));

    const HttpResponse other = Problem::fromError(Error::notFound(QStringLiteral("gone")));
    QVERIFY(other.header("Retry-After").isEmpty());
}

void TestRouter::unauthorizedCarriesWwwAuthenticate()
{
    const HttpResponse fromError =
        Problem::fromError(Error::unauthorized(QStringLiteral("the access token has expired")));
    QCOMPARE(fromError.status, 401);
    QCOMPARE(fromError.header("WWW-Authenticate"), QByteArray("Bearer"));
    QCOMPARE(problemJson(fromError).value(QStringLiteral("title")).toString(),
        QStringLiteral("Unauthorized"));
    QCOMPARE(Problem::make(401, QStringLiteral("sign-in is required")).header("WWW-Authenticate"),
        QByteArray("Bearer"));
    QVERIFY(Problem::fromError(Error::forbidden(QStringLiteral("no")))
                .header("WWW-Authenticate")
                .isEmpty());
}

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
