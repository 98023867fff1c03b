#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>

namespace Outpost::Server {

struct ServerContext;

// GET /v1/admin/info: what this server is and holds.
class AdminService
{
public:
    explicit AdminService(const ServerContext &context);
    Result<QJsonObject> info() const;

private:
    const ServerContext &m_context;
};

} // namespace Outpost::Server
