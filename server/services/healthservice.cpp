#include "healthservice.h"

#include "db/database.h"
#include "servercontext.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

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

    // Local store: its directory must exist and be writable. (S3 joins in the files issue.)
    const QUrl store(m_context.config.effectiveFileStoreUrl());
    if (store.scheme() == QLatin1String("file")) {
        const QFileInfo dir(store.toLocalFile());
        r.fileStoreOk = dir.isDir() && dir.isWritable();
        r.fileStoreDetail = r.fileStoreOk
            ? QStringLiteral("ok")
            : QStringLiteral("the file store directory is not writable");
    } else {
        r.fileStoreOk = false;
        r.fileStoreDetail =
            QStringLiteral("file store scheme %1 is not supported yet").arg(store.scheme());
    }
    return r;
}

} // namespace Outpost::Server
