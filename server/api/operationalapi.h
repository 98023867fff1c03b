#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// GET /healthz, /readyz, /metrics.
class OperationalApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
