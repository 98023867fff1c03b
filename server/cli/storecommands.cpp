#include "storecommands.h"

#include "cli.h"
#include "config/configvalue.h"
#include "db/database.h"
#include "db/opendatabase.h"
#include "services/orphansweep.h"
#include "storage/filestore.h"

#include <QDateTime>

#include <cstdio>

namespace Outpost::Server::Cli {

int runSweepOrphansCommand(const Config &config, bool dryRun, const QString &olderThan)
{
    qint64 graceSeconds = 3600;
    if (!olderThan.isEmpty()) {
        const auto parsed = ConfigValue::durationSeconds(olderThan.trimmed(), 0, 3650LL * 86400);
        if (!parsed)
            return failWith(QStringLiteral("--older-than %1").arg(parsed.error()), Usage);
        graceSeconds = *parsed;
    }
    // Run beside a serving server (cron): its temporary files may be uploads in progress.
    auto store = FileStore::fromConfig(config, FileStore::Leftovers::Keep);
    if (!store)
        return failWith(store.error().detail, Usage);
    auto opened = openDatabase(config, SchemaStep::CheckCompatible);
    if (!opened)
        return failWith(opened.error().detail);
    int code = Ok;
    {
        OrphanSweep sweep(*opened->database, **store);
        const auto swept =
            sweep.sweep(QDateTime::currentDateTimeUtc().addSecs(-graceSeconds), dryRun);
        if (!swept) {
            code = failWith(swept.error().detail);
        } else {
            for (const QString &key : swept->orphans)
                std::printf("%s\n", qPrintable(key));
            (void)std::fprintf(stderr, "%lld orphaned object(s), %lld bytes%s\n",
                static_cast<long long>(swept->orphans.size()), static_cast<long long>(swept->bytes),
                dryRun ? ", none removed (--dry-run)"
                       : qPrintable(QStringLiteral(", %1 removed").arg(swept->removed)));
            if (swept->failed > 0)
                code = failWith(QStringLiteral("%1 could not be removed").arg(swept->failed));
        }
    }
    opened->database->closeThreadConnection();
    return code;
}

} // namespace Outpost::Server::Cli
