#pragma once

#include "request.h"

#include <QByteArrayList>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace Outpost::Server {

enum class Access {
    Public,        // anyone
    Optional,      // anyone; credentials, when sent, must be valid and are used
    Authenticated, // a signed-in user or an API key
    Admin,         // an admin user
};

using Handler = std::function<HttpResponse(Request &)>;

// One route, declared where its handler lives, with its OpenAPI description beside it so the
// spec cannot drift from the code.
struct Route
{
    QByteArray method; // "GET", "POST", ...
    QString path;      // "/v1/posts/{id}"; "{name...}" matches the rest of the path
    Access access = Access::Authenticated;
    // API keys are accepted only on routes that name the scope they need: "read" on the
    // reads of posts, search, files, pipelines and the wiki, "files:write" on file writes and
    // uploads, "pipelines:write" on run reports. Never on user, admin or account routes; user
    // tokens ignore it.
    QString apiKeyScope {};
    QString tag {}; // OpenAPI tag, e.g. "Posts"
    QString summary {};
    // OpenAPI parameters shared with other routes (OpenApi::idParameter(), pageParameters()),
    // listed before those `openapi` declares.
    QList<QJsonObject> parameters {};
    // JSON text merged into the OpenAPI operation: "operationId" (camelCase, unique: what a
    // generated client names the call), "parameters", "requestBody", "responses",
    // "description". Path parameters declared nowhere are added as strings.
    const char *openapi = nullptr;
    Handler handler {};
    // Rate limited with the stricter "expensive" policy (sign-in, registration, AI, uploads).
    bool expensive = false;
    // File writes: where the body goes while it arrives, asked once the headers are complete
    // (before authentication: keep it to the store's own temporary directory). Unset, or an
    // empty directory: memory, as request.body(). Else the handler finds it in
    // request.spooled(), a file already written (and hashed, if asked).
    std::function<BodySpool(const FramedRequest &)> spoolBody {};
};

// The route table: a segment trie, so lookup costs the path's depth, not the route count.
// Immutable once the server starts; shared by every HTTP thread.
class Router
{
public:
    Router();
    ~Router();
    Router(const Router &) = delete;
    Router &operator=(const Router &) = delete;

    // Adds a route; a malformed template, duplicate route or invalid OpenAPI JSON is a
    // programmer error and aborts at start-up.
    void add(Route route);

    struct Match
    {
        const Route *route = nullptr; // null: no route for this method
        QHash<QString, QString> params;
        QByteArrayList allowed; // methods the path allows (405's Allow)
        bool pathExists = false;
    };
    Match match(const QByteArray &method, const QString &path) const;
    // Whether some route of `method` spools its bodies (Route::spoolBody): only then does a
    // request's body need a route before it is read.
    bool spoolsBodies(const QByteArray &method) const { return m_spoolMethods.contains(method); }

    const QList<Route> &routes() const { return m_routes; }

    // An OpenAPI schema under #/components/schemas/<name>, declared next to the routes using it:
    // JSON text, or an object built from shared parts (OpenApi::pageSchema()).
    void addSchema(const QString &name, const char *json);
    void addSchema(const QString &name, QJsonObject schema);
    const QList<QPair<QString, QJsonObject>> &schemas() const { return m_schemas; }

    // What an OpenAPI tag groups, declared once by the resource that owns the tag.
    void addTag(const QString &name, const QString &description);
    const QHash<QString, QString> &tagDescriptions() const { return m_tagDescriptions; }

private:
    struct Node;
    std::unique_ptr<Node> m_root;
    QList<Route> m_routes;
    QByteArrayList m_spoolMethods;
    QList<QPair<QString, QJsonObject>> m_schemas;
    QHash<QString, QString> m_tagDescriptions;
};

} // namespace Outpost::Server
