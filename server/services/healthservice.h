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
    bool diskOk = false;
    QString diskDetail;
    bool ready() const { return databaseOk && fileStoreOk && diskOk; }
};

// Whether this replica can serve: its database answers, its file store is writable, and no
// write to the local disk (database or files) failed within OUTPOST_READY_DISK_ERROR_WINDOW.
class HealthService
{
public:
    explicit HealthService(const ServerContext &context);
    Readiness readiness() const;

private:
    const ServerContext &m_context;
};

} // namespace Outpost::Server
