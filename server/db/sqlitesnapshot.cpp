#include "sqlitesnapshot.h"

#include "database.h"
#include "databaseurl.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace Outpost::Server {

Status writeSqliteSnapshot(const Database &database, const QString &path)
{
    Q_ASSERT(database.url().driver == DatabaseUrl::Driver::Sqlite);
    QFile::remove(path); // VACUUM INTO refuses an existing file
    Result<QSqlDatabase> db = database.open();
    if (!db)
        return fail(db.error());
    QSqlQuery query(*db);
    query.prepare(QStringLiteral("VACUUM INTO ?"));
    query.addBindValue(path);
    if (!query.exec()) {
        return fail(Error::unavailable(
            QStringLiteral("cannot copy the database: %1").arg(query.lastError().text())));
    }
    return {};
}

Result<QString> sqliteIntegrityCheck(const QString &path)
{
    const QString name = QStringLiteral("integrity-") + QUuid::createUuid().toString();
    QString verdict;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open()) {
            const QString reason = db.lastError().text();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
            return fail(Error::unavailable(QStringLiteral("cannot open %1: %2").arg(path, reason)));
        }
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("PRAGMA integrity_check"))) {
            verdict = query.lastError().text();
        } else {
            QStringList lines;
            while (query.next() && lines.size() < 10)
                lines.append(query.value(0).toString());
            verdict = lines.join(QStringLiteral("; "));
        }
        query.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return verdict;
}

} // namespace Outpost::Server
