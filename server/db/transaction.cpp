#include "transaction.h"

#include "database.h"
#include "dblog.h"
#include "sqlsupport.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Outpost::Server {

namespace {

// Key of the transaction-level advisory lock that serialises Transactions on PostgreSQL
// ("outpost" + 1; the migration lock is "outpost").
constexpr qint64 kWriteLockKey = 0x6F7574706F7375;

bool isSqlite(const QString &dialect)
{
    return dialect == u"sqlite";
}

// Runs a transaction-control statement; logs the driver's text on failure.
bool control(QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    if (query.exec(statement))
        return true;
    qCWarning(lcDb).noquote() << statement << "failed:" << query.lastError().text();
    return false;
}

} // namespace

Transaction::Transaction(const Database &database)
    : m_db(database.connection())
    , m_dialect(database.dialect())
{ }

Transaction::~Transaction()
{
    if (!m_open)
        return;
    SqlSupport::leaveTransaction();
    if (isSqlite(m_dialect))
        control(m_db, QStringLiteral("ROLLBACK"));
    else if (!m_db.rollback())
        qCWarning(lcDb).noquote() << "ROLLBACK failed:" << m_db.lastError().text();
}

Status Transaction::begin()
{
    Q_ASSERT_X(!m_open, "Transaction::begin", "the transaction has already begun");
    if (!m_db.isOpen())
        return fail(SqlSupport::unreachable());
    if (isSqlite(m_dialect)) {
        // Take the write lock now (waiting up to the busy timeout), not at the first write: a
        // deferred transaction that reads first cannot wait for a writer in WAL mode and fails
        // with SQLITE_BUSY when it tries to write.
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
            return fail(SqlSupport::failure(query.lastError(), m_db, "BEGIN IMMEDIATE", QString()));
    } else {
        if (!m_db.transaction())
            return fail(SqlSupport::failure(m_db.lastError(), m_db, "BEGIN", QString()));
        // The same guarantee as BEGIN IMMEDIATE, across every replica: one such transaction at
        // a time, until it commits or rolls back. READ COMMITTED alone would let two replicas
        // both see "no admin yet" or both rotate one refresh token.
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kWriteLockKey))) {
            const Error error = SqlSupport::failure(query.lastError(), m_db, "LOCK", QString());
            m_db.rollback();
            return fail(error);
        }
    }
    m_open = true;
    SqlSupport::enterTransaction();
    return {};
}

Status Transaction::commit()
{
    Q_ASSERT_X(m_open, "Transaction::commit", "the transaction has not begun");
    if (!m_open)
        return fail(Error::internal(QStringLiteral("database error")));
    if (isSqlite(m_dialect)) {
        QSqlQuery query(m_db);
        if (!query.exec(QStringLiteral("COMMIT"))) {
            const Error error = SqlSupport::failure(query.lastError(), m_db, "COMMIT", QString());
            // Still open (e.g. SQLITE_BUSY): the destructor rolls it back.
            return fail(error);
        }
    } else if (!m_db.commit()) {
        return fail(SqlSupport::failure(m_db.lastError(), m_db, "COMMIT", QString()));
    }
    m_open = false;
    SqlSupport::leaveTransaction();
    return {};
}

} // namespace Outpost::Server
