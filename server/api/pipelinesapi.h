#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/pipelines, /v1/pipelines/{id}/runs, /v1/runs/{id} (+ /log, /cancel),
// /v1/pipelines/{id}/trigger.
class PipelinesApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
