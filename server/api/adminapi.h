#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/api-keys and /v1/admin/*: admin-only management.
class AdminApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
