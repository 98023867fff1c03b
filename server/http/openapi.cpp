#include "openapi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

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
    for (const auto &[name, json] : router.schemas())
        schemas.insert(name, QJsonDocument::fromJson(json).object());
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

} // namespace

QJsonObject OpenApi::document(const Router &router, const QString &version)
{
    static const QRegularExpression paramPattern(
        QStringLiteral("\\{([A-Za-z0-9_]+)(\\.\\.\\.)?\\}"));
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
        operation.insert(QStringLiteral("operationId"),
            QString(method + QString(route.path).replace(nonWord, QStringLiteral("_"))));
        if (!route.tag.isEmpty()) {
            operation.insert(QStringLiteral("tags"), QJsonArray {route.tag});
            tags.insert(route.tag);
        }

        // Path parameters the description left out.
        QJsonArray parameters = operation.value(QStringLiteral("parameters")).toArray();
        auto it = paramPattern.globalMatch(route.path);
        while (it.hasNext()) {
            const QString name = it.next().captured(1);
            bool declared = false;
            for (const QJsonValue &p : std::as_const(parameters)) {
                declared |= p.toObject().value(QStringLiteral("name")).toString() == name
                    && p.toObject().value(QStringLiteral("in")).toString() == QLatin1String("path");
            }
            if (!declared) {
                parameters.append(QJsonObject {{QStringLiteral("name"), name},
                    {QStringLiteral("in"), QStringLiteral("path")},
                    {QStringLiteral("required"), true},
                    {QStringLiteral("schema"),
                        QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}}});
            }
        }
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
            if (!responses.contains(QStringLiteral("401")))
                responses.insert(QStringLiteral("401"),
                    problemResponse(QStringLiteral("Missing, invalid or expired credentials")));
            if (route.access == Access::Admin && !responses.contains(QStringLiteral("403")))
                responses.insert(
                    QStringLiteral("403"), problemResponse(QStringLiteral("Not an admin")));
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

} // namespace Outpost::Server
