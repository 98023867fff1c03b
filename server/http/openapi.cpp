#include "openapi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <algorithm>

namespace Outpost::Server {

namespace {

QJsonObject ref(const QString &component)
{
    return {{QStringLiteral("$ref"), QString(QStringLiteral("#/components/") + component)}};
}

QJsonObject problemContent()
{
    return {{QStringLiteral("application/problem+json"),
        QJsonObject {{QStringLiteral("schema"), ref(QStringLiteral("schemas/Problem"))}}}};
}

QJsonObject problemResponse(const QString &description)
{
    return {{QStringLiteral("description"), description},
        {QStringLiteral("headers"),
            QJsonObject {
                {QStringLiteral("X-Request-Id"), ref(QStringLiteral("headers/RequestId"))}}},
        {QStringLiteral("content"), problemContent()}};
}

bool isErrorStatus(const QString &status)
{
    return status == QLatin1String("default") || status.startsWith(QLatin1Char('4'))
        || status.startsWith(QLatin1Char('5'));
}

// Every error the server answers is a problem document (server/http/problem.cpp) with the
// request id: a route's error responses say so without repeating it, so a generated client
// can read the error body of each. What a route declares itself is kept.
QJsonObject withProblemBodies(QJsonObject responses)
{
    for (auto it = responses.begin(); it != responses.end(); ++it) {
        if (!isErrorStatus(it.key()))
            continue;
        QJsonObject response = it.value().toObject();
        if (!response.contains(QStringLiteral("content")))
            response.insert(QStringLiteral("content"), problemContent());
        QJsonObject headers = response.value(QStringLiteral("headers")).toObject();
        if (!headers.contains(QStringLiteral("X-Request-Id"))) {
            headers.insert(
                QStringLiteral("X-Request-Id"), ref(QStringLiteral("headers/RequestId")));
            response.insert(QStringLiteral("headers"), headers);
        }
        it.value() = response;
    }
    return responses;
}

// The problem document as Problem::make() writes it.
QJsonObject problemSchema()
{
    return QJsonDocument::fromJson(R"json({
        "type": "object",
        "description": "RFC 9457 problem details, as every error response carries them.",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string", "format": "uri-reference", "description": "Always about:blank: the status says what happened.", "examples": ["about:blank"]},
            "title": {"type": "string", "description": "The status's reason phrase.", "examples": ["Not Found"]},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "What went wrong, for a person."},
            "instance": {"type": "string", "description": "The request's path."},
            "errors": {"type": "array", "description": "A 422's field errors.", "items": {
                "type": "object", "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}}}})json")
        .object();
}

QJsonObject components(const Router &router)
{
    QJsonObject schemas {{QStringLiteral("Problem"), problemSchema()}};
    for (const auto &[name, schema] : router.schemas())
        schemas.insert(name, schema);
    return {{QStringLiteral("schemas"), schemas},
        {QStringLiteral("headers"),
            QJsonObject {
                {QStringLiteral("RequestId"),
                    QJsonObject {
                        {QStringLiteral("description"),
                            QStringLiteral("Echoes a valid incoming X-Request-Id, else a new "
                                           "id; the same id is in the server's log line.")},
                        {QStringLiteral("schema"),
                            QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}}}},
                {QStringLiteral("RetryAfter"),
                    QJsonObject {{QStringLiteral("description"),
                                     QStringLiteral("Seconds until the request may be retried.")},
                        {QStringLiteral("schema"),
                            QJsonObject {{QStringLiteral("type"), QStringLiteral("integer")},
                                {QStringLiteral("minimum"), 0}}}}}}},
        {QStringLiteral("securitySchemes"),
            QJsonObject {{QStringLiteral("bearer"),
                             QJsonObject {{QStringLiteral("type"), QStringLiteral("http")},
                                 {QStringLiteral("scheme"), QStringLiteral("bearer")},
                                 {QStringLiteral("description"),
                                     QStringLiteral("A JWT access token from /v1/login.")}}},
                {QStringLiteral("apiKey"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("http")},
                        {QStringLiteral("scheme"), QStringLiteral("bearer")},
                        {QStringLiteral("description"),
                            QStringLiteral(
                                "An API key (opk_...) that an admin made for a machine client, "
                                "sent as a bearer token. It works only on the operations that "
                                "list this scheme, and only with the scope they name: read "
                                "(posts, search, files, pipelines, wiki), files:write (file "
                                "writes and uploads) or pipelines:write (run reports).")}}},
                {QStringLiteral("password"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("oauth2")},
                        {QStringLiteral("flows"),
                            QJsonObject {{QStringLiteral("password"),
                                QJsonObject {
                                    {QStringLiteral("tokenUrl"), QStringLiteral("/v1/login")},
                                    {QStringLiteral("refreshUrl"),
                                        QStringLiteral("/v1/token/refresh")},
                                    {QStringLiteral("scopes"), QJsonObject {}}}}}}}}}}};
}

// A route's parameters, the shared ones and the description's own, in the order a reader
// wants them: path parameters in template order (undeclared ones as strings), then the other
// required ones, then the optional ones, each group in the order declared.
QJsonArray parametersOf(const Route &route, const QJsonArray &described)
{
    static const QRegularExpression paramPattern(
        QStringLiteral("\\{([A-Za-z0-9_]+)(\\.\\.\\.)?\\}"));
    QJsonArray declared;
    for (const QJsonObject &parameter : route.parameters)
        declared.append(parameter);
    for (const auto &parameter : described)
        declared.append(parameter);
    QJsonArray parameters;
    auto it = paramPattern.globalMatch(route.path);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        const auto found =
            std::find_if(declared.begin(), declared.end(), [&name](const QJsonValue &parameter) {
                const QJsonObject object = parameter.toObject();
                return object.value(QStringLiteral("in")).toString() == QLatin1String("path")
                    && object.value(QStringLiteral("name")).toString() == name;
            });
        if (found != declared.end()) {
            parameters.append(*found);
            declared.erase(found);
        } else {
            parameters.append(QJsonObject {{QStringLiteral("name"), name},
                {QStringLiteral("in"), QStringLiteral("path")}, {QStringLiteral("required"), true},
                {QStringLiteral("schema"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}}});
        }
    }
    for (const bool required : {true, false}) {
        for (const auto &parameter : std::as_const(declared)) {
            if (parameter.toObject().value(QStringLiteral("required")).toBool() == required)
                parameters.append(parameter);
        }
    }
    return parameters;
}

} // namespace

QJsonObject OpenApi::document(const Router &router, const QString &version)
{
    QJsonObject paths;
    QSet<QString> tags;
    for (const Route &route : router.routes()) {
        QJsonObject operation;
        if (route.openapi)
            operation = QJsonDocument::fromJson(QByteArray(route.openapi)).object();
        const QString method = QString::fromLatin1(route.method).toLower();
        QString path = route.path;
        path.replace(QLatin1String("...}"), QLatin1String("}"));

        operation.insert(QStringLiteral("summary"), route.summary);
        // A route names its operation ("listPosts"); one that does not gets the old
        // method_path name, which tests/openapi/validate.mjs rejects as not camelCase.
        if (!operation.contains(QStringLiteral("operationId"))) {
            static const QRegularExpression nonWord(QStringLiteral("[^A-Za-z0-9]+"));
            operation.insert(QStringLiteral("operationId"),
                QString(method + QString(route.path).replace(nonWord, QStringLiteral("_"))));
        }
        if (!route.tag.isEmpty()) {
            operation.insert(QStringLiteral("tags"), QJsonArray {route.tag});
            tags.insert(route.tag);
        }

        const QJsonArray parameters =
            parametersOf(route, operation.value(QStringLiteral("parameters")).toArray());
        if (!parameters.isEmpty())
            operation.insert(QStringLiteral("parameters"), parameters);

        QJsonObject responses = operation.value(QStringLiteral("responses")).toObject();
        if (responses.isEmpty()) {
            responses.insert(QStringLiteral("200"),
                QJsonObject {{QStringLiteral("description"), QStringLiteral("OK")}});
        }
        if (route.access == Access::Optional) {
            operation.insert(QStringLiteral("security"),
                QJsonArray {
                    QJsonObject {}, QJsonObject {{QStringLiteral("bearer"), QJsonArray {}}}});
        } else if (route.access == Access::Public) {
            operation.insert(QStringLiteral("security"), QJsonArray {});
        } else {
            QJsonArray security {QJsonObject {{QStringLiteral("bearer"), QJsonArray {}}},
                QJsonObject {{QStringLiteral("password"), QJsonArray {}}}};
            if (!route.apiKeyScope.isEmpty()) {
                security.append(
                    QJsonObject {{QStringLiteral("apiKey"), QJsonArray {route.apiKeyScope}}});
                if (!responses.contains(QStringLiteral("403"))) {
                    responses.insert(QStringLiteral("403"),
                        problemResponse((route.access == Access::Admin
                                ? QStringLiteral("Not an admin, or an API key without the %1 scope")
                                : QStringLiteral("An API key without the %1 scope"))
                                            .arg(route.apiKeyScope)));
                }
            }
            operation.insert(QStringLiteral("security"), security);
            if (!responses.contains(QStringLiteral("401"))) {
                responses.insert(QStringLiteral("401"),
                    problemResponse(QStringLiteral("Missing, invalid or expired credentials")));
            }
            if (route.access == Access::Admin && !responses.contains(QStringLiteral("403"))) {
                responses.insert(
                    QStringLiteral("403"), problemResponse(QStringLiteral("Not an admin")));
            }
        }
        // The rate limits (server/http/ratelimiter.h) apply to every route when configured.
        if (!responses.contains(QStringLiteral("429"))) {
            QJsonObject tooMany = problemResponse(QStringLiteral("Rate limited"));
            QJsonObject headers = tooMany.value(QStringLiteral("headers")).toObject();
            headers.insert(
                QStringLiteral("Retry-After"), ref(QStringLiteral("headers/RetryAfter")));
            tooMany.insert(QStringLiteral("headers"), headers);
            responses.insert(QStringLiteral("429"), tooMany);
        }
        if (!responses.contains(QStringLiteral("default")))
            responses.insert(QStringLiteral("default"), problemResponse(QStringLiteral("Error")));
        operation.insert(QStringLiteral("responses"), withProblemBodies(responses));

        QJsonObject item = paths.value(path).toObject();
        item.insert(method, operation);
        paths.insert(path, item);
    }

    QJsonArray tagList;
    QStringList sortedTags(tags.begin(), tags.end());
    sortedTags.sort();
    for (const QString &tag : std::as_const(sortedTags)) {
        QJsonObject entry {{QStringLiteral("name"), tag}};
        const QString description = router.tagDescriptions().value(tag);
        if (!description.isEmpty())
            entry.insert(QStringLiteral("description"), description);
        tagList.append(entry);
    }

    return {
        {QStringLiteral("openapi"), QStringLiteral("3.1.0")},
        {QStringLiteral("info"),
            QJsonObject {{QStringLiteral("title"), QStringLiteral("Outpost API")},
                {QStringLiteral("version"), version},
                {QStringLiteral("description"),
                    QStringLiteral("Users, posts, files and CI/CD pipeline status. Errors are "
                                   "RFC 9457 problem documents.")},
                {QStringLiteral("license"),
                    QJsonObject {{QStringLiteral("name"), QStringLiteral("MIT")},
                        {QStringLiteral("identifier"), QStringLiteral("MIT")}}},
                {QStringLiteral("contact"),
                    QJsonObject {{QStringLiteral("name"), QStringLiteral("Outpost maintainers")},
                        {QStringLiteral("email"),
                            QStringLiteral("maintainers@outpost.example.org")}}}}},
        // Relative: the document describes the server that serves it, wherever it runs.
        {QStringLiteral("servers"),
            QJsonArray {QJsonObject {{QStringLiteral("url"), QStringLiteral("/")},
                {QStringLiteral("description"),
                    QStringLiteral("The server serving this document")}}}},
        {QStringLiteral("tags"), tagList},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"), components(router)},
    };
}

QJsonObject OpenApi::idParameter()
{
    return QJsonDocument::fromJson(R"json(
        {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}})json")
        .object();
}

QList<QJsonObject> OpenApi::pageParameters()
{
    const QJsonArray parameters = QJsonDocument::fromJson(R"json([
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}},
        {"name": "skip", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}])json")
                                      .array();
    return {parameters.at(0).toObject(), parameters.at(1).toObject()};
}

QJsonObject OpenApi::pageSchema(const QString &item)
{
    QJsonObject schema = QJsonDocument::fromJson(R"json({
        "type": "object", "required": ["items", "total", "limit", "skip"],
        "properties": {"total": {"type": "integer"}, "limit": {"type": "integer"}, "skip": {"type": "integer"}}})json")
                             .object();
    QJsonObject properties = schema.value(QStringLiteral("properties")).toObject();
    properties.insert(QStringLiteral("items"),
        QJsonObject {{QStringLiteral("type"), QStringLiteral("array")},
            {QStringLiteral("items"), ref(QStringLiteral("schemas/") + item)}});
    schema.insert(QStringLiteral("properties"), properties);
    return schema;
}

void OpenApi::addOpenIdConnectScheme(QJsonObject &document, const QString &scheme,
    const QString &openIdConnectUrl, const QString &description)
{
    QJsonObject components = document.value(QStringLiteral("components")).toObject();
    QJsonObject schemes = components.value(QStringLiteral("securitySchemes")).toObject();
    schemes.insert(scheme,
        QJsonObject {{QStringLiteral("type"), QStringLiteral("openIdConnect")},
            {QStringLiteral("openIdConnectUrl"), openIdConnectUrl},
            {QStringLiteral("description"), description}});
    components.insert(QStringLiteral("securitySchemes"), schemes);
    document.insert(QStringLiteral("components"), components);

    QJsonObject paths = document.value(QStringLiteral("paths")).toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        QJsonObject operations = path->toObject();
        for (auto operation = operations.begin(); operation != operations.end(); ++operation) {
            QJsonObject described = operation->toObject();
            QJsonArray security = described.value(QStringLiteral("security")).toArray();
            const bool takesBearer =
                std::any_of(security.cbegin(), security.cend(), [](const QJsonValue &entry) {
                    return entry.toObject().contains(QStringLiteral("bearer"));
                });
            if (!takesBearer)
                continue;
            security.append(QJsonObject {{scheme, QJsonArray {}}});
            described.insert(QStringLiteral("security"), security);
            *operation = described;
        }
        *path = operations;
    }
    document.insert(QStringLiteral("paths"), paths);
}

} // namespace Outpost::Server
