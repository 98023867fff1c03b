#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// Single sign-on: /v1/auth/providers, /v1/auth/oidc/{provider}/login and /callback.
class OidcApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
