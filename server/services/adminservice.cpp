#include "adminservice.h"

#include "core/timeformat.h"
#include "core/version.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/statsrepository.h"
#include "servercontext.h"

#include <QUrl>

namespace Outpost::Server {

AdminService::AdminService(const ServerContext &context)
    : m_context(context)
{ }

Result<QJsonObject> AdminService::info() const
{
    auto counts = StatsRepository(*m_context.database).counts();
    if (!counts)
        return fail(counts.error());
    auto version = Migrator(*m_context.database).currentVersion();
    if (!version)
        return fail(version.error());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString storeScheme = QUrl(m_context.config.effectiveFileStoreUrl()).scheme();
    return QJsonObject {
        {QStringLiteral("version"), QString::fromLatin1(kVersion)},
        {QStringLiteral("started_at"), toRfc3339(m_context.startedAt)},
        {QStringLiteral("uptime_s"), m_context.startedAt.secsTo(now)},
        {QStringLiteral("database"),
            QJsonObject {{QStringLiteral("driver"), m_context.database->dialect()},
                {QStringLiteral("schema_version"), *version}}},
        {QStringLiteral("file_store"),
            QJsonObject {{QStringLiteral("kind"),
                storeScheme == QLatin1String("file") ? QStringLiteral("local") : storeScheme}}},
        {QStringLiteral("counts"),
            QJsonObject {{QStringLiteral("users"), counts->users},
                {QStringLiteral("posts"), counts->posts}, {QStringLiteral("files"), counts->files},
                {QStringLiteral("pipelines"), counts->pipelines}}},
    };
}

} // namespace Outpost::Server
