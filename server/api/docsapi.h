#pragma once

#include <QByteArray>

namespace Outpost::Server {

class Router;

// GET /openapi.json and the bundled Swagger UI under /docs (works offline).
class DocsApi
{
public:
    // `openApiJson` is read when a request comes, after every route has been added.
    static void registerRoutes(Router &router, const QByteArray &openApiJson);
};

} // namespace Outpost::Server
