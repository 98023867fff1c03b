#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/posts, /v1/vote, /v1/search, /v1/posts/{id}/phrases.
class PostsApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
