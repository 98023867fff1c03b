#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/password-recovery and /v1/reset-password: password recovery by e-mail.
class PasswordRecoveryApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
