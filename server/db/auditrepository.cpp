#include "auditrepository.h"

#include "database.h"
#include "dblog.h"
#include "sqlsupport.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

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
    Result<QVariant> total =
        scalar(m_database, QStringLiteral("SELECT COUNT(*) FROM audit"), {}, "count audit entries");
    if (!total)
        return fail(total.error());

    Result<QSqlQuery> query = exec(m_database,
        QStringLiteral("SELECT id, at, actor_id, actor_label, action, target_type, target_id, "
                       "client_address, detail FROM audit ORDER BY at DESC, id DESC "
                       "LIMIT :limit OFFSET :skip"),
        {{":limit", page.limit}, {":skip", page.skip}}, "list audit entries");
    if (!query)
        return fail(query.error());

    Page<AuditEntry> result;
    result.total = total->toLongLong();
    result.limit = page.limit;
    result.skip = page.skip;
    while (query->next()) {
        AuditEntry entry;
        entry.id = query->value(0).toLongLong();
        entry.at = toDateTime(query->value(1));
        entry.actorId = query->value(2).toLongLong();
        entry.actorLabel = query->value(3).toString();
        entry.action = query->value(4).toString();
        entry.targetType = query->value(5).toString();
        entry.targetId = query->value(6).toString();
        entry.clientAddress = query->value(7).toString();
        const QString detail = query->value(8).toString();
        if (!detail.isEmpty()) {
            const QJsonDocument document = QJsonDocument::fromJson(detail.toUtf8());
            if (document.isObject())
                entry.detail = document.object();
            else
                qCWarning(lcDb) << "audit entry" << entry.id
                                << "has a detail that is not a JSON object";
        }
        result.items.append(entry);
    }
    return result;
}

} // namespace Outpost::Server
