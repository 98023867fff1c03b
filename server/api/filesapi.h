#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/files, /v1/files/{path...}, /v1/files/generated.
class FilesApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
