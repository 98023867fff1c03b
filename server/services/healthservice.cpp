#include "healthservice.h"

#include "core/diskfaults.h"
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

    // A disk that fails some writes still answers the checks above: a load balancer should
    // send requests elsewhere until it has written without error for a while.
    const int window = m_context.config.readyDiskErrorWindowSeconds;
    const std::optional<DiskFaults::Last> last = DiskFaults::last();
    r.diskOk = !last || last->ageMs >= qint64(window) * 1000;
    r.diskDetail = r.diskOk
        ? QStringLiteral("ok")
        : QStringLiteral("disk errors in the last %1 seconds (the latest %2 s ago: %3)")
              .arg(window)
              .arg(double(last->ageMs) / 1000.0, 0, 'f', 1)
              .arg(last->kind == DiskFaults::Kind::Full ? QStringLiteral("disk full")
                                                        : QStringLiteral("I/O error"));
    return r;
}

} // namespace Outpost::Server
