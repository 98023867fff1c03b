#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/search and /v1/posts/{id}/phrases.
class SearchApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
