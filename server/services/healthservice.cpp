#include "healthservice.h"

#include "db/database.h"
#include "servercontext.h"
#include "storage/filestore.h"

namespace Outpost::Server {

HealthService::HealthService(const ServerContext &context)
    : m_context(context)
{ }

Readiness HealthService::readiness() const
{
    Readiness r;
    const Status db = m_context.database->ping();
    r.databaseOk = bool(db);
    r.databaseDetail = db ? QStringLiteral("ok") : db.error().detail;

    // The file store: local, its directory writable; S3, the bucket answers.
    const Status store = m_context.fileStore
        ? m_context.fileStore->check()
        : fail(Error::unavailable(QStringLiteral("no file store")));
    r.fileStoreOk = bool(store);
    r.fileStoreDetail = store ? QStringLiteral("ok") : store.error().detail;
    return r;
}

} // namespace Outpost::Server
