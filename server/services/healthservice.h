#pragma once

#include "core/result.h"

#include <QString>

namespace Outpost::Server {

struct ServerContext;

struct Readiness
{
    bool databaseOk = false;
    QString databaseDetail;
    bool fileStoreOk = false;
    QString fileStoreDetail;
    bool ready() const { return databaseOk && fileStoreOk; }
};

// Whether this replica can serve: its database answers and its file store is writable.
class HealthService
{
public:
    explicit HealthService(const ServerContext &context);
    Readiness readiness() const;

private:
    const ServerContext &m_context;
};

} // namespace Outpost::Server
