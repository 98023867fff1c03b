#include "sqlitefixture.h"

#include "db/databaseurl.h"
#include "db/migrator.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QtDebug>

namespace Outpost::Test {

bool SqliteFixture::create(Schema schema, const QString &fileName)
{
    reset();
    m_error.clear();
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("cannot make a temporary directory: ") + m_dir->errorString();
        return false;
    }
    m_database = std::make_unique<Server::Database>(
        Server::DatabaseUrl::sqliteFile(m_dir->filePath(fileName)));
    if (schema == Schema::Migrated) {
        const auto migrated = Server::Migrator(*m_database).up();
        if (!migrated) {
            m_error = QStringLiteral("migrating failed: ") + describe(migrated.error());
            return false;
        }
    }
    return true;
}

void SqliteFixture::reset()
{
    m_database.reset();
    m_dir.reset();
}

void SqliteFixture::reopen()
{
    const Server::DatabaseUrl url = m_database->url();
    m_database.reset();
    m_database = std::make_unique<Server::Database>(url);
}

QVariant SqliteFixture::scalar(const QString &sql) const
{
    return Test::scalar(*m_database, sql);
}

bool SqliteFixture::exec(const QString &sql) const
{
    return Test::exec(*m_database, sql);
}

bool exec(const Server::Database &db, const QString &sql)
{
    QSqlQuery query(db.connection());
    if (query.exec(sql))
        return true;
    qWarning() << sql << query.lastError().text();
    return false;
}

QVariant scalar(const Server::Database &db, const QString &sql)
{
    QSqlQuery query(db.connection());
    if (!query.exec(sql) || !query.next()) {
        qWarning() << sql << query.lastError().text();
        return {};
    }
    return query.value(0);
}

QString describe(const Error &error)
{
    return QStringLiteral("%1 %2").arg(static_cast<int>(error.code)).arg(error.detail);
}

} // namespace Outpost::Test
