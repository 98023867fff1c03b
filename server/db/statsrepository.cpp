#include "statsrepository.h"

#include "database.h"
#include "dblog.h"
#include "rowformat.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Outpost::Server {

namespace {

const auto kCountsRow = rowFormat<Counts>([](auto &c, Counts &counts) {
    c.column("(SELECT count(*) FROM users)", counts.users);
    c.column("(SELECT count(*) FROM posts)", counts.posts);
    c.column("(SELECT count(*) FROM files)", counts.files);
    c.column("(SELECT count(*) FROM pipelines)", counts.pipelines);
});

} // namespace

StatsRepository::StatsRepository(const Database &database)
    : m_database(database)
{ }

Result<Counts> StatsRepository::counts() const
{
    QSqlDatabase db = m_database.connection();
    if (!db.isOpen())
        return fail(Error::unavailable(QStringLiteral("the database is not reachable")));
    QSqlQuery query(db);
    static const QString sql = QStringLiteral("SELECT ") + kCountsRow.columns();
    if (!query.exec(sql) || !query.next()) {
        qCWarning(lcDb) << "counts failed:" << query.lastError().text();
        return fail(Error::internal(QStringLiteral("database error")));
    }
    return kCountsRow.read(QtRow {query});
}

} // namespace Outpost::Server
