#include "pgreader.h"

#include "core/timeformat.h"
#include "database.h"
#include "dblog.h"

#include <QSqlDatabase>
#include <QSqlDriver>
#include <QVarLengthArray>

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <vector>

namespace Outpost::Server {

namespace {

// The calling thread's readers, one per Database (by serial), dropped with the thread.
struct ThreadReaders
{
    struct Entry
    {
        quint64 serial = 0;
        std::weak_ptr<const void> lifetime;
        std::unique_ptr<PgReader> reader; // null: not PostgreSQL
    };
    std::vector<Entry> entries;
};

ThreadReaders &threadReaders()
{
    thread_local ThreadReaders readers;
    return readers;
}

// The libpq connection under a Qt Sql one (Qt documents QSqlDriver::handle() for this).
PGconn *handleOf(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    // Qt 6 names the type as the compiler spells it: "pg_conn*" (the struct behind PGconn).
    if (!handle.isValid()
        || (qstrcmp(handle.typeName(), "PGconn*") != 0
            && qstrcmp(handle.typeName(), "pg_conn*") != 0)) {
        qCWarning(lcDb).noquote() << "the PostgreSQL driver's handle is a" << handle.typeName();
        return nullptr;
    }
    return *static_cast<PGconn *const *>(handle.constData());
}

bool isLost(PGconn *conn, const char *state)
{
    // As SqlSupport::isConnectionLost(): no SQLSTATE (the client's own error), class 08, or
    // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now.
    if (PQstatus(conn) == CONNECTION_BAD || state == nullptr || state[0] == '\0')
        return true;
    return qstrncmp(state, "08", 2) == 0 || qstrcmp(state, "57P01") == 0
        || qstrcmp(state, "57P02") == 0 || qstrcmp(state, "57P03") == 0;
}

bool isBusy(const char *state)
{
    // As SqlSupport::isBusy(): serialization_failure, deadlock_detected, lock_not_available.
    return state != nullptr
        && (qstrcmp(state, "40001") == 0 || qstrcmp(state, "40P01") == 0
            || qstrcmp(state, "55P03") == 0);
}

} // namespace

PgReader *PgReader::forThread(const Database &database)
{
    ThreadReaders &readers = threadReaders();
    for (ThreadReaders::Entry &entry : readers.entries) {
        if (entry.serial == database.serial()) {
            if (entry.reader)
                entry.reader->m_database = &database;
            return entry.reader.get();
        }
    }
    // A new Database on this thread: first drop the readers of those that are gone.
    std::erase_if(readers.entries, [](const auto &entry) { return entry.lifetime.expired(); });
    ThreadReaders::Entry entry {database.serial(), database.lifetime(), nullptr};
    if (database.url().driver == DatabaseUrl::Driver::Postgres) {
        entry.reader.reset(new PgReader);
        entry.reader->m_database = &database;
    }
    readers.entries.push_back(std::move(entry));
    return readers.entries.back().reader.get();
}

void PgReader::closeForThread(const Database &database)
{
    std::erase_if(threadReaders().entries,
        [serial = database.serial()](const auto &entry) { return entry.serial == serial; });
}

QByteArray PgReader::positional(const QString &sql, QList<QString> *names)
{
    const QByteArray text = sql.toUtf8();
    QByteArray out;
    out.reserve(text.size() + 8);
    const auto isNameStart = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    const auto isNameChar = [&](char c) { return isNameStart(c) || (c >= '0' && c <= '9'); };
    char quote = 0; // inside '...' or "..."
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quote) {
            out.append(c);
            if (c == quote)
                quote = 0; // a doubled quote closes and opens again: same result
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            out.append(c);
            continue;
        }
        if (c == ':' && i + 1 < text.size() && text[i + 1] == ':') {
            out.append("::"); // a cast
            ++i;
            continue;
        }
        if (c == ':' && i + 1 < text.size() && isNameStart(text[i + 1])) {
            qsizetype end = i + 1;
            while (end < text.size() && isNameChar(text[end]))
                ++end;
            const QString name = QString::fromUtf8(text.mid(i, end - i));
            qsizetype number = names->indexOf(name);
            if (number < 0) {
                names->append(name);
                number = names->size() - 1;
            }
            out.append('$').append(QByteArray::number(number + 1));
            i = end - 1;
            continue;
        }
        out.append(c);
    }
    return out;
}

Result<const PgReader::Statement *> PgReader::prepared(
    PGconn *conn, const QString &sql, const char *what)
{
    if (const auto found = m_statements.constFind(sql); found != m_statements.cend())
        return &found.value();
    Statement statement;
    const QByteArray text = positional(sql, &statement.names);
    statement.name = "outpost_r" + QByteArray::number(m_nextName++);
    PGresult *result = PQprepare(
        conn, statement.name.constData(), text.constData(), int(statement.names.size()), nullptr);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!ok) {
        qCWarning(lcDb).noquote() << what << "failed to prepare:" << PQresultErrorMessage(result);
        qCDebug(lcDb).noquote() << "statement:" << sql;
    }
    PQclear(result);
    if (!ok)
        return fail(Error::internal(QStringLiteral("database error")));
    return &m_statements.insert(sql, std::move(statement)).value();
}

Result<std::optional<PgReader::Rows>> PgReader::exec(
    const QString &sql, const SqlSupport::BindingList &bindings, const char *what)
{
    for (int attempt = 0;; ++attempt) {
        // open() reconnects a connection marked lost, as for Qt Sql.
        Result<QSqlDatabase> db = m_database->open();
        if (!db)
            return fail(db.error());
        PGconn *conn = handleOf(*db);
        if (!conn)
            return fail(SqlSupport::unreachable());
        // A Qt query still reading its rows (single-row mode) holds the connection.
        if (PQtransactionStatus(conn) == PQTRANS_ACTIVE)
            return std::optional<Rows>();
        if (conn != m_conn || PQbackendPID(conn) != m_backendPid) {
            m_statements.clear(); // prepared on a connection that is gone
            m_conn = conn;
            m_backendPid = PQbackendPID(conn);
        }
        Result<const Statement *> statement = prepared(conn, sql, what);
        if (!statement) {
            if (PQstatus(conn) == CONNECTION_BAD) {
                SqlSupport::markLost(db->connectionName());
                if (attempt == 0 && !SqlSupport::inTransaction())
                    continue;
                return fail(SqlSupport::unreachable());
            }
            return fail(statement.error());
        }

        // The values as NUL-terminated text (libpq takes no lengths for text), in the
        // statement's parameter order. Numbers are written into `numbers`, anything else into
        // `texts`: nothing allocated for ids, limits and offsets.
        const QList<QString> &names = (*statement)->names;
        if (names.size() != bindings.size()) {
            qCCritical(lcDb).noquote() << what << "binds" << bindings.size() << "values for"
                                       << names.size() << "parameters";
            return fail(Error::internal(QStringLiteral("database error")));
        }
        constexpr int kNumberSize = 24;
        QVarLengthArray<const char *, 8> values(names.size());
        QVarLengthArray<char, 8 * kNumberSize> numbers(names.size() * kNumberSize);
        QVarLengthArray<QByteArray, 4> texts;
        texts.reserve(names.size()); // no reallocation: `values` points into it
        for (qsizetype i = 0; i < names.size(); ++i) {
            const auto binding = std::find_if(bindings.cbegin(), bindings.cend(),
                [&](const auto &pair) { return pair.first == names[i]; });
            if (binding == bindings.cend()) {
                qCCritical(lcDb).noquote() << what << "does not bind" << names[i];
                return fail(Error::internal(QStringLiteral("database error")));
            }
            const QVariant &value = binding->second;
            char *number = numbers.data() + i * kNumberSize;
            switch (value.isNull() ? QMetaType::UnknownType : value.typeId()) {
            case QMetaType::UnknownType:
                values[i] = nullptr;
                continue;
            case QMetaType::Bool:
            case QMetaType::Int:
            case QMetaType::UInt:
            case QMetaType::LongLong:
            case QMetaType::ULongLong: {
                // Booleans are INTEGER 0/1 in the schema, as SqlSupport::boolean() binds them.
                *std::to_chars(number, number + kNumberSize - 1, value.toLongLong()).ptr = '\0';
                values[i] = number;
                continue;
            }
            case QMetaType::Double: {
                *std::to_chars(number, number + kNumberSize - 1, value.toDouble()).ptr = '\0';
                values[i] = number;
                continue;
            }
            case QMetaType::QByteArray:
                texts.append(value.toByteArray());
                break;
            default:
                texts.append(value.toString().toUtf8());
            }
            values[i] = texts.back().constData(); // QByteArray data ends in a NUL
        }

        PGresult *result = PQexecPrepared(conn, (*statement)->name.constData(), int(names.size()),
            values.data(), nullptr, nullptr, 0);
        if (PQresultStatus(result) == PGRES_TUPLES_OK)
            return std::optional<Rows>(Rows(result));

        const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
        qCWarning(lcDb).noquote() << what << "failed:"
                                  << (result ? PQresultErrorMessage(result) : PQerrorMessage(conn));
        qCDebug(lcDb).noquote() << "statement:" << sql;
        const QByteArray code = state ? QByteArray(state) : QByteArray();
        const bool lost = isLost(conn, state);
        PQclear(result);
        if (code == "26000" && attempt == 0) {
            // invalid_sql_statement_name: the statement is gone from the session (DISCARD ALL
            // by a pooler between us and the server); prepare it again.
            m_statements.remove(sql);
            continue;
        }
        if (lost) {
            SqlSupport::markLost(db->connectionName());
            if (attempt == 0 && !SqlSupport::inTransaction()) {
                qCInfo(lcDb).noquote() << what << "lost its connection; retrying on a new one";
                continue;
            }
            return fail(SqlSupport::unreachable());
        }
        if (isBusy(code.constData()))
            return fail(Error::unavailable(QStringLiteral("the database is busy")));
        return fail(Error::internal(QStringLiteral("database error")));
    }
}

Result<std::optional<PgReader::Rows>> PgReader::exec(
    const QString &sql, SqlSupport::Bindings bindings, const char *what)
{
    return exec(sql, SqlSupport::toList(bindings), what);
}

// --- Rows ------------------------------------------------------------------------------------

PgReader::Rows::Rows(PGresult *result)
    : m_result(result)
    , m_rows(PQntuples(result))
{ }

PgReader::Rows::Rows(Rows &&other) noexcept
    : m_result(std::exchange(other.m_result, nullptr))
    , m_rows(std::exchange(other.m_rows, 0))
    , m_row(other.m_row)
    , m_error(std::move(other.m_error))
{ }

PgReader::Rows::~Rows()
{
    PQclear(m_result);
}

bool PgReader::Rows::isNull(int column) const
{
    return PQgetisnull(m_result, m_row, column) != 0;
}

qint64 PgReader::Rows::integer(int column) const
{
    const char *text = PQgetvalue(m_result, m_row, column);
    const int length = PQgetlength(m_result, m_row, column);
    qint64 value = 0;
    std::from_chars(text, text + length, value); // NULL is "": 0
    return value;
}

double PgReader::Rows::real(int column) const
{
    const char *text = PQgetvalue(m_result, m_row, column);
    const int length = PQgetlength(m_result, m_row, column);
    double value = 0;
    std::from_chars(text, text + length, value);
    return value;
}

QString PgReader::Rows::text(int column) const
{
    if (isNull(column))
        return {};
    return QString::fromUtf8(
        PQgetvalue(m_result, m_row, column), PQgetlength(m_result, m_row, column));
}

QDateTime PgReader::Rows::time(int column) const
{
    return isNull(column) ? QDateTime() : fromRfc3339(text(column));
}

} // namespace Outpost::Server
