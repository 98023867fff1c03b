#include "statsrepository.h"

#include "database.h"
#include "dblog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Outpost::Server {

StatsRepository::StatsRepository(const Database &database)
    : m_database(database)
{ }

Result<Counts> StatsRepository::counts() const
{
    QSqlDatabase db = m_database.connection();
    if (!db.isOpen())
        return fail(Error::unavailable(QStringLiteral("the database is not reachable")));
    QSqlQuery query(db);
    if (!query.exec(
            QStringLiteral("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts), "
                           "(SELECT count(*) FROM files), (SELECT count(*) FROM pipelines)"))
        || !query.next()) {
        qCWarning(lcDb) << "counts failed:" << query.lastError().text();
        return fail(Error::internal(QStringLiteral("database error")));
    }
    return Counts {query.value(0).toLongLong(), query.value(1).toLongLong(),
        query.value(2).toLongLong(), query.value(3).toLongLong()};
}

} // namespace Outpost::Server
