#pragma once

namespace Outpost::Server {

class Router;
struct ServerContext;

// /v1/admin/backups: list, start (202 and a status to poll) and download the backups kept in
// the file store's backups/ prefix (services/backupservice.h). Admins only; audited.
class BackupsApi
{
public:
    static void registerRoutes(Router &router, const ServerContext &context);
};

} // namespace Outpost::Server
