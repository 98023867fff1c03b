#pragma once

#include "core/result.h"
#include "sqlsupport.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>

#include <optional>

struct pg_conn;
struct pg_result;

namespace Outpost::Server {

class Database;

// The reads every request makes (the caller's session, a post, a page of posts), run on
// PostgreSQL through libpq, as SqliteReader does for SQLite. Qt's PostgreSQL driver runs a
// prepared statement as the text "EXECUTE name (values quoted into SQL)", which the server
// parses again every time, and copies each value into a QVariant; here the statement is
// prepared once per connection (PQprepare) and run with PQexecPrepared: values travel apart
// from the SQL, and results are read in place from the PGresult.
//
// It works on the calling thread's own Qt Sql connection (QSqlDriver::handle()), not one of its
// own: no extra server sessions, transactions see their own changes, and a lost connection is
// reopened by Database::open() as for Qt Sql (the statements are prepared again on the new
// one). The SQL is the same text the Qt Sql path runs, with the same named parameters
// (":name" becomes "$n"). forThread() says nullptr on SQLite, and exec() falls back (nullopt)
// while a Qt query still holds the connection; the caller then goes through Qt Sql as before.
// Internal to server/db.
class PgReader
{
public:
    // The calling thread's reader for `database`; nullptr when it is not PostgreSQL.
    static PgReader *forThread(const Database &database);
    // Forgets the calling thread's reader for `database` (Database::closeThreadConnection()).
    static void closeForThread(const Database &database);

    ~PgReader() = default;
    PgReader(const PgReader &) = delete;
    PgReader &operator=(const PgReader &) = delete;

    // The rows of one executed statement, read in place; the PGresult is freed when this goes.
    class Rows
    {
    public:
        Rows(Rows &&other) noexcept;
        Rows(const Rows &) = delete;
        Rows &operator=(const Rows &) = delete;
        Rows &operator=(Rows &&) = delete;
        ~Rows();

        // Steps to the next row: false after the last one.
        bool next() { return ++m_row < m_rows; }
        // Always empty: every row is in the result by the time exec() returns. (The same
        // interface as SqliteReader::Rows.)
        const std::optional<Error> &error() const { return m_error; }

        bool isNull(int column) const;
        qint64 integer(int column) const; // decimal text; NULL: 0
        double real(int column) const;
        QString text(int column) const;   // UTF-8; NULL: a null QString
        QDateTime time(int column) const; // RFC 3339 text; NULL: invalid

    private:
        friend class PgReader;
        explicit Rows(pg_result *result);

        pg_result *m_result;
        int m_rows;
        int m_row = -1;
        std::optional<Error> m_error;
    };

    // nullopt: the connection is in use by a Qt query; run the statement through Qt Sql.
    Result<std::optional<Rows>> exec(
        const QString &sql, const SqlSupport::BindingList &bindings, const char *what);
    Result<std::optional<Rows>> exec(
        const QString &sql, SqlSupport::Bindings bindings, const char *what);

    // ":name" placeholders as "$1", "$2"... (one number per distinct name, in order of first
    // use), skipping quoted text and "::" casts; `names` gets the names (with their colon).
    static QByteArray positional(const QString &sql, QList<QString> *names);

private:
    PgReader() = default;

    struct Statement
    {
        QByteArray name;      // "outpost_r<n>"
        QList<QString> names; // the parameters, by number
    };
    Result<const Statement *> prepared(pg_conn *conn, const QString &sql, const char *what);

    const Database *m_database = nullptr; // set by forThread() on every lookup
    // The connection the statements below are prepared on, told apart by its backend process
    // too (a new PGconn may reuse a freed one's address).
    pg_conn *m_conn = nullptr;
    int m_backendPid = 0;
    QHash<QString, Statement> m_statements;
    int m_nextName = 0;
};

} // namespace Outpost::Server
