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

QJsonObject problemResponse(const QString &description)
{
    return {{QStringLiteral("description"), description},
        {QStringLiteral("headers"),
            QJsonObject {
                {QStringLiteral("X-Request-Id"), ref(QStringLiteral("headers/RequestId"))}}},
        {QStringLiteral("content"),
            QJsonObject {{QStringLiteral("application/problem+json"),
                QJsonObject {
                    {QStringLiteral("schema"), ref(QStringLiteral("schemas/Problem"))}}}}}};
}

QJsonObject components(const Router &router)
{
    const QJsonObject problem {{QStringLiteral("type"), QStringLiteral("object")},
        {QStringLiteral("description"), QStringLiteral("RFC 9457 problem details")},
        {QStringLiteral("required"),
            QJsonArray {QStringLiteral("type"), QStringLiteral("title"), QStringLiteral("status")}},
        {QStringLiteral("properties"),
            QJsonObject {{QStringLiteral("type"),
                             QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}},
                {QStringLiteral("title"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}},
                {QStringLiteral("status"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("integer")}}},
                {QStringLiteral("detail"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}},
                {QStringLiteral("instance"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}},
                {QStringLiteral("errors"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("array")},
                        {QStringLiteral("items"),
                            QJsonObject {{QStringLiteral("type"), QStringLiteral("object")},
                                {QStringLiteral("properties"),
                                    QJsonObject {{QStringLiteral("field"),
                                                     QJsonObject {{QStringLiteral("type"),
                                                         QStringLiteral("string")}}},
                                        {QStringLiteral("message"),
                                            QJsonObject {{QStringLiteral("type"),
                                                QStringLiteral("string")}}}}}}}}}}}};
    QJsonObject schemas {{QStringLiteral("Problem"), problem}};
    for (const auto &[name, schema] : router.schemas())
        schemas.insert(name, schema);
    return {{QStringLiteral("schemas"), schemas},
        {QStringLiteral("headers"),
            QJsonObject {{QStringLiteral("RequestId"),
                QJsonObject {{QStringLiteral("description"),
                                 QStringLiteral("Echoes a valid incoming X-Request-Id, else a new "
                                                "id; the same id is in the server's log line.")},
                    {QStringLiteral("schema"),
                        QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}}}}}},
        {QStringLiteral("securitySchemes"),
            QJsonObject {
                {QStringLiteral("bearer"),
                    QJsonObject {{QStringLiteral("type"), QStringLiteral("http")},
                        {QStringLiteral("scheme"), QStringLiteral("bearer")},
                        {QStringLiteral("description"),
                            QStringLiteral("A JWT access token from /v1/login, or an API key "
                                           "(opk_...) for machine clients.")}}},
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
        static const QRegularExpression nonWord(QStringLiteral("[^A-Za-z0-9]+"));
        if (!operation.contains(QStringLiteral("operationId"))) {
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
        } else if (route.access != Access::Public) {
            operation.insert(QStringLiteral("security"),
                QJsonArray {QJsonObject {{QStringLiteral("bearer"), QJsonArray {}}},
                    QJsonObject {{QStringLiteral("password"), QJsonArray {}}}});
            if (!responses.contains(QStringLiteral("401"))) {
                responses.insert(QStringLiteral("401"),
                    problemResponse(QStringLiteral("Missing, invalid or expired credentials")));
            }
            if (route.access == Access::Admin && !responses.contains(QStringLiteral("403"))) {
                responses.insert(
                    QStringLiteral("403"), problemResponse(QStringLiteral("Not an admin")));
            }
        }
        if (!responses.contains(QStringLiteral("default")))
            responses.insert(QStringLiteral("default"), problemResponse(QStringLiteral("Error")));
        operation.insert(QStringLiteral("responses"), responses);

        QJsonObject item = paths.value(path).toObject();
        item.insert(method, operation);
        paths.insert(path, item);
    }

    QJsonArray tagList;
    QStringList sortedTags(tags.begin(), tags.end());
    sortedTags.sort();
    for (const QString &tag : std::as_const(sortedTags))
        tagList.append(QJsonObject {{QStringLiteral("name"), tag}});

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
                        {QStringLiteral("identifier"), QStringLiteral("MIT")}}}}},
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

} // namespace Outpost::Server
