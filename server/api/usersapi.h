#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/users: registration, the caller's own account, admin user management.
class UsersApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
