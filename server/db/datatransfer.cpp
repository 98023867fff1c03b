#include "datatransfer.h"

#include "database.h"
#include "dblog.h"
#include "sqlsupport.h"

#include <QDateTime>
#include <QJsonValue>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

QStringList split(const char *columns)
{
    return QString::fromLatin1(columns).split(u',', Qt::SkipEmptyParts);
}

QJsonValue toJson(const QVariant &value)
{
    if (value.isNull())
        return QJsonValue::Null;
    switch (value.metaType().id()) {
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
        return QJsonValue(value.toLongLong());
    case QMetaType::Bool:
        return QJsonValue(value.toBool() ? 1 : 0);
    case QMetaType::Double:
        return QJsonValue(value.toDouble());
    case QMetaType::QDateTime:
        return QJsonValue(seconds(value.toDateTime()));
    default:
        return QJsonValue(value.toString());
    }
}

QVariant toVariant(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return QVariant();
    case QJsonValue::Bool:
        return QVariant(value.toBool() ? 1 : 0);
    case QJsonValue::Double: {
        // A whole number in qint64's range stays an integer; toInteger checks the range that a
        // cast would not (undefined for 1e300).
        const double number = value.toDouble();
        if (const qint64 whole = value.toInteger(0); whole != 0 || number == 0)
            return QVariant(whole);
        return QVariant(number);
    }
    case QJsonValue::String:
        return QVariant(value.toString());
    default:
        return QVariant(); // arrays and objects are refused before this
    }
}

Error readFailure(const QSqlQuery &query, const QString &what)
{
    qCWarning(lcDb).noquote() << what << "failed:" << query.lastError().text();
    return Error::unavailable(QStringLiteral("cannot read %1").arg(what));
}

} // namespace

const QList<DataTransfer::Table> &DataTransfer::tables()
{
    static const QList<Table> list {
        {QStringLiteral("users"),
            split("id,email,username,password_hash,role,disabled,token_version,created_at,"
                  "updated_at"),
            QStringLiteral("id"), true},
        {QStringLiteral("posts"),
            split("id,title,content,published,owner_id,created_at,updated_at"),
            QStringLiteral("id"), true},
        {QStringLiteral("votes"), split("user_id,post_id,created_at"),
            QStringLiteral("post_id, user_id"), false},
        {QStringLiteral("files"),
            split(
                "id,path,owner_id,size_bytes,content_type,etag,storage_key,created_at,updated_at"),
            QStringLiteral("id"), true},
        {QStringLiteral("pipelines"),
            split("id,name,source,repository,external_id,definition,created_at,updated_at"),
            QStringLiteral("id"), true},
        {QStringLiteral("runs"),
            split(
                "id,pipeline_id,run_number,external_id,status,conclusion,provider_status,head_sha,"
                "head_branch,event,actor,html_url,queued_at,started_at,finished_at,note,"
                "created_at,updated_at"),
            QStringLiteral("id"), true},
        {QStringLiteral("stages"),
            split("id,run_id,name,position,external_id,status,conclusion,provider_status,"
                  "started_at,finished_at,log"),
            QStringLiteral("id"), true},
    };
    return list;
}

DataTransfer::DataTransfer(const Database &database)
    : m_database(database)
{ }

DataTransfer::~DataTransfer()
{
    if (m_open) {
        QSqlQuery query(m_database.connection());
        query.exec(QStringLiteral("ROLLBACK"));
    }
}

Status DataTransfer::exportRows(
    const std::function<bool(const QString &, const QJsonObject &)> &sink) const
{
    Result<QSqlDatabase> db = connection(m_database);
    if (!db)
        return fail(db.error());
    for (const Table &table : tables()) {
        QSqlQuery query(*db);
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral("SELECT ") + table.columns.join(QStringLiteral(", "))
                + QStringLiteral(" FROM ") + table.name + QStringLiteral(" ORDER BY ")
                + table.orderBy))
            return fail(readFailure(query, table.name));
        while (query.next()) {
            QJsonObject row;
            for (qsizetype i = 0; i < table.columns.size(); ++i)
                row.insert(table.columns.at(i), toJson(query.value(int(i))));
            if (!sink(table.name, row))
                return fail(Error::unavailable(QStringLiteral("export stopped")));
        }
        if (query.lastError().isValid())
            return fail(readFailure(query, table.name));
    }
    return {};
}

Result<qint64> DataTransfer::existingRows() const
{
    Result<QSqlDatabase> db = connection(m_database);
    if (!db)
        return fail(db.error());
    qint64 rows = 0;
    for (const Table &table : tables()) {
        QSqlQuery query(*db);
        if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM ") + table.name) || !query.next())
            return fail(readFailure(query, table.name));
        rows += query.value(0).toLongLong();
    }
    return rows;
}

Status DataTransfer::begin()
{
    Result<QSqlDatabase> db = connection(m_database);
    if (!db)
        return fail(db.error());
    QSqlQuery query(*db);
    if (!query.exec(m_database.url().driver == DatabaseUrl::Driver::Sqlite
                ? QStringLiteral("BEGIN IMMEDIATE")
                : QStringLiteral("BEGIN")))
        return fail(failure(query.lastError(), *db, "BEGIN", {}));
    m_open = true;
    return {};
}

Status DataTransfer::insert(const QString &tableName, const QJsonObject &row)
{
    const auto table = std::find_if(
        tables().cbegin(), tables().cend(), [&](const Table &t) { return t.name == tableName; });
    if (table == tables().cend())
        return fail(Error::validation(QStringLiteral("table"),
            QStringLiteral("\"%1\" is not a table that import takes").arg(tableName)));
    QStringList columns;
    QStringList placeholders;
    BindingList bindings;
    for (auto it = row.constBegin(); it != row.constEnd(); ++it) {
        if (!table->columns.contains(it.key()))
            return fail(Error::validation(it.key(),
                QStringLiteral("is not a column of %1 that import takes").arg(tableName)));
        if (it.value().isArray() || it.value().isObject())
            return fail(
                Error::validation(it.key(), QStringLiteral("must be a number, a string or null")));
        const QString placeholder = u':' + it.key();
        columns.append(it.key());
        placeholders.append(placeholder);
        bindings.append({placeholder, toVariant(it.value())});
    }
    if (columns.isEmpty())
        return fail(Error::validation(QStringLiteral("row"), QStringLiteral("has no columns")));
    // Column names come from tables() only (checked above); values are bound.
    Result<QSqlQuery> done = exec(m_database,
        QStringLiteral("INSERT INTO ") + tableName + QStringLiteral(" (")
            + columns.join(QStringLiteral(", ")) + QStringLiteral(") VALUES (")
            + placeholders.join(QStringLiteral(", ")) + u')',
        bindings, "import row",
        Error::conflict(QStringLiteral("a %1 row repeats a unique value (an id, an email, a path)")
                            .arg(tableName)));
    if (!done) {
        Error error = done.error();
        if (error.code == ErrorCode::Internal)
            error = Error::validation(QStringLiteral("row"),
                QStringLiteral("does not fit the %1 table (a missing or invalid value, or a "
                               "reference to a row that does not exist)")
                    .arg(tableName));
        return fail(error);
    }
    return {};
}

Status DataTransfer::commit()
{
    Result<QSqlDatabase> db = connection(m_database);
    if (!db)
        return fail(db.error());
    if (m_database.url().driver == DatabaseUrl::Driver::Postgres) {
        // Identity columns were given explicit ids: move each sequence past them.
        for (const Table &table : tables()) {
            if (!table.hasIdentity)
                continue;
            QSqlQuery query(*db);
            if (!query.exec(QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', 'id'), "
                                           "COALESCE(MAX(id), 0) + 1, false) FROM %1")
                                .arg(table.name)))
                return fail(failure(query.lastError(), *db, "move the id sequence", {}));
        }
    }
    QSqlQuery query(*db);
    if (!query.exec(QStringLiteral("COMMIT")))
        return fail(failure(query.lastError(), *db, "COMMIT", {}));
    m_open = false;
    return {};
}

Status DataTransfer::readFastApi(
    const std::function<bool(const QString &, const QJsonObject &)> &sink) const
{
    Result<QSqlDatabase> db = connection(m_database);
    if (!db)
        return fail(db.error());
    struct Source
    {
        QString table;
        QString sql;
        std::function<QJsonObject(const QSqlQuery &)> row;
    };
    const QList<Source> sources {
        {QStringLiteral("users"),
            QStringLiteral("SELECT id, email, password, created_at FROM users ORDER BY id"),
            [](const QSqlQuery &q) {
                const QJsonValue created = toJson(q.value(3));
                return QJsonObject {{QStringLiteral("id"), toJson(q.value(0))},
                    {QStringLiteral("email"), toJson(q.value(1))},
                    {QStringLiteral("password_hash"), toJson(q.value(2))},
                    {QStringLiteral("role"), QStringLiteral("user")},
                    {QStringLiteral("created_at"), created},
                    {QStringLiteral("updated_at"), created}};
            }},
        {QStringLiteral("posts"),
            QStringLiteral("SELECT id, title, content, published, created_at, owner_id FROM posts "
                           "ORDER BY id"),
            [](const QSqlQuery &q) {
                const QJsonValue created = toJson(q.value(4));
                return QJsonObject {{QStringLiteral("id"), toJson(q.value(0))},
                    {QStringLiteral("title"), toJson(q.value(1))},
                    {QStringLiteral("content"), toJson(q.value(2))},
                    {QStringLiteral("published"), q.value(3).toBool() ? 1 : 0},
                    {QStringLiteral("created_at"), created},
                    {QStringLiteral("updated_at"), created},
                    {QStringLiteral("owner_id"), toJson(q.value(5))}};
            }},
        {QStringLiteral("votes"),
            QStringLiteral("SELECT user_id, post_id FROM votes ORDER BY post_id, user_id"),
            [](const QSqlQuery &q) {
                return QJsonObject {{QStringLiteral("user_id"), toJson(q.value(0))},
                    {QStringLiteral("post_id"), toJson(q.value(1))}};
            }},
    };
    for (const Source &source : sources) {
        QSqlQuery query(*db);
        query.setForwardOnly(true);
        if (!query.exec(source.sql))
            return fail(Error::validation(QStringLiteral("--from"),
                QStringLiteral("has no readable %1 table laid out as the FastAPI service's (%2)")
                    .arg(source.table, query.lastError().databaseText().left(200))));
        while (query.next()) {
            if (!sink(source.table, source.row(query)))
                return fail(Error::unavailable(QStringLiteral("import stopped")));
        }
    }
    return {};
}

} // namespace Outpost::Server
