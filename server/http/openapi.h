#pragma once

#include "router.h"

#include <QJsonObject>
#include <QList>

namespace Outpost::Server {

// Builds the OpenAPI 3.1 document from the route table: every route's own description, plus
// what the router itself guarantees (problem responses, X-Request-Id, security by access).
class OpenApi
{
public:
    static QJsonObject document(const Router &router, const QString &version);

    // Declares an OpenID provider as the security scheme `scheme` (type openIdConnect, its
    // discovery document at `openIdConnectUrl`) and offers it, beside the bearer token, on
    // every operation that takes one: Swagger UI's Authorize then signs in there (code flow
    // with PKCE) and sends the provider's access token.
    static void addOpenIdConnectScheme(QJsonObject &document, const QString &scheme,
        const QString &openIdConnectUrl, const QString &description);

    // Parts many routes share, written once here.

    // The path parameter {id}: a positive integer.
    static QJsonObject idParameter();
    // limit (1..100, default 10) and skip (from 0, default 0): a page as PageRequest reads it.
    static QList<QJsonObject> pageParameters();
    // A page of `item` (a name under #/components/schemas): {items, total, limit, skip}.
    static QJsonObject pageSchema(const QString &item);
};

} // namespace Outpost::Server
