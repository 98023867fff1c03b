#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/webhooks/github and /v1/webhooks/codebuild.
class WebhooksApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
