#pragma once

#include "sqlsupport.h"

#include <QAnyStringView>
#include <QByteArray>
#include <QDateTime>
#include <QSqlQuery>
#include <QString>

#include <optional>

namespace Outpost::Server {

// How RowFormat::columns() selects text columns. Blob is for SQLite's Qt driver: it fetches
// TEXT through sqlite3_column_text16, and SQLite's UTF-8 to UTF-16 conversion, character by
// character, was an eighth of a post list request (callgrind); a BLOB's bytes are the same
// UTF-8, which QVariant::toString() decodes with Qt's vectorised decoder.
enum class TextAs { Text, Blob };

template<typename Record, typename Describe> class RowFormat;

namespace RowFormatDetail {

template<typename Field> constexpr bool isText = false;
template<> inline constexpr bool isText<QString> = true;
template<> inline constexpr bool isText<QByteArray> = true;
template<> inline constexpr bool isText<QDateTime> = true;

// Writes the column list: "a, b, CAST(c AS BLOB)".
class ColumnNames
{
public:
    explicit ColumnNames(TextAs textAs)
        : m_textAs(textAs)
    { }

    template<typename Name, typename Field> void column(const Name &name, Field & /*field*/)
    {
        add(name, isText<Field>);
    }
    template<typename Name, typename Field, typename Convert>
    void column(const Name &name, Field & /*field*/, const Convert & /*convert*/)
    {
        add(name, true); // read as text, then converted
    }
    template<typename Record, typename Describe>
    void optional(const RowFormat<Record, Describe> &format, std::optional<Record> & /*field*/)
    {
        Record record;
        format.describe(*this, record);
    }

    QString list() const { return m_list; }

private:
    void add(QAnyStringView name, bool text)
    {
        if (!m_list.isEmpty())
            m_list += QStringLiteral(", ");
        if (text && m_textAs == TextAs::Blob) {
            m_list += QStringLiteral("CAST(") + name.toString() + QStringLiteral(" AS BLOB)");
        } else {
            m_list += name.toString();
        }
    }

    TextAs m_textAs;
    QString m_list;
};

// Counts the columns (to step over a NULL joined row).
class ColumnCount
{
public:
    template<typename Name, typename Field> void column(const Name & /*name*/, Field & /*field*/)
    {
        ++m_count;
    }
    template<typename Name, typename Field, typename Convert>
    void column(const Name & /*name*/, Field & /*field*/, const Convert & /*convert*/)
    {
        ++m_count;
    }
    template<typename Record, typename Describe>
    void optional(const RowFormat<Record, Describe> &format, std::optional<Record> & /*field*/)
    {
        m_count += format.count();
    }

    int count() const { return m_count; }

private:
    int m_count = 0;
};

// Reads the current row of `Row` into the fields, column after column.
template<typename Row> class ColumnReader
{
public:
    ColumnReader(const Row &row, int first)
        : m_row(row)
        , m_column(first)
    { }

    template<typename Name> void column(const Name & /*name*/, qint64 &field)
    {
        field = m_row.integer(m_column++);
    }
    template<typename Name> void column(const Name & /*name*/, int &field)
    {
        field = int(m_row.integer(m_column++));
    }
    template<typename Name> void column(const Name & /*name*/, bool &field)
    {
        field = m_row.integer(m_column++) != 0;
    }
    template<typename Name> void column(const Name & /*name*/, double &field)
    {
        field = m_row.real(m_column++);
    }
    template<typename Name> void column(const Name & /*name*/, QString &field)
    {
        field = m_row.text(m_column++);
    }
    template<typename Name> void column(const Name & /*name*/, QByteArray &field)
    {
        field = m_row.text(m_column++).toLatin1();
    }
    template<typename Name> void column(const Name & /*name*/, QDateTime &field)
    {
        field = m_row.time(m_column++);
    }
    template<typename Name, typename Field, typename Convert>
    void column(const Name & /*name*/, Field &field, const Convert &convert)
    {
        field = convert(m_row.text(m_column++));
    }
    template<typename Record, typename Describe>
    void optional(const RowFormat<Record, Describe> &format, std::optional<Record> &field)
    {
        if (m_row.isNull(m_column)) {
            field.reset();
            m_column += format.count();
            return;
        }
        format.describe(*this, field.emplace());
    }

private:
    const Row &m_row;
    int m_column;
};

} // namespace RowFormatDetail

// The columns of a SELECT and how each is read, in one place, so that the column list and the
// reads cannot drift apart. `describe(c, record)` names the columns in their order, each with
// the field it fills:
//
//     const auto kKeyRow = rowFormat<ApiKey>([](auto &c, ApiKey &key) {
//         c.column("id", key.id);
//         c.column("name", key.name);
//         c.column("created_at", key.createdAt);
//     });
//     QStringLiteral("SELECT ") + kKeyRow.columns() + ...   // "id, name, created_at"
//     kKeyRow.read(QtRow {query})                             // the current row as an ApiKey
//
// The field's type says how its column is read: qint64 and int (INTEGER; NULL: 0), bool
// (INTEGER 0/1), double (REAL), QString (text; NULL: null), QByteArray (Latin-1 text: hex
// digests, hashes), QDateTime (RFC 3339 text; NULL: invalid). c.column(sql, field, convert)
// stores convert(text). c.optional(format, field) reads the columns of a LEFT JOINed row,
// nullopt when its first column is NULL.
//
// read() takes any row with isNull(), integer(), real(), text() and time() by column number
// (QtRow, SqliteReader::Rows) and compiles to the reads by number a hand-written function
// would make: no lookup by name, nothing allocated but the record's own fields. Build the
// column list once (a static), not per request.
template<typename Record, typename Describe> class RowFormat
{
public:
    constexpr explicit RowFormat(Describe describe)
        : m_describe(describe)
    { }

    // The column list, for after SELECT.
    QString columns(TextAs textAs = TextAs::Text) const
    {
        RowFormatDetail::ColumnNames names(textAs);
        Record record;
        m_describe(names, record);
        return names.list();
    }

    int count() const
    {
        RowFormatDetail::ColumnCount count;
        Record record;
        m_describe(count, record);
        return count.count();
    }

    // The row's columns `first`, `first` + 1, ... as a Record. Flattened (the describing lambda
    // and the reader inlined), so that the column numbers are constants.
    template<typename Row> [[gnu::flatten]] Record read(const Row &row, int first = 0) const
    {
        Record record;
        RowFormatDetail::ColumnReader<Row> reader(row, first);
        m_describe(reader, record);
        return record;
    }

    // For formats made of formats (c.optional()).
    template<typename Columns> void describe(Columns &columns, Record &record) const
    {
        m_describe(columns, record);
    }

private:
    Describe m_describe;
};

template<typename Record, typename Describe>
constexpr RowFormat<Record, Describe> rowFormat(Describe describe)
{
    return RowFormat<Record, Describe>(describe);
}

// A QSqlQuery's current row, read the way SqliteReader::Rows reads, so that one RowFormat
// reads a row from either path.
struct QtRow
{
    const QSqlQuery &query;
    bool isNull(int column) const { return query.isNull(column); }
    qint64 integer(int column) const { return query.value(column).toLongLong(); }
    double real(int column) const { return query.value(column).toDouble(); }
    QString text(int column) const { return query.value(column).toString(); }
    QDateTime time(int column) const { return SqlSupport::toDateTime(query.value(column)); }
};

} // namespace Outpost::Server
