#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/uploads: resumable chunked uploads for files over the single-request body limit.
class UploadsApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
