#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <initializer_list>
#include <optional>
#include <utility>

namespace Outpost::Server {

class Database;

// What the repositories share: running one bound statement with uniform error handling, and
// converting values to and from the schema's column conventions. Internal to server/db.
namespace SqlSupport {

// Placeholder name (":id") and value.
using Bindings = std::initializer_list<std::pair<const char *, QVariant>>;
using BindingList = QList<std::pair<QString, QVariant>>; // for statements built at run time
BindingList toList(Bindings bindings);

// Prepares `sql` on the calling thread's connection, binds `bindings` and executes it. On
// failure the driver's text is logged under outpost.db with `what` (the SQL at debug level)
// and the result is Unavailable when the connection is not open or was lost or the database
// stayed locked past the busy timeout or the disk failed (InsufficientStorage when it is full),
// `onUnique` (when given) for a unique-constraint violation, else Internal. No SQL or driver text
// reaches the Error.
Result<QSqlQuery> exec(const Database &database, const QString &sql, Bindings bindings,
    const char *what, const std::optional<Error> &onUnique = std::nullopt);
Result<QSqlQuery> exec(const Database &database, const QString &sql, const BindingList &bindings,
    const char *what, const std::optional<Error> &onUnique = std::nullopt);

// Deletes the rows of `table` (which has an `id` key) that match `condition` (bound with
// `bindings`), `batch` rows per statement, each its own short transaction taken under
// Database::lockForWrite() and released before the next, so that pruning a large backlog never
// holds the write lock for long. Returns how many rows went.
constexpr int kDeleteBatch = 500;
Result<qint64> deleteInBatches(const Database &database, const QString &table,
    const QString &condition, const BindingList &bindings, const char *what,
    int batch = kDeleteBatch);

// The same for a statement that yields one row with one column (COUNT(*), RETURNING id).
Result<QVariant> scalar(const Database &database, const QString &sql, Bindings bindings,
    const char *what, const std::optional<Error> &onUnique = std::nullopt);
Result<QVariant> scalar(const Database &database, const QString &sql, const BindingList &bindings,
    const char *what, const std::optional<Error> &onUnique = std::nullopt);

// A statement from the calling thread's cache (see execCached()), executed. It is finish()ed
// when this handle goes: SQLite keeps a read transaction (and an INSERT ... RETURNING its write
// lock) open until a statement is reset, and later reads on the connection would see that old
// snapshot. Read the rows before the handle goes; do not run the same SQL again meanwhile.
class CachedQuery
{
public:
    explicit CachedQuery(QSqlQuery *query)
        : m_query(query)
    { }
    CachedQuery(CachedQuery &&other) noexcept
        : m_query(std::exchange(other.m_query, nullptr))
    { }
    CachedQuery(const CachedQuery &) = delete;
    CachedQuery &operator=(const CachedQuery &) = delete;
    CachedQuery &operator=(CachedQuery &&) = delete;
    ~CachedQuery()
    {
        if (m_query)
            m_query->finish();
    }

    QSqlQuery *operator->() const { return m_query; }
    QSqlQuery &operator*() const { return *m_query; }

private:
    QSqlQuery *m_query;
};

// exec() for hot statements: the statement is prepared once per thread and connection and kept
// (keyed by connection name and SQL text), so pass fixed SQL only, never text built from
// input. It is prepared again when the connection was closed, removed or reopened since, and
// dropped when it fails, so the next call starts afresh.
Result<CachedQuery> execCached(const Database &database, const QString &sql, Bindings bindings,
    const char *what, const std::optional<Error> &onUnique = std::nullopt);
Result<CachedQuery> execCached(const Database &database, const QString &sql,
    const BindingList &bindings, const char *what,
    const std::optional<Error> &onUnique = std::nullopt);
// scalar() on a cached statement.
Result<QVariant> scalarCached(const Database &database, const QString &sql, Bindings bindings,
    const char *what, const std::optional<Error> &onUnique = std::nullopt);
Result<QVariant> scalarCached(const Database &database, const QString &sql,
    const BindingList &bindings, const char *what,
    const std::optional<Error> &onUnique = std::nullopt);

// The calling thread's cached statement for `sql` on `db`, prepared when missing or stale; on
// a failed prepare the error is logged and mapped as in exec().
Result<QSqlQuery *> cached(QSqlDatabase &db, const QString &sql, const char *what);

// The calling thread's cache, for tests and diagnostics.
struct StatementCacheStats
{
    qint64 prepares = 0; // statements prepared so far (first use or after invalidation)
    qint64 reuses = 0;   // calls served by an already prepared statement
    qsizetype size = 0;  // statements held now
};
StatementCacheStats statementCacheStats();

// The calling thread's connection, or Unavailable.
Result<QSqlDatabase> connection(const Database &database);

// Logs a failed statement and turns it into an Error as exec() does.
Error failure(const QSqlError &error, const QSqlDatabase &db, const char *what, const QString &sql,
    const std::optional<Error> &onUnique = std::nullopt);

// Unavailable: "the database is not reachable".
Error unreachable();

// Lost connections (PostgreSQL restarted, network cut). failure() marks the calling thread's
// connection lost when the error says the server is gone; Database::open() then drops its
// cached statements and reconnects before handing it out again, so the request that saw the
// outage gets Unavailable and the next ones work once the server is back.
void markLost(const QString &connectionName);
bool takeLost(const QString &connectionName);
// Transaction tells while one is open on the calling thread: a lost connection's statements
// are then never retried on a new connection (the transaction is gone with it).
void enterTransaction();
void leaveTransaction();
bool inTransaction();
// Drops the calling thread's cached statements of one connection (before it is closed).
void forgetStatements(const QString &connectionName);
// True when another writer held a lock past the busy timeout (SQLite BUSY or LOCKED), or
// PostgreSQL gave up on a lock or a serialisable transaction: transient.
bool isBusy(const QSqlError &error);
// True when a PostgreSQL error means the connection is gone (SQLSTATE class 08, an
// administrator shutdown, or a client-side error without SQLSTATE).
bool isConnectionLost(const QSqlError &error);

// Timestamps are RFC 3339 UTC text, so they sort and compare as text. Whole seconds by default;
// milliseconds where order within a second matters (login attempts, audit). A column must
// hold one form only: "...:00Z" sorts after "...:00.500Z".
QString seconds(const QDateTime &time);
QString milliseconds(const QDateTime &time);
QDateTime toDateTime(const QVariant &value); // NULL: invalid

// NULL for 0 / an empty string, for optional references and optional text.
QVariant idOrNull(qint64 id);
QVariant textOrNull(const QString &text);
QVariant boolean(bool value); // INTEGER 0/1, as the schema stores booleans
// Hex digests are bound as text: a QByteArray would bind as a BLOB and never equal the TEXT.
QVariant hexText(const QByteArray &hex);

// A LIKE pattern matching `text` as a case-insensitive substring; use with ESCAPE '!' and
// compare against lower(column).
QString containsPattern(const QString &text);

} // namespace SqlSupport

} // namespace Outpost::Server
