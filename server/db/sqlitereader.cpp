#include "sqlitereader.h"

#include "core/diskfaults.h"
#include "core/timeformat.h"
#include "database.h"
#include "dblog.h"

#include <sqlite3.h>

#include <algorithm>
#include <vector>

namespace Outpost::Server {

namespace {

constexpr int kBusyTimeoutMs = 5000; // as the Qt Sql connections wait

// The calling thread's readers, one per Database (by serial), closed with the thread.
struct ThreadReaders
{
    struct Entry
    {
        quint64 serial = 0;
        std::weak_ptr<const void> lifetime;
        std::unique_ptr<SqliteReader> reader; // null: use Qt Sql (not a file, or cannot open)
    };
    std::vector<Entry> entries;
};

ThreadReaders &threadReaders()
{
    thread_local ThreadReaders readers;
    return readers;
}

// Logs a failed call on `db` and maps it as SqlSupport::failure() does: busy or locked past
// the timeout is Unavailable, a failing disk Unavailable or InsufficientStorage, anything else
// Internal; no SQL or SQLite text in the Error.
Error failure(sqlite3 *db, int code, const char *what, const QString &sql = {})
{
    qCWarning(lcDb).noquote() << what << "failed:" << sqlite3_errmsg(db) << "(" << code << ")";
    if (!sql.isEmpty())
        qCDebug(lcDb).noquote() << "statement:" << sql;
    const int primary = code & 0xFF;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return Error::unavailable(QStringLiteral("the database is busy"));
    if (primary == SQLITE_FULL)
        return DiskFaults::error(DiskFaults::Kind::Full, QStringLiteral("the database"));
    if ((primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN) && code != SQLITE_IOERR_NOMEM) {
        const int systemErrno = sqlite3_system_errno(db);
        return DiskFaults::error(
            systemErrno != 0 ? DiskFaults::kindOf(systemErrno) : DiskFaults::Kind::Io,
            QStringLiteral("the database"));
    }
    return Error::internal(QStringLiteral("database error"));
}

} // namespace

SqliteReader::SqliteReader(sqlite3 *db)
    : m_db(db)
{ }

SqliteReader::~SqliteReader()
{
    for (sqlite3_stmt *statement : std::as_const(m_statements))
        sqlite3_finalize(statement);
    sqlite3_close(m_db);
}

SqliteReader *SqliteReader::forThread(const Database &database)
{
    if (SqlSupport::inTransaction())
        return nullptr;
    ThreadReaders &readers = threadReaders();
    for (const ThreadReaders::Entry &entry : readers.entries) {
        if (entry.serial == database.serial())
            return entry.reader.get();
    }
    // A new Database on this thread: first drop the readers of those that are gone.
    std::erase_if(readers.entries, [](const auto &entry) { return entry.lifetime.expired(); });

    ThreadReaders::Entry entry {database.serial(), database.lifetime(), nullptr};
    if (database.url().driver != DatabaseUrl::Driver::Sqlite || database.url().isInMemory()) {
        readers.entries.push_back(std::move(entry));
        return nullptr;
    }
    sqlite3 *db = nullptr;
    const QByteArray path = database.url().path.toUtf8();
    int code = sqlite3_open_v2(
        path.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (code == SQLITE_OK)
        code = sqlite3_busy_timeout(db, kBusyTimeoutMs);
    if (code == SQLITE_OK)
        code = sqlite3_exec(db, "PRAGMA query_only=ON", nullptr, nullptr, nullptr);
    if (code == SQLITE_OK) {
        entry.reader.reset(new SqliteReader(db));
    } else {
        qCWarning(lcDb).noquote() << "cannot open a read connection to the SQLite database ("
                                  << sqlite3_errstr(code) << "); reads go through Qt Sql";
        sqlite3_close(db);
    }
    readers.entries.push_back(std::move(entry));
    return readers.entries.back().reader.get();
}

void SqliteReader::closeForThread(const Database &database)
{
    std::erase_if(threadReaders().entries,
        [serial = database.serial()](const auto &entry) { return entry.serial == serial; });
}

Result<sqlite3_stmt *> SqliteReader::prepared(const QString &sql, const char *what)
{
    if (sqlite3_stmt *found = m_statements.value(sql))
        return found;
    const QByteArray text = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    const int code = sqlite3_prepare_v3(
        m_db, text.constData(), int(text.size()), SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (code != SQLITE_OK) {
        sqlite3_finalize(statement);
        return fail(failure(m_db, code, what, sql));
    }
    m_statements.insert(sql, statement);
    return statement;
}

Result<SqliteReader::Rows> SqliteReader::exec(
    const QString &sql, const SqlSupport::BindingList &bindings, const char *what)
{
    Result<sqlite3_stmt *> statement = prepared(sql, what);
    if (!statement)
        return fail(statement.error());
    sqlite3_stmt *s = *statement;
    // A statement is reset when its Rows goes; clearing the bindings is all that is left.
    sqlite3_clear_bindings(s);
    for (const auto &[name, value] : bindings) {
        const int index = sqlite3_bind_parameter_index(s, name.toUtf8().constData());
        int code = SQLITE_OK;
        if (index == 0) {
            qCCritical(lcDb).noquote() << what << "binds" << name << "which it does not use";
            return fail(Error::internal(QStringLiteral("database error")));
        }
        switch (value.isNull() ? QMetaType::UnknownType : value.typeId()) {
        case QMetaType::UnknownType:
            code = sqlite3_bind_null(s, index);
            break;
        case QMetaType::Bool:
        case QMetaType::Int:
        case QMetaType::UInt:
        case QMetaType::LongLong:
        case QMetaType::ULongLong:
            code = sqlite3_bind_int64(s, index, value.toLongLong());
            break;
        case QMetaType::Double:
            code = sqlite3_bind_double(s, index, value.toDouble());
            break;
        case QMetaType::QByteArray: {
            const QByteArray bytes = value.toByteArray();
            code = sqlite3_bind_blob64(
                s, index, bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
            break;
        }
        default: {
            const QByteArray text = value.toString().toUtf8();
            code = sqlite3_bind_text64(s, index, text.constData(), sqlite3_uint64(text.size()),
                SQLITE_TRANSIENT, SQLITE_UTF8);
        }
        }
        if (code != SQLITE_OK)
            return fail(failure(m_db, code, what, sql));
    }
    return Rows(s, what);
}

Result<SqliteReader::Rows> SqliteReader::exec(
    const QString &sql, SqlSupport::Bindings bindings, const char *what)
{
    return exec(sql, SqlSupport::toList(bindings), what);
}

Result<qint64> SqliteReader::integer(
    const QString &sql, const SqlSupport::BindingList &bindings, const char *what)
{
    Result<Rows> rows = exec(sql, bindings, what);
    if (!rows)
        return fail(rows.error());
    if (!rows->next()) {
        if (rows->error())
            return fail(*rows->error());
        return 0;
    }
    return rows->integer(0);
}

// --- Rows ------------------------------------------------------------------------------------

SqliteReader::Rows::Rows(sqlite3_stmt *statement, const char *what)
    : m_statement(statement)
    , m_what(what)
{ }

SqliteReader::Rows::Rows(Rows &&other) noexcept
    : m_statement(std::exchange(other.m_statement, nullptr))
    , m_what(other.m_what)
    , m_error(std::move(other.m_error))
{ }

SqliteReader::Rows::~Rows()
{
    if (m_statement)
        sqlite3_reset(m_statement); // ends the read transaction
}

bool SqliteReader::Rows::next()
{
    if (!m_statement || m_error)
        return false;
    const int code = sqlite3_step(m_statement);
    if (code == SQLITE_ROW)
        return true;
    if (code != SQLITE_DONE)
        m_error = failure(sqlite3_db_handle(m_statement), code, m_what);
    return false;
}

bool SqliteReader::Rows::isNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

qint64 SqliteReader::Rows::integer(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

QString SqliteReader::Rows::text(int column) const
{
    // text() before bytes(), as SQLite asks: the length is then that of the UTF-8 form.
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(m_statement, column));
}

QDateTime SqliteReader::Rows::time(int column) const
{
    return isNull(column) ? QDateTime() : fromRfc3339(text(column));
}

} // namespace Outpost::Server
