#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/posts and /v1/vote.
class PostsApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
