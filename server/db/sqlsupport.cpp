#include "sqlsupport.h"

#include "core/diskfaults.h"
#include "core/timeformat.h"
#include "database.h"
#include "dblog.h"

#include <QPointer>
#include <QSet>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlResult>

#include <sqlite3.h>

#include <memory>
#include <unordered_map>

namespace Outpost::Server::SqlSupport {

namespace {

bool isUniqueViolation(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    // SQLite: SQLITE_CONSTRAINT_UNIQUE (2067) or _PRIMARYKEY (1555) with extended codes, else
    // the message; PostgreSQL: SQLSTATE unique_violation.
    return code == u"2067" || code == u"1555" || code == u"23505"
        || error.databaseText().contains(u"UNIQUE constraint failed");
}

// The sqlite3 handle under a Qt SQLite connection; null for other drivers.
sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    if (db.driverName() != u"QSQLITE" || !db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || !(handle.metaType().flags() & QMetaType::IsPointer))
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

// Whether SQLite failed because the disk did: SQLITE_FULL, or SQLITE_IOERR / SQLITE_CANTOPEN
// with the errno of the system call that failed (ENOSPC there is a full disk too).
std::optional<DiskFaults::Kind> diskFault(const QSqlError &error, const QSqlDatabase &db)
{
    sqlite3 *const handle = sqliteHandle(db);
    if (!handle)
        return std::nullopt;
    bool known = false;
    int code = error.nativeErrorCode().toInt(&known);
    if (!known) // e.g. QSqlDatabase::commit() drops the code
        code = sqlite3_extended_errcode(handle);
    const int primary = code & 0xFF;
    if (primary == SQLITE_FULL)
        return DiskFaults::Kind::Full;
    if ((primary != SQLITE_IOERR && primary != SQLITE_CANTOPEN) || code == SQLITE_IOERR_NOMEM)
        return std::nullopt;
    const int systemErrno = sqlite3_system_errno(handle);
    return systemErrno != 0 ? DiskFaults::kindOf(systemErrno) : DiskFaults::Kind::Io;
}

QSet<QString> &lostConnections()
{
    thread_local QSet<QString> lost;
    return lost;
}

int &transactionDepth()
{
    thread_local int depth = 0;
    return depth;
}

// Prepared statements of one connection, valid while that connection's driver lives.
struct ConnectionStatements
{
    QPointer<QSqlDriver> driver;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> statements;
};

struct StatementCache
{
    std::unordered_map<QString, ConnectionStatements> connections; // by connection name
    qint64 prepares = 0;
    qint64 reuses = 0;
};

// Per thread, as Qt Sql connections are: no locking. Destroyed at thread exit, after the
// thread's connections are gone (Database removes them when a QThread finishes); a statement
// whose driver is gone is already finalised by then and only frees its memory.
StatementCache &statementCache()
{
    thread_local StatementCache cache;
    return cache;
}

// Closing a SQLite connection (also to reopen it) finalises its statements, leaving the
// QSqlQuery objects without one. Other drivers' stale statements fail on use and are dropped.
bool isFinalised(const QSqlQuery &query, const QSqlDatabase &db)
{
    if (db.driverName() != u"QSQLITE")
        return false;
    const QSqlResult *result = query.result();
    if (!result)
        return true;
    const QVariant handle = result->handle(); // sqlite3_stmt *
    if (!handle.isValid() || !(handle.metaType().flags() & QMetaType::IsPointer))
        return false;
    return *static_cast<void *const *>(handle.constData()) == nullptr;
}

ConnectionStatements &connectionStatements(QSqlDatabase &db)
{
    StatementCache &cache = statementCache();
    QSqlDriver *const driver = db.driver();
    auto it = cache.connections.find(db.connectionName());
    if (it == cache.connections.end()) {
        // A new connection: forget those whose driver is gone (closed threads, old Databases).
        std::erase_if(cache.connections, [](const auto &entry) { return !entry.second.driver; });
        it = cache.connections.emplace(db.connectionName(), ConnectionStatements {}).first;
        it->second.driver = driver;
    } else if (!it->second.driver || it->second.driver.data() != driver) {
        // The connection was removed and added again under the same name.
        it->second.statements.clear();
        it->second.driver = driver;
    }
    return it->second;
}

void evict(QSqlDatabase &db, const QString &sql)
{
    connectionStatements(db).statements.erase(sql);
}

} // namespace

Result<QSqlQuery *> cached(QSqlDatabase &db, const QString &sql, const char *what)
{
    StatementCache &cache = statementCache();
    auto &statements = connectionStatements(db).statements;
    if (const auto found = statements.find(sql); found != statements.end()) {
        if (!isFinalised(*found->second, db)) {
            ++cache.reuses;
            return found->second.get();
        }
        statements.erase(found);
    }
    auto query = std::make_unique<QSqlQuery>(db);
    query->setForwardOnly(true);
    if (!query->prepare(sql))
        return fail(failure(query->lastError(), db, what, sql));
    ++cache.prepares;
    QSqlQuery *const prepared = query.get();
    statements.emplace(sql, std::move(query));
    return prepared;
}

Result<CachedQuery> execCached(const Database &database, const QString &sql,
    const BindingList &bindings, const char *what, const std::optional<Error> &onUnique)
{
    // A read that finds its connection lost (PostgreSQL restarted since the last statement)
    // runs once more on a new connection, so a request after an outage does not fail for it.
    // Writes are not repeated: the lost one may have been committed.
    const bool retryable = !inTransaction() && sql.startsWith(u"SELECT", Qt::CaseInsensitive);
    for (int attempt = 0;; ++attempt) {
        Result<QSqlDatabase> db = connection(database);
        if (!db)
            return fail(db.error());
        const auto retry = [&] {
            if (attempt > 0 || !retryable || !lostConnections().contains(db->connectionName()))
                return false;
            qCInfo(lcDb).noquote() << what << "lost its connection; retrying on a new one";
            return true;
        };
        Result<QSqlQuery *> query = cached(*db, sql, what);
        if (!query) {
            if (retry())
                continue;
            return fail(query.error());
        }
        for (const auto &[name, value] : bindings)
            (*query)->bindValue(name, value);
        if (!(*query)->exec()) {
            Error error = failure((*query)->lastError(), *db, what, sql, onUnique);
            (*query)->finish();
            evict(*db, sql);
            if (retry())
                continue;
            return fail(std::move(error));
        }
        return CachedQuery(*query);
    }
}

Result<CachedQuery> execCached(const Database &database, const QString &sql, Bindings bindings,
    const char *what, const std::optional<Error> &onUnique)
{
    return execCached(database, sql, toList(bindings), what, onUnique);
}

Result<QVariant> scalarCached(const Database &database, const QString &sql,
    const BindingList &bindings, const char *what, const std::optional<Error> &onUnique)
{
    Result<CachedQuery> query = execCached(database, sql, bindings, what, onUnique);
    if (!query)
        return fail(query.error());
    if (!(*query)->next()) {
        if ((*query)->lastError().isValid())
            return fail(failure((*query)->lastError(), database.connection(), what, sql, onUnique));
        qCWarning(lcDb).noquote() << what << "returned no row";
        return fail(Error::internal(QStringLiteral("database error")));
    }
    return (*query)->value(0);
}

Result<QVariant> scalarCached(const Database &database, const QString &sql, Bindings bindings,
    const char *what, const std::optional<Error> &onUnique)
{
    return scalarCached(database, sql, toList(bindings), what, onUnique);
}

StatementCacheStats statementCacheStats()
{
    const StatementCache &cache = statementCache();
    StatementCacheStats stats;
    stats.prepares = cache.prepares;
    stats.reuses = cache.reuses;
    for (const auto &[name, connection] : cache.connections)
        stats.size += static_cast<qsizetype>(connection.statements.size());
    return stats;
}

void markLost(const QString &connectionName)
{
    lostConnections().insert(connectionName);
}

void enterTransaction()
{
    ++transactionDepth();
}

void leaveTransaction()
{
    if (transactionDepth() > 0)
        --transactionDepth();
}

bool inTransaction()
{
    return transactionDepth() > 0;
}

BindingList toList(Bindings bindings)
{
    BindingList list;
    list.reserve(static_cast<qsizetype>(bindings.size()));
    for (const auto &[name, value] : bindings)
        list.append({QString::fromLatin1(name), value});
    return list;
}

// Another writer held the lock past the busy timeout, or PostgreSQL gave up on a lock or a
// serialisable transaction: transient, so Unavailable rather than Internal.
bool isBusy(const QSqlError &error)
{
    static const QStringList codes {
        QStringLiteral("5"), // SQLITE_BUSY and its extended codes
        QStringLiteral("261"), QStringLiteral("517"), QStringLiteral("773"),
        QStringLiteral("6"), // SQLITE_LOCKED
        QStringLiteral("262"),
        QStringLiteral("40001"), // serialization_failure
        QStringLiteral("40P01"), // deadlock_detected
        QStringLiteral("55P03"), // lock_not_available
    };
    return codes.contains(error.nativeErrorCode());
}

bool takeLost(const QString &connectionName)
{
    QSet<QString> &lost = lostConnections();
    return !lost.isEmpty() && lost.remove(connectionName);
}

void forgetStatements(const QString &connectionName)
{
    statementCache().connections.erase(connectionName);
}

bool isConnectionLost(const QSqlError &error)
{
    if (error.type() == QSqlError::ConnectionError)
        return true;
    const QString code = error.nativeErrorCode();
    // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
    return code.isEmpty() || code.startsWith(u"08") || code == u"57P01" || code == u"57P02"
        || code == u"57P03";
}

Error unreachable()
{
    return Error::unavailable(QStringLiteral("the database is not reachable"));
}

Result<QSqlDatabase> connection(const Database &database)
{
    QSqlDatabase db = database.connection();
    if (!db.isOpen())
        return fail(unreachable());
    return db;
}

Error failure(const QSqlError &error, const QSqlDatabase &db, const char *what, const QString &sql,
    const std::optional<Error> &onUnique)
{
    if (onUnique && isUniqueViolation(error)) {
        qCDebug(lcDb).noquote() << what << "hit a unique constraint:" << error.text();
        return *onUnique;
    }
    qCWarning(lcDb).noquote() << what << "failed:" << error.text();
    if (!sql.isEmpty())
        qCDebug(lcDb).noquote() << "statement:" << sql;
    if (isBusy(error))
        return Error::unavailable(QStringLiteral("the database is busy"));
    // A failing disk is the server's trouble but not a bug: 503 (or 507 when it is full), and
    // /readyz says so while it lasts. SQLite rolls the statement or transaction back itself.
    if (const std::optional<DiskFaults::Kind> disk = diskFault(error, db))
        return DiskFaults::error(*disk, QStringLiteral("the database"));
    // Qt's SQLite driver files every failed step under ConnectionError, so only a closed
    // connection counts there; on PostgreSQL the error says whether the server is gone.
    const bool sqlite = db.driverName() == u"QSQLITE";
    if (!db.isOpen())
        return unreachable();
    if (!sqlite && isConnectionLost(error)) {
        markLost(db.connectionName());
        return unreachable();
    }
    return Error::internal(QStringLiteral("database error"));
}

Result<QSqlQuery> exec(const Database &database, const QString &sql, const BindingList &bindings,
    const char *what, const std::optional<Error> &onUnique)
{
    Result<QSqlDatabase> db = connection(database);
    if (!db)
        return fail(db.error());
    QSqlQuery query(*db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return fail(failure(query.lastError(), *db, what, sql));
    for (const auto &[name, value] : bindings)
        query.bindValue(name, value);
    if (!query.exec())
        return fail(failure(query.lastError(), *db, what, sql, onUnique));
    return query;
}

Result<QSqlQuery> exec(const Database &database, const QString &sql, Bindings bindings,
    const char *what, const std::optional<Error> &onUnique)
{
    return exec(database, sql, toList(bindings), what, onUnique);
}

Result<QVariant> scalar(const Database &database, const QString &sql, const BindingList &bindings,
    const char *what, const std::optional<Error> &onUnique)
{
    Result<QSqlQuery> query = exec(database, sql, bindings, what, onUnique);
    if (!query)
        return fail(query.error());
    if (!query->next()) {
        if (query->lastError().isValid())
            return fail(failure(query->lastError(), database.connection(), what, sql, onUnique));
        qCWarning(lcDb).noquote() << what << "returned no row";
        return fail(Error::internal(QStringLiteral("database error")));
    }
    QVariant value = query->value(0);
    // Done with the statement: on SQLite an unfinished INSERT ... RETURNING keeps its write
    // transaction (and lock) open until the statement is reset.
    query->finish();
    return value;
}

Result<QVariant> scalar(const Database &database, const QString &sql, Bindings bindings,
    const char *what, const std::optional<Error> &onUnique)
{
    return scalar(database, sql, toList(bindings), what, onUnique);
}

QString seconds(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate);
}

QString milliseconds(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime toDateTime(const QVariant &value)
{
    return value.isNull() ? QDateTime() : fromRfc3339(value.toString());
}

QVariant idOrNull(qint64 id)
{
    return id != 0 ? QVariant(id) : QVariant(QMetaType::fromType<qint64>());
}

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QVariant boolean(bool value)
{
    return {value ? 1 : 0};
}

QVariant hexText(const QByteArray &hex)
{
    return {QString::fromLatin1(hex)};
}

QString containsPattern(const QString &text)
{
    QString pattern;
    pattern.reserve(text.size() + 2);
    pattern.append(u'%');
    for (const QChar c : text.toLower()) {
        if (c == u'!' || c == u'%' || c == u'_')
            pattern.append(u'!');
        pattern.append(c);
    }
    pattern.append(u'%');
    return pattern;
}

Result<qint64> deleteInBatches(const Database &database, const QString &table,
    const QString &condition, const BindingList &bindings, const char *what, int batch)
{
    const QString sql = QStringLiteral("DELETE FROM %1 WHERE id IN (SELECT id FROM %1 WHERE %2 "
                                       "ORDER BY id LIMIT %3)")
                            .arg(table, condition)
                            .arg(batch);
    qint64 total = 0;
    for (;;) {
        int deleted = 0;
        {
            const auto lock = database.lockForWrite();
            Result<QSqlQuery> query = exec(database, sql, bindings, what);
            if (!query)
                return fail(query.error());
            deleted = query->numRowsAffected();
        }
        total += qMax(0, deleted);
        if (deleted < batch)
            return total;
    }
}

} // namespace Outpost::Server::SqlSupport
