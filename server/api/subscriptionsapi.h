#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/subscriptions: outgoing events as signed webhooks (Standard Webhooks) or e-mail.
namespace SubscriptionsApi {
void registerRoutes(Router &router, const ServerContext &context);
}

} // namespace Outpost::Server
