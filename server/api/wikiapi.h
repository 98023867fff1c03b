#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/wiki/{title}: a wiki page's summary with its key phrases.
class WikiApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
