#include "auditrepository.h"

#include "database.h"
#include "dblog.h"
#include "rowformat.h"
#include "sqlsupport.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

namespace {

// An entry as stored: its detail is JSON text, parsed after the row is read.
struct StoredEntry
{
    AuditEntry entry;
    QString detail;
};

const auto kEntryRow = rowFormat<StoredEntry>([](auto &c, StoredEntry &stored) {
    c.column("id", stored.entry.id);
    c.column("at", stored.entry.at);
    c.column("actor_id", stored.entry.actorId);
    c.column("actor_label", stored.entry.actorLabel);
    c.column("action", stored.entry.action);
    c.column("target_type", stored.entry.targetType);
    c.column("target_id", stored.entry.targetId);
    c.column("client_address", stored.entry.clientAddress);
    c.column("detail", stored.detail);
});

} // namespace

AuditRepository::AuditRepository(const Database &database)
    : m_database(database)
{ }

Status AuditRepository::append(const AuditEntry &entry)
{
    const QDateTime at = entry.at.isValid() ? entry.at : QDateTime::currentDateTimeUtc();
    const QString detail = entry.detail.isEmpty()
        ? QString()
        : QString::fromUtf8(QJsonDocument(entry.detail).toJson(QJsonDocument::Compact));
    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("INSERT INTO audit (at, actor_id, actor_label, action, target_type, "
                       "target_id, client_address, detail) VALUES (:at, :actorId, "
                       ":actorLabel, :action, :targetType, :targetId, :clientAddress, "
                       ":detail)"),
        {{":at", milliseconds(at)}, {":actorId", idOrNull(entry.actorId)},
            {":actorLabel", textOrNull(entry.actorLabel)}, {":action", entry.action},
            {":targetType", textOrNull(entry.targetType)},
            {":targetId", textOrNull(entry.targetId)},
            {":clientAddress", textOrNull(entry.clientAddress)}, {":detail", textOrNull(detail)}},
        "append audit entry");
    if (!query)
        return fail(query.error());
    return {};
}

Result<Page<AuditEntry>> AuditRepository::list(const PageRequest &page) const
{
    AuditQuery query;
    query.page = page;
    return list(query);
}

Result<Page<AuditEntry>> AuditRepository::list(const AuditQuery &auditQuery) const
{
    const PageRequest &page = auditQuery.page;
    // A user's trail: what they did (actor_id, indexed) and what was done to their account.
    static const QString userFilter = QStringLiteral(
        " WHERE (actor_id = :actorId OR (target_type = 'user' AND target_id = :targetId))");
    const bool forUser = auditQuery.userId > 0;
    BindingList filterValues;
    if (forUser) {
        filterValues.append({QStringLiteral(":actorId"), auditQuery.userId});
        filterValues.append({QStringLiteral(":targetId"), QString::number(auditQuery.userId)});
    }
    Result<QVariant> total = scalar(m_database,
        QStringLiteral("SELECT COUNT(*) FROM audit") + (forUser ? userFilter : QString()),
        filterValues, "count audit entries");
    if (!total)
        return fail(total.error());

    static const QString sql = QStringLiteral("SELECT ") + kEntryRow.columns()
        + QStringLiteral(" FROM audit ORDER BY at DESC, id DESC LIMIT :limit OFFSET :skip");
    static const QString userSql = QStringLiteral("SELECT ") + kEntryRow.columns()
        + QStringLiteral(" FROM audit") + userFilter
        + QStringLiteral(" ORDER BY at DESC, id DESC LIMIT :limit OFFSET :skip");
    BindingList values = filterValues;
    values.append({QStringLiteral(":limit"), page.limit});
    values.append({QStringLiteral(":skip"), page.skip});
    Result<QSqlQuery> query =
        exec(m_database, forUser ? userSql : sql, values, "list audit entries");
    if (!query)
        return fail(query.error());

    Page<AuditEntry> result;
    result.total = total->toLongLong();
    result.limit = page.limit;
    result.skip = page.skip;
    while (query->next()) {
        StoredEntry stored = kEntryRow.read(QtRow {*query});
        AuditEntry &entry = stored.entry;
        if (!stored.detail.isEmpty()) {
            const QJsonDocument document = QJsonDocument::fromJson(stored.detail.toUtf8());
            if (document.isObject()) {
                entry.detail = document.object();
            } else {
                qCWarning(lcDb) << "audit entry" << entry.id
                                << "has a detail that is not a JSON object";
            }
        }
        result.items.append(entry);
    }
    return result;
}

Result<qint64> AuditRepository::deleteBefore(const QDateTime &before)
{
    return deleteInBatches(m_database, QStringLiteral("audit"), QStringLiteral("at < :before"),
        {{QStringLiteral(":before"), milliseconds(before)}}, "prune audit entries");
}

} // namespace Outpost::Server
