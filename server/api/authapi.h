#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/login, /v1/token/refresh, /v1/logout.
class AuthApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
