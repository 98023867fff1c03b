#pragma once

#include <QByteArray>
#include <QStringList>

namespace Outpost::Server {

class Router;

// GET /openapi.json and the bundled Swagger UI under /docs (works offline).
class DocsApi
{
public:
    // `openApiJson` is read when a request comes, after every route has been added.
    // `signInOrigins` are the OpenID providers' origins Swagger UI's Authorize talks to
    // (discovery, token endpoint): its pages' Content-Security-Policy allows them too.
    static void registerRoutes(
        Router &router, const QByteArray &openApiJson, const QStringList &signInOrigins = {});
};

} // namespace Outpost::Server
