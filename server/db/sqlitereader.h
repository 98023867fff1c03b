#pragma once

#include "core/result.h"
#include "sqlsupport.h"

#include <QDateTime>
#include <QHash>
#include <QString>

#include <memory>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace Outpost::Server {

class Database;

// The reads every request makes (the caller's session, a post, a page of posts), run on SQLite
// through its C API. Qt's SQLite driver rebuilds its description of the result columns (names,
// declared types, a QSqlField each) on every exec() and copies each row into QVariants before
// the caller sees it; for these small reads that cost more than SQLite's own work (callgrind:
// 55k of a 169k-instruction GET /v1/posts/{id}). The statements are the same SQL text the Qt
// Sql path runs, with the same named parameters, prepared once per thread.
//
// Each thread gets a connection of its own for this, query-only, next to its Qt Sql one: in WAL
// mode every read starts from the latest commit, whichever connection made it. It is not used
// inside a transaction (the transaction's own changes are on the Qt Sql connection), nor on
// PostgreSQL or in-memory databases: forThread() then says nullptr and the caller goes through
// Qt Sql as before. Internal to server/db.
class SqliteReader
{
public:
    // The calling thread's reader for `database`, opened on first use; nullptr when the read
    // must go through Qt Sql (see above) or the connection cannot be opened (logged once).
    static SqliteReader *forThread(const Database &database);
    // Closes the calling thread's reader for `database` (Database::closeThreadConnection()).
    static void closeForThread(const Database &database);

    ~SqliteReader();
    SqliteReader(const SqliteReader &) = delete;
    SqliteReader &operator=(const SqliteReader &) = delete;

    // The rows of one executed statement. Read them before the next exec() of the same SQL;
    // the statement is reset when this goes, which ends its read transaction.
    class Rows
    {
    public:
        Rows(Rows &&other) noexcept;
        Rows(const Rows &) = delete;
        Rows &operator=(const Rows &) = delete;
        Rows &operator=(Rows &&) = delete;
        ~Rows();

        // Steps to the next row: false at the end, or on a failure (then error() says).
        bool next();
        const std::optional<Error> &error() const { return m_error; }

        bool isNull(int column) const;
        qint64 integer(int column) const;
        QString text(int column) const;   // UTF-8; NULL: a null QString
        QDateTime time(int column) const; // RFC 3339 text; NULL: invalid

    private:
        friend class SqliteReader;
        Rows(sqlite3_stmt *statement, const char *what);

        sqlite3_stmt *m_statement;
        const char *m_what;
        std::optional<Error> m_error;
    };

    Result<Rows> exec(
        const QString &sql, const SqlSupport::BindingList &bindings, const char *what);
    Result<Rows> exec(const QString &sql, SqlSupport::Bindings bindings, const char *what);
    // The first column of the first row, as an integer (COUNT(*)); NULL or no row: 0.
    Result<qint64> integer(
        const QString &sql, const SqlSupport::BindingList &bindings, const char *what);

private:
    explicit SqliteReader(sqlite3 *db);
    Result<sqlite3_stmt *> prepared(const QString &sql, const char *what);

    sqlite3 *m_db;
    QHash<QString, sqlite3_stmt *> m_statements;
};

} // namespace Outpost::Server
