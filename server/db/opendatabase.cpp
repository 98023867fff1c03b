#include "opendatabase.h"

#include "database.h"
#include "databaseurl.h"
#include "migrator.h"

#include <QDir>
#include <QFile>

namespace Outpost::Server {

Result<OpenedDatabase> openDatabase(
    const Config &config, SchemaStep step, DataDirectory directory, DataDirAccess access)
{
    auto url = DatabaseUrl::parse(config.effectiveDatabaseUrl(), config.databasePassword);
    if (!url)
        return fail(url.error());
    if (directory == DataDirectory::Always || url->driver == DatabaseUrl::Driver::Sqlite) {
        if (!QDir().mkpath(config.dataDir)) {
            return fail(Error::unavailable(
                QStringLiteral("cannot create the data directory %1").arg(config.dataDir)));
        }
        QFile::setPermissions(config.dataDir,
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    OpenedDatabase opened;
    if (access == DataDirAccess::Exclusive && url->driver == DatabaseUrl::Driver::Sqlite) {
        auto lock = DataDirLock::acquire(config.dataDir,
            QStringLiteral("stop that server (or command) first; only one may use it at a time"));
        if (!lock)
            return fail(lock.error());
        opened.lock = std::move(*lock);
    }
    opened.database = std::make_unique<Database>(*url);
    Migrator migrator(*opened.database);
    if (step == SchemaStep::Migrate) {
        auto applied = migrator.up();
        if (!applied)
            return fail(applied.error());
        opened.appliedMigrations = *applied;
    } else if (step == SchemaStep::CheckCompatible) {
        if (auto compatible = migrator.checkCompatible(); !compatible)
            return fail(compatible.error());
    }
    return opened;
}

} // namespace Outpost::Server
