#include "migratecommand.h"

#include "cli.h"
#include "db/database.h"
#include "db/migrator.h"
#include "db/opendatabase.h"

#include <cstdio>

namespace Outpost::Server::Cli {

int runMigrateCommand(const Config &config, const QStringList &args)
{
    const QString action = args.value(1);
    const bool writes = action == QLatin1String("up") || action == QLatin1String("down");
    auto opened = openDatabase(config, SchemaStep::None, DataDirectory::ForSqlite,
        writes ? DataDirAccess::Exclusive : DataDirAccess::Shared);
    if (!opened) {
        return failWith(
            opened.error().detail, opened.error().code == ErrorCode::Validation ? Usage : Failure);
    }
    Database &database = *opened->database;
    Migrator migrator(database);
    if (action == QLatin1String("up") || action == QLatin1String("down")) {
        int steps = action == QLatin1String("up") ? -1 : 1;
        if (args.size() > 2) {
            bool ok = false;
            steps = args.at(2).toInt(&ok);
            if (!ok || steps < 1) {
                return failWith(
                    QStringLiteral("migrate %1: N must be a positive integer (got \"%2\")")
                        .arg(action, args.at(2)),
                    Usage);
            }
        }
        auto done = action == QLatin1String("up") ? migrator.up(steps) : migrator.down(steps);
        if (!done)
            return failWith(done.error().detail);
        std::printf("%s: %d step(s) %s\n", qPrintable(action), *done,
            action == QLatin1String("up") ? "applied" : "reverted");
        database.closeThreadConnection();
        return Ok;
    }
    if (action == QLatin1String("status")) {
        auto status = migrator.status();
        if (!status)
            return failWith(status.error().detail);
        std::printf("%-8s %-32s %-8s %s\n", "VERSION", "NAME", "STATE", "APPLIED AT");
        for (const auto &step : *status) {
            std::printf("%-8d %-32s %-8s %s\n", step.version, qPrintable(step.name),
                step.applied ? "applied" : "pending",
                step.applied ? qPrintable(step.appliedAt.toString(Qt::ISODate)) : "-");
        }
        database.closeThreadConnection();
        return Ok;
    }
    return failWith(
        QStringLiteral("usage: outpost-server migrate up [N] | down [N] | status"), Usage);
}

} // namespace Outpost::Server::Cli
