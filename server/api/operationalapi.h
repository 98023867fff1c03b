#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// GET /healthz, /readyz, /metrics.
class OperationalApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
    // The router of the separate metrics listener (OUTPOST_METRICS_LISTEN): /metrics for
    // anyone who reaches that address.
    static void registerMetricsListenerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
