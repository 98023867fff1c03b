#include "deliveryrepository.h"

#include "database.h"
#include "sqlsupport.h"

#include <QSqlQuery>

namespace Outpost::Server {

using namespace SqlSupport;

DeliveryRepository::DeliveryRepository(const Database &database)
    : m_database(database)
{ }

Result<bool> DeliveryRepository::record(const QString &source, const QString &deliveryId)
{
    auto q = execCached(m_database,
        QStringLiteral("INSERT INTO webhook_deliveries (delivery_id, source, received_at) "
                       "VALUES (:id, :source, :at) ON CONFLICT (delivery_id) DO NOTHING"),
        {{":id", QString(source + u':' + deliveryId)}, {":source", source},
            {":at", seconds(QDateTime::currentDateTimeUtc())}},
        "record delivery");
    if (!q)
        return fail(q.error());
    return (*q)->numRowsAffected() > 0;
}

Status DeliveryRepository::prune(const QDateTime &before)
{
    auto q = execCached(m_database,
        QStringLiteral("DELETE FROM webhook_deliveries WHERE received_at < :before"),
        {{":before", seconds(before)}}, "prune deliveries");
    if (!q)
        return fail(q.error());
    return {};
}

} // namespace Outpost::Server
